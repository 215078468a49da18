"""parsers/drupal.py read directly: each rule of the shared Drupal evidence on small pages.

The snippets follow real Drupal markup (D7 ``node.tpl.php``, ``field.tpl.php``, ``page.tpl.php``,
``html.tpl.php``, the RDF, Date, print and locale modules; D8+ ``node.html.twig``,
``field.html.twig``, ``time.html.twig``, ``page.html.twig`` of Classy, Olivero and Stable9,
content_translation's hreflang links, metatag), cut down to what each rule reads. Both sides of
each rule are pinned: the evidence taken and the look-alike refused, and which source the
evidence counters name. Expected values are written by hand.
"""

from __future__ import annotations

import pytest
from lxml.etree import _Element

from mptcrawler.parsers import parse_html
from mptcrawler.parsers.drupal import (
    HeadMetadata,
    NodePage,
    PageIndex,
    PageRegions,
    _ancestors_or_self,
    _branding,
    _chrome_marked,
    _field_items,
    _first,
    _inside,
    _is_file_field,
    _is_image_field,
    _item_of,
    _json_ld_date,
    _own_structured_date,
    element_node_id,
    element_text,
    is_node,
    language_code,
    main_region,
    tokens,
)


def root_of(html: str) -> _Element:
    root = parse_html(html).root
    assert isinstance(root, _Element)
    return root


def one(html: str, xpath: str = "//*[@id='x']") -> _Element:
    found = root_of(html).xpath(xpath)
    assert isinstance(found, list) and len(found) == 1
    el = found[0]
    assert isinstance(el, _Element)
    return el


def node_page(html: str, listed_date: str | None = None) -> NodePage:
    return NodePage(parse_html(html), listed_date)


def ident(el: _Element | None) -> str | None:
    """How a test names the element a reader chose: its ``id``."""
    return None if el is None else el.get("id")


# --- small helpers -----------------------------------------------------------------------------


def test_tokens_split_an_attribute_and_a_missing_one_is_none() -> None:
    el = one('<div id="x" class=" node  node-news clearfix">t</div>')
    assert tokens(el) == ["node", "node-news", "clearfix"]
    assert tokens(el, "id") == ["x"]
    assert tokens(el, "about") == []


@pytest.mark.parametrize(("value", "code"), [
    ("be", "be"), ("ru", "ru"), ("en", "en"), ("be-BY", "be"), (" RU ", "ru"), ("en-GB", "en"),
    ("x-default", None), ("de", None), ("", None), (None, None), ("by", None),
])
def test_language_code_keeps_only_the_site_languages(value: str | None,
                                                     code: str | None) -> None:
    assert language_code(value) == code


def test_element_text_is_one_line_of_what_a_reader_sees() -> None:
    el = one('<div id="x">Опубликовано<br><b>26 апреля</b>  2016<script>x()</script></div>')
    assert element_text(el) == "Опубликовано 26 апреля 2016"
    assert element_text(None) == ""


def test_element_text_separates_the_divs_of_a_d7_field() -> None:
    # D7 theme_field (modules/field/field.module) writes the label and every item as divs
    # with no white space between them: "Даты:&nbsp;" then two items.
    el = one('<div id="x" class="field field-name-field-date"><div class="field-label">'
             'Даты:&nbsp;</div><div class="field-items"><div class="field-item even">'
             '15.03.2019</div><div class="field-item odd">16.03.2019</div></div></div>')
    assert element_text(el) == "Даты: 15.03.2019 16.03.2019"


def test_ancestors_or_self_go_from_the_element_to_the_root() -> None:
    el = one('<div id="a"><p id="x">t</p></div>')
    assert [a.tag for a in _ancestors_or_self(el)] == ["p", "div", "body", "html"]
    outer = el.getparent()
    assert outer is not None
    assert _inside(el, outer) and _inside(el, el)
    assert not _inside(outer, el)


def test_first_skips_missing_and_empty_values() -> None:
    assert _first([("a", None), ("b", ""), ("c", "x"), ("d", "y")]) == ("c", "x")
    assert _first([("a", None), ("b", "")]) == (None, None)
    assert _first([]) == (None, None)


# --- what a node element is ----------------------------------------------------------------------


@pytest.mark.parametrize("html", [
    '<div id="x" class="node node-news node-promoted clearfix">t</div>',  # D7 node.tpl.php
    '<div id="node-41">t</div>',  # only the D7 id
    '<div id="node-4">t</div>',
    '<article id="x" data-history-node-id="41">t</article>',  # D8+ history module
    '<article id="x" about="/ru/node/41">t</article>',  # D8 RDF
    '<article id="x" typeof="schema:Article">t</article>',
    '<article id="x" role="article">t</article>',  # D8 node.html.twig up to 10.0
    '<section id="x" class="node">t</section>',
])
def test_a_node_element_of_any_drupal_version(html: str) -> None:
    el = one(html, "//body/*")
    assert is_node(el)


@pytest.mark.parametrize("html", [
    # comments are articles too; each marker alone refuses an element that is else a node
    '<article class="comment" role="article">t</article>',  # D7 comment.tpl.php
    '<article class="js-comment" role="article">t</article>',  # D8 comment.html.twig
    '<article id="comment-7" role="article">t</article>',
    '<article typeof="schema:Comment" role="article">t</article>',
    '<div class="node comment">t</div>',
    '<article class="js-comment" data-history-node-id="41">t</article>',
    '<div id="node-41a">t</div>', '<div id="node-">t</div>', '<div id="nodes-41">t</div>',
    '<div id="node-x1">t</div>',
    "<article>t</article>", '<div about="/node/41">t</div>', '<div role="article">t</div>',
    '<div typeof="schema:Article">t</div>', '<article typeof="sioc:Item foaf:Document">t</article>',
    '<div class="nodes node-list">t</div>',
])
def test_not_a_node_element(html: str) -> None:
    assert not is_node(one(html, "//body/*"))


def test_a_comment_in_the_markup_is_not_a_node() -> None:
    comment = one('<div id="x"><!-- node --></div>').xpath("comment()")[0]
    assert not is_node(comment)


# --- page chrome ---------------------------------------------------------------------------------


@pytest.mark.parametrize("html", [
    '<div id="x" role="banner">t</div>', '<div id="x" role="navigation">t</div>',
    '<div id="x" role="complementary">t</div>', '<div id="x" role="contentinfo">t</div>',
    '<div id="x" role="search">t</div>', '<nav id="x">t</nav>', '<aside id="x">t</aside>',
    '<header id="x">t</header>', '<footer id="x">t</footer>',
    '<div id="x" class="block Sidebar">t</div>',  # words compared lower-cased
    '<div id="x" class="region region-sidebar-first">t</div>',  # D7 page.tpl.php
    '<div id="x" class="region region--footer">t</div>',  # D8+ region.html.twig
    '<div id="sidebar-first">t</div>', '<div id="x" class="column"><p id="Footer">t</p></div>',
])
def test_chrome_is_marked_by_landmarks_roles_and_regions(html: str) -> None:
    assert _chrome_marked(one(html, "//body//*[not(*)]"))  # the innermost element


@pytest.mark.parametrize("html", [
    '<div id="x" class="region region-content">t</div>',
    '<div id="x" class="sidebar-grid grid-full">t</div>',  # Olivero wraps <main> in it
    '<div id="x" role="main">t</div>', '<div id="x" role="article">t</div>',
    '<article><header id="x">t</header></article>',  # Olivero's title header in sectioning
    '<main><div><footer id="x">t</footer></div></main>',
    '<section><header id="x">t</header></section>',
    '<aside><footer id="x">t</footer></aside>', '<nav><header id="x">t</header></nav>',
    '<div id="x">t</div>', '<p id="x" class="">t</p>',
])
def test_not_chrome(html: str) -> None:
    assert not _chrome_marked(one(html))


def test_html_and_body_are_never_chrome_whatever_their_classes() -> None:
    root = root_of('<html class="sidebar"><body class="one-sidebar sidebar-first" role="banner">'
                   "<p>t</p></body></html>")
    body = root.find("body")
    assert body is not None
    assert not _chrome_marked(root) and not _chrome_marked(body)


def test_a_comment_in_the_markup_is_not_chrome() -> None:
    comment = one('<div id="x"><!-- sidebar --></div>').xpath("comment()")[0]
    assert not _chrome_marked(comment)


