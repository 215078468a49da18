"""Markup stripping: an article body's HTML → what a reader sees, as plain text (the Markdown
form is mptcrawler/markdown.py, which walks the same way).

Plain text rules (the item's ``text`` field):
- blocks (paragraphs, headings, quotes, divs) are separated by one blank line, also inside an
  inline element (``<span><p>…</p><p>…</p></span>``, a card link around a heading);
- one-line texts (list items, table cells, and the titles, captions and link texts the parsers
  read with :func:`inline_lines`) put a space where a block begins or ends: two blocks' texts
  never run into one word;
- ``<br>`` is a line break inside its paragraph;
- list items are one line each, ``- item`` or ``1. item``; nested lists are indented by two spaces;
- table rows are one line each, cells joined by `` | ``;
- scripts, styles, comments and image-only paragraphs leave nothing;
- runs of white space (including no-break spaces) become one space; soft hyphens and zero-width
  characters are removed; every other character is kept as written.

html-text and trafilatura were measured and rejected here: neither writes lists and tables in
this shape, and trafilatura kept the header contacts block of every page (``shared/notes.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml.etree import _Comment, _Element, _ProcessingInstruction

BREAK = "\x00"  # stands for <br> while text is gathered; lxml never yields NUL in text
# Stands for where an element of LINE_TAGS inside an inline run begins or ends. Not NUL: in a
# body it separates paragraphs, where <br> separates lines, and in Markdown side-by-side edges
# are one line break where <br><br> is two. A lone surrogate, which lxml's text (decoded from
# UTF-8) never holds: a &#xD800; reference comes out as U+FFFD. (lxml does yield \x01.)
LINE = "\ud800"
# Stands for where a link begins, in lines gathered with ``links=True`` (an attribution's lines:
# which line holds which link). Another lone surrogate, for the same reason as LINE.
LINK = "\udbff"
# Soft hyphen, zero-width space/joiners, word joiner, BOM. A regex, not str.translate: on
# Cyrillic text translate looks up every character (13 µs against 0.65 µs for a 200-character
# line), and it ran ~50 times per article.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u2007\u202f]+")
# figcaption: a caption is the image's (the item's `images`), not the article's text.
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "form",
                   "button", "input", "select", "textarea", "figcaption"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "header", "footer", "aside", "main",
                    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
                    "pre", "figure", "figcaption", "address", "hr", "center", "nav"})
# Elements a browser lays out on lines of their own. Met inside an inline run (a Drupal card link
# `<a><h3>Заголовок</h3><p>Текст</p></a>`, a field's `<div class="field__item">` inside a
# heading, D7 theme_field's item divs written with no white space between them), each begins
# and ends a line: their texts must not run into one word. Besides the blocks, the parts of
# lists, tables and definition lists, which take their own line or cell.
LINE_TAGS = BLOCK_TAGS | frozenset({"li", "dt", "dd", "tr", "td", "th", "caption", "details",
                                    "summary", "fieldset", "legend", "hgroup", "menu"})


def normalise_inline(text: str) -> str:
    """One line as a reader sees it: spaces folded, invisible characters removed."""
    if not text.isprintable():
        text = _common_unprintables(text)
        if not text.isprintable():
            return _SPACES.sub(" ", INVISIBLE.sub("", text)).strip()
    # No character of INVISIBLE (format characters) and no white space but U+0020 (all others
    # are separators or controls, which str.isprintable refuses; a test checks every code
    # point): nothing to remove, and folding is splitting at spaces. The regexes cost ~10 times
    # as much per character.
    return text.strip() if "  " not in text else " ".join(text.split())


def _common_unprintables(text: str) -> str:
    """``text`` with the source's line breaks and no-break spaces as spaces and without soft
    hyphens: what makes most unprintable lines of a body so (all of them on replica pages).
    Replacing a character of a regex's class by another of it, and removing one the regex
    removes anyway, changes nothing the regexes make of it."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if "\u00ad" in text:
        text = text.replace("\u00ad", "")
    return text


