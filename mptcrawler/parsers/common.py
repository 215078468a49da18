"""What the era parsers share: the parsed article, and Drupal markup common to all eras."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector, SelectorList

from ..text import normalise_inline
from ..urls import as_written, canonical_url, language_of


class NotAnArticle(ValueError):
    """The page is not a news article (a static page, a listing)."""


class ParseError(ValueError):
    """A news page lacks a part every news page of its era has (layout drift)."""


@dataclass(frozen=True)
class ArticlePage:
    """What an article page says, before the pipelines normalise it."""

    url: str  # canonical https://mpt.gov.by/... URL
    node_id: int | None
    lang: str
    era: str
    title: str
    published_raw: str
    body_html: str
    images: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    url_date: str | None = None  # ISO date written in an era-B URL
    structured_date: str | None = None  # era C `time[datetime]`, ISO UTC, for cross-checks


_NODE_PATH = re.compile(r"/node/(\d+)$")
_PAGE_NODE_CLASS = re.compile(r"\bpage-node-(\d+)\b")


def canonical_page_url(page: Selector, fetched_url: str) -> str:
    """The page's own canonical link (a `/node/NID` twin names its alias), else the fetched URL."""
    href = page.css('link[rel="canonical"]::attr(href)').get()
    return (canonical_url(href, fetched_url) if href else None) or fetched_url


def drupal7_node_id(page: Selector) -> int | None:
    """Drupal 7 prints the node path as the shortlink and as a body class."""
    shortlink = page.css('link[rel="shortlink"]::attr(href)').get("")
    if m := _NODE_PATH.search(shortlink.strip()):
        return int(m.group(1))
    if m := _PAGE_NODE_CLASS.search(page.css("body::attr(class)").get("")):
        return int(m.group(1))
    return None


def one_text(nodes: SelectorList[Selector]) -> str:
    """All text under the first node, white space folded."""
    first = nodes[:1]
    return normalise_inline(" ".join(first.css("::text").getall()))


def inner_html(nodes: SelectorList[Selector]) -> str | None:
    """The inner HTML of the first node, or None if there is none."""
    if not nodes:
        return None
    return "".join(nodes[0].xpath("node()").getall())


def images(nodes: SelectorList[Selector], page_url: str) -> list[dict[str, Any]]:
    """``img`` elements under ``nodes`` as ``{"url", "alt"}``, first occurrence of each URL."""
    found: dict[str, dict[str, Any]] = {}
    for img in nodes.css("img"):
        src = (img.attrib.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        url = canonical_url(src, page_url) or as_written(src)
        alt = normalise_inline(img.attrib.get("alt", ""))
        found.setdefault(url, {"url": url, "alt": alt or None})
    return list(found.values())


_TYPE_LABEL = re.compile(r"\s*\b(PDF|DOCX?|XLSX?|RTF|ODT|ZIP|RAR|PPTX?|JPE?G|PNG|TXT)\s*$",
                         re.IGNORECASE)


def attachment(link: Selector, page_url: str) -> dict[str, Any] | None:
    """A file link as ``{"url", "title", "type", "size"}``; the visible type label after the title
    (``Постановление № 5 PDF``) is not part of the title."""
    href = (link.attrib.get("href") or "").strip()
    if not href:
        return None
    url = canonical_url(href, page_url) or as_written(href)
    title = _TYPE_LABEL.sub("", normalise_inline(" ".join(link.css("::text").getall())))
    mime, _, params = (link.attrib.get("type") or "").partition(";")
    size = re.search(r"length=(\d+)", params)
    return {
        "url": url,
        "title": title or None,
        "type": mime.strip() or None,
        "size": int(size.group(1)) if size else None,
    }


def page_language(url: str) -> str:
    return language_of(url)


def require(value: str | None, what: str, url: str) -> str:
    if not value:
        raise ParseError(f"no {what} on {url}")
    return value