def test_chrome_is_decided_from_the_top_down() -> None:
    root = root_of(
        '<div id="sidebar-first"><div id="a"><div class="node" id="n1"><p id="p1">t</p></div>'
        "</div></div>"
        '<div id="content"><div id="node-2" class="node"><div class="sidebar" id="s">w</div>'
        '<nav id="nv">m</nav><div><div><aside id="deep">a</aside></div></div></div>'
        '<div id="plain">x</div></div>')
    regions = PageRegions(root)
    assert [n.get("id") for n in regions.nodes] == ["n1", "node-2"]

    def chrome(name: str) -> bool:
        el = root.xpath(f"//*[@id='{name}']")[0]
        first, cached = regions.in_chrome(el), regions.in_chrome(el)
        assert first is cached
        return first

    assert chrome("a") is chrome("n1") is chrome("p1") is True  # a region encloses them first
    # inside a node, however deep
    assert chrome("node-2") is chrome("s") is chrome("nv") is chrome("deep") is False
    assert chrome("plain") is chrome("content") is False


def test_the_nodes_of_a_page() -> None:
    # D7 node.tpl.php always writes the "node" class on its div; a section needs it too; an
    # article is a node by its attributes (D8+ node.html.twig), a comment never
    root = root_of('<div id="node-7">a</div><div id="n1" class="node node-news">b</div>'
                   '<section id="n2" class="node">c</section><section id="node-8">d</section>'
                   '<article id="n3" role="article" data-history-node-id="41"><div>'
                   '<section class="comments"><article id="comment-1" class="js-comment" '
                   'role="article" about="/comment/1" typeof="schema:Comment">e</article>'
                   '</section></div></article><article id="n4">f</article>'
                   '<p id="n5" class="node">g</p>')
    assert [n.get("id") for n in PageRegions(root).nodes] == ["n1", "n2", "n3"]


def test_a_section_can_be_the_pages_node() -> None:
    page = node_page(page_of('<div id="content"><section id="node-41" class="node node-news">'
                             '<div class="field-name-body"><p>t</p></div></section></div>'))
    assert ident(page.node) == "node-41"
    assert page.node_id(None) == 41


def test_a_node_marked_as_chrome_is_not_chrome_itself() -> None:
    root = root_of('<div><div id="node-3" class="node sidebar"><p id="p">t</p></div></div>')
    regions = PageRegions(root)
    node = root.xpath("//*[@id='node-3']")[0]
    assert not regions.in_chrome(node)
    assert not regions.in_chrome(root.xpath("//*[@id='p']")[0])


# --- the page index ------------------------------------------------------------------------------


def test_the_index_finds_each_tag_in_document_order_and_forgets_removed_ones() -> None:
    root = root_of('<html><head><title>T</title><meta name="a" content="1"></head><body>'
                   '<div id="d1"><a id="a1" href="/1">1</a><span id="s1">s</span></div>'
                   '<div id="d2"><a id="a2" href="/2">2</a></div><p id="p">p</p></body></html>')
    index = PageIndex(root)
    assert [el.get("id") for el in index.tagged("a")] == ["a1", "a2"]
    # any tag is found on first use; a tag the page lacks gives nothing
    assert [el.get("id") for el in index.tagged("p")] == ["p"] and index.tagged("em") == []
    assert [el.tag for el in index.of(("a", "span", "title"))] == ["title", "a", "span", "a"]
    assert ident(index.first("div")) == "d1"
    assert index.first("nav") is None
    # as the body's widgets are: taken out of the tree, then forgotten
    d1 = root.xpath("//*[@id='d1']")[0]
    d1.getparent().remove(d1)
    index.forget([d1])
    assert [el.get("id") for el in index.tagged("a")] == ["a2"]
    assert [el.get("id") for el in index.tagged("div")] == ["d2"]
    assert ident(index.first("div")) == "d2"
    assert index.tagged("span") == []
    assert [el.tag for el in index.of(("a", "span", "title"))] == ["title", "a"]
    p = root.xpath("//*[@id='p']")[0]
    p.getparent().remove(p)
    index.forget([p])
    assert index.tagged("p") == []
    assert [el.get("id") for el in index.tagged("div")] == ["d2"]


# --- the head ------------------------------------------------------------------------------------

HEAD = """<html><head>
<meta charset="utf-8" />
<meta name="Generator" content="Drupal 7 (http://drupal.org)" />
<meta property=" OG:Title " content="Из метатега" />
<meta property="og:title" content="Второй" />
<meta name="description" property="og:description" content="По свойству" />
<meta itemprop="datePublished" content="2016-04-26" />
<meta name="empty" content="" />
<meta name="no-content" />
<link rel="Canonical Shortlink" href="/ru/news/x" />
<link rel="shortlink" href="/node/9" />
<link rel="icon" />
<link href="/no-rel.css" />
<link rel="alternate" hreflang="be" href="https://mpt.gov.by/be/node/41" />
<link rel="alternate" hreflang="be-BY" href="/be/other" />
<link rel="alternate" hreflang="x-default" href="/x" />
<link rel="alternate" hreflang="en" />
<link rel="stylesheet" hreflang="ru" href="/ru.css" />
<link rel="alternate" href="/rss.xml" type="application/rss+xml" />
<title></title>
<title>Заголовок | Министерство связи</title>
<title>Другой</title>
<script type="application/ld+json">{"datePublished": "2016-04-26"}</script>
<script type="application/ld+json"></script>
<script type="application/json">{"datePublished": "1999-01-01"}</script>
<script>var x = 1;</script>
</head><body><p>t</p></body></html>"""


@pytest.mark.parametrize("indexed", [False, True])
def test_the_head_is_read_once_by_key_first_value_kept(indexed: bool) -> None:
    root = root_of(HEAD)
    head = HeadMetadata(root, PageIndex(root) if indexed else None)
    assert head.meta == {
        "generator": "Drupal 7 (http://drupal.org)", "og:title": "Из метатега",
        "og:description": "По свойству", "datepublished": "2016-04-26", "empty": ""}
    assert head.links == {"canonical": "/ru/news/x", "shortlink": "/ru/news/x",
                          "alternate": "https://mpt.gov.by/be/node/41", "stylesheet": "/ru.css"}
    assert head.alternates == {"be": "https://mpt.gov.by/be/node/41"}
    assert head.title == "Заголовок | Министерство связи"
    assert head.json_ld == ['{"datePublished": "2016-04-26"}']


def test_no_tree_no_head() -> None:
    head = HeadMetadata(None)
    assert (head.meta, head.links, head.alternates, head.title, head.json_ld) == ({}, {}, {}, "",
                                                                                  [])


def test_a_title_without_text_leaves_the_title_empty() -> None:
    assert HeadMetadata(root_of("<html><head><title></title></head><body></body></html>")
                        ).title == ""


# --- the node and its id -------------------------------------------------------------------------


def page_of(body: str, head: str = "", body_class: str = "html not-front") -> str:
    return (f"<html><head>{head}</head>"
            f'<body class="{body_class}">{body}</body></html>')


D8_ARTICLE = ('<article data-history-node-id="41" role="article" about="/ru/news/x" '
              'class="node node--type-news node--view-mode-full" id="n">'
              '<div class="node__content"><div class="field field--name-body '
              'field--type-text-with-summary field--label-hidden field__item">'
              "<p>Текст новости.</p></div></div></article>")


def test_the_node_id_from_the_node_itself_head_agreeing() -> None:
    page = node_page(page_of(D8_ARTICLE, '<link rel="shortlink" href="/node/41" />'))
    assert page.page_node_id == ("shortlink", 41)
    assert page.node_id(41) == 41
    assert page.evidence.sources == {"node_id": "data-history-node-id"}
    assert page.evidence.conflicts == []


def test_disagreeing_node_ids_are_noted_the_node_wins() -> None:
    page = node_page(page_of(D8_ARTICLE, '<link rel="shortlink" href="/node/42" />'))
    assert page.node_id(43) == 41
    assert page.evidence.sources == {"node_id": "data-history-node-id"}
    assert page.evidence.conflicts == [
        "node_id: data-history-node-id says 41, shortlink says 42, url says 43"]


@pytest.mark.parametrize(("attributes", "source"), [
    ('data-history-node-id=" 41 "', "data-history-node-id"),
    ('id="node-41"', "node-id-attribute"),
    ('about="/node/41"', "rdf-about"),
    ('about="/ru/node/41?page=1"', "rdf-about"),
    ('about="node/41#comments"', "rdf-about"),
    ('data-history-node-id="41" id="node-7" about="/node/8"', "data-history-node-id"),
    ('data-history-node-id="x" id="node-41" about="/node/8"', "node-id-attribute"),
    ('id="node-41x" about="/node/41/"', "rdf-about"),
])
def test_the_node_elements_own_id(attributes: str, source: str) -> None:
    el = one(f'<article role="article" {attributes}>t</article>', "//article")
    assert element_node_id(el) == (source, 41)