# lxml.html's own parser, without its element classes: HtmlElement's class lookup is a Python
# callback on every element that reaches Python, and the body is parsed three times an item
# (attribution, text, Markdown). Nothing here uses HtmlElement methods (see :func:`drop`).
_FRAGMENT_PARSER = etree.HTMLParser()
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)  # lxml.html's test


def parse_fragment(html: str) -> _Element:
    """An HTML fragment (a body's inner HTML) as one ``<div>`` element: the tree of
    ``lxml.html.fragment_fromstring(html, create_parent="div")``, step for step."""
    html = html or ""
    if not _FULL_HTML.match(html):
        html = f"<html><body>{html}</body></html>"
    doc = etree.fromstring(html, _FRAGMENT_PARSER)
    if doc is None:
        raise etree.ParserError("Document is empty")
    bodies = [e for e in doc if e.tag == "body"]
    if len(bodies) != 1:  # lxml.html asserts this
        raise AssertionError(f"too many bodies: {bodies!r} in {html!r}")
    # The parsed <body> itself becomes the <div>, not a new element given its children (as
    # lxml.html does): lxml's parser keeps the C0 controls a page may hold (U+000B, Word's line
    # break; U+000C; U+001B) but its API refuses them in text it is given (ValueError), and a
    # new element's serialisation dropped them, gluing "Текст\x0bещё" into one word.
    root = bodies[0]
    doc.remove(root)
    root.tag = "div"
    root.attrib.clear()
    root.tail = None
    if root.text and not root.text.strip():  # whitespace alone before the first element
        root.text = None
    return root


def drop(el: _Element) -> None:
    """Remove ``el`` and its subtree, keeping its tail text in place (what
    ``HtmlElement.drop_tree`` does, for plain lxml elements)."""
    parent = el.getparent()
    if parent is None:
        return  # already dropped: a widget inside another widget
    if el.tail:
        previous = el.getprevious()
        before = previous.tail if previous is not None else parent.text
        if not settable(el.tail) or (before and not settable(before)):
            # A C0 control in the text (see parse_fragment): emptied, the element's tag is
            # stripped by lxml itself, which merges its tail into the text before it without
            # taking it through Python. (strip_elements with_tail=False lost that text.)
            el.clear(keep_tail=True)
            el.tag = _DROPPED
            etree.strip_tags(parent, _DROPPED)
            return
        if previous is not None:
            previous.tail = (before or "") + el.tail
        else:
            parent.text = (before or "") + el.tail
    parent.remove(el)


_DROPPED = "mptcrawler-dropped"
# What lxml refuses to be given as text (ValueError) though its parser keeps it in a page's text:
# the C0 controls but tab, line feed and carriage return (U+000D comes out as U+000A), U+FFFE,
# U+FFFF. The refusal comes after the old text is removed: asked first, never caught after.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def settable(text: str) -> bool:
    """Whether lxml takes ``text`` as an element's text or tail."""
    return _REFUSED.search(text) is None


def is_markup_node(node: object) -> bool:
    return isinstance(node, _Comment | _ProcessingInstruction)


def inline_lines(el: _Element, links: bool = False) -> list[str]:
    """The text of an inline run, split at ``<br>`` and where an element of ``LINE_TAGS``
    inside it begins or ends (``el``'s own tag does not count: a ``<p>`` is read as one run).
    ``links``: ``LINK`` marks where each ``<a>`` inside it begins."""
    parts: list[str] = []
    _gather(el, el, parts, links)
    return _lines(parts)


def _lines(parts: list[str]) -> list[str]:
    text = "".join(parts)
    if LINE in parts:  # (always a part of its own: the list's items are searched, not the
        text = text.replace(LINE, BREAK)  # text's characters, which cost +1 % of the parse)
    return [line for line in (normalise_inline(x) for x in text.split(BREAK)) if line]


def _split(text: str) -> list[str]:
    return [line for line in (normalise_inline(x) for x in text.split(BREAK)) if line]


