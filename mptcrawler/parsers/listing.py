"""Listing pages of any Drupal rendering: the news list ``/{lang}/news?page=N``, the old front
page ``/?page=N``, and whatever view lists nodes.

Views renders rows as unformatted ``div.views-row``, item lists ``li``, tables ``tr`` or node
teasers (D7 ``views-view-unformatted.tpl.php``, ``views-view-list.tpl.php``,
``views-view-table.tpl.php``, ``node.tpl.php``; D8+ their ``.html.twig`` twins), so entries are
not found by a class: they are the links inside the main content region whose URL is an article
(``urls.classify``), outside the page chrome (header, menus, sidebars, footer: drupal.py), one
entry per row, with the date written nearest to the link in its row. The next page is the
pager's ``rel="next"`` (D8+ ``pager.html.twig``), else the link to the same listing with
``page`` one higher (D7 ``theme_pager``, Views' mini pager).

The same title can appear twice on one page (site.md): entries are identified by URL only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from lxml.etree import _Element
from parsel import Selector

from ..dates import date_in_line
from ..text import normalise_inline
from ..urls import PageKind, canonical_url, classify
from .drupal import PageRegions, element_node_id, element_text, is_node, main_region, tokens

_ARTICLE_KINDS = (PageKind.NEWS_ARTICLE, PageKind.NODE, PageKind.SLUG)


@dataclass(frozen=True)
class ListingEntry:
    href: str  # as written: root-relative or absolute on any site host (or, rarely, off-site)
    title: str
    date_raw: str | None
    node_id: int | None = None  # written in the row's markup (a teaser's node-N), if anywhere
    date_source: str | None = None  # which evidence gave the date (counted in the stats)


@dataclass(frozen=True)
class ListingPage:
    entries: list[ListingEntry]
    next_href: str | None  # the pager's "next" link, as written
    next_source: str | None = None  # rel-next or page-query
    last_href: str | None = None  # the pager's link to the listing's highest page, as written


def _text(el: _Element) -> str:
    return normalise_inline(element_text(el))


def parse_listing(page: Selector, url: str) -> ListingPage:
    """The entries and the next page of a listing page fetched as canonical ``url``."""
    root = page.root
    if not isinstance(root, _Element):
        return ListingPage([], None)
    regions = PageRegions(root)
    region = main_region(root)
    links: list[tuple[_Element, str, str]] = []  # (element, href as written, target)
    for a in (region if region is not None else root).iter("a"):
        href = (a.get("href") or "").strip()
        if not href or regions.in_chrome(a):
            continue
        target = canonical_url(href, url)
        if target is None:
            if urlsplit(href).scheme in ("http", "https"):
                links.append((a, href, href))  # off-site: an entry only in a dated row
        elif classify(target).kind in _ARTICLE_KINDS:
            links.append((a, href, target))
    entries: list[ListingEntry] = []
    seen_rows: set[_Element] = set()
    seen_targets: set[str] = set()
    rows = _rows(links, region)
    for a, href, target in links:
        row = rows[a]
        if row in seen_rows or target in seen_targets:
            continue
        seen_rows.add(row)
        date_raw, date_source = _row_date(row)
        offsite = canonical_url(href, url) is None
        if offsite and date_raw is None:
            continue  # a link inside a teaser's text, not a listed article
        seen_targets.add(target)
        title = next((t for el, _, t2 in links if rows[el] is row and t2 == target
                      for t in [_title(el)] if t), "")
        # The row's node, else the link when it is the node's own element (a card template
        # whose node element is the link: HCPSS/parity node--card.html.twig writes the node's
        # attributes, data-history-node-id too, on `<a href="{{ url }}">`).
        node = row if is_node(row) else a if is_node(a) else None
        _, row_nid = element_node_id(node) if node is not None else (None, None)
        entries.append(ListingEntry(href, title, date_raw, row_nid, date_source))
    next_href, next_source = _next(page, root, url)
    return ListingPage(entries, next_href, next_source, _last(root, url))


def _rows(links: list[tuple[_Element, str, str]], region: _Element | None
          ) -> dict[_Element, _Element]:
    """The row of each link: its node teaser or Views row, else its list item or table row,
    else its widest ancestor that links nothing else."""
    targets: dict[_Element, set[str]] = {}
    for a, _, target in links:
        for ancestor in a.iterancestors():
            if ancestor is region:
                break
            targets.setdefault(ancestor, set()).add(target)
    rows: dict[_Element, _Element] = {}
    for a, _, target in links:
        ancestors = []
        for ancestor in a.iterancestors():
            if ancestor is region:
                break
            ancestors.append(ancestor)
        row = next((x for x in ancestors if is_node(x) or _grid_row(x)), None)
        if row is None:
            row = next((x for x in ancestors if x.tag in ("li", "tr")), None)
        if row is None:
            row = a
            for ancestor in ancestors:
                if targets[ancestor] != {target}:
                    break
                row = ancestor
        rows[a] = row
    return rows


def _grid_row(el: _Element) -> bool:
    """A Views row, or one cell of a Views grid: each holds one result. A grid's own row
    holds several, one a cell (D8+ ``views-view-grid.html.twig``: ``div.views-row`` around
    ``div.views-col`` cells in a horizontal grid, the other way round in a vertical one;
    D6/D7 ``views-view-grid.tpl.php``: ``table.views-view-grid``, a ``tr`` of ``td`` cells),
    so the cell, nearer to the link, is the row."""
    classes = tokens(el)
    if "views-row" in classes or "views-col" in classes:
        return True
    if el.tag != "td":
        return False
    table = next(el.iterancestors("table"), None)
    return table is not None and "views-view-grid" in tokens(table)


_DATE_WORDS = ("date", "created", "submitted", "posted", "time")
# Flow content that a title link never holds (a heading's link holds text, phrasing content):
# a link around one of them wraps a whole card, as D8+ card templates write it
# (`<a href="{{ url }}">` around the image, the heading and the fields, date included). Not
# `table`: libxml2's HTML parser closes the link before it.
_BLOCKS = frozenset(("address", "article", "aside", "blockquote", "div", "dl", "figure",
                     "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "ol", "p",
                     "section", "ul"))


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _is_card(a: _Element) -> bool:
    return any(el.tag in _BLOCKS for el in a.iterdescendants())


def _title(a: _Element) -> str:
    """The text of a title link; of a card link, the card's title only, not its date and
    teaser: its first heading with text (node--card templates write the label in an ``h3``),
    else its first element whose class names a title (``card__title``, D8+ title field
    ``field--name-title``), else all of it."""
    if _is_card(a):
        for el in a.iter(*_HEADINGS):
            if text := _text(el):
                return text
        for el in a.iterdescendants():
            # (a comment's or processing instruction's class is None: no title)
            if any("title" in w.lower() for w in tokens(el)) and (text := _text(el)):
                return text
    return _text(a)


def _row_date(row: _Element) -> tuple[str | None, str | None]:
    """The date written in a row, outside its links; else, in a row that is one card wrapped
    in a link, the date inside that link. A date in a title link is part of the title, and a
    row's own date wins over its card's."""
    found = _date_in(row)
    if found[0] is None:
        for a in row.iter("a"):
            if a is not row and _is_card(a):
                found = _date_in(a)
                if found[0] is not None:
                    break
    return found


def _date_in(row: _Element) -> tuple[str | None, str | None]:
    """The date written in ``row`` outside the links inside it: a dated element first
    (``time``, a date field, the submitted line), then a text that is a date and nothing else,
    then a machine-readable attribute."""
    dated: list[tuple[str, _Element]] = []
    plain: list[str] = []
    attributes: list[str] = []
    for el in row.iter():
        if not isinstance(el.tag, str) or any(a.tag == "a" for a in _up_to(el, row)):
            continue
        words = " ".join([*tokens(el), *tokens(el, "property")]).lower()
        if el.tag == "time" or any(w in words for w in _DATE_WORDS):
            dated.append(("time" if el.tag == "time" else "date-element", el))
        if el.text and el.text.strip():
            plain.append(el.text)
        for child in el:
            if child.tail and child.tail.strip():
                plain.append(child.tail)
        for name in ("datetime", "content"):
            if el.get(name) and (el.tag == "time" or "date" in words):
                attributes.append(el.get(name) or "")
    for source, el in dated:
        text = _text(el)
        if (found := date_in_line(text)) is not None:
            return (text if found == text.strip(" ,.") else found), source
    for text in plain:
        text = normalise_inline(text)
        if text and date_in_line(text) == text.strip(" ,."):
            return text, "row-text"
    for value in attributes:
        return value.strip(), "date-attribute"
    return None, None


def _up_to(el: _Element, row: _Element) -> list[_Element]:
    chain = []
    current: _Element | None = el
    while current is not None and current is not row:
        chain.append(current)
        current = current.getparent()
    return chain


def _page_number(url: str) -> int:
    value = parse_qs(urlsplit(url).query).get("page", ["0"])[0]
    return int(value) if value.isdigit() else 0


def _last(root: _Element, url: str) -> str | None:
    """The link to the highest page of the same listing (the pager's "last", or its highest
    number), if it is beyond this page."""
    here = urlsplit(url)
    best: tuple[int, str] | None = None
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        target = canonical_url(href, url) if href else None
        if target and urlsplit(target).path == here.path:
            number = _page_number(target)
            if number > _page_number(url) and (best is None or number > best[0]):
                best = (number, href)
    return best[1] if best else None


def _next(page: Selector, root: _Element, url: str) -> tuple[str | None, str | None]:
    for el in root.iter("a", "link"):
        if "next" in (el.get("rel") or "").lower().split() and el.get("href"):
            return (el.get("href") or "").strip(), "rel-next"
    here = urlsplit(url)
    wanted = _page_number(url) + 1
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        target = canonical_url(href, url) if href else None
        if target and urlsplit(target).path == here.path and _page_number(target) == wanted:
            return href, "page-query"
    return None, None