@pytest.mark.parametrize("attributes", [
    'data-history-node-id=""', 'id="node-"', 'id="node-4a"', 'about="/ru/news/x"',
    'about="/node/41abc"', 'about="/nodes/41"', 'about="/mynode/41"', 'about=""', "",
])
def test_no_id_on_the_node_element(attributes: str) -> None:
    assert element_node_id(one(f'<article role="article" {attributes}>t</article>',
                               "//article")) == (None, None)


@pytest.mark.parametrize(("head", "body_class", "expected"), [
    ('<link rel="shortlink" href="/node/41" />', "", ("shortlink", 41)),
    ('<link rel="shortlink" href=" https://mpt.gov.by/node/41 " />', "", ("shortlink", 41)),
    ('<link rel="shortlink" href="/node/41" />', "page-node-42", ("shortlink", 41)),
    ("", "html page-node page-node- page-node-41 node-type-news", ("page-node-class", 41)),
    ('<link rel="shortlink" href="/ru/news/x" />', "page-node-41", ("page-node-class", 41)),
    ("", "page-node-41-edit page-node-x", (None, None)),
    ("", "", (None, None)),
])
def test_the_page_level_node_id(head: str, body_class: str,
                                expected: tuple[str | None, int | None]) -> None:
    page = node_page(page_of("<p>t</p>", head, body_class))
    assert page.page_node_id == expected


def test_the_page_node_id_of_a_page_without_a_body_element() -> None:
    # lxml gives every HTML document a body; a page of a frameset has none
    page = node_page("<html><frameset><frame src='/x'></frameset></html>")
    assert page.page_node_id == (None, None)
    assert page.node_id(None) is None and page.evidence.sources == {}


@pytest.mark.parametrize(("links", "expected"), [
    # print module (D7), printable (D8) and the node's edit, delete and revision links
    ('<a href="/print/41">Печать</a>', 41),
    ('<a href="/ru/print/41">Печать</a>', 41),
    ('<a href="/node/41/printable/print">Печать</a>', 41),
    ('<a href="/node/41/edit">Edit</a>', 41),
    ('<a href="/node/41/delete">Delete</a>', 41),
    ('<a href="/node/41/revisions">Revisions</a>', 41),
    ('<a href="/print/41">P</a><a href="/node/41/edit">E</a>', 41),
    ('<a href="/print/41">P</a><a href="/node/42/edit">E</a>', None),  # two ids are none
    ('<a href="/print/41/x">P</a>', None), ('<a href="/node/41">N</a>', None),
    ('<a href="/node/41/view">N</a>', None), ("<a>no href</a>", None),
    # D8+ language links name the node by its system path, wherever they are
    ('<nav><a href="/be/x" hreflang="be" data-drupal-link-system-path="node/41">be</a></nav>',
     41),
    ('<a href="/be/x" data-drupal-link-system-path="node/41">be</a>', None),  # not a language's
    ('<a href="/be/x" hreflang="be" data-drupal-link-system-path="taxonomy/term/3">be</a>',
     None),
    ('<a href="/print/41" hreflang="be" data-drupal-link-system-path="user/1">be</a>', None),
    ('<a href="/print/41" data-drupal-link-system-path="">P</a>', 41),
])
def test_the_node_id_from_the_pages_own_links(links: str, expected: int | None) -> None:
    page = node_page(page_of(f'<div id="content">{links}</div>'))
    assert page.node_id(None) == expected
    assert page.evidence.sources == ({"node_id": "node-link"} if expected else {})
    assert page.evidence.conflicts == []


def test_links_in_the_chrome_name_other_nodes() -> None:
    page = node_page(page_of('<div id="sidebar-first"><a href="/node/7/edit">E</a></div>'
                             '<nav><a href="/print/8">P</a></nav>'
                             '<div id="content"><p>t</p></div>'))
    assert page.node_id(None) is None
    assert page.node_id(43) == 43
    assert page.evidence.sources == {"node_id": "url"}


def test_a_node_link_and_a_different_url() -> None:
    page = node_page(page_of('<div id="content"><a href="/print/41">P</a></div>'))
    assert page.node_id(43) == 41
    assert page.evidence.conflicts == ["node_id: node-link says 41, url says 43"]


def test_node_links_are_not_read_when_the_head_names_the_node() -> None:
    page = node_page(page_of('<div id="content"><a href="/print/41">P</a></div>',
                             '<link rel="shortlink" href="/node/42" />'))
    assert page.node_id(None) == 42
    assert page.evidence.sources == {"node_id": "shortlink"}
    assert page.evidence.conflicts == []


def test_the_main_node_is_the_pages_node_not_a_teaser() -> None:
    teaser = ('<div id="node-7" class="node node-news node-teaser"><h2>Другая</h2></div>')
    full = '<div id="node-41" class="node node-news"><p>Эта</p></div>'
    page = node_page(page_of(teaser + full, '<link rel="shortlink" href="/node/41" />'))
    assert ident(page.node) == "node-41"
    # without a page-level id: the first node that is not a teaser
    assert ident(node_page(page_of(teaser + full)).node) == "node-41"
    # the page id names the teaser: the page id wins
    page = node_page(page_of(teaser + full, '<link rel="shortlink" href="/node/7" />'))
    assert ident(page.node) == "node-7"
    # an unknown page id: the first full node
    page = node_page(page_of(teaser + full, '<link rel="shortlink" href="/node/9" />'))
    assert ident(page.node) == "node-41"
    # teasers only: the first of them
    other = '<div id="node-8" class="node node--view-mode-teaser">x</div>'
    assert ident(node_page(page_of(teaser + other)).node) == "node-7"


@pytest.mark.parametrize(("classes", "main"), [
    ("node node--view-mode-full", "node-7"), ("node node--view-mode-default", "node-7"),
    ("node view-mode-full", "node-7"), ("node node--view-mode-search-result", "node-41"),
    ("node node-teaser", "node-41"), ("node node--view-mode-fullx", "node-41"),
])
def test_view_modes_other_than_full_are_teasers(classes: str, main: str) -> None:
    page = node_page(page_of(f'<div id="node-7" class="{classes}">a</div>'
                             '<div id="node-41" class="node">b</div>'))
    assert ident(page.node) == main


def test_nested_nodes_the_outermost_is_the_node() -> None:
    page = node_page(page_of('<div id="node-41" class="node"><div class="content">'
                             '<div id="node-7" class="node">embedded</div></div></div>',
                             '<link rel="shortlink" href="/node/7" />'))
    assert ident(page.node) == "node-41"


def test_a_node_in_the_chrome_is_not_the_pages_node() -> None:
    page = node_page(page_of('<aside><div id="node-7" class="node">block</div></aside>'
                             '<div id="node-41" class="node">b</div>'))
    assert ident(page.node) == "node-41"
    page = node_page(page_of('<aside><div id="node-7" class="node">block</div></aside>'
                             '<div id="content"><p>t</p></div>'))
    assert page.node is None
    assert ident(page.scope) == "content"


def test_a_page_without_a_tree() -> None:
    from parsel import Selector
    page = NodePage(Selector(text='{"a": 1}', type="json"))
    assert (page.root, page.index, page.regions, page.node, page.scope) == (None,) * 5
    assert page.page_node_id == (None, None)
    assert page.node_id(5) == 5 and page.evidence.sources == {"node_id": "url"}
    assert page.title() == "" and page.date() == (None, None)
    assert page.body_element() is None and page.outside_body() == []
    assert page.file_links() == [] and page.image_fields() == []
    assert page.language_switcher().linked == {} and page.drupal_version() is None
    assert not page.in_chrome(one("<p id='x'>t</p>"))
    page.removed([])


# --- the title -----------------------------------------------------------------------------------


@pytest.mark.parametrize("html", [
    '<div class="site-name"><h1>Министерство</h1></div>',
    '<div id="branding"><h1>Министерство</h1></div>',  # Seven, Zen
    '<div class="Logo"><h1>Министерство</h1></div>',
    '<div class="site-branding"><h1>Министерство</h1></div>',  # Olivero
    '<div id="site-title"><h1>Министерство</h1></div>',
    '<div class="navbar-brand brand"><h1>Министерство</h1></div>',
    '<h1 class="site-name">Министерство</h1>',
    # Garland's logo-floater: the site name linked home
    '<div id="logo-floater"><h1><a href="/ru" title=""><span>M</span></a>'
    '<a href="/ru" rel="home">Министерство</a></h1></div>',
])
def test_the_site_name_in_a_heading_is_branding(html: str) -> None:
    assert _branding(one(html, "//h1"))


