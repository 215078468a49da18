"""The ``markdown`` field: a body's HTML as Markdown, in markdownify's dialect.

markdownify (through BeautifulSoup) cost ~0.9 ms per replica body, a third of the whole
parse-and-pipelines path (bench/parse_benchmark.py). This renders the same Markdown from the
lxml tree the text module already uses, at a fraction of the cost; markdownify stays as the test
oracle: tests/test_markdown.py requires byte-identical output on every replica body.

Rules (markdownify's, with our options: ATX headings, ``-`` bullets, autolinks, backslash line
breaks): paragraphs separated by a blank line; ``**strong**``, ``*em*``; ``[text](url)`` or
``<url>`` when the text is the URL; ``### heading``; ``> quote``; lists with nested items
indented by their parent's marker width; tables with a ``| --- |`` rule under the first row;
``*`` and ``_`` escaped; images, scripts and captions dropped. Blocks inside an inline element
are paragraphs of their own, or hard breaks inside a link or emphasis (text.inline_lines' rule;
markdownify writes a blank line inside the link's brackets there, which ends the link).
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from .text import (
    BLOCK_TAGS,
    BREAK,
    INVISIBLE,
    LINE,
    LINE_TAGS,
    SKIP_TAGS,
    _common_unprintables,
    is_markup_node,
    normalise_inline,
    parse_fragment,
)
from .urls import canonical_url

# markdownify's white space (no-break and narrow spaces are folded later, per line, as in text)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_ESCAPE = re.compile(r"([*_])")
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_HEADINGS = {f"h{n}": "#" * n for n in range(1, 7)}
# A run of block edges (text.LINE: a line break, but one that merges with its neighbours, as
# a <br> before a block does), with the breaks and spaces around them: one line break, or as
# many as the <br>s among them.
_LINE_RUN = re.compile(f"[ {BREAK}]*{LINE}[ {BREAK}{LINE}]*")


class _Markdown:
    def __init__(self, page_url: str) -> None:
        self.page_url = page_url
        # Whether a block inside an inline run has been met: until then no string is searched
        # for LINE (those scans of every paragraph cost +1 % of the parse path).
        self.lined = False

    # --- inline --------------------------------------------------------------------------

    def text(self, value: str | None) -> str:
        if not value:
            return ""
        # A printable value has no invisible character, no no-break space and no white space
        # but U+0020 (text.normalise_inline): at most runs of spaces to fold. Most text nodes
        # of replica bodies are, once their line breaks, no-break spaces and soft hyphens are
        # dealt with as the regexes would; and most have nothing to escape.
        if not value.isprintable():
            value = _common_unprintables(value)
        if not value.isprintable() or "  " in value:
            value = _SPACES.sub(" ", INVISIBLE.sub("", value).replace("\u00a0", " "))
        if "*" in value or "_" in value:
            value = _ESCAPE.sub(r"\\\1", value)
        return value

    def inline(self, el: _Element) -> str:
        """The inline Markdown of ``el``'s content (``BREAK`` marks hard line breaks)."""
        parts = [self.text(el.text)]
        for child in el:
            if not is_markup_node(child) and child.tag not in SKIP_TAGS:
                if child.tag in LINE_TAGS:
                    self.lined = True
                    # a block inside an inline run (a card link around a heading and a
                    # teaser) is lines of its own, as in text.inline_lines: a hard break on
                    # either side, or its words run into its neighbours'
                    parts.extend((LINE, self.inline_element(child), LINE))
                else:
                    parts.append(self.inline_element(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    def inline_element(self, el: _Element) -> str:
        tag = el.tag
        if tag == "br":
            return BREAK
        if tag == "img":
            return ""
        inner = self.inline(el)
        if tag in _EMPHASIS:
            return self.wrap(inner, _EMPHASIS[tag], self.lined)
        if tag == "a":
            return self.link(el, inner)
        return inner

    @staticmethod
    def wrap(inner: str, marker: str, lined: bool = False) -> str:
        """``<b> x </b>`` → `` **x** ``: the spaces go outside the markers."""
        lead, core, trail = _edges(inner, lined)
        if not core:
            return inner
        return f"{lead}{marker}{core}{marker}{trail}"

    def link(self, el: _Element, inner: str) -> str:
        href = el.get("href")
        if not href:
            return inner
        href = canonical_url(href, self.page_url) or href
        lead, core, trail = _edges(inner, self.lined)
        if core.replace(r"\_", "_").replace(r"\*", "*") == href:
            return f"{lead}<{href}>{trail}"
        title = el.get("title")
        title_part = f' "{title}"' if title else ""
        return f"{lead}[{core}]({href}{title_part}){trail}"

    def lines(self, el: _Element) -> list[str]:
        return _trimmed(self.inline(el), self.lined)

    def paragraphs(self, el: _Element) -> list[str]:
        return _paragraphs(self.inline(el), self.lined)

    # --- blocks ------------------------------------------------------------------------

    def blocks(self, container: _Element) -> list[str]:
        out: list[str] = []
        run: list[_Element | str] = [container.text or ""]
        for child in container:
            if is_markup_node(child) or child.tag in SKIP_TAGS:
                run.append(child.tail or "")
                continue
            if child.tag in BLOCK_TAGS:
                out.extend(self.flush(run))
                run = [child.tail or ""]
                out.extend(self.block(child))
            else:
                run.extend([child, child.tail or ""])
        out.extend(self.flush(run))
        return [b for b in out if b]

    def flush(self, run: list[_Element | str]) -> list[str]:
        parts = [self.text(x) if isinstance(x, str) else self.inline_element(x) for x in run]
        return _paragraphs("".join(parts), self.lined)

    def block(self, el: _Element) -> list[str]:
        tag = el.tag
        if tag in ("ul", "ol"):
            return ["\n".join(self.list_lines(el, 0))]
        if tag == "table":
            return ["\n".join(self.table_lines(el))]
        if tag == "hr":
            return ["---"]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(el))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag in _HEADINGS:
            text = " ".join(self.lines(el))
            return [f"{_HEADINGS[tag]} {text}"] if text else []
        if any(not is_markup_node(c) and c.tag in BLOCK_TAGS for c in el):
            return self.blocks(el)
        return self.paragraphs(el)

    def list_lines(self, el: _Element, indent: int) -> list[str]:
        lines: list[str] = []
        number = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
        for li in el:
            if is_markup_node(li) or li.tag != "li":
                continue
            marker = f"{number}. " if el.tag == "ol" else "- "
            number += 1
            nested = [c for c in li if not is_markup_node(c) and c.tag in ("ul", "ol")]
            for child in nested:
                li.remove(child)
            lines.append(" " * indent + marker + " ".join(self.lines(li)))
            for child in nested:
                lines.extend(self.list_lines(child, indent + len(marker)))
        return lines

    def table_lines(self, el: _Element) -> list[str]:
        rows = []
        for row in el.iter("tr"):
            cells = [" ".join(self.lines(c)) for c in row if c.tag in ("td", "th")]
            rows.append("| " + " | ".join(cells) + " |")
        if rows:
            width = rows[0].count(" | ") + 1
            rows.insert(1, "| " + " | ".join(["---"] * width) + " |")
        return rows


def _edges(inner: str, lined: bool) -> tuple[str, str, str]:
    """``inner`` as (what goes before a marker, the marked text, what goes after): the spaces
    at its ends go outside the markers as one space; with a block inside, its line breaks at
    the ends go outside too (a card link's text opens with its heading's line break: the
    link's bracket must not sit alone on a line), and then a break wins over a space."""
    core = inner.strip()
    if not lined or LINE not in inner:
        return " " if inner.startswith(" ") else "", core, " " if inner.endswith(" ") else ""
    core = inner.strip(f" {BREAK}{LINE}")
    head, _, _ = inner.partition(core) if core else (inner, "", "")
    # Inside the markers a block's edges are hard breaks: a blank line would end the paragraph
    # in the middle of the link (markdownify writes one, and its link is lost).
    return _edge(head), _LINE_RUN.sub(_breaks, core), _edge(inner[len(head) + len(core):])


def _edge(white: str) -> str:
    """Spaces, ``<br>`` breaks and block edges: the breaks and edges as they are (_trimmed
    merges them), else one space if there was any."""
    marks = white.replace(" ", "")
    return marks or (" " if white else "")


def _breaks(edges: re.Match[str]) -> str:
    return BREAK * max(1, edges.group().count(BREAK))


def _paragraphs(inline: str, lined: bool) -> list[str]:
    """An inline run as paragraphs: one, unless blocks inside it (``<span><p>…</p><p>…</p>
    </span>``) make more, as in text._paragraph."""
    found = ("\\\n".join(_trimmed(x, False)) for x in (
        _LINE_RUN.split(inline) if lined and LINE in inline else (inline,)))
    return [x for x in found if x]


def _trimmed(inline: str, lined: bool) -> list[str]:
    """The lines of inline Markdown (split at ``BREAK``), without empty lines at either end: no
    hard break opens or closes a paragraph."""
    if lined and LINE in inline:
        inline = _LINE_RUN.sub(_breaks, inline)
    out = [normalise_inline(line) for line in inline.split(BREAK)]
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


def html_to_markdown(html: str, page_url: str) -> str:
    """The body as Markdown: links (canonical for site hosts), emphasis, lists, tables."""
    return "\n\n".join(_Markdown(page_url).blocks(parse_fragment(html)))
