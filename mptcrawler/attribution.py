"""The attribution line at the end of an article body, e.g. the seed's last paragraph
``Использована информация с сайта: <a href="http://www.belta.by">http://www.belta.by</a>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import _Element

from .text import BLOCK_TAGS, inline_lines, is_markup_node, parse_fragment
from .urls import as_written, canonical_url

# A label and what follows it; the whole paragraph must be the attribution, so a sentence that
# merely starts with "По информации" inside a longer paragraph is left in the text.
_LABELLED = re.compile(
    r"^(?:Использована информация(?: с сайта| сайта)?|Использованы материалы(?: сайта)?"
    r"|Источник|Крыніца|Выкарыстана інфармацыя(?: з сайта)?|Source)\s*:\s*(?P<name>.+?)\.?$",
    re.IGNORECASE,
)
# "По информации пресс-службы Совета Министров." is an attribution; "По информации БЕЛТА, рост
# составил 5 %." is news: the name of a source is one short clause, no comma, no second sentence.
_BY_REPORT = re.compile(
    r"^(?:По (?:информации|материалам|данным)|Па інфармацыі|According to)\s+"
    r"(?P<name>[^,.;:!?]{2,80}?)\.?$"
)
_MAX_LINE = 200  # an attribution is a line, not a paragraph of news
_READ_MORE = re.compile(
    r"^(?:Подробност(?:и|ь) тут|Подробнее тут|Подробный материал читайте тут|Read more here"
    r"|Падрабязнасці тут)\.?$",
    re.IGNORECASE,
)
_URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    name: str
    url: str | None
    raw: str

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "url": self.url, "raw": self.raw}


def _host(url: str) -> str:
    host = urlsplit(url if "//" in url else "http://" + url).hostname or url
    return host.removeprefix("www.")


def _source_of(paragraph: _Element, page_url: str) -> Source | None:
    lines = inline_lines(paragraph)
    if len(lines) != 1:
        return None
    raw = lines[0]
    if len(raw) > _MAX_LINE:
        return None
    link = next(iter(paragraph.iter("a")), None)
    href = link.get("href") if link is not None else None
    url = (canonical_url(href, page_url) or as_written(href)) if href else None
    link_text = " ".join(inline_lines(link)) if link is not None else ""
    if m := (_LABELLED.match(raw) or _BY_REPORT.match(raw)):
        name = link_text or m["name"]
    elif _READ_MORE.match(raw) and url:
        name = _host(url)
    else:
        return None
    if _URL_TEXT.match(name):
        name = _host(name)
    return Source(name=name, url=url, raw=raw)


def split_attribution(body_html: str, page_url: str) -> tuple[str, Source | None]:
    """The body without its final attribution paragraph, and that attribution (or None)."""
    root = parse_fragment(body_html)
    last = None
    for child in reversed(root):
        if is_markup_node(child) or child.tag in ("script", "style"):
            continue
        if not inline_lines(child) and child.find(".//img") is None:
            continue  # an empty paragraph after the attribution (&nbsp;) is common
        last = child
        break
    if last is None or last.tag not in BLOCK_TAGS or last.tag in ("ul", "ol", "table"):
        return body_html, None
    if (last.tail or "").strip():
        return body_html, None  # text after it: the paragraph is not the end of the body
    source = _source_of(last, page_url)
    if source is None:
        return body_html, None
    last.drop_tree()
    return _inner_html(root), source


def _inner_html(root: _Element) -> str:
    return (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