@pytest.mark.parametrize("html", [
    '<div id="x" class="site-name-slogan"><h1>Заголовок</h1></div>',
    '<div id="page-title-wrapper"><h1>Заголовок</h1></div>',
    '<h1><a href="/ru/news/x" rel="bookmark">Заголовок</a></h1>',
    "<h1><a>Заголовок</a></h1>",
    '<h1><span rel="home">Заголовок</span></h1>',  # rel=home marks a link, nothing else
])
def test_a_heading_that_is_not_branding(html: str) -> None:
    assert not _branding(one(html, "//h1"))


def test_the_title_is_the_h1_outside_the_chrome_and_the_branding() -> None:
    page = node_page(page_of(
        '<div id="header"><h1 id="h-site">Шапка</h1></div>'
        '<div id="logo-floater"><h1><a href="/ru" rel="home">Министерство</a></h1></div>'
        '<div id="content"><h1 class="title" id="page-title">\n  Новый  <em>закон</em>  </h1>'
        '<div id="node-41" class="node"><span property="dc:title" content="RDF"></span></div>'
        "<h1>Второй</h1></div>",
        '<meta property="og:title" content="OG" /><title>Тег | Министерство связи</title>'))
    assert page.title() == "Новый закон"
    assert page.evidence.sources == {"title": "h1"}


def test_a_title_field_and_a_subtitle_field_in_the_h1_are_two_words_apart() -> None:
    # A theme that prints the node's title field (D8+ field--node--title.html.twig's span) and
    # a subtitle field (field.html.twig's divs) inside its h1: two lines a reader sees, one
    # title with a space between.
    page = node_page(page_of(
        '<main><h1 class="page-title"><span class="field field--name-title">Новый закон</span>'
        '<div class="field field--name-field-subtitle field__item">о связи</div></h1>'
        + D8_ARTICLE + "</main>"))
    assert page.title() == "Новый закон о связи"


@pytest.mark.parametrize(("rdf", "title"), [
    ('<span property="dc:title" content=" Из  RDF " class="rdf-meta element-hidden"></span>',
     "Из RDF"),
    ('<span property="schema:name" content="Из RDF" class="hidden"></span>', "Из RDF"),
    ('<span property="schema:name dc:title">Текст <b>RDF</b></span>', "Текст RDF"),
    ('<span property="dc:title" content="">Из текста</span>', "Из текста"),
])
def test_the_rdf_title_without_an_h1(rdf: str, title: str) -> None:
    page = node_page(page_of(f'<article data-history-node-id="41">{rdf}<p>t</p></article>',
                             '<meta property="og:title" content="OG" />'))
    assert page.title() == title
    assert page.evidence.sources == {"title": "rdf-title"}


def test_rdf_properties_that_are_not_the_title() -> None:
    page = node_page(page_of('<article data-history-node-id="41">'
                             '<span property="dc:titles" content="A"></span>'
                             '<span property="schema:headline" content="B"></span>'
                             '<span property="dc:title" content="">  </span></article>',
                             '<meta property="og:title" content=" Из  OG " />'
                             "<title>Из заголовка</title>"))
    assert page.title() == "Из OG"
    assert page.evidence.sources == {"title": "og:title"}


@pytest.mark.parametrize(("title", "expected"), [
    ("Новость | Министерство связи и информатизации Республики Беларусь", "Новость"),
    ("Навіна – Міністэрства сувязі і інфарматызацыі", "Навіна"),
    ("News — Ministry of Communications and Informatization", "News"),
    ("Новость - Министерство связи", "Новость"),
    ("Новость |Министерство", "Новость"),
    ("Новость | Министерства связи", "Новость | Министерства связи"),
    (" Новость  без  сайта ", "Новость без сайта"),
])
def test_the_head_title_without_the_site_name(title: str, expected: str) -> None:
    page = node_page(page_of('<div id="content"><p>t</p></div>', f"<title>{title}</title>"))
    assert page.title() == expected
    assert page.evidence.sources == {"title": "html-title"}


def test_an_empty_h1_gives_way_to_the_next_evidence() -> None:
    page = node_page(page_of('<div id="content"><h1 class="page-title"><img src="/l.png" alt="">'
                             '</h1><div id="node-41" class="node">'
                             '<span property="dc:title" content="Из RDF"></span></div></div>'))
    assert page.title() == "Из RDF"
    assert page.evidence.sources == {"title": "rdf-title"}


def test_no_title_anywhere() -> None:
    page = node_page(page_of('<div id="content"><p>t</p></div>'))
    assert page.title() == ""
    assert page.evidence.sources == {}


# --- the date ------------------------------------------------------------------------------------

ISO = "2016-04-26T10:15:00+03:00"
D7_NODE = '<div id="node-41" class="node node-news">{}<div class="content">{}</div></div>'
D7_BODY = ('<div class="field field-name-body field-type-text-with-summary field-label-hidden">'
           '<div class="field-items"><div class="field-item even" property="content:encoded">'
           "<p>Текст от 01.01.2015.</p><time datetime=\"2015-01-01\">01.01.2015</time>"
           "</div></div></div>")


def date_of(meta: str, head: str = "", listed: str | None = None,
            node: str = D7_NODE, body: str = D7_BODY) -> tuple[tuple[str | None, str | None],
                                                             dict[str, str]]:
    page = node_page(page_of(f'<div id="content">{node.format(meta, body)}</div>', head), listed)
    found = page.date()
    return found, {k: v for k, v in page.evidence.sources.items()
                   if k in ("published", "structured_date")}


def test_a_d7_date_field_with_its_rdf_date() -> None:
    # field.tpl.php around the Date module's theme_date_display_single, label inline
    field = ('<div class="field field-name-field-date field-type-datestamp field-label-inline '
             'clearfix"><div class="field-label">Дата:&nbsp;</div><div class="field-items">'
             '<div class="field-item even"><span class="date-display-single" property="dc:date" '
             f'datatype="xsd:dateTime" content="{ISO}">26.04.2016</span></div></div></div>')
    assert date_of(field) == (("26.04.2016", ISO),
                              {"published": "date-field", "structured_date": "rdf-date"})


@pytest.mark.parametrize("name", [
    "field-name-field-date", "field-name-field-news-date", "field--name-field-date",
    "field--name-field-publication-date", "field-name-field_date_news",
    "field--name-field-dates", "field-name-created", "field--name-post-date",
    "field-name-field-update", "field-name-field-date-",
])
def test_date_fields_by_name(name: str) -> None:
    field = f'<div class="field {name}"><div class="field-items"><div class="field-item">' \
            "26.04.2016</div></div></div>"
    assert date_of(field) == (("26.04.2016", None), {"published": "date-field"})


@pytest.mark.parametrize("name", [
    "field-name-field-author", "field---name-field-date", "field-name-date",
    "xfield-name-field-date", "field-name-field-date x", "field-name-createdx",
    "field--name-post-dates", "field-name-field",
])
def test_fields_that_are_not_date_fields(name: str) -> None:
    field = f'<div class="field {name}"><div class="field-items"><div class="field-item">' \
            "26.04.2016</div></div></div>"
    if name == "field-name-field-date x":  # the class word, not the attribute, is matched
        assert date_of(field) == (("26.04.2016", None), {"published": "date-field"})
    else:
        assert date_of(field) == ((None, None), {})


def test_a_date_field_with_more_than_the_date_gives_the_date() -> None:
    field = '<div class="field field-name-field-date">Дата: 26.04.2016,</div>'
    assert date_of(field) == (("26.04.2016", None), {"published": "date-field"})


def test_a_date_field_of_the_date_alone_is_kept_as_written() -> None:
    field = '<div class="field field-name-field-date">26 апреля 2016, </div>'
    assert date_of(field) == (("26 апреля 2016,", None), {"published": "date-field"})
    field = '<div class="field field-name-field-date">Весна 2016</div>'  # no date in it
    assert date_of(field) == (("Весна 2016", None), {"published": "date-field"})


def test_an_empty_date_field_is_no_date_the_next_evidence_is() -> None:
    meta = ('<div class="field field-name-field-date"> </div>'
            '<span class="date-display-single">26.04.2016</span>')
    assert date_of(meta) == (("26.04.2016", None), {"published": "date-display"})


def test_evidence_order_field_display_time_submitted() -> None:
    submitted = '<div class="submitted">Опубликовано pressa в 23.04.2016</div>'
    time = '<time datetime="2016-04-24T07:15:00Z">24.04.2016</time>'
    display = '<span class="date-display-single">25.04.2016</span>'
    field = '<div class="field field-name-field-date">26.04.2016</div>'
    assert date_of(submitted + time + display + field) == (
        ("26.04.2016", "2016-04-24T07:15:00Z"),
        {"published": "date-field", "structured_date": "time-datetime"})
    assert date_of(submitted + time + display) == (
        ("25.04.2016", "2016-04-24T07:15:00Z"),
        {"published": "date-display", "structured_date": "time-datetime"})
    assert date_of(submitted + time) == (
        ("24.04.2016", "2016-04-24T07:15:00Z"),
        {"published": "time", "structured_date": "time-datetime"})
    assert date_of(submitted) == (("23.04.2016", None), {"published": "submitted"})


