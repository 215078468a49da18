"""Attributions of an article body: where the news came from, and who took the photos.

- trailing lines: ``Использована информация с сайта: <a href="http://www.belta.by">…</a>`` (the
  seed), ``Источник: …``, ``По информации …``, ``Подробности тут`` (a link), ``Фото: …`` — one or
  several, each its own paragraph or ``<br>``-separated lines of one paragraph;
- a BelTA dateline opening the first paragraph: ``10 ноября, Минск /Корр. БЕЛТА/.``

They are taken out of the body (the reader's text keeps only the news) and returned as data,
each with the line exactly as the page shows it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import _Element

from .text import (
    BLOCK_TAGS,
    LINK,
    SKIP_TAGS,
    drop,
    inline_lines,
    is_markup_node,
    normalise_inline,
    parse_fragment,
    settable,
)
from .urls import as_written, canonical_url

# A label and what follows it; the whole line must be the attribution, so a sentence that
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
_READ_MORE = re.compile(
    r"^(?:Подробност(?:и|ь) тут|Подробнее тут|Подробный материал читайте тут|Read more here"
    r"|Падрабязнасці тут)\.?$",
    re.IGNORECASE,
)
_PHOTO = re.compile(r"^(?:Фото|Фота|Photo)\s*:\s*(?P<name>.+?)\.?$", re.IGNORECASE)
# "10 ноября, Минск /Корр. БЕЛТА/." and "МИНСК, 10 ноября (БЕЛТА) –": BelTA's two datelines.
_DATELINE = re.compile(
    r"^(?:\d{1,2}\s+\w+,\s+\w[\w-]*\s+/(?:Корр\.\s+)?(?P<a>БЕЛТА|БелТА)/\.?"
    r"|[А-ЯЁ][А-ЯЁ-]+,\s+\d{1,2}\s+\w+\s+\((?P<b>БЕЛТА|БелТА)\)\s*[-–—])\s*"
)
_URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_MAX_LINE = 200  # an attribution is a line, not a paragraph of news


@dataclass(frozen=True)
class Source:
    name: str
    url: str | None
    raw: str
    kind: str = "attribution"  # attribution | read_more | dateline

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "url": self.url, "raw": self.raw, "kind": self.kind}


@dataclass(frozen=True)
class PhotoCredit:
    name: str
    raw: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "raw": self.raw}


@dataclass
class Attributions:
    """The body without its attributions, and the attributions in body order."""

    body_html: str
    sources: list[Source] = field(default_factory=list)
    photo_credit: PhotoCredit | None = None


def _host(url: str) -> str:
    host = urlsplit(url if "//" in url else "http://" + url).hostname or url
    return host.removeprefix("www.")


def _line(raw: str, link: _Element | None, page_url: str) -> Source | PhotoCredit | None:
    """What one line of a trailing paragraph is, if it is an attribution."""
    if len(raw) > _MAX_LINE:
        return None
    if m := _PHOTO.match(raw):
        return PhotoCredit(name=m["name"], raw=raw)
    href = link.get("href") if link is not None else None
    url = (canonical_url(href, page_url) or as_written(href)) if href else None
    link_text = " ".join(inline_lines(link)) if link is not None else ""
    kind = "attribution"
    if m := (_LABELLED.match(raw) or _BY_REPORT.match(raw)):
        name = link_text or m["name"]
    elif _READ_MORE.match(raw) and url:
        name, kind = _host(url), "read_more"
    else:
        return None
    if _URL_TEXT.match(name):
        name = _host(name)
    return Source(name=name, url=url, raw=raw, kind=kind)


def _paragraph_lines(paragraph: _Element, lines: list[str], page_url: str
                     ) -> list[Source | PhotoCredit] | None:
    """The attributions of a paragraph (``lines``: its inline_lines) whose every line is one,
    else None."""
    if not lines:
        return None
    links = _links_by_line(paragraph, len(lines))
    if links is None:
        return None
    found = []
    for i, raw in enumerate(lines):
        item = _line(raw, links[i], page_url)  # as many links as lines: _links_by_line
        if item is None:
            return None
        found.append(item)
    return found


def _links_by_line(paragraph: _Element, count: int) -> list[_Element | None] | None:
    """The link each of the paragraph's ``count`` lines holds (None: none), found by where each
    ``<a>`` begins: ``Фото: Иванов<br>Источник: <a href="https://www.belta.by/">БЕЛТА</a>``
    gives the link to the second line only. None when a line holds two links (``Источник:
    БЕЛТА и РИА`` is not one source with one address). A link with no text of its own (an
    anchor) or inside an element the text leaves out (``<noscript>``) belongs to no line."""
    links = [a for a in paragraph.iter("a") if not _left_out(a, paragraph)]
    if not links:
        return [None] * count
    marked = inline_lines(paragraph, links=True)
    if sum(line.count(LINK) for line in marked) != len(links):
        return None
    each = iter(links)
    by_line: list[_Element | None] = []
    for line in marked:
        held = [next(each) for _ in range(line.count(LINK))]
        if not line.replace(LINK, "").strip():
            continue  # only links without text: not a line of the text
        if len(held) > 1:
            return None
        by_line.append(held[0] if held else None)
    return by_line if len(by_line) == count else None


def _left_out(el: _Element, top: _Element) -> bool:
    """Whether ``el`` is inside an element of ``top`` whose text inline_lines leaves out."""
    ancestor = el.getparent()
    while ancestor is not top:  # el is one of top's descendants
        if ancestor.tag in SKIP_TAGS:
            return True
        ancestor = ancestor.getparent()
    return False


def _take_dateline(root: _Element) -> Source | None:
    first = next((c for c in root if not is_markup_node(c) and c.tag in BLOCK_TAGS), None)
    if first is None or first.tag != "p":
        return None
    holder = first
    if not (first.text or "").strip():
        if not len(first) or first[0].tag not in ("strong", "b", "em", "i"):
            return None
        holder = first[0]  # <p><strong>10 ноября, Минск /Корр. БЕЛТА/.</strong> …
    text = (holder.text or "").replace("\u00a0", " ").lstrip()
    m = _DATELINE.match(text)
    if m is None:
        return None
    if not settable(text):
        return None  # a C0 control lxml refuses to be given (text.settable): left in the text
    holder.text = text[m.end():]
    if holder is not first and not (holder.text or "").strip() and not len(holder):
        drop(holder)  # its tail moves into the paragraph's text
        if first.text and settable(first.text):
            first.text = first.text.lstrip()
    return Source(name=m["a"] or m["b"], url=None, raw=normalise_inline(m.group(0)),
                  kind="dateline")


def split_attribution(body_html: str, page_url: str) -> Attributions:
    """Take the attributions out of a body (see the module's docstring)."""
    root = parse_fragment(body_html)
    trailing: list[Source | PhotoCredit] = []
    changed = False
    for child in reversed(list(root)):
        if is_markup_node(child) or child.tag in ("script", "style"):
            continue
        if (child.tail or "").strip():
            break  # text after it: the paragraph is not the end of the body
        lines = inline_lines(child)
        if not lines and child.find(".//img") is None:
            continue  # an empty paragraph (&nbsp;) after the attribution is common
        if child.tag not in BLOCK_TAGS or child.tag in ("ul", "ol", "table"):
            break
        found = _paragraph_lines(child, lines, page_url)
        if found is None:
            break
        trailing[:0] = found
        drop(child)
        changed = True
    dateline = _take_dateline(root)
    if dateline is None and not changed:
        return Attributions(body_html)
    sources = [x for x in trailing if isinstance(x, Source)]
    photos = [x for x in trailing if isinstance(x, PhotoCredit)]
    return Attributions(
        body_html=_inner_html(root),
        sources=([dateline] if dateline else []) + sources,
        photo_credit=photos[0] if photos else None,
    )


def _inner_html(root: _Element) -> str:
    # lxml.html.tostring, not etree's: it also removes <meta http-equiv="Content-Type"> tags.
    # The text before the first element is escaped as tostring escapes the children's tails:
    # a body opening with "AT&amp;T &lt;b&gt;" must not come back as an element <b>.
    return html.escape(root.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
