"""What the era parsers share: the parsed article, and Drupal markup common to all eras."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml.etree import _Element
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator
from parsel.selector import create_root_node
from scrapy.http import Response, TextResponse

from ..text import drop, inline_lines, normalise_inline
from ..urls import (
    CANONICAL_ORIGIN,
    LANGUAGES,
    PageKind,
    as_written,
    canonical_url,
    classify,
    language_of,
)
from .drupal import NodePage


class NotAnArticle(ValueError):
    """The page is not a news article (a static page, a listing)."""


class ParseError(ValueError):
    """A news page lacks a part every news page of its era has (layout drift)."""


def parse_html(text: str, base_url: str | None = None) -> Selector:
    """A page parsed once, for every reader of it (Drupal evidence, parsers, text, fallback).

    parsel's own ``Selector(text=…)`` parses exactly the same tree (its ``create_root_node``,
    same recovery and NUL stripping), but with ``lxml.html.HTMLParser``, whose elements are
    looked up by a Python callback each time lxml hands one to Python: ~0.45 ms of the ~1.1 ms
    it took to walk a 66 KB live-weight page's 630 elements once. Nothing here uses
    ``HtmlElement`` methods, so plain lxml elements serve (see :func:`..text.drop`)."""
    root = create_root_node(text, etree.HTMLParser, base_url=base_url)
    return Selector(root=root, type="html")


# Bytes that open a character str.strip() removes but bytes.strip() keeps: the C0 separators,
# and the first byte of every non-ASCII character (U+0085, U+00A0, U+2000-U+200A, U+3000…).
_UNICODE_SPACE_EDGE = frozenset(b"\x1c\x1d\x1e\x1f") | frozenset(range(0x80, 0x100))


# What libxml2 reports for bytes that are not UTF-8 (parsel's own test of the same).
_ENCODING_ERRORS = frozenset({etree.ErrorTypes.ERR_INVALID_ENCODING,
                              etree.ErrorTypes.ERR_INVALID_CHAR})


def _not_utf8(parser: etree.HTMLParser) -> bool:
    return any(error.type in _ENCODING_ERRORS for error in parser.error_log)


def parse_response(response: Response) -> Selector:
    """The page of ``response``, the same tree as ``parse_html(response.text)``.

    Scrapy's ``response.text`` decodes the body, and :func:`parse_html` encodes it again to
    UTF-8 for libxml2: two passes over ~60 KB that give back the body itself whenever it is
    valid UTF-8 (the live site's and the replica's pages). Then the body goes to libxml2 as it
    came, which is parsel's own ``Selector(body=…)`` path. Everything else takes the text
    path: another encoding (Scrapy's choice, e.g. cp1251 by header or meta, decodes as
    before), a byte order mark (``text`` drops it), NUL bytes or edges that Python's
    ``str.strip`` treats otherwise than ``bytes.strip``, and bytes that are not UTF-8. Those
    are the ones libxml2 reports while it parses (tests/test_parsers_common.py holds it to
    Python's strict decoder on every malformed sequence in every part of a page): the body is
    not decoded once more in Python only to learn that it is valid."""
    if not isinstance(response, TextResponse):
        return parse_html(response.text)  # what Scrapy's Response.text raises, as before
    body = response.body
    if codecs.lookup(response.encoding).name != "utf-8" or body.startswith(
            (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in body:
        return parse_html(response.text)
    stripped = body.strip()
    if not stripped or stripped[0] in _UNICODE_SPACE_EDGE \
            or stripped[-1] in _UNICODE_SPACE_EDGE:
        return parse_html(response.text)
    # parsel's create_root_node(body=…) step for step, without libxml2's table of id
    # attributes, which nothing here reads (no XPath id(), no get_element_by_id): ~5 % of the
    # parse of a live-weight page.
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True, collect_ids=False)
    root: _Element | None = None
    try:
        root = etree.fromstring(stripped, parser=parser)
    except etree.XMLSyntaxError:
        if not _not_utf8(parser):
            raise
    if _not_utf8(parser):
        return parse_html(response.text)  # not UTF-8 after all: Scrapy's text replaces
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return Selector(root=root, type="html")


def attribute(selection: Selector | SelectorList[Selector], name: str) -> str | None:
    """One attribute of the (first) selected element, or None.

    Not parsel's ``.attrib``: it copies every attribute of the element, and lxml raises
    ValueError ("Invalid tag name") on attribute names a broken page can produce, e.g.
    ``li{display:inline-block;padding:4px`` after an unclosed quote (found by the property
    tests)."""
    element = selection[0] if isinstance(selection, SelectorList) and selection else selection
    root = getattr(element, "root", None)
    if not isinstance(root, _Element):
        return None
    value = root.get(name)
    return None if value is None else str(value)


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
    # A machine-readable date of the page (`time[datetime]`, RDF `content`, metatag), ISO, for
    # cross-checks and to read a visible date that is ambiguous (`04/05/2016`).
    structured_date: str | None = None
    extraction: str = "site"  # "fallback" when no Drupal body field was found (fallback.py)
    # Which evidence each field came from (drupal.py), and where two sources disagreed.
    evidence: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    # The node's versions in the other languages, [{"lang", "url"}], from the page's own
    # evidence (read_translations), and the key shared by the whole translation set.
    translations: list[dict[str, str]] = field(default_factory=list)
    translation_key: str | None = None
    # The page shows another language's text: the section it was fetched in has no translation
    # of the node and Drupal fell back to one it has (site.md: /be/node/7670 served English).
    language_fallback: bool = False


def canonical_page_url(node: NodePage, fetched_url: str) -> str:
    """The page's own canonical link (a `/node/NID` twin names its alias), else the fetched URL."""
    href = node.head.links.get("canonical")
    return (canonical_url(href, fetched_url) if href else None) or fetched_url


def visible_text(nodes: Selector | SelectorList[Selector]) -> str:
    """What a reader sees of the first node, on one line: inline markup joins words as the page
    does (``Под<b>пись</b>`` is one word), ``<br>`` separates them, scripts say nothing."""
    first = nodes if isinstance(nodes, Selector) else next(iter(nodes), None)
    if first is None or not isinstance(first.root, _Element):
        return ""
    return " ".join(inline_lines(first.root))



# Compiled once: parsel compiles an XPath (or a CSS selector's) on every call, and wraps every
# result in a Selector; these run on every article.
_CHILD_NODES = etree.XPath("node()")
_FIGCAPTION = etree.XPath("ancestor::figure[1]/figcaption")


def _node_html(node: Any) -> str:
    """One child node as parsel's ``get()`` writes it: markup for elements and comments,
    text as it is."""
    if isinstance(node, _Element):
        return etree.tostring(node, method="html", encoding="unicode", with_tail=False)
    return str(node)


def inner_html(nodes: SelectorList[Selector]) -> str | None:
    """The inner HTML of the first node, or None if there is none."""
    if not nodes:
        return None
    root = nodes[0].root
    if not isinstance(root, _Element):
        return "".join(nodes[0].xpath("node()").getall())
    return "".join(map(_node_html, _CHILD_NODES(root)))


def images(nodes: SelectorList[Selector], page_url: str) -> list[dict[str, Any]]:
    """``img`` elements under ``nodes`` as ``{"url", "alt", "caption"}``, first occurrence of
    each URL; the caption is the enclosing ``figure``'s ``figcaption``."""
    found: dict[str, dict[str, Any]] = {}
    # css("img") is descendant-or-self::img of each node, which is what iter("img") walks.
    for img in (i for n in nodes if isinstance(n.root, _Element) for i in n.root.iter("img")):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        url = canonical_url(src, page_url) or as_written(src)
        alt = normalise_inline(img.get("alt") or "")
        captions = _FIGCAPTION(img)
        caption = " ".join(inline_lines(captions[0])) if captions else ""
        found.setdefault(url, {"url": url, "alt": alt or None, "caption": caption or None})
    return list(found.values())


# Widgets editors paste into bodies (https://mpt.gov.by/ru/… pages of era C carry Yandex's share
# block inside the body field): none of it is the article.
_WIDGETS = (".ya-share2, .addtoany_share_save_container, .a2a_kit, .share-buttons, .print-link, "
            ".print__wrapper, script, style, noscript, iframe")


_WIDGET_ELEMENTS = etree.XPath(HTMLTranslator().css_to_xpath(_WIDGETS))  # as body.css() reads it


def drop_widgets(body: SelectorList[Selector]) -> list[_Element]:
    """Removes the widgets from ``body``; returns them."""
    found = [w for node in body if isinstance(node.root, _Element)
             for w in _WIDGET_ELEMENTS(node.root)]
    for widget in found:
        # With nested body nodes (a broken page; found by hypothesis) the same widget is
        # matched once per node: drop() leaves an already dropped one alone.
        drop(widget)
    return found


_TYPE_LABEL = re.compile(r"\s*\b(PDF|DOCX?|XLSX?|RTF|ODT|ZIP|RAR|PPTX?|JPE?G|PNG|TXT)\s*$",
                         re.IGNORECASE)


_SIZE_LABEL = re.compile(r"([\d.,]+)\s*(bytes|байт|KB|КБ|MB|МБ)", re.IGNORECASE)
_UNITS = {"bytes": 1, "байт": 1, "kb": 1024, "кб": 1024, "mb": 1024**2, "мб": 1024**2}


def size_from_label(label: str) -> int | None:
    """``48.21 KB`` → 49367 (Drupal's format_size: 1 KB = 1024 bytes, two decimals)."""
    m = _SIZE_LABEL.search(label)
    if m is None:
        return None
    try:
        number = float(m.group(1).replace(",", "."))
    except ValueError:
        return None
    return round(number * _UNITS[m.group(2).lower()])


def attachment(link: Selector, page_url: str, size_label: str | None = None
               ) -> dict[str, Any] | None:
    """A file link as ``{"url", "title", "type", "size"}``; the visible type label after the title
    (``Постановление № 5 PDF``) is not part of the title. The exact size is the ``length`` of
    the link's ``type``; failing that, the page's size label."""
    href = (attribute(link, "href") or "").strip()
    if not href:
        return None
    url = canonical_url(href, page_url) or as_written(href)
    title = _TYPE_LABEL.sub("", visible_text(link))
    mime, _, params = (attribute(link, "type") or "").partition(";")
    size = re.search(r"length=(\d+)", params)
    return {
        "url": url,
        "title": title or None,
        "type": mime.strip() or None,
        "size": int(size.group(1)) if size else size_from_label(size_label or ""),
    }


def require(value: str | None, what: str, url: str) -> str:
    if not value:
        raise ParseError(f"no {what} on {url}")
    return value


def selection(elements: Iterable[_Element]) -> SelectorList[Selector]:
    """lxml elements (what drupal.py finds) as parsel selections (what the helpers take)."""
    return SelectorList(Selector(root=el) for el in elements)


def read_article(node: NodePage, url: str, era: str, *, fetched_url: str | None = None,
                 url_date: str | None = None) -> ArticlePage:
    """An article page read through Drupal's evidence (drupal.py). ``url`` is the page's
    canonical URL. Raises ParseError when the page has no Drupal body field, no title or no
    date: the fallback then takes over."""
    where = fetched_url or url
    body = node.body_element()
    if body is None:
        raise ParseError(f"no body field (content:encoded, field-name-body, …) on {where}")
    title = require(node.title(), "title", where)
    visible, structured = node.date()
    published_raw = require(visible or structured, "date", where)
    body_sel = selection([body])
    node.removed(drop_widgets(body_sel))
    files = (attachment(Selector(root=a), url, label) for a, label in node.file_links())
    return ArticlePage(
        url=url,
        node_id=node.node_id(classify(url).node_id),
        lang=language_of(url),
        era=era,
        title=title,
        published_raw=published_raw,
        body_html=require(inner_html(body_sel), "body", where),
        images=images(selection([*node.image_fields(), body]), url),
        attachments=[f for f in files if f],
        url_date=url_date,
        structured_date=structured,
        evidence=dict(node.evidence.sources),
        conflicts=list(node.evidence.conflicts),
    )


_ARTICLE_KINDS = (PageKind.NEWS_ARTICLE, PageKind.NODE, PageKind.SLUG)
_SITE_PREFIX = CANONICAL_ORIGIN + "/"


def _article_url(href: str, page_url: str) -> str | None:
    """The canonical URL of a link to an article page (a translation), else None.

    A link written as a site path (``/be``, ``/en/node/12``: a Drupal 7 language switcher's)
    resolves on a canonical page the same whatever the page's own path and query (urljoin
    keeps only the base's scheme and host for a path that starts with one slash), so it is
    resolved and classified once a process: the switcher in a live-weight page's header
    links the same three language front pages from every page, and resolving them was ~2 %
    of an article's parse + pipelines."""
    stripped = href.strip()
    if page_url.startswith(_SITE_PREFIX) and stripped.startswith("/") \
            and not stripped.startswith("//"):
        return _article_site_path(stripped)
    return _article_link(href, page_url)


@lru_cache(maxsize=1024)
def _article_site_path(path: str) -> str | None:
    return _article_link(path, _SITE_PREFIX)


def _article_link(href: str, base: str) -> str | None:
    url = canonical_url(href, base)
    return url if url is not None and classify(url).kind in _ARTICLE_KINDS else None


def read_translations(page: ArticlePage, node: NodePage, fetched_url: str) -> ArticlePage:
    """``page`` with its translations, translation key and whether it is a language fallback,
    from the page's own evidence (``fetched_url``: where it was fetched, canonical form).

    Evidence, in order: Drupal 8+ hreflang alternates (every translation of the node, its own
    language included: a language missing from them has no translation); else the Drupal 7
    language switcher (a link per translation, ``locale-untranslated`` for the rest). A page
    is a language fallback when the section it was fetched in (the URL prefix) has no
    translation, or when its canonical link names another language (Drupal 8+ ``toUrl()``
    gives the canonical link the language of the translation shown: EntityBase.php). With no
    evidence at all (the default replica, a site without content_translation) nothing is
    decided: ``lang`` stays the section, never a guess from the text.

    The key: Drupal 8+ translations share the node, so ``node/N``; a Drupal 7 translation set
    (i18n, one node per language) is known by its source node, ``tnid``, the first created
    and so the smallest node id of the set, read from its members' URLs (era B's
    ``/{lang}/news/DD-MM-YYYY-NID``, ``/{lang}/node/NID``). An article without translations is
    a set of one: ``node/N`` of its own node."""
    section = language_of(fetched_url)
    versions: dict[str, str] = {}
    untranslated: set[str] = set()
    source = None
    for lang, href in node.head.alternates.items():
        if (url := _article_url(href, page.url)) is not None:
            versions[lang] = url
    if versions:
        source = "hreflang"
        untranslated = set(LANGUAGES) - set(versions)
    else:
        switcher = node.language_switcher()
        for lang, href in switcher.linked.items():
            if (url := _article_url(href, page.url)) is not None:
                versions[lang] = url
        if versions:
            source = "language-switcher"
            untranslated = switcher.untranslated - set(versions)
    evidence = dict(page.evidence)
    if source is not None:
        evidence["translations"] = source
    node_ids = [page.node_id]
    if source == "language-switcher":
        node_ids += [classify(url).node_id for url in versions.values()]
    known = [n for n in node_ids if n is not None]
    return replace(
        page,
        translations=[{"lang": lang, "url": versions[lang]} for lang in LANGUAGES
                      if lang in versions and lang != page.lang],
        translation_key=f"node/{min(known)}" if known else None,
        language_fallback=section != page.lang or section in untranslated,
        evidence=evidence,
    )