def test_the_submitted_line_gives_only_its_date() -> None:
    # D7 rdf_process() wraps the whole submitted line in the dc:date span
    line = ('<div class="meta submitted"><span property="dc:date dc:created" '
            f'content="{ISO}" datatype="xsd:dateTime" rel="sioc:has_creator">'
            'Опубликовано <span class="username">pressa</span> в Вторник, 26 апреля 2016 - 10:15'
            "</span></div>")
    assert date_of(line) == (("Вторник, 26 апреля 2016 - 10:15", ISO),
                             {"published": "submitted", "structured_date": "rdf-date"})
    # without a date in it the submitted line is no date at all
    assert date_of('<div class="submitted">Опубликовано pressa</div>') == ((None, None), {})


@pytest.mark.parametrize("meta", [
    '<footer class="node__meta"><div class="node__submitted">Submitted by <span>pressa</span> '
    "on Tue, 04/26/2016 - 10:15</div></footer>",  # Classy
    '<div class="node__meta"><span>Submitted by <span class="node__author">pressa</span>, '
    "Tue, 04/26/2016 - 10:15</span></div>",  # Olivero
    "<footer><div>Submitted by <span>pressa</span> on <span>Tue, 04/26/2016 - 10:15</span>"
    "</div></footer>",  # Stable9: the node's own footer
    '<div class="node-meta">Tue, 04/26/2016 - 10:15</div>',
    '<span class="meta">Tue, 04/26/2016 - 10:15</span>',
])
def test_submitted_lines_of_each_theme(meta: str) -> None:
    node = ('<article id="n" data-history-node-id="41" class="node">{}'
            '<div class="field field--name-body"><p>t</p></div></article>')
    assert date_of(meta, node=node, body="") == (("Tue, 04/26/2016 - 10:15", None),
                                                 {"published": "submitted"})


def test_dates_in_the_body_are_not_the_articles_the_listings_is_last() -> None:
    # D7_BODY holds a time with a datetime: the body's dates are its text, not its metadata
    assert date_of("") == ((None, None), {})
    assert date_of("", listed="  26.04.2016 ") == (("26.04.2016", None), {"published": "listing"})
    assert date_of("", listed=" ") == ((None, None), {})


def test_dates_in_the_chrome_are_not_the_articles() -> None:
    # no node and no main region: the scope is the whole body, its sidebar is chrome
    page = node_page(page_of('<div id="sidebar-first"><div class="submitted">Опубликовано в '
                             '23.04.2016</div><time datetime="2016-04-23">23.04.2016</time></div>'
                             '<div class="submitted">Опубликовано в 24.04.2016</div>'))
    assert page.date() == ("24.04.2016", "2016-04-23")
    assert page.evidence.sources == {"published": "submitted", "structured_date": "time-datetime"}


@pytest.mark.parametrize(("meta", "head", "structured", "source"), [
    (f'<span property="dc:date dc:created" content="{ISO}" datatype="xsd:dateTime"></span>',
     "", ISO, "rdf-date"),
    ('<span property="schema:dateCreated" content="2016-04-26T07:15:00+00:00"></span>', "",
     "2016-04-26T07:15:00+00:00", "rdf-date"),
    ('<span property="dc:issued" content="2016-04-26"></span>', "", "2016-04-26", "rdf-date"),
    ('<span property="schema:datePublished" content="2016-04-26"></span>', "", "2016-04-26",
     "rdf-date"),
    ('<time datetime="2016-04-26T07:15:00Z"></time>', "", "2016-04-26T07:15:00Z",
     "time-datetime"),
    ("", f'<meta property="article:published_time" content="{ISO}" />', ISO, "meta"),
    ("", '<meta itemprop="datePublished" content="2016-04-26" />', "2016-04-26", "meta"),
    ("", '<meta name="dcterms.date" content="2016-04-26" />', "2016-04-26", "meta"),
    ("", '<meta name="dcterms.created" content="2016-04-26" />', "2016-04-26", "meta"),
    ("", '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
         '[{"@type": "NewsArticle", "datePublished": "2016-04-26T10:15:00+0300"}]}</script>',
     "2016-04-26T10:15:00+0300", "json-ld"),
])
def test_a_machine_date_alone(meta: str, head: str, structured: str, source: str) -> None:
    # nothing shown: the machine-readable date is the published date's evidence too
    assert date_of(meta, head) == ((None, structured),
                                   {"published": source, "structured_date": source})
    assert date_of(meta, head, listed="26.04.2016") == (
        (None, structured), {"published": source, "structured_date": source})


@pytest.mark.parametrize("meta", [
    '<span property="dc:modified" content="2016-04-26"></span>',
    '<span property="dc:date" content=""></span>', '<span content="2016-04-26"></span>',
    '<time datetime=""></time>', '<time>26 апреля 2016</time>',
])
def test_not_a_machine_date(meta: str) -> None:
    if meta.startswith("<time>"):  # shown, but without a datetime
        assert date_of(meta) == (("26 апреля 2016", None), {"published": "time"})
    else:
        assert date_of(meta) == ((None, None), {})


def test_machine_dates_in_order_node_then_meta_then_json_ld() -> None:
    heads = ['<meta property="article:published_time" content="2016-04-25" />',
             '<meta itemprop="datePublished" content="2016-04-24" />',
             '<meta name="dcterms.date" content="2016-04-23" />',
             '<meta name="dcterms.created" content="2016-04-22" />',
             '<script type="application/ld+json">{"datePublished": "2016-04-21"}</script>']
    rdf = '<span property="dc:date" content="2016-04-26"></span>'
    assert date_of(rdf, "".join(heads))[0] == (None, "2016-04-26")
    for cut, expected in enumerate(["2016-04-25", "2016-04-24", "2016-04-23", "2016-04-22",
                                    "2016-04-21"]):
        assert date_of("", "".join(reversed(heads[cut:])))[0] == (None, expected)


def test_a_shown_date_takes_its_own_machine_date_else_the_pages() -> None:
    own = '<time datetime="2016-04-26T07:15:00Z">26.04.2016</time>'
    head = '<meta property="article:published_time" content="2016-04-25" />'
    assert date_of(own, head) == (("26.04.2016", "2016-04-26T07:15:00Z"),
                                  {"published": "time", "structured_date": "time-datetime"})
    shown = '<span class="date-display-single">26.04.2016</span>'
    assert date_of(shown, head) == (("26.04.2016", "2016-04-25"),
                                    {"published": "date-display", "structured_date": "meta"})
    elsewhere = ('<span class="date-display-single">26.04.2016</span>'
                 '<span property="dc:date" content="2016-04-24"></span>')
    assert date_of(elsewhere, head) == (
        ("26.04.2016", "2016-04-24"), {"published": "date-display", "structured_date": "rdf-date"})


def test_the_own_machine_date_wins_over_an_earlier_one() -> None:
    # D8 RDF: the created date's hidden span first, then a date field with its own time
    created = ('<span property="schema:dateCreated" content="2016-04-20T07:15:00+00:00" '
               'class="hidden"></span>')
    field = ('<div class="field field--name-field-date field__item">'
             '<time datetime="2016-04-26T07:15:00Z">26.04.2016</time></div>')
    assert date_of(created + field) == (
        ("26.04.2016", "2016-04-26T07:15:00Z"),
        {"published": "date-field", "structured_date": "time-datetime"})


def test_a_date_field_with_a_time_inside() -> None:
    # D8 field.html.twig around time.html.twig
    field = ('<div class="field field--name-field-date field--type-datetime field--label-above">'
             '<div class="field__label">Дата</div><div class="field__item">'
             '<time datetime="2016-04-26T07:15:00Z" class="datetime">26.04.2016</time>'
             "</div></div>")
    node = '<article data-history-node-id="41">{}{}</article>'
    assert date_of(field, node=node, body="") == (
        ("26.04.2016", "2016-04-26T07:15:00Z"),
        {"published": "date-field", "structured_date": "time-datetime"})


