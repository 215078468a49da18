"""The `markdown` field: our lxml renderer against markdownify, the oracle, on every body of
three replicas, plus the rules on small snippets."""

from __future__ import annotations

import re

import lxml.html
import pytest
from lxml.etree import _Element
from markdownify import MarkdownConverter
from parsel import Selector

from mptcrawler.attribution import split_attribution
from mptcrawler.markdown import html_to_markdown
from mptcrawler.parsers import parse_article
from mptcrawler.replica import build_site
from mptcrawler.replica.server import route
from mptcrawler.text import SKIP_TAGS, is_markup_node, normalise_inline, parse_fragment
from mptcrawler.urls import canonical_url

_SOURCE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


class _Oracle(MarkdownConverter):  # type: ignore[misc]
    def convert_img(self, el: object, text: str, parent_tags: set[str]) -> str:
        return ""


def markdownify_reference(html: str, page_url: str) -> str:
    """What markdownify makes of a body with our options (the former production code)."""
    root: _Element = parse_fragment(html)
    for el in [e for e in root.iter() if is_markup_node(e) or e.tag in SKIP_TAGS]:
        el.drop_tree()
    for el in root.iter():
        if el.text:
            el.text = _SOURCE_BREAKS.sub(" ", el.text)
        if el.tail:
            el.tail = _SOURCE_BREAKS.sub(" ", el.tail)
        if el.tag == "a" and el.get("href"):
            el.set("href", canonical_url(el.get("href"), page_url) or el.get("href"))
    markdown = _Oracle(heading_style="ATX", bullets="-", autolinks=True,
                       newline_style="backslash").convert(lxml.html.tostring(root,
                                                                             encoding="unicode"))
    lines, after_break = [], False
    for line in markdown.split("\n"):
        body = line.lstrip(" ")
        indent = "" if after_break else " " * (len(line) - len(body))  # no indent after <br>
        lines.append(indent + normalise_inline(body) if body else "")
        after_break = line.endswith("\\")
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_markdown_as_markdownify_on_every_replica_body(seed: int) -> None:
    site = build_site(300, seed)
    mismatches = []
    for a in site.articles:
        page = parse_article(Selector(text=route(site, a.path)[2]), a.url)
        body = split_attribution(page.body_html, a.url).body_html
        if html_to_markdown(body, a.url) != markdownify_reference(body, a.url):
            mismatches.append(a.url)
    assert mismatches == []


@pytest.mark.parametrize("html", [
    '<p>Ссылка <a href="http://www.mpt.gov.by/ru/news">тут</a> и <strong>жирный</strong></p>'
    "<ul><li>a</li></ul><table><tr><th>h</th></tr><tr><td>1</td></tr></table>",
    '<p>Сайт: <a href="http://www.belta.by">http://www.belta.by</a></p>',
    "<p>раз\n   два</p><script>var x=1;</script><p>три<br>четыре</p>",
    "<h3>Заголовок</h3><blockquote><p>Цитата</p><p>ещё</p></blockquote>",
    "<ol start='3'><li>x<ul><li>y</li></ul></li><li>z</li></ol>",
    "<p>a_b *c* <em> d </em>e</p><p><b></b></p><hr><p>f</p>",
    '<p><a href="/ru/x" title="T">t</a> <img src="/a.jpg" alt="x"></p>',
    "голый <b>текст</b><p>абзац</p>хвост",
])
def test_snippets_match_markdownify(html: str) -> None:
    assert html_to_markdown(html, "https://mpt.gov.by/ru/x") == \
        markdownify_reference(html, "https://mpt.gov.by/ru/x")


def test_rules_on_snippets() -> None:
    md = html_to_markdown('<p>Ссылка <a href="http://www.mpt.gov.by/ru/news">тут</a> и '
                          "<strong>жирный</strong></p><ul><li>a</li></ul>"
                          "<table><tr><th>h</th></tr><tr><td>1</td></tr></table>",
                          "https://mpt.gov.by/ru/x")
    assert md == ("Ссылка [тут](https://mpt.gov.by/ru/news) и **жирный**\n\n- a\n\n"
                  "| h |\n| --- |\n| 1 |")
    assert html_to_markdown("<p>раз\n два<br>три</p>", "https://mpt.gov.by/x") == "раз два\\\nтри"