def _gather(node: _Element, top: _Element, parts: list[str], links: bool = False) -> None:
    # A module function, not a closure that calls itself: such a closure is a reference cycle
    # (function -> cell -> function) that held each page's whole lxml tree, through ``top``,
    # until the garbage collector's next pass (6 cyclic objects a call, ~30 a page).
    if node is not top:
        if is_markup_node(node) or node.tag in SKIP_TAGS:
            return
        if node.tag in LINE_TAGS:
            # a line break, not a space: a caller wanting one line joins the lines with a
            # space, one reading lines (an attribution's) gets the lines a reader sees, and
            # a body's paragraph (_paragraph) ends there, as a block does at the top level.
            # Gathered as its own top: its tag is checked once.
            parts.append(LINE)
            _gather(node, node, parts, links)
            parts.append(LINE)
            return
        if links and node.tag == "a":
            parts.append(LINK)
    if node.tag == "br":
        parts.append(BREAK)
    elif node.text:
        parts.append(node.text)
    if node.tag != "br":
        for child in node:
            _gather(child, top, parts, links)
            if child.tail:
                parts.append(child.tail)


def _list_lines(el: _Element, depth: int = 0) -> list[str]:
    lines: list[str] = []
    number = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
    for li in el:
        if is_markup_node(li) or li.tag != "li":
            continue
        nested = [child for child in li if not is_markup_node(child) and child.tag in ("ul", "ol")]
        for child in nested:
            li.remove(child)  # rendered below, after the item's own line
        marker = f"{number}. " if el.tag == "ol" else "- "
        number += 1
        own = " ".join(inline_lines(li))
        if own:
            lines.append("  " * depth + marker + own)
        for child in nested:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _table_lines(el: _Element) -> list[str]:
    lines = []
    for row in el.iter("tr"):
        cells = [" ".join(inline_lines(cell)) for cell in row if cell.tag in ("td", "th")]
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _blocks(container: _Element) -> Iterator[str]:
    """Blocks of text in document order; inline runs between blocks form paragraphs.

    A run's text is gathered as it goes, in the order of a walk of the run: the text, each
    inline child's text and its tail. (Moving the children into a ``span`` of their own
    document and walking that cost a new lxml document a run and a re-homing of every moved
    subtree, ~a tenth of the text step, for the same parts.)"""
    parts: list[str] = []
    if container.text:
        parts.append(container.text)
    for child in container:
        if is_markup_node(child) or child.tag in SKIP_TAGS:
            pass
        elif child.tag in BLOCK_TAGS:
            if parts:
                yield from _paragraph(parts)
                parts = []
            yield from _block(child)
        else:
            _gather(child, container, parts)
        if child.tail:
            parts.append(child.tail)
    if parts:
        yield from _paragraph(parts)


def _paragraph(parts: list[str]) -> Iterator[str]:
    """An inline run as paragraphs: one, unless blocks inside it (``<span><p>…</p><p>…</p>
    </span>``, as text pasted from a word processor comes) make more."""
    text = "".join(parts)
    for paragraph in text.split(LINE) if LINE in parts else (text,):
        lines = _split(paragraph)
        if lines:
            yield "\n".join(lines)


def _block(el: _Element) -> Iterator[str]:
    if el.tag in ("ul", "ol"):
        lines = _list_lines(el)
    elif el.tag == "table":
        lines = _table_lines(el)
    elif el.tag == "hr":
        lines = []
    elif any(not is_markup_node(c) and c.tag in BLOCK_TAGS for c in el):
        yield from _blocks(el)
        return
    else:
        parts: list[str] = []
        _gather(el, el, parts)
        if LINE in parts:
            yield from _paragraph(parts)
            return
        lines = _lines(parts)
    if lines:
        yield "\n".join(lines)


def html_to_text(html: str) -> str:
    """The plain text of a body fragment (see the module's rules)."""
    return "\n\n".join(_blocks(parse_fragment(html)))