def test_the_own_machine_date_of_a_shown_date() -> None:
    root = root_of(
        f'<div id="node-41" class="node" property="dc:date" content="{ISO}">'
        '<span property="dc:date dc:created" content="2016-04-25">'
        '<span id="a"><!-- c -->25.04.2016</span></span>'
        '<div id="b"><time>x</time><time datetime="2016-04-24">24.04.2016</time></div>'
        '<span id="c">26.04.2016</span>'
        '<span id="d" property="schema:dateCreated" content="">26.04.2016</span></div>'
        '<div property="dc:date" content="2000-01-01"><span id="e">01.01.2000</span></div>'
        '<div property="schema:dateModified" content="2016-04-27"><span property="dc:title" '
        'content="Заголовок"><span id="f">27.04.2016</span></span></div>')

    def own(name: str) -> tuple[str, str] | None:
        return _own_structured_date(root.xpath(f"//*[@id='{name}']")[0])

    assert own("a") == ("rdf-date", "2016-04-25")  # the span around it (D7 RDF)
    assert own("b") == ("time-datetime", "2016-04-24")  # a time inside it
    assert own("c") == ("rdf-date", ISO)  # up to the node, the node included
    assert own("d") == ("rdf-date", ISO)  # an empty content is none
    assert own("e") == ("rdf-date", "2000-01-01")
    assert own("node-41") == ("rdf-date", ISO)
    assert own("f") is None  # content, but not of a date


def test_the_search_for_an_own_machine_date_stops_at_the_node() -> None:
    root = root_of('<div property="dc:date" content="2000-01-01"><div id="node-41" class="node">'
                   '<span id="x">26.04.2016</span></div></div>')
    assert _own_structured_date(root.xpath("//*[@id='x']")[0]) is None


@pytest.mark.parametrize(("blocks", "date"), [
    (['{"datePublished": "2016-04-26"}'], "2016-04-26"),
    (["{not json", '{"datePublished": "2016-04-26"}'], "2016-04-26"),
    (['[{"datePublished": 5}, {"@type": "NewsArticle", "datePublished": "2016-04-26"}]'],
     "2016-04-26"),
    (['{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, '
      '{"@type": "Article", "datePublished": "2016-04-26"}]}'], "2016-04-26"),
    (['{"@graph": [{"@type": "WebPage"}]}', '{"datePublished": "2016-04-26"}'], "2016-04-26"),
    (['"2016-04-26"', '["2016-04-26"]', "5", '{"dateCreated": "2016-04-26"}'], None),
    (['{"@graph": [], "datePublished": "2016-04-26"}'], None),
    ([], None),
])
def test_the_json_ld_date(blocks: list[str], date: str | None) -> None:
    assert _json_ld_date(blocks) == date


# --- the body ------------------------------------------------------------------------------------


def body_of(node: str, head: str = "") -> tuple[str | None, dict[str, str]]:
    page = node_page(page_of(f'<div id="content">{node}</div>', head))
    body = page.body_element()
    assert page.body_element() is body
    return ident(body), page.evidence.sources


def test_the_d7_rdf_body_item() -> None:
    node = ('<div id="node-41" class="node"><div class="field field-name-body '
            'field-type-text-with-summary"><div class="field-items">'
            '<div id="x" class="field-item even" property="content:encoded"><p>t</p></div>'
            "</div></div></div>")
    assert body_of(node) == ("x", {"body": "rdf-body"})


@pytest.mark.parametrize(("field", "source"), [
    ('<div id="w" class="field field-name-body"><div class="field-items">'
     '<div id="x" class="field-item even"><p>t</p></div></div></div>', "body-field"),
    ('<div id="w" class="field field--name-body field--type-text-with-summary">'
     '<div id="x" class="field__item"><p>t</p></div></div>', "body-field"),
    ('<div id="w" property="schema:text"><div id="x" class="field__item"><p>t</p></div></div>',
     "rdf-body"),
    ('<div id="w" class="field field-type-text-with-summary"><div class="field-items">'
     '<div id="x" class="field-item"><p>t</p></div></div></div>', "text-with-summary"),
    ('<div id="w" class="field--type-text-with-summary"><div id="x" class="field__item">'
     "<p>t</p></div></div>", "text-with-summary"),
])
def test_a_body_field_gives_its_one_item(field: str, source: str) -> None:
    assert body_of(f'<article data-history-node-id="41">{field}</article>') == (
        "x", {"body": source})


def test_a_field_of_several_items_is_the_body_itself() -> None:
    field = ('<div id="w" class="field field-name-body"><div class="field-items">'
             '<div class="field-item even"><p>a</p></div><div class="field-item odd"><p>b</p>'
             "</div></div></div>")
    assert body_of(f'<div id="node-41" class="node">{field}</div>') == ("w", {"body": "body-field"})


def test_evidence_order_rdf_then_field_then_text_with_summary() -> None:
    summary = '<div id="s" class="field-type-text-with-summary"><p>s</p></div>'
    named = '<div id="f" class="field-name-body"><p>f</p></div>'
    rdf = '<div id="r" property="content:encoded"><p>r</p></div>'
    node = '<div id="node-41" class="node">{}</div>'
    assert body_of(node.format(summary + named + rdf)) == ("r", {"body": "rdf-body"})
    assert body_of(node.format(summary + named)) == ("f", {"body": "body-field"})
    assert body_of(node.format(summary)) == ("s", {"body": "text-with-summary"})


@pytest.mark.parametrize("field", [
    '<div class="field-name-body-summary"><p>t</p></div>',
    '<div class="field--name-bodyx"><p>t</p></div>',
    '<div property="content:encodedx"><p>t</p></div>',
    '<div property="schema:textual"><p>t</p></div>',
    '<div class="field-type-text-with-summary-x"><p>t</p></div>',
    '<div content="content:encoded field-name-body"><p>t</p></div>',
])
def test_look_alikes_are_no_body(field: str) -> None:
    assert body_of(f'<div id="node-41" class="node">{field}</div>') == (None, {})


def test_a_body_field_in_the_chrome_is_not_the_body() -> None:
    # no node: the main region is the whole body, where a sidebar block is chrome
    page = node_page(page_of('<div id="sidebar-first"><div id="a" class="field-name-body">a</div>'
                             '</div><div id="b" class="field-name-body">b</div>'))
    assert ident(page.body_element()) == "b"


def test_the_elements_outside_the_body() -> None:
    page = node_page(page_of('<div id="node-41" class="node"><!-- c --><h2 id="t">T</h2>'
                             '<div id="b" class="field-name-body"><p id="p">x</p></div>'
                             '<span id="s">s</span></div>'))
    assert [el.get("id") for el in page.outside_body()] == ["node-41", "t", "s"]
    assert page.outside_body() is page.outside_body()


@pytest.mark.parametrize("html", [
    '<div id="w" class="field-items"><div id="x" class="field-item even">a</div></div>',
    '<div id="w"><div><div id="x" class="field__item">a</div></div></div>',
    '<div id="w"><!-- c --><div id="x" class="field-item">a</div></div>',
])
def test_the_single_item_of_a_field(html: str) -> None:
    root = root_of(html)
    assert ident(_field_items(root.xpath("//*[@id='w']")[0])) == "x"


@pytest.mark.parametrize("html", [
    '<div id="w" class="field-items"><div class="field-item">a</div>'
    '<div class="field-item">b</div></div>',
    '<div id="w" class="field__item"><div class="field__item">a</div></div>',
    '<div id="w" class="field-item"><div class="field-item">a</div></div>',
    '<div id="w"><div class="field-items">a</div></div>',
])
def test_no_single_item(html: str) -> None:
    assert _field_items(root_of(html).xpath("//*[@id='w']")[0]) is None


# --- files and images ----------------------------------------------------------------------------


def files_of(inside: str, body: str = "<p>t</p>") -> tuple[list[tuple[str | None, str]],
                                                           dict[str, str]]:
    page = node_page(page_of(f'<div id="node-41" class="node">{inside}'
                             f'<div class="field-name-body">{body}</div></div>'))
    return [(a.get("href"), label) for a, label in page.file_links()], page.evidence.sources


D7_FILE = ('<span class="file"><img class="file-icon" alt="" src="/modules/file/icons/pdf.png" />'
           ' <a href="/sites/default/files/{0}" type="application/pdf; length=49367">{0}</a>'
           "</span>")


def test_a_d7_file_field_its_items_and_their_size_labels() -> None:
    items = "".join(f'<div class="field-item">{D7_FILE.format(n)} {s}</div>'
                    for n, s in (("a.pdf", "48.21 KB"), ("b.pdf", "1.5 MB")))
    field = (f'<div class="field field-name-field-files field-type-file"><div class="field-items">'
             f"{items}</div></div>")
    assert files_of(field) == ([("/sites/default/files/a.pdf", "48.21 KB"),
                                ("/sites/default/files/b.pdf", "1.5 MB")],
                               {"body": "body-field", "attachments": "file-field"})


