"""Fallback for layout drift: when an era's selectors find no title or body (a redesign), read
the page from structured metadata and a generic main-content extractor (trafilatura).

The item is marked ``extraction: "fallback"`` and counted in the crawl stats, so a redesign shows
up as a rising count instead of silently empty items. Exactness is not promised here: the
trafilatura body is what a generic extractor sees.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
from parsel import Selector

from ..text import normalise_inline
from ..urls import PageKind, classify, language_of
from .common import (
    ArticlePage,
    NotAnArticle,
    ParseError,
    canonical_page_url,
    drupal7_node_id,
    images,
    visible_text,
)

_SITE_SUFFIX = re.compile(r"\s*[|–—-]\s*(?:Министерство|Міністэрства|Ministry)\b.*$")


def _title(page: Selector) -> str:
    for candidate in (page.css('meta[property="og:title"]::attr(content)').get(),
                      visible_text(page.css("h1")),
                      _SITE_SUFFIX.sub("", visible_text(page.css("title")))):
        text = normalise_inline(candidate or "")
        if text:
            return text
    return ""


def _json_ld_date(page: Selector) -> str | None:
    for block in page.css('script[type="application/ld+json"]::text').getall():
        try:
            data: Any = json.loads(block)
        except ValueError:
            continue
        for node in data if isinstance(data, list) else data.get("@graph", [data]):
            if isinstance(node, dict) and isinstance(node.get("datePublished"), str):
                return str(node["datePublished"])
    return None


def _date(page: Selector, listed_date: str | None) -> str | None:
    """Structured metadata first, then a dated `time` element, then the listing's date."""
    for candidate in (page.css('meta[property="article:published_time"]::attr(content)').get(),
                      _json_ld_date(page),
                      page.css("article time::text, main time::text").get(),
                      listed_date):
        if candidate and candidate.strip():
            return normalise_inline(candidate)
    return None


def _node_id(page: Selector, url: str) -> int | None:
    nid = page.css("[data-history-node-id]::attr(data-history-node-id)").get("")
    if nid.isdigit():
        return int(nid)
    found = drupal7_node_id(page)
    if found is None and classify(url).kind in (PageKind.NEWS_ARTICLE, PageKind.NODE):
        found = classify(url).node_id
    return found


def parse(page: Selector, url: str, listed_date: str | None = None) -> ArticlePage:
    import trafilatura  # imported on first use: most runs never need it

    canonical = canonical_page_url(page, url)
    title = _title(page)
    if not title:
        raise ParseError(f"fallback: no title on {url}")
    published = _date(page, listed_date)
    if published is None:
        raise NotAnArticle(f"no news markup and no date of any kind on {url}")
    body = trafilatura.extract(page.get(), output_format="html", include_tables=True,
                               include_images=False, include_links=True, favor_precision=True,
                               deduplicate=False)
    if not body:
        raise ParseError(f"fallback: no main content on {url}")
    root = lxml.html.fromstring(body)
    container = root.find("body") if root.find("body") is not None else root
    for heading in container.findall("h1"):
        if normalise_inline(heading.text_content()) == title:
            heading.drop_tree()  # trafilatura repeats the title as the body's first heading
    body_html = "".join(lxml.html.tostring(child, encoding="unicode") for child in container)
    return ArticlePage(
        url=canonical,
        node_id=_node_id(page, canonical),
        lang=language_of(canonical),
        era="fallback",
        title=title,
        published_raw=published,
        body_html=body_html,
        images=images(page.css("article, main, #content")[:1], canonical),
        extraction="fallback",
    )
