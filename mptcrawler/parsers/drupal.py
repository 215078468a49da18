"""Evidence every Drupal rendering of a node page has, read in one place for all eras.

The live site's theme markup is unknown (``site.md``): Drupal 7 (eras A, B) and Drupal 8+ (era C)
core, their themes and common modules write the same facts in many ways. Each reader below
takes an ordered list of evidence, returns the first that is present with the name of its
source (counted in the crawl stats, so that a redesign shows up as a shift of sources before
anything is lost) and notes where two sources disagree. None of it keys on one theme's class.

Where each piece comes from (public Drupal sources; read, not copied):

- node id: ``data-history-node-id`` (D8+ ``history_node_view_alter``), ``<link rel="shortlink"
  href="/node/N">`` (D7 ``node_page_view``, D8+ entity ``shortlink`` link), the ``page-node-N``
  body class (D7 ``template_preprocess_html`` path suggestions), ``id="node-N"`` (D7
  ``node.tpl.php``), ``about="/node/N"`` (RDF), print/edit/shortlink-style node paths in the
  node's own links, ``data-drupal-link-system-path="node/N"`` (D8+ language links), the URL;
- the node element: ``div.node`` (D7 ``node.tpl.php``), ``article.node`` / ``<article>``
  (D8+ ``node.html.twig`` of Classy, Olivero, Stable), ``typeof="sioc:Item foaf:Document"``
  (D7 RDF), ``typeof="schema:Article"`` (D8 RDF);
- the date: a date field (``field-name-field-*date*`` in D7 ``field.tpl.php``,
  ``field--name-field-*date*`` in D8+ ``field.html.twig``), the Date module's
  ``span.date-display-single``, ``time`` (D8+ ``time.html.twig``), the submitted line
  (``div.submitted``, ``.node__submitted``, ``.node__meta``), RDF ``content`` attributes
  (``property="dc:date dc:created"``, ``schema:dateCreated``), metatag's
  ``article:published_time`` and JSON-LD ``datePublished``;
- the title: the page's ``h1`` outside the page chrome (``h1#page-title``, ``h1.page-title``,
  ``h1.page-header``, ``h1 > span.field--name-title``), RDF ``dc:title``/``schema:name``,
  ``og:title``, ``<title>``;
- the body: RDF ``content:encoded`` (D7) or ``schema:text`` (D8), ``field-name-body`` /
  ``field--name-body``, a text-with-summary field;
- files and images: ``field-type-file``/``field--type-file`` (and ``file``/``image`` field
  names), ``span.file a[type]`` (D7 ``theme_file_link``, D8 ``file-link.html.twig``).

Page chrome (header, footer, navigation, sidebars) is excluded as regions: HTML5 landmarks and
ARIA roles outside the node, and Drupal's region wrappers (``region-sidebar-first``,
``region--footer``, ``#sidebar-first``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.etree import _Element
from parsel import Selector

from ..dates import date_in_line
from ..text import inline_lines, normalise_inline
from ..urls import LANGUAGES

# --- regions -----------------------------------------------------------------------------------

_SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})
_CHROME_ROLES = frozenset({"banner", "navigation", "complementary", "contentinfo", "search"})
# Drupal's region and block wrappers of page chrome (D7 page.tpl.php, D8+ region.html.twig).
_CHROME_TOKENS = frozenset({"header", "footer", "navigation", "sidebar", "menu", "breadcrumb",
                            "site-header", "site-footer", "main-menu", "secondary-menu"})
_CHROME_PREFIXES = ("region-header", "region-footer", "region-sidebar", "region-navigation",
                    "region-primary-menu", "region-secondary-menu", "region-breadcrumb",
                    "region--header", "region--footer", "region--sidebar", "region--navigation",
                    "region--primary-menu", "region--secondary-menu", "region--breadcrumb",
                    "sidebar-first", "sidebar-second", "sidebar-left", "sidebar-right",
                    "layout-sidebar", "block-menu", "block-system-main-menu",
                    "block--system-menu", "block-locale", "block-language", "block--language")


def tokens(el: _Element, name: str = "class") -> list[str]:
    value = el.get(name)
    return value.split() if isinstance(value, str) else []


def _chrome_marked(el: _Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("html", "body"):
        return False  # D7 body classes say "one-sidebar sidebar-first" of the whole page
    if el.get("role") in _CHROME_ROLES or tag in ("nav", "aside"):
        return True
    if tag in ("header", "footer"):
        # A header or footer is page chrome only outside sectioning content (HTML-AAM: the
        # banner and contentinfo landmarks); Olivero's page title sits in a header in <main>.
        return not any(a.tag in _SECTIONING for a in _ancestors_or_self(el.getparent()))
    for word in [*tokens(el), *tokens(el, "id")]:
        word = word.lower()
        # Not every "sidebar" word: Olivero's "sidebar-grid" wraps <main> itself.
        if word in _CHROME_TOKENS or word.startswith(_CHROME_PREFIXES):
            return True
    return False


def is_node(el: _Element) -> bool:
    """A node element of any Drupal version (not a comment, not a block)."""
    if not isinstance(el.tag, str):
        return False
    classes = tokens(el)
    # Comments are articles too (D8 comment.html.twig: "js-comment", id "comment-N",
    # RDF typeof "schema:Comment"; D7: "comment").
    if ("comment" in classes or "js-comment" in classes
            or (el.get("id") or "").startswith("comment-")
            or "Comment" in (el.get("typeof") or "")):
        return False
    if el.get("data-history-node-id") is not None or "node" in classes:
        return True
    node_id = el.get("id") or ""
    if node_id.startswith("node-") and node_id[5:].isdigit():
        return True
    typeof = el.get("typeof") or ""
    return el.tag == "article" and (el.get("about") is not None or "schema:" in typeof
                                    or el.get("role") == "article")


def language_code(value: str | None) -> str | None:
    """``be``, ``be-BY`` → ``be``; a language the site does not have (``x-default``) → None."""
    code = (value or "").strip().lower().split("-")[0]
    return code if code in LANGUAGES else None


@dataclass
class SwitcherLinks:
    """What a Drupal 7 language switcher says of the node's translations: the URL written for
    each translated language, and the languages marked untranslated."""

    linked: dict[str, str] = field(default_factory=dict)
    untranslated: set[str] = field(default_factory=set)


class PageIndex:
    """Whole-page element lists, each found on first use by one tag-filtered walk inside lxml
    and kept for every later reader: only the elements of the tags asked for reach Python.
    The index this replaces brought every element of twelve tags to Python in one walk (the
    ~220 links of a live-weight page's menus among them) and sorted them by tag there, which
    cost more than the few C walks it saved."""

    def __init__(self, root: _Element) -> None:
        self.root = root
        self._found: dict[Any, list[_Element]] = {}
        self._first: dict[str, _Element | None] = {}

    def _cached(self, key: Any, find: Callable[[_Element], Iterable[Any]]) -> list[_Element]:
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = list(find(self.root))
        return found

    def tagged(self, tag: str) -> list[_Element]:
        return self._cached(tag, lambda root: root.iter(tag))

    def of(self, tags: tuple[str, ...]) -> list[_Element]:
        """The elements of any of ``tags``, in document order."""
        return self._cached(tags, lambda root: root.iter(*tags))

    def matching(self, find: Callable[[_Element], list[_Element]]) -> list[_Element]:
        """The elements ``find`` finds from the page's root (one walk), in document order."""
        return self._cached(find, find)

    def first(self, tag: str) -> _Element | None:
        if tag not in self._first:
            self._first[tag] = next(self.root.iter(tag), None)  # stops at the first
        return self._first[tag]

    def forget(self, removed: Iterable[_Element]) -> None:
        """Elements removed from the tree (with their subtrees) are no longer the page's: what
        was found before is filtered to what a fresh walk of the tree finds now (the tree
        only ever loses elements here: widgets dropped from the body)."""
        gone = {el for each in removed for el in each.iter()}
        if gone:
            self._found = {key: [el for el in found if el not in gone]
                           for key, found in self._found.items()}
            self._first = {tag: el for tag, el in self._first.items() if el not in gone}


_HEAD_TAGS = ("meta", "link", "title", "script")


def _node_candidates(root: _Element) -> list[_Element]:
    """A cheap test; is_node makes the exact one. A node is a div (D7 node.tpl.php:
    div#node-N.node), an article (D8+ node.html.twig, which carries data-history-node-id) or,
    in some themes, a section. (Each ``.tag`` read is a new string from lxml: the few articles
    are found by a walk of their own instead. lxml's XPath for the same test cost 8 times as
    much as this loop.)"""
    articles = set(root.iter("article"))
    return [el for el in root.iter("div", "article", "section")
            if el in articles or "node" in (el.get("class") or "")]


def _switcher_links(root: _Element) -> list[_Element]:
    # theme_links writes an <a>, or a <span> for a language without a link.
    return [el for el in root.iter("a", "span") if "language-link" in (el.get("class") or "")]


class HeadMetadata:
    """The page's ``meta`` and ``link`` elements, read once: ``meta`` by property, name or
    itemprop (metatag's ``og:title``, ``article:published_time``, the Generator), ``link`` by
    rel (``canonical``, ``shortlink``), the ``<title>``, and the hreflang alternates.

    ``alternates`` maps a language code to its URL as written: Drupal 8+ content_translation
    (``ContentTranslationHooks::pageAttachments``, earlier ``content_translation_page_attachments``
    in content_translation.module) writes ``<link rel="alternate" hreflang="be" href="…">`` for
    every translation of the node, its own language included; Drupal 7 core writes none."""

    def __init__(self, root: _Element | None, index: PageIndex | None = None) -> None:
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.alternates: dict[str, str] = {}
        self.title = ""
        self.json_ld: list[str] = []
        if root is None:
            return
        elements = (root.iter("meta", "link", "title", "script") if index is None else
                    index.of(_HEAD_TAGS))
        for el in elements:
            if el.tag == "meta":
                key = el.get("property") or el.get("name") or el.get("itemprop")
                if key and el.get("content") is not None:
                    self.meta.setdefault(key.strip().lower(), str(el.get("content")))
            elif el.tag == "link":
                rels = (el.get("rel") or "").lower().split()
                href = el.get("href")
                for rel in rels:
                    if href:
                        self.links.setdefault(rel, str(href))
                hreflang = language_code(el.get("hreflang"))
                if "alternate" in rels and href and hreflang:
                    self.alternates.setdefault(hreflang, str(href))
            elif el.tag == "title":
                self.title = self.title or (el.text or "")
            elif el.get("type") == "application/ld+json" and el.text:
                self.json_ld.append(el.text)


class PageRegions:
    """The nodes of a page, and which elements are page chrome: landmarks and regions outside
    any node. Chrome is decided per element asked about, from the top of the page down (an
    element is chrome when a chrome region encloses it before any node does)."""

    def __init__(self, root: _Element, index: PageIndex | None = None) -> None:
        self.root = root
        self.index = PageIndex(root) if index is None else index
        self.nodes: list[_Element] = [el for el in self.index.matching(_node_candidates)
                                      if is_node(el)]
        self._node_set = set(self.nodes)
        self._verdicts: dict[_Element, bool] = {}
        self._below: dict[_Element, bool] = {}

    def in_chrome(self, el: _Element) -> bool:
        known = self._verdicts.get(el)
        if known is not None:
            return known
        parent = el.getparent()
        if parent is not None and self.in_chrome(parent):
            verdict = True
        elif parent is not None and (parent in self._node_set or self._below_node(parent)):
            verdict = False
        else:
            verdict = el not in self._node_set and _chrome_marked(el)
        self._verdicts[el] = verdict
        return verdict

    def _below_node(self, el: _Element) -> bool:
        """Whether ``el`` is a node or inside one. Asked for every element on the way up from
        each element in_chrome is asked about: each answer is kept, so that the ancestors
        are walked once a page, not once an element."""
        path: list[_Element] = []
        current: _Element | None = el
        verdict = False
        while current is not None:
            known = self._below.get(current)
            if known is not None:
                verdict = known
                break
            if current in self._node_set:
                verdict = True
                break
            path.append(current)
            current = current.getparent()
        for each in path:
            self._below[each] = verdict
        if current is not None:
            self._below[current] = verdict
        return verdict



def _ancestors_or_self(el: _Element) -> Iterator[_Element]:
    current: _Element | None = el
    while current is not None:
        yield current
        current = current.getparent()


# --- what a reader found, and where -----------------------------------------------------------


@dataclass
class Evidence:
    """Where each field of a page came from, and what disagreed (counted in the stats)."""

    sources: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def use(self, name: str, source: str) -> None:
        self.sources[name] = source


def _first(candidates: Iterable[tuple[str, Any]]) -> tuple[str, Any] | tuple[None, None]:
    for source, value in candidates:
        if value not in (None, ""):
            return source, value
    return None, None


def element_text(el: _Element | None) -> str:
    """What a reader sees of an element, on one line (text.inline_lines): the lxml-level twin of
    common.visible_text, for the elements this module finds."""
    return "" if el is None else " ".join(inline_lines(el))


# --- the node ----------------------------------------------------------------------------------

_NODE_PATH = re.compile(r"(?:^|/)node/(\d+)(?:/|$|\?|#)")
# Print copies (print module, D7: /print/N; printable, D8: /node/N/printable/print) and the
# node's edit and revision links.
_OWN_NODE_LINK = re.compile(r"/(?:print/(\d+)$|node/(\d+)/(?:printable|edit|delete|revisions))")
_PAGE_NODE_CLASS = re.compile(r"^page-node-(\d+)$")
_TEASER = re.compile(r"teaser|view-mode-(?!full\b|default\b)")


def _node_path_id(href: str | None) -> int | None:
    if not href:
        return None
    m = _NODE_PATH.search(href.strip())
    return int(m.group(1)) if m else None


def element_node_id(el: _Element) -> tuple[str, int] | tuple[None, None]:
    nid = (el.get("data-history-node-id") or "").strip()
    if nid.isdigit():
        return "data-history-node-id", int(nid)
    element_id = el.get("id") or ""
    if element_id.startswith("node-") and element_id[5:].isdigit():
        return "node-id-attribute", int(element_id[5:])
    about = _node_path_id(el.get("about"))
    if about is not None:
        return "rdf-about", about
    return None, None


class NodePage:
    """A node page read through Drupal's evidence: :meth:`node_id`, :meth:`title`,
    :meth:`date`, :meth:`body`, :meth:`files`, :meth:`image_fields`."""

    def __init__(self, page: Selector, listed_date: str | None = None) -> None:
        self.page = page
        # The date a listing showed for the page (kept in the state for an article asked for
        # again): the last evidence of its date, after the page's own (site.md).
        self.listed_date = normalise_inline(listed_date or "") or None
        root = page.root
        self.root: _Element | None = root if isinstance(root, _Element) else None
        self.index = PageIndex(self.root) if self.root is not None else None
        self.regions = PageRegions(self.root, self.index) if self.root is not None else None
        self.evidence = Evidence()
        self.head = HeadMetadata(self.root, self.index)
        self.page_node_id = self._page_node_id()
        self.node = self._main_node()

    # The page-level node id, before the node element is chosen: it tells the main node from
    # teasers of other nodes on the same page.
    def _page_node_id(self) -> tuple[str, int] | tuple[None, None]:
        if self.root is None:
            return None, None
        nid = _node_path_id(self.head.links.get("shortlink"))
        if nid is not None:
            return "shortlink", nid
        body = self.index.first("body") if self.index is not None else None
        if body is not None:
            for word in tokens(body):
                if m := _PAGE_NODE_CLASS.match(word):
                    return "page-node-class", int(m.group(1))
        return None, None

    def _main_node(self) -> _Element | None:
        if self.regions is None:
            return None
        nodes = [n for n in self.regions.nodes if not self.regions.in_chrome(n)]
        outermost = [n for n in nodes
                     if not any(a in nodes for a in _ancestors_or_self(n.getparent())
                                if a is not None)] if nodes else []
        _, page_nid = self.page_node_id
        if page_nid is not None:
            for n in outermost:
                if element_node_id(n)[1] == page_nid:
                    return n
        full = [n for n in outermost if not any(_TEASER.search(c) for c in tokens(n))]
        return (full or outermost or [None])[0]

    @property
    def scope(self) -> _Element | None:
        """Where the node's fields are: the node element, else the main content region."""
        if self.node is not None:
            return self.node
        return None if self.root is None else main_region(self.root, self.index)

    def in_chrome(self, el: _Element) -> bool:
        return self.regions is not None and self.regions.in_chrome(el)

    def removed(self, elements: Iterable[_Element]) -> None:
        """``elements`` were dropped from the page (widgets in the body): later readers must
        not find them, as a fresh walk of the tree would not."""
        if self.index is not None:
            self.index.forget(elements)

    def drupal_version(self) -> int | None:
        """7 or 8 (8 and later): the Generator meta tag, else what the markup speaks for."""
        if m := re.search(r"Drupal (\d+)", self.head.meta.get("generator", "")):
            self.evidence.use("drupal_version", "generator")
            return min(int(m.group(1)), 8)
        hints = self._version_hints()
        if len(hints) == 1:
            self.evidence.use("drupal_version", "markup")
            return hints.pop()
        return None

    def _version_hints(self) -> set[int]:
        """Drupal major versions the node's markup speaks for: D7 field.tpl.php writes
        "field-name-body", D8+ field.html.twig "field--name-body"; D7 body classes
        "node-type-news", D8+ "node--type-news"; D8+ data-drupal-* attributes."""
        body = self.body_element()
        elements = [*self.outside_body(), *([] if body is None else body.iterancestors())]
        hints: set[int] = set()
        for el in elements:
            if el.get("data-history-node-id") or el.get("data-drupal-selector"):
                hints.add(8)
            classes = el.get("class") or ""
            if "--name-" in classes or "--type-" in classes:
                hints.add(8)
            if "field-name-" in classes or "field-type-" in classes or " node-type-" in (
                    " " + classes):
                hints.add(7)
        return hints

    # --- translations ----------------------------------------------------------------------

    def language_switcher(self) -> SwitcherLinks:
        """The Drupal 7 language switcher (locale's ``locale_block_view``, links from
        ``locale_language_switcher_url`` in includes/locale.inc, altered by the translation
        module's ``translation_language_switch_links_alter``): ``li.be > a.language-link
        [xml:lang=be]`` links a node's translation in that language; a language without one
        loses its href and gets ``locale-untranslated`` (rendered as a ``span`` by
        ``theme_links``). Drupal 8+'s language block (``LanguageBlock.php``) is not read: it
        links every language, translated or not (its links carry ``hreflang`` and
        ``data-drupal-link-system-path``); Drupal 8+ tells translations by hreflang alternates."""
        found = SwitcherLinks()
        if self.root is None:
            return found
        for el in self.index.matching(_switcher_links) if self.index else []:
            classes = tokens(el)
            if "language-link" not in classes or el.get("hreflang") is not None \
                    or el.get("data-drupal-link-system-path") is not None:
                continue
            item = el.getparent()
            item_classes = tokens(item) if item is not None and item.tag == "li" else []
            lang = language_code(el.get("xml:lang") or el.get("lang")) or next(
                (c for c in item_classes if c in LANGUAGES), None)
            if lang is None:
                continue
            href = el.get("href") if el.tag == "a" else None
            if "locale-untranslated" in classes or "locale-untranslated" in item_classes \
                    or not href:
                found.untranslated.add(lang)
            else:
                found.linked.setdefault(lang, str(href))
        return found

    # --- node id ---------------------------------------------------------------------------

    def node_id(self, url_node_id: int | None) -> int | None:
        candidates: list[tuple[str, int | None]] = []
        if self.node is not None:
            source, nid = element_node_id(self.node)
            if source is not None:
                candidates.append((source, nid))
        candidates.append(self.page_node_id)  # type: ignore[arg-type]
        if not any(source for source, _ in candidates):
            # Walks every link of the page: only when the node and the head say nothing.
            candidates.append(("node-link", self._node_link_id()))
        candidates.append(("url", url_node_id))
        found = [(s, n) for s, n in candidates if s is not None and n is not None]
        if not found:
            return None
        source, nid = found[0]
        self.evidence.use("node_id", source)
        others = {n for _, n in found if n != nid}
        if others:
            self.evidence.conflicts.append(
                f"node_id: {source} says {nid}, " + ", ".join(
                    f"{s} says {n}" for s, n in found if n != nid))
        return nid

    def _node_link_id(self) -> int | None:
        """A node path in the page's own links: D8+ language links carry
        ``data-drupal-link-system-path="node/N"``; print and edit links name the node. Menus
        link other nodes, so links in the page chrome do not count, and two ids are none."""
        if self.root is None:
            return None
        ids: set[int] = set()
        for a in self.index.tagged("a") if self.index is not None else []:
            system_path = a.get("data-drupal-link-system-path")
            if system_path and a.get("hreflang"):
                if (nid := _node_path_id(system_path)) is not None:
                    ids.add(nid)
            elif (m := _OWN_NODE_LINK.search(a.get("href") or "")) and not self.in_chrome(a):
                ids.add(int(m.group(1) or m.group(2)))
        return ids.pop() if len(ids) == 1 else None

    # --- title -----------------------------------------------------------------------------

    def title(self) -> str:
        source, value = _first(self._title_candidates())
        if source is None:
            return ""
        self.evidence.use("title", source)
        return str(value)

    def _title_candidates(self) -> Iterator[tuple[str, str]]:
        if self.root is not None:
            for h1 in self.index.tagged("h1") if self.index is not None else []:
                if not self.in_chrome(h1) and not _branding(h1):
                    yield "h1", normalise_inline(element_text(h1))
                    break
            scope = self.scope
            if scope is not None:
                for el in _WITH_PROPERTY(scope):
                    if {"dc:title", "schema:name"} & set(tokens(el, "property")):
                        yield "rdf-title", normalise_inline(el.get("content") or element_text(el))
        yield "og:title", normalise_inline(self.head.meta.get("og:title", ""))
        yield "html-title", _SITE_SUFFIX.sub("", normalise_inline(self.head.title))

    # --- date ------------------------------------------------------------------------------

    def date(self) -> tuple[str | None, str | None]:
        """(the date as the page shows it, a machine-readable ISO date or None).

        The machine-readable date is the shown date's own (``time[datetime]``, the RDF
        ``content`` of the element or of the submitted span around it) when it has one, else
        the page's first (RDF, metatag, JSON-LD)."""
        for kind, el, text in self._visible_dates():
            self.evidence.use("published", kind)
            own = _own_structured_date(el)
            if own is not None:
                self.evidence.use("structured_date", own[0])
                return text, own[1]
            source, structured = _first(self._structured_dates())
            if source is not None:
                self.evidence.use("structured_date", source)
            return text, structured
        source, structured = _first(self._structured_dates())
        if source is not None:
            self.evidence.use("published", source)
            self.evidence.use("structured_date", source)
        elif self.listed_date is not None:
            self.evidence.use("published", "listing")
            return self.listed_date, None
        return None, structured

    def _date_elements(self) -> Iterator[tuple[str, _Element]]:
        scope = self.scope
        for el in self.outside_body():
            classes = tokens(el)
            if any(_DATE_FIELD.match(c) for c in classes):
                yield "date-field", el
            elif "date-display-single" in classes:
                yield "date-display", el
            elif el.tag == "time":
                yield "time", el
            elif any(c in _SUBMITTED for c in classes) or (el.tag == "footer" and
                                                           el is not scope):
                # the node's own footer (Stable9 node.html.twig: "Submitted by … on …")
                yield "submitted", el

    def _visible_dates(self) -> Iterator[tuple[str, _Element, str]]:
        order = ("date-field", "date-display", "time", "submitted")
        found: dict[str, list[_Element]] = {}
        for kind, el in self._date_elements():
            found.setdefault(kind, []).append(el)
        for kind in order:
            for el in found.get(kind, []):
                if self.in_chrome(el):
                    continue
                item = _field_items(el)
                text = normalise_inline(element_text(el if item is None else item))
                located = date_in_line(text)
                if kind == "submitted" or (located and located != text.strip(" ,.")):
                    # a line with more than the date: "Submitted by admin on Tue, 04/26/2016"
                    text = located or ""
                if text:
                    yield kind, el, text

    def _structured_dates(self) -> Iterator[tuple[str, str | None]]:
        if self.scope is not None:
            for el in self.outside_body():
                if el.tag == "time" and el.get("datetime"):
                    yield "time-datetime", el.get("datetime")
                elif el.get("content") and set(tokens(el, "property")) & _RDF_DATES:
                    yield "rdf-date", el.get("content")
        for key in ("article:published_time", "datepublished", "dcterms.date",
                    "dcterms.created"):
            yield "meta", self.head.meta.get(key)
        yield "json-ld", _json_ld_date(self.head.json_ld)

    # --- body, files, images ---------------------------------------------------------------

    def body_element(self) -> _Element | None:
        if not hasattr(self, "_body"):
            self._body = self._find_body()
        return self._body

    def outside_body(self) -> list[_Element]:
        """The elements of the node (or main region) that are not in its body text, in
        document order: the body's dates and links are the article's text, not its metadata."""
        if not hasattr(self, "_outside"):
            scope, body = self.scope, self.body_element()
            inner = set(body.iter()) if body is not None else set()
            self._outside = [] if scope is None else [
                el for el in scope.iter() if isinstance(el.tag, str) and el not in inner]
        return self._outside

    def _find_body(self) -> _Element | None:
        scope = self.scope
        if scope is None:
            return None
        for source, xpath, attribute, wanted in _BODY_EVIDENCE:
            found = [el for el in xpath(scope)
                     if wanted & set(tokens(el, attribute)) and not self.in_chrome(el)]
            if found:
                self.evidence.use("body", source)
                item = _field_items(found[0])
                return found[0] if item is None else item
        return None

    def file_links(self) -> list[tuple[_Element, str]]:
        """Links of the node's files with the text beside each (a size label): the links of
        its file fields, else its links that carry a MIME ``type`` (``theme_file_link`` and
        ``file-link.html.twig`` always write one) outside the body."""
        scope = self.scope
        if scope is None:
            return []
        fields = [el for el in self.outside_body()
                  if _FILE_HINT.search(el.get("class") or "") and _is_file_field(el)]
        fields = [f for f in fields if not any(a in fields for a in f.iterancestors())]
        groups = [(f, [a for a in f.iter("a") if a.get("href")]) for f in fields]
        source = "file-field"
        if not fields:
            typed = [a for a in self.outside_body() if a.tag == "a" and a.get("href")
                     and "/" in (a.get("type") or "") and not self.in_chrome(a)]
            groups, source = [(scope, typed)], "typed-link"
        found: list[tuple[_Element, str]] = []
        for container, links in groups:
            for a in links:
                row = _item_of(a, container, links)
                label = element_text(row).replace(element_text(a), " ", 1)
                found.append((a, normalise_inline(label)))
        if found:
            self.evidence.use("attachments", source)
        return found

    def image_fields(self) -> list[_Element]:
        scope = self.scope
        if scope is None:
            return []
        fields = [el for el in self.outside_body()
                  if _IMAGE_HINT.search(f'{el.get("class") or ""} {el.get("property") or ""}')
                  and _is_image_field(el)]
        return [f for f in fields if not any(a in fields for a in f.iterancestors())]


# "<title>Заголовок | Министерство связи …</title>": Drupal's default head title pattern.
_SITE_SUFFIX = re.compile(r"\s*[|–—-]\s*(?:Министерство|Міністэрства|Ministry)\b.*$")


# Main content regions other than <main>, in order of preference: role="main" (Bartik 7), D7's
# #content / #block-system-main, D8's .layout-content and .region-content, a theme's #main.
# The page's divs (one walk, PageIndex), a cheap test, then the choice in _main_rank.
_MAIN_IDS = frozenset({"content", "main-content", "block-system-main", "main"})


def _main_candidate(el: _Element) -> bool:
    classes = el.get("class") or ""
    return (el.get("role") == "main" or el.get("id") in _MAIN_IDS or "layout-content" in classes
            or "region-content" in classes or "region--content" in classes)


def _main_rank(el: _Element) -> int | None:
    ident, classes = el.get("id"), tokens(el)
    for rank, matched in enumerate((
            el.get("role") == "main", ident == "content",
            ident == "main-content" and len(el) > 0, ident == "block-system-main",
            "layout-content" in classes, "region-content" in classes,
            "region--content" in classes, ident == "main")):
        if matched:
            return rank
    return None


def main_region(root: _Element, index: PageIndex | None = None) -> _Element | None:
    """The page's main content region: ``<main>`` (D8+ page.html.twig), ``role="main"``
    (Bartik 7), ``#content`` / ``#block-system-main`` (D7 themes), ``.layout-content`` and
    ``.region-content``; else the whole body."""
    index = PageIndex(root) if index is None else index
    main = index.first("main")
    if main is not None:
        return main
    ranked = [(rank, i, el) for i, el in enumerate(index.tagged("div"))
              if _main_candidate(el) and (rank := _main_rank(el)) is not None]
    if ranked:
        return min(ranked, key=lambda r: (r[0], r[1]))[2]
    return index.first("body")


def _own_structured_date(el: _Element) -> tuple[str, str] | None:
    """The machine-readable date of a shown date: on the element, inside it (a ``time`` in a
    date field) or on the span around it (D7 RDF wraps the submitted line)."""
    candidates = [*el.iter(), *el.iterancestors()]
    for candidate in candidates:
        if not isinstance(candidate.tag, str):
            continue
        if candidate.tag == "time" and candidate.get("datetime"):
            return "time-datetime", str(candidate.get("datetime"))
        if candidate.get("content") and set(tokens(candidate, "property")) & _RDF_DATES:
            return "rdf-date", str(candidate.get("content"))
        if is_node(candidate):
            break
    return None


def _inside(el: _Element, container: _Element) -> bool:
    return any(a is container for a in _ancestors_or_self(el))


def _branding(h1: _Element) -> bool:
    """The site's name in a heading (Bartik and Garland print it as an ``h1`` on some pages)."""
    for a in _ancestors_or_self(h1):
        words = {w.lower() for w in [*tokens(a), *tokens(a, "id")]}
        if words & {"site-name", "branding", "logo", "site-branding", "site-title", "brand"}:
            return True
    return any((a.get("rel") or "") == "home" for a in h1.iter("a"))


_DATE_FIELD = re.compile(r"^field-{1,2}name-{1,2}(?:field[-_][\w-]*date[\w-]*|created|post-date)$")
_SUBMITTED = frozenset({"submitted", "node__submitted", "node__meta", "node-meta",
                        "field--name-created", "meta"})
_RDF_DATES = frozenset({"dc:date", "dc:created", "dc:issued", "schema:dateCreated",
                        "schema:datePublished"})
_BODY_EVIDENCE = (  # (source, XPath prefilter, the exact attribute and its tokens)
    ("rdf-body", etree.XPath(".//*[contains(@property, 'content:encoded') or contains(@property, "
                             "'schema:text')]"), "property", {"content:encoded", "schema:text"}),
    ("body-field", etree.XPath(".//*[contains(@class, 'name-body')]"), "class",
     {"field-name-body", "field--name-body"}),
    ("text-with-summary", etree.XPath(".//*[contains(@class, 'type-text-with-summary')]"),
     "class", {"field-type-text-with-summary", "field--type-text-with-summary"}),
)
_WITH_PROPERTY = etree.XPath(".//*[@property]")


def _field_items(el: _Element) -> _Element | None:
    """The single item of a field wrapper (D7 ``.field-items > .field-item``, D8
    ``.field__items > .field__item``), or None when ``el`` is an item or not a field."""
    classes = tokens(el)
    if "field-item" in classes or "field__item" in classes:
        return None
    items = [d for d in el.iter() if d is not el and isinstance(d.tag, str)
             and {"field-item", "field__item"} & set(tokens(d))]
    return items[0] if len(items) == 1 else None


_FILE_HINT = re.compile("file|attachment|document")
_IMAGE_HINT = re.compile("image|photo")


def _is_file_field(el: _Element) -> bool:
    for c in tokens(el):
        if c in ("field-type-file", "field--type-file") or re.match(
                r"^field-{1,2}name-{1,2}field[-_](?:files?|attachments?|documents?)$", c):
            return True
    return False


def _is_image_field(el: _Element) -> bool:
    if {"schema:image", "og:image"} & set(tokens(el, "property")):
        return True  # RDF mapping of the image field (D7 og:image, D8 schema:image)
    return any(c in ("field-type-image", "field--type-image")
               or re.match(r"^field-{1,2}name-{1,2}field[-_](?:image|images|photo|photos)$", c)
               for c in tokens(el))


def _item_of(link: _Element, container: _Element, links: list[_Element]) -> _Element:
    """The row of one file: its field item, table row or list item, else its widest ancestor
    that holds no other file link (a classless Stable9 item)."""
    row = link
    for a in link.iterancestors():
        if a is container:
            break
        if a.tag in ("tr", "li") or {"field-item", "field__item"} & set(tokens(a)):
            return a
        if any(other is not link and _inside(other, a) for other in links):
            break
        row = a
    return row


def _json_ld_date(blocks: list[str]) -> str | None:
    for block in blocks:
        try:
            data: Any = json.loads(block)
        except ValueError:
            continue
        nodes = data if isinstance(data, list) else data.get("@graph", [data]) \
            if isinstance(data, dict) else []
        for node in nodes:
            if isinstance(node, dict) and isinstance(node.get("datePublished"), str):
                return str(node["datePublished"])
    return None