def test_the_file_table_formatter_rows() -> None:
    rows = "".join(f"<tr><td>{D7_FILE.format(n)}</td><td>{s}</td></tr>"
                   for n, s in (("a.pdf", "48.21 KB"), ("b.pdf", "1.5 MB")))
    field = ('<div class="field field-name-field-files field-type-file"><div class="field-items">'
             '<div class="field-item even"><table><thead><tr><th>Вложение</th><th>Размер</th>'
             f"</tr></thead><tbody>{rows}</tbody></table></div></div></div>")
    assert files_of(field)[0] == [("/sites/default/files/a.pdf", "48.21 KB"),
                                  ("/sites/default/files/b.pdf", "1.5 MB")]


def test_a_list_of_files() -> None:
    field = ('<div class="field--name-field-attachments"><ul>'
             '<li><a href="/a.pdf">a.pdf</a> (48.21 KB)</li>'
             '<li><a href="/b.pdf">b.pdf</a> (1.5 MB)</li><li><a>no href</a></li></ul></div>')
    assert files_of(field)[0] == [("/a.pdf", "(48.21 KB)"), ("/b.pdf", "(1.5 MB)")]


@pytest.mark.parametrize("classes", [
    "field field-type-file", "field field--type-file", "field-name-field-file",
    "field--name-field-files", "field-name-field_attachment", "field--name-field-attachments",
    "field-name-field-document", "field--name-field-documents",
])
def test_file_fields_by_type_or_name(classes: str) -> None:
    field = (f'<div class="{classes}"><div class="field-item"><a href="/a.pdf">a.pdf</a> '
             "48.21 KB</div></div>")
    assert files_of(field) == ([("/a.pdf", "48.21 KB")],
                               {"body": "body-field", "attachments": "file-field"})


@pytest.mark.parametrize("classes", [
    "field-name-field-file-type", "field-type-filefield", "field-name-field-profile",
    "document", "field--name-field-documentsx", "field-name-file",
])
def test_fields_that_are_not_file_fields(classes: str) -> None:
    field = f'<div class="{classes}"><a href="/a.pdf">a.pdf</a> 48.21 KB</div>'
    assert files_of(field) == ([], {"body": "body-field"})


def test_typed_links_outside_the_body_without_a_file_field() -> None:
    # Stable9's classless field.html.twig around file-link.html.twig
    files = ('<div><div><span><a href="/a.pdf" type="application/pdf">a.pdf</a></span> '
             '(48.21 KB)</div><div><span><a href="/b.doc" type="application/msword">b.doc</a>'
             '</span> (1.5 MB)</div></div><a href="/c.pdf" type="pdf">c</a><a type="a/b">d</a>')
    body = '<p><a href="/d.pdf" type="application/pdf">d.pdf</a></p>'
    assert files_of(files, body) == ([("/a.pdf", "(48.21 KB)"), ("/b.doc", "(1.5 MB)")],
                                     {"body": "body-field", "attachments": "typed-link"})


def test_typed_links_in_the_chrome_are_not_the_pages_files() -> None:
    page = node_page(page_of('<div id="sidebar-first"><a href="/x.pdf" type="application/pdf">x'
                             '</a></div><div><a href="/a.pdf" type="application/pdf">a</a> 1 KB'
                             "</div>"))
    assert [(a.get("href"), label) for a, label in page.file_links()] == [("/a.pdf", "1 KB")]


def test_the_label_loses_the_link_text_once() -> None:
    # numbered appendices: the link text is a number that the size label may repeat
    field = ('<div class="field field-name-field-files field-type-file"><div class="field-items">'
             '<div class="field-item"><a href="/1.pdf">1</a> 1 KB 1</div></div></div>')
    assert files_of(field)[0] == [("/1.pdf", "1 KB 1")]


def test_no_files() -> None:
    assert files_of('<a href="/a.pdf">a.pdf</a>') == ([], {"body": "body-field"})


def test_a_file_field_inside_another_is_read_once() -> None:
    field = ('<div class="field field-name-field-files field-type-file"><div class="field-items">'
             '<div class="field-item"><div class="file-field field-type-file">'
             '<a href="/a.pdf">a.pdf</a> 1 KB</div></div></div></div>')
    assert files_of(field)[0] == [("/a.pdf", "1 KB")]


def test_the_row_of_a_file_link() -> None:
    root = root_of('<div id="c"><div id="r1"><div id="w"><span><a id="a" href="/a">a</a></span>'
                   '</div><p><a id="b" href="/b">b</a></p></div>'
                   '<ul><li id="li"><span><a id="l" href="/l">l</a></span></li></ul>'
                   '<table><tr id="tr"><td><a id="t" href="/t">t</a></td></tr></table>'
                   '<div id="fi" class="field__item"><div><a id="f" href="/f">f</a></div></div>'
                   '<a id="top" href="/top">top</a></div>')

    def by(name: str) -> _Element:
        return root.xpath(f"//*[@id='{name}']")[0]

    links = [by(n) for n in ("a", "b", "l", "t", "f", "top")]
    for items, item in (("field-items", "field-item"), ("field__items", "field__item")):
        alone = root_of(f'<div id="c"><div class="{items}"><div id="fi" class="{item}"><span>'
                        '<a id="a" href="/a">a</a></span> 1 KB</div></div></div>')
        link = alone.xpath("//a")[0]
        assert ident(_item_of(link, alone.xpath("//*[@id='c']")[0], [link])) == "fi"
    container = by("c")
    assert [ident(_item_of(a, container, links)) for a in links] == [
        "w", None, "li", "tr", "fi", "top"]
    # the p around "b" has no id: the widest ancestor with no other file link
    assert _item_of(links[1], container, links).tag == "p"


@pytest.mark.parametrize(("markup", "expected"), [
    ('<div id="i" class="field field-name-field-image field-type-image"><img src="/a.jpg"></div>',
     ["i"]),
    ('<div id="i" class="field--type-image"><img src="/a.jpg"></div>', ["i"]),
    ('<div id="i" class="field--name-field-images"><img src="/a.jpg"></div>', ["i"]),
    ('<div id="i" class="field-name-field_photo"><img src="/a.jpg"></div>', ["i"]),
    ('<div id="i" class="field-name-field-photos"><img src="/a.jpg"></div>', ["i"]),
    ('<div id="i" property="schema:image"><img src="/a.jpg"></div>', ["i"]),  # Stable9 + RDF
    ('<div id="i" property="og:image" class="x"><img src="/a.jpg"></div>', ["i"]),
    ('<div id="i" class="field-type-image"><div id="j" class="field-type-image"></div></div>',
     ["i"]),
    ('<div id="i" class="field-name-field-image-caption"></div>', []),
    ('<div id="i" class="field-name-field-imagery"></div>', []),
    ('<div id="i" class="image-style-large"></div>', []),
    ('<div id="i" property="schema:imageCaption"></div>', []),
    ('<div id="i" class="field-name-field-file"></div>', []),
])
def test_image_fields(markup: str, expected: list[str]) -> None:
    page = node_page(page_of(f'<div id="node-41" class="node">{markup}</div>'))
    assert [f.get("id") for f in page.image_fields()] == expected


@pytest.mark.parametrize(("classes", "file", "image"), [
    ("field-type-file", True, False), ("field--type-image", False, True),
    ("field-name-field-image field-type-file", True, True), ("", False, False),
])
def test_file_and_image_field_tests(classes: str, file: bool, image: bool) -> None:
    el = one(f'<div id="x" class="{classes}">t</div>')
    assert (_is_file_field(el), _is_image_field(el)) == (file, image)


# --- the language switcher -----------------------------------------------------------------------


def switcher_of(items: str) -> tuple[dict[str, str], set[str]]:
    page = node_page(page_of(f'<div id="block-locale-language" class="block block-locale">'
                             f'<ul class="language-switcher-locale-url">{items}</ul></div>'
                             '<div id="content"><p>t</p></div>'))
    found = page.language_switcher()
    return found.linked, found.untranslated


def test_the_d7_switcher_links_translations_and_marks_the_rest() -> None:
    # locale_block_view + translation_language_switch_links_alter, rendered by theme_links
    items = ('<li class="ru first active"><a href="/ru/news/x" class="language-link active" '
             'xml:lang="ru">Русский</a></li>'
             '<li class="be"><a href="/be/news/y" class="language-link" xml:lang="be">'
             "Беларуская</a></li>"
             '<li class="en last"><span class="language-link locale-untranslated" xml:lang="en">'
             "English</span></li>")
    assert switcher_of(items) == ({"ru": "/ru/news/x", "be": "/be/news/y"}, {"en"})


@pytest.mark.parametrize(("item", "linked", "untranslated"), [
    ('<li class="be"><a href="/be/y" class="language-link">Беларуская</a></li>',
     {"be": "/be/y"}, set()),  # the li's class names the language
    ('<li class="first be"><a href="/be/y" class="language-link" lang="be-BY">Б</a></li>',
     {"be": "/be/y"}, set()),
    ('<li class="be"><a href="/be/y" class="language-link" xml:lang="x-default">Б</a></li>',
     {"be": "/be/y"}, set()),
    ('<li class="en"><a href="/en/y" class="language-link" xml:lang="be">Б</a></li>',
     {"be": "/en/y"}, set()),  # the link's own language first
    ('<li class="be locale-untranslated"><a href="/be/y" class="language-link">Б</a></li>',
     {}, {"be"}),
    ('<li class="be"><a class="language-link">Б</a></li>', {}, {"be"}),  # no href
    ('<li class="be"><a href="" class="language-link">Б</a></li>', {}, {"be"}),
    ('<li class="be"><a href="/be/y" class="language-link locale-untranslated">Б</a></li>', {},
     {"be"}),
    ('<li class="ru"><a href="/ru/x" class="language-links">R</a></li>'
     '<li class="be"><a href="/be/y" class="language-link">Б</a></li>', {"be": "/be/y"}, set()),
    ('<li class="be"><span href="/be/y" class="language-link">Б</span></li>', {}, {"be"}),
    ('<li><a href="/be/y" class="language-link">Б</a></li>', {}, set()),  # no language
    ('<li class="de"><a href="/de/y" class="language-link">D</a></li>', {}, set()),
    ('<li class="be"><a href="/be/y" class="language-links">Б</a></li>', {}, set()),
    ('<li class="be"><a href="/be/y" class="link">Б</a></li>', {}, set()),
    # Drupal 8+'s language block links every language: not read
    ('<li hreflang="be"><a href="/be/node/41" class="language-link" hreflang="be">be</a></li>',
     {}, set()),
    ('<li class="be"><a href="/be/y" class="language-link" '
     'data-drupal-link-system-path="node/41">be</a></li>', {}, set()),
    ('<li class="be"><a href="/be/y" class="language-link" data-drupal-link-system-path="">'
     "be</a></li>", {}, set()),
    ('<li class="be"><a href="/be/y" class="language-link" hreflang="">be</a></li>', {}, set()),
    ('<li class="be"><a href="/be/y" class="language-link" xml:lang="be">1</a></li>'
     '<li class="be"><a href="/be/z" class="language-link" xml:lang="be">2</a></li>',
     {"be": "/be/y"}, set()),
])
def test_switcher_items(item: str, linked: dict[str, str], untranslated: set[str]) -> None:
    assert switcher_of(item) == (linked, untranslated)


def test_a_language_link_outside_a_list_item_needs_its_own_language() -> None:
    page = node_page(page_of('<div class="be"><a href="/be/y" class="language-link">Б</a></div>'
                             '<div class="en"><a href="/en/y" class="language-link" lang="en">E'
                             "</a></div>"))
    assert page.language_switcher().linked == {"en": "/en/y"}


# --- the Drupal version --------------------------------------------------------------------------


@pytest.mark.parametrize(("generator", "version"), [
    ("Drupal 7 (http://drupal.org)", 7), ("Drupal 8 (https://www.drupal.org)", 8),
    ("Drupal 10 (https://www.drupal.org)", 8), ("Drupal 9", 8),
])
def test_the_generator_tells_the_version(generator: str, version: int) -> None:
    # the other version's markup around it: the Generator wins
    page = node_page(page_of(D8_ARTICLE if version == 7 else D7_NODE.format("", D7_BODY),
                             f'<meta name="Generator" content="{generator}" />'))
    assert page.drupal_version() == version
    assert page.evidence.sources["drupal_version"] == "generator"


@pytest.mark.parametrize(("generator", "body_class", "node", "version"), [
    # D7 body classes, on the ancestors of the body
    ("", "html node-type-news", '<div id="node-41" class="node"><div property="content:encoded">'
     "<p>t</p></div></div>", 7),
    ("", "html node-type-news", '<div id="node-41" class="node"><p>t</p></div>', None),
    ("", "html", D7_NODE.format("", D7_BODY), 7),
    ("", "html", '<div id="node-41" class="node field-type-file"><p>t</p></div>', 7),
    ("", "html", D8_ARTICLE, 8),
    ("", "html", '<article data-history-node-id="41"><p>t</p></article>', 8),
    ("", "html", '<article role="article"><div data-drupal-selector="x">t</div></article>', 8),
    ("", "html", '<article role="article"><div class="field--type-image">t</div></article>', 8),
    ("", "html", '<article role="article"><div class="field--name-field-tags">t</div>'
     "</article>", 8),
    ("", "html", '<div id="node-41" class="node"><div class="field-name-field-tags">t</div>'
     "</div>", 7),
    ("", "node-type-news", '<div id="node-41" class="node"><div property="content:encoded">'
     "<p>t</p></div></div>", 7),
    ("", "html node-type-news", D8_ARTICLE, None),  # both: none
    ("", "path-node page-node-type-news", '<article role="article"><div property="schema:text">'
     "<p>t</p></div></article>", None),
    ("", "html", '<div id="node-41" class="node node-news"><p>t</p></div>', None),
    ("Joomla! 1.5", "html", '<div id="node-41" class="node"><p>t</p></div>', None),
])
def test_the_markup_tells_the_version(generator: str, body_class: str, node: str,
                                      version: int | None) -> None:
    head = f'<meta name="Generator" content="{generator}" />' if generator else ""
    page = node_page(page_of(f'<div id="content">{node}</div>', head, body_class))
    assert page.drupal_version() == version
    assert page.evidence.sources.get("drupal_version") == ("markup" if version else None)


# --- the main region -----------------------------------------------------------------------------

# In order of preference; each is preferred to every later one even when it comes after it.
MAIN_REGIONS = [
    '<div id="m" role="main"><p>t</p></div>',  # Bartik 7
    '<div id="content"><p>t</p></div>',
    '<div id="main-content"><p>t</p></div>',
    '<div id="block-system-main"><p>t</p></div>',
    '<div id="m" class="layout-content"><p>t</p></div>',  # D8 page.html.twig
    '<div id="m" class="region region-content"><p>t</p></div>',
    '<div id="m" class="region region--content"><p>t</p></div>',
    '<div id="main"><p>t</p></div>',
]


@pytest.mark.parametrize("rank", range(len(MAIN_REGIONS)))
def test_each_main_region_alone_and_before_the_later_ones(rank: int) -> None:
    chosen = MAIN_REGIONS[rank]
    later = "".join(MAIN_REGIONS[rank + 1:]).replace('id="m"', 'id="later"')
    for html in (chosen, later + chosen):
        root = root_of(page_of(html))
        expected = root.xpath("//body/*")[-1 if html != chosen else 0]
        assert main_region(root) is expected
        assert main_region(root, PageIndex(root)) is expected


def test_main_is_preferred_to_every_div() -> None:
    root = root_of(page_of(MAIN_REGIONS[0] + '<main id="main-el"><p>t</p></main>'))
    assert ident(main_region(root)) == "main-el"


def test_the_first_of_two_equal_regions() -> None:
    root = root_of(page_of('<div id="a" class="region-content">a</div>'
                           '<div id="b" class="region-content">b</div>'))
    assert ident(main_region(root)) == "a"


@pytest.mark.parametrize("html", [
    '<div id="main-content"></div>',  # D7's skip-link target, empty
    '<div id="x" role="mainx">t</div>', '<div id="contents">t</div>',
    '<div id="x" class="region-contentx">t</div>', '<section id="content">t</section>',
    '<div id="x" class="region-content-above">t</div>',
])
def test_not_a_main_region_the_body_is(html: str) -> None:
    root = root_of(page_of(html, body_class="b"))
    assert main_region(root) is root.find("body")


def test_the_scope_without_a_node_is_the_main_region() -> None:
    page = node_page(page_of('<div id="header"><h1>x</h1></div>' + MAIN_REGIONS[1]))
    assert page.node is None and ident(page.scope) == "content"


def test_a_removed_widget_is_no_longer_read() -> None:
    page = node_page(page_of('<div id="node-41" class="node"><div class="field-name-body">'
                             '<div id="w" class="ya-share2"><h1>Поделиться</h1></div><p>t</p>'
                             "</div></div>", "<title>Заголовок | Министерство</title>"))
    widget = page.node.xpath("//*[@id='w']")[0] if page.node is not None else None
    assert widget is not None
    widget.getparent().remove(widget)
    page.removed([widget])
    assert page.title() == "Заголовок"
