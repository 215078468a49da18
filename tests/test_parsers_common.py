from __future__ import annotations

import pytest
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, Response

from mptcrawler.parsers import (
    ParseError,
    common,
    detect_era,
    parse_article,
    parse_html,
    parse_response,
)
from mptcrawler.parsers.common import (
    ArticlePage,
    attachment,
    attribute,
    canonical_page_url,
    drop_widgets,
    images,
    inner_html,
    read_article,
    read_translations,
    size_from_label,
    visible_text,
)
from mptcrawler.parsers.drupal import NodePage

from .conftest import fixture_text, snapshot

PAGE = "https://mpt.gov.by/ru/x"


@pytest.mark.parametrize(("label", "size"), [
    ("48.21 KB", 49367), ("(1.5 MB)", 1572864), ("512 bytes", 512), ("48,21 КБ", 49367),
    ("", None), ("big", None),
])
def test_size_from_label(label: str, size: int | None) -> None:
    assert size_from_label(label) == size


def test_exact_length_wins_over_the_label() -> None:
    link = parse_html('<a href="/f.pdf" type="application/pdf; length=1000">Файл PDF</a>')
    assert attachment(link.css("a")[0], PAGE, "48.21 KB") == {
        "url": "https://mpt.gov.by/f.pdf", "title": "Файл", "type": "application/pdf",
        "size": 1000}


def test_images_with_captions_and_without_duplicates() -> None:
    page = parse_html('<div id="b"><figure><img src="http://www.mpt.gov.by/a.jpg" alt=" A ">'
                         "<figcaption>Под<b>пись</b></figcaption></figure>"
                         '<img src="/a.jpg"><img src="data:image/png;base64,xx"></div>')
    assert images(page.css("#b"), PAGE) == [
        {"url": "https://mpt.gov.by/a.jpg", "alt": "A", "caption": "Подпись"}]


def test_a_type_label_in_a_block_of_its_own_is_not_the_files_title() -> None:
    # Glued, "№ 5" and "PDF" made "5PDF", where no word boundary lets the label go.
    link = parse_html('<a href="/f.pdf" type="application/pdf"><div>Приказ № 5</div>'
                      "<div>PDF</div></a>")
    assert attachment(link.css("a")[0], PAGE) == {
        "url": "https://mpt.gov.by/f.pdf", "title": "Приказ № 5", "type": "application/pdf",
        "size": None}


def test_a_caption_of_several_paragraphs_is_one_line_with_spaces() -> None:
    # An editor's figcaption can hold paragraphs (pasted, or CKEditor's caption widget around
    # one): a reader sees two lines, the caption field is one line, the words not glued.
    page = parse_html('<div id="b"><figure><img src="/a.jpg"><figcaption><p>Фото: БелТА</p>'
                      "<p>Минск, 2024</p></figcaption></figure></div>")
    assert images(page.css("#b"), PAGE) == [
        {"url": "https://mpt.gov.by/a.jpg", "alt": None, "caption": "Фото: БелТА Минск, 2024"}]


def test_widgets_are_dropped_from_the_body() -> None:
    page = parse_html('<div id="b"><p>Текст</p><div class="ya-share2">Поделиться</div>'
                         "<script>x()</script></div>")
    body = page.css("#b")
    drop_widgets(body)
    assert body.get() == '<div id="b"><p>Текст</p></div>'


def test_nested_body_nodes_drop_a_widget_once() -> None:
    # Regression: hypothesis found a broken page whose body node was nested in another, so the
    # same widget was matched twice and the second drop crashed.
    page = parse_html('<div class="b"><div class="b"><p>t</p><div class="ya-share2">x</div>'
                         "</div></div>")
    body = page.css("div.b")
    drop_widgets(body)
    assert body[0].get() == '<div class="b"><div class="b"><p>t</p></div></div>'


@pytest.mark.parametrize("name", ["{a}", "{a}b", "{a}b:c"])
def test_attribute_survives_attribute_names_lxml_cannot_list(name: str) -> None:
    # A broken page (an unclosed quote) can give an element attribute names in lxml's {ns}name
    # notation; parsel's .attrib then raises ValueError or KeyError (found by the property
    # tests on a mutated era-C page).
    html = fixture_text("era_c_article.html").replace("<article ", f'<article {name}="1" ', 1)
    node = parse_html(html).css("article")[:1]
    with pytest.raises((ValueError, KeyError)):
        _ = node.attrib
    expected = snapshot("era_c_article")["item"]
    assert attribute(node, "data-history-node-id") == str(expected["node_id"])
    assert parse_article(parse_html(html), expected["url"]).node_id == expected["node_id"]


_UTF8_PAGE = ("<html><head><title>Новость</title></head>"
              "<body><p>Министерство\u00a0связи</p></body></html>")
_HTML_UTF8 = {"Content-Type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(("body", "headers"), [
    (_UTF8_PAGE.encode(), _HTML_UTF8),  # the fast path: valid UTF-8 as it came
    (b"\xef\xbb\xbf" + _UTF8_PAGE.encode(), _HTML_UTF8),  # text drops the BOM
    (_UTF8_PAGE.encode().replace(b"<p>", b"<p>\x00"), _HTML_UTF8),
    (b"\x00 " + _UTF8_PAGE.encode(), _HTML_UTF8),  # NUL removed after str.strip()
    ("\u00a0".encode() + _UTF8_PAGE.encode() + "\u3000".encode(), _HTML_UTF8),
    (b"\x1c" + _UTF8_PAGE.encode() + b"\x1f", _HTML_UTF8),  # str.strip() takes these
    (_UTF8_PAGE.encode().replace("с".encode(), b"\xd1"), _HTML_UTF8),  # truncated character
    (_UTF8_PAGE.encode().replace("с".encode(), b"\xed\xa0\x80"), _HTML_UTF8),  # a surrogate
    ("Министерство".encode(), _HTML_UTF8),
    (_UTF8_PAGE.encode("cp1251"), {"Content-Type": "text/html; charset=windows-1251"}),
    (_UTF8_PAGE.replace("<head>", '<head><meta charset="windows-1251">').encode("cp1251"),
     {"Content-Type": "text/html"}),
    (_UTF8_PAGE.encode(), {"Content-Type": "text/html"}),  # no charset anywhere
])
def test_a_response_parses_to_the_tree_of_its_text(body: bytes, headers: dict[str, str]) -> None:
    """parse_response reads UTF-8 bodies as bytes; the tree must be the one its text gives."""
    from lxml import etree
    from scrapy.http import HtmlResponse

    def tree(page: object) -> str:
        return etree.tostring(page.root, encoding="unicode")  # type: ignore[attr-defined]

    expected = tree(parse_html(HtmlResponse(PAGE, body=body, headers=headers).text))
    assert tree(parse_response(HtmlResponse(PAGE, body=body, headers=headers))) == expected


def _head_only(generator: str) -> NodePage:
    meta = f'<meta name="generator" content="{generator}">' if generator else ""
    return NodePage(parse_html(f"<html><head>{meta}</head><body><p>x</p></body></html>"))


@pytest.mark.parametrize(("url", "generator", "era"), [
    # the era-B URL shape is era B whatever the markup says
    ("https://mpt.gov.by/ru/news/30-10-2019-4749", "Drupal 10 (https://www.drupal.org)", "B"),
    # no language prefix: era A, whatever the markup says
    ("https://mpt.gov.by/segodnya-v-minsvyazi", "Drupal 10 (https://www.drupal.org)", "A"),
    ("https://mpt.gov.by/de/segodnya-v-minsvyazi", "Drupal 10 (https://www.drupal.org)", "A"),
    # a language-prefixed slug or node path: Drupal 7's markup is era B, anything else era C
    ("https://mpt.gov.by/ru/node/4749", "Drupal 7 (http://drupal.org)", "B"),
    ("https://mpt.gov.by/be/delegatsiya", "Drupal 7 (http://drupal.org)", "B"),
    ("https://mpt.gov.by/ru/node/4749", "Drupal 10 (https://www.drupal.org)", "C"),
    ("https://mpt.gov.by/en/delegation", "", "C"),
])
def test_the_era_is_read_from_the_url_then_the_drupal_version(url: str, generator: str,
                                                              era: str) -> None:
    assert detect_era(_head_only(generator), url) == era


def test_a_d7_page_at_its_node_path_is_read_as_era_b() -> None:
    # without its canonical link the page is known by the node path alone: its Drupal 7 markup
    # (no generator tag here) makes it era B, with no date in the URL
    canonical = '<link rel="canonical" href="/ru/news/30-10-2019-4749" />'
    html = fixture_text("era_b_article.html")
    assert canonical in html
    expected = snapshot("era_b_article")["item"]
    page = parse_article(parse_html(html.replace(canonical, "")),
                         "https://mpt.gov.by/ru/node/4749")
    assert (page.url, page.era, page.node_id, page.title, page.published_raw, page.url_date) == (
        "https://mpt.gov.by/ru/node/4749", "B", 4749, expected["title"],
        expected["published_raw"], None)


def test_a_page_the_fallback_cannot_read_either_raises_the_era_parsers_error() -> None:
    # no body field and no title of any kind: the reason given is the first one met
    url = "https://mpt.gov.by/ru/node/5"
    with pytest.raises(ParseError) as raised:
        parse_article(parse_html("<html><head></head><body><p>Текст</p></body></html>"), url)
    assert str(raised.value) == (
        f"no body field (content:encoded, field-name-body, …) on {url}")


# --- read_translations, called directly on hand-written evidence ---------------------------

def _article(url: str, node_id: int | None) -> ArticlePage:
    return ArticlePage(url=url, node_id=node_id, lang=url.split("/")[3], era="C", title="Т",
                       published_raw="15.04.2024", body_html="<p>Т</p>",
                       evidence={"title": "h1"})


def _head(links: str) -> NodePage:
    return NodePage(parse_html(f"<html><head>{links}</head><body><p>Т</p></body></html>"))


def _alternate(lang: str, href: str) -> str:
    return f'<link rel="alternate" hreflang="{lang}" href="{href}">'


# Drupal 8+: relative and absolute hrefs on any site host; x-default and a front page (not an
# article) are no translations.
_ALTERNATES = (_alternate("ru", "/ru/glava") + _alternate("be", "/be")
               + _alternate("en", "http://www.mpt.gov.by/en/head#top")
               + _alternate("x-default", "/ru/glava"))


def test_hreflang_alternates_name_the_other_languages_translations() -> None:
    page = read_translations(_article("https://mpt.gov.by/ru/glava", 9339), _head(_ALTERNATES),
                             "https://mpt.gov.by/ru/glava")
    assert (page.translations, page.translation_key, page.language_fallback, page.evidence) == (
        [{"lang": "en", "url": "https://mpt.gov.by/en/head"}], "node/9339", False,
        {"title": "h1", "translations": "hreflang"})


def test_alternates_listing_only_other_sites_or_non_articles_are_no_evidence() -> None:
    links = _alternate("en", "https://example.org/en/head") + _alternate("be", "/be")
    page = read_translations(_article("https://mpt.gov.by/ru/glava", 9339), _head(links),
                             "https://mpt.gov.by/ru/glava")
    assert (page.translations, page.translation_key, page.language_fallback, page.evidence) == (
        [], "node/9339", False, {"title": "h1"})


@pytest.mark.parametrize(("page_url", "fetched", "fallback"), [
    # be is missing from the alternates: the be section shows another language's text
    ("https://mpt.gov.by/be/node/9339", "https://mpt.gov.by/be/node/9339", True),
    # the canonical link names the ru translation while the page was fetched in be
    ("https://mpt.gov.by/ru/glava", "https://mpt.gov.by/be/node/9339", True),
    # en is among the alternates and is the section: its own page
    ("https://mpt.gov.by/en/head", "https://mpt.gov.by/en/node/9339", False),
])
def test_a_section_without_a_translation_is_a_language_fallback(page_url: str, fetched: str,
                                                                fallback: bool) -> None:
    page = read_translations(_article(page_url, 9339), _head(_ALTERNATES), fetched)
    assert page.language_fallback is fallback


def _switcher(*items: str) -> NodePage:
    return NodePage(parse_html('<html><head></head><body><ul class="language-switcher-locale-url">'
                               + "".join(items) + "</ul><p>Т</p></body></html>"))


def _linked(lang: str, href: str) -> str:
    return (f'<li class="{lang}"><a href="{href}" class="language-link" xml:lang="{lang}">'
            f"{lang}</a></li>")


_UNTRANSLATED_BE = ('<li class="be"><span class="language-link locale-untranslated" '
                    'xml:lang="be">Беларуская</span></li>')


def test_the_drupal_7_switcher_names_the_set_by_its_smallest_node() -> None:
    node = _switcher(_linked("ru", "/ru/news/05-01-2017-1790"), _UNTRANSLATED_BE,
                     _linked("en", "http://mpt.gov.by/en/news/06-01-2017-1791"))
    page = read_translations(_article("https://mpt.gov.by/en/news/06-01-2017-1791", 1791), node,
                             "https://mpt.gov.by/en/news/06-01-2017-1791")
    assert (page.translations, page.translation_key, page.language_fallback, page.evidence) == (
        [{"lang": "ru", "url": "https://mpt.gov.by/ru/news/05-01-2017-1790"}], "node/1790",
        False, {"title": "h1", "translations": "language-switcher"})
    # /be/node/1790: the switcher marks be untranslated
    be = read_translations(_article("https://mpt.gov.by/be/node/1790", 1790), node,
                           "https://mpt.gov.by/be/node/1790")
    assert (be.language_fallback, be.translation_key) == (True, "node/1790")


def test_the_pages_own_node_counts_in_the_key_with_its_switchers_links() -> None:
    # the page's own language unlinked: its node, the smallest, is still the set's source
    node = _switcher(_linked("en", "/en/news/06-01-2017-1791"), _linked("be", "/be"),
                     _linked("ru", "https://example.org/ru/news/05-01-2017-1700"))
    page = read_translations(_article("https://mpt.gov.by/ru/news/05-01-2017-1789", 1789), node,
                             "https://mpt.gov.by/ru/news/05-01-2017-1789")
    assert (page.translations, page.translation_key, page.evidence["translations"]) == (
        [{"lang": "en", "url": "https://mpt.gov.by/en/news/06-01-2017-1791"}], "node/1789",
        "language-switcher")
    # without a node id of its own the set is known by its translations' nodes
    nameless = read_translations(_article("https://mpt.gov.by/ru/kollegiya", None), node,
                                 "https://mpt.gov.by/ru/kollegiya")
    assert nameless.translation_key == "node/1791"


def test_without_evidence_or_node_id_nothing_is_decided() -> None:
    page = read_translations(_article("https://mpt.gov.by/ru/kollegiya", None), _head(""),
                             "https://mpt.gov.by/ru/kollegiya")
    assert (page.translations, page.translation_key, page.language_fallback, page.evidence) == (
        [], None, False, {"title": "h1"})


# --- parse_response: the tree of the text, from the bytes when they are plain UTF-8 ----------

def _tree(page: Selector) -> str:
    return etree.tostring(page.root, encoding="unicode")


def _parsed_counting_decodes(body: bytes, headers: dict[str, str]) -> tuple[str, int]:
    """The tree parse_response gives, and how many times it asked for the decoded text."""
    decoded = []

    class Counted(HtmlResponse):
        @property
        def text(self) -> str:
            decoded.append(1)
            return super().text

    return _tree(parse_response(Counted(PAGE, body=body, headers=headers))), len(decoded)


@pytest.mark.parametrize("body", [_UTF8_PAGE.encode(), "<b>Министерство</b>".encode(),
                                  b"\n <p>\xd0\x9c</p>\t"])
def test_a_plain_utf8_body_is_parsed_without_decoding_it(body: bytes) -> None:
    tree, decodes = _parsed_counting_decodes(body, _HTML_UTF8)
    assert (tree, decodes) == (_tree(parse_html(body.decode())), 0)


@pytest.mark.parametrize(("body", "text"), [
    # str.strip() takes these at either edge, bytes.strip() does not: a reader sees none of them
    (b"\x1c<p>\xd0\x9c</p>", "М"),
    ("\u00a0<p>М</p>".encode(), "М"),
    (b"<p>\xd0\x9c</p>\x1f", "М"),
    ("<p>М</p>\u3000".encode(), "М"),
])
def test_a_body_with_a_space_at_one_edge_reads_as_its_text(body: bytes, text: str) -> None:
    tree, decodes = _parsed_counting_decodes(body, _HTML_UTF8)
    assert (tree, decodes) == (f"<html><body><p>{text}</p></body></html>", 1)


def test_a_declared_encoding_wins_over_bytes_that_are_also_utf8() -> None:
    # "М" in UTF-8 is two bytes that windows-1251 reads as "Рњ": the page's declaration rules
    tree, _ = _parsed_counting_decodes(
        "<p>М</p>".encode(), {"Content-Type": "text/html; charset=windows-1251"})
    assert tree == "<html><body><p>Рњ</p></body></html>"


@pytest.mark.parametrize("body", [b"", b" \r\n\t "])
def test_an_empty_body_is_an_empty_page(body: bytes) -> None:
    assert _parsed_counting_decodes(body, _HTML_UTF8)[0] == "<html/>"


@pytest.mark.parametrize("body", [b"<!-- only a comment -->", b"<!DOCTYPE html>",
                                  b"<?php echo 1; ?>"])
def test_a_utf8_body_without_an_element_is_an_empty_page(body: bytes) -> None:
    # libxml2 gives no root element for these without an error: the bytes path must stand in
    # <html/> as parsel's create_root_node does for the text.
    assert _parsed_counting_decodes(body, _HTML_UTF8) == ("<html/>", 0)


def test_broken_markup_in_a_utf8_body_is_recovered_not_refused() -> None:
    # end tags that close nothing: libxml2 without recovery refuses the page
    assert _parsed_counting_decodes(b"<p>a</div><b>x</i>", _HTML_UTF8) == (
        "<html><body><p>a<b>x</b></p></body></html>", 0)


def test_a_utf8_body_nested_deeper_than_libxml2s_default_limit_is_read_whole() -> None:
    # libxml2 stops at 256 levels unless told the tree may be huge (parsel tells it so)
    depth = 300
    tree, decodes = _parsed_counting_decodes(
        b"<div>" * depth + b"deep" + b"</div>" * depth, _HTML_UTF8)
    assert (tree, decodes) == (
        "<html><body>" + "<div>" * depth + "deep" + "</div>" * depth + "</body></html>", 0)


def test_a_response_that_is_not_text_raises_as_scrapy_does() -> None:
    with pytest.raises(AttributeError, match="Response content isn't text"):
        parse_response(Response(PAGE, body=b"<p>x</p>"))


def test_a_base_url_given_is_the_documents_base() -> None:
    assert parse_html("<p>x</p>", base_url=PAGE).root.base == PAGE
    assert parse_html("<p>x</p>").root.base is None


# --- small helpers ------------------------------------------------------------------------

def test_attribute_of_a_missing_attribute_or_nothing_selected_is_none() -> None:
    page = parse_html('<a href="/f.pdf" title="">Файл</a>')
    assert attribute(page.css("a"), "href") == "/f.pdf"
    assert attribute(page.css("a")[0], "title") == ""
    assert attribute(page.css("a"), "type") is None
    assert attribute(page.css("table"), "href") is None
    assert attribute(page.xpath("//a/@href"), "href") is None  # an attribute, not an element


def test_visible_text_of_the_first_node_on_one_line() -> None:
    page = parse_html("<p>Под<b>пись</b><br>Минск</p><p>второй</p>")
    assert visible_text(page.css("p")) == "Подпись Минск"
    assert visible_text(page.css("p")[1]) == "второй"
    assert visible_text(page.css("table")) == ""
    assert visible_text(page.xpath("//p/text()")) == ""
    # a block inside separates as <br> does; an inline element does not
    assert visible_text(parse_html('<a href="/f.pdf"><div>Приказ № 5</div><div>PDF</div></a>'
                                   ).css("a")) == "Приказ № 5 PDF"


def test_inner_html_keeps_each_child_once_in_html_form() -> None:
    page = parse_html('<div id="b"><p>Один<br>два</p>хвост<!-- c --><img src="/a.jpg"></div>')
    assert inner_html(page.css("#b")) == '<p>Один<br>два</p>хвост<!-- c --><img src="/a.jpg">'
    assert inner_html(page.css("table")) is None
    # a selection of text (one text node here) has no inner HTML
    assert inner_html(parse_html("<p>Один</p>").xpath("//p/text()")) == ""


def test_canonical_page_url_is_the_pages_own_link_on_the_site() -> None:
    def page(head: str) -> NodePage:
        return NodePage(parse_html(f"<html><head>{head}</head><body></body></html>"))

    fetched = "https://mpt.gov.by/ru/node/9339"
    assert canonical_page_url(page('<link rel="canonical" href="/ru/glava">'), fetched) == \
        "https://mpt.gov.by/ru/glava"
    assert canonical_page_url(page(""), fetched) == fetched
    assert canonical_page_url(
        page('<link rel="canonical" href="https://example.org/ru/glava">'), fetched) == fetched


def test_attachment_refuses_a_link_without_href_and_keeps_an_off_site_one_as_written() -> None:
    page = parse_html('<a>Файл PDF</a><a href=" ">Пусто</a>'
                      '<a href="https://example.org/Doc%20A.pdf">Внешний DOCX</a>')
    links = page.css("a")
    assert attachment(links[0], PAGE) is None
    assert attachment(links[1], PAGE) is None
    assert attachment(links[2], PAGE) == {
        "url": "https://example.org/Doc%20A.pdf", "title": "Внешний", "type": None,
        "size": None}


def test_images_skip_one_without_src_and_keep_looking_and_read_img_elements_only() -> None:
    page = parse_html(
        '<div id="b"><img alt="без адреса"><img src="data:image/png;base64,xx">'
        '<video src="/v.mp4"></video><img src="https://example.org/Фото.jpg">'
        '<figure><img src="/b.jpg"><figcaption>Первая<br>вторая</figcaption></figure></div>')
    assert images(page.css("#b"), PAGE) == [
        {"url": "https://example.org/Фото.jpg", "alt": None, "caption": None},
        {"url": "https://mpt.gov.by/b.jpg", "alt": None, "caption": "Первая вторая"}]


# --- read_article's refusals and what it passes through -----------------------------------

_D8 = ('<html><head></head><body><main><h1>Заголовок</h1><article {node} '
       'class="node node--type-news"><div class="field field--name-field-date">'
       '<time datetime="2024-04-15T09:00:00Z">15.04.2024</time></div>'
       '<div class="field field--name-body">{body}</div></article></main></body></html>')
_D8_URL = "https://mpt.gov.by/ru/node/77"


def _d8(node: str = 'data-history-node-id="77"', body: str = "<p>Текст.</p>") -> NodePage:
    return NodePage(parse_html(_D8.format(node=node, body=body)))


def test_read_article_takes_the_node_id_from_the_url_and_keeps_conflicts() -> None:
    page = read_article(_d8(node=""), _D8_URL, "C")
    assert (page.node_id, page.conflicts, page.body_html) == (77, [], "<p>Текст.</p>")
    other = read_article(_d8(node='data-history-node-id="78"'), _D8_URL, "C")
    assert (other.node_id, other.conflicts) == (
        78, ["node_id: data-history-node-id says 78, url says 77"])


# what each refusal removes from the page: the date goes with both its text and its attribute
_WITHOUT = {"title": ["<h1>Заголовок</h1>"], "date": ["15.04.2024", "2024-04-15T09:00:00Z"],
            "body": ["<p>Текст.</p>"]}


@pytest.mark.parametrize("missing", sorted(_WITHOUT))
def test_read_article_names_what_is_missing_and_where(missing: str) -> None:
    html = _D8.format(node='data-history-node-id="77"', body="<p>Текст.</p>")
    for part in _WITHOUT[missing]:
        html = html.replace(part, "")
    with pytest.raises(ParseError) as raised:
        read_article(NodePage(parse_html(html)), _D8_URL, "C")
    assert str(raised.value) == f"no {missing} on {_D8_URL}"
    # the fetched URL, when given, is where the page was found wanting
    fetched = "https://mpt.gov.by/ru/kollegiya"
    with pytest.raises(ParseError) as raised:
        read_article(NodePage(parse_html(html)), _D8_URL, "C", fetched_url=fetched)
    assert str(raised.value) == f"no {missing} on {fetched}"


# Every part of a page where libxml2 reads characters its own way (text, attribute names and
# values, comments, raw-text elements, the doctype, processing instructions, after </html>).
_PAGE_PARTS = [
    "<html><head><title>X{}Y</title></head><body><p>a</p></body></html>",
    "<html><body><p>a{}b</p></body></html>",
    '<html><body><p class="a{}b">x</p></body></html>',
    "<html><body><p a={}>x</p></body></html>",
    '<html><body><p a{}b="1">x</p></body></html>',
    "<html><body><p{}>x</p></body></html>",
    "<html><body><{}>x</body></html>",
    '<html><body><a href="/{}">x</a></body></html>',
    "<html><body><!-- a{}b --><p>x</p></body></html>",
    '<html><head><script>var a="{}";</script></head><body>x</body></html>',
    '<html><head><style>p{{content:"{}"}}</style></head><body>x</body></html>',
    "<html><body><textarea>{}</textarea></body></html>",
    "<html><body><p>&am{}p;</p></body></html>",
    "<!DOCTYPE html{}><html><body>x</body></html>",
    "<html><body><p>x</p><?pi {}?></body></html>",
    "<html><body>x</body></html>{}",
]


def _malformed_utf8() -> list[bytes]:
    """Byte sequences Python's strict UTF-8 decoder refuses: every lone non-ASCII byte, and
    every lead byte followed by continuation and non-continuation bytes in two, three and
    four-byte shapes (truncated, overlong, surrogates, beyond U+10FFFF)."""
    found = {bytes([b]) for b in range(0x80, 0x100)}
    for lead in range(0xC0, 0x100):
        for other in (0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF):
            found |= {bytes([lead, other]), bytes([lead, other, 0x80]),
                      bytes([lead, 0x80, other]), bytes([lead, other, 0x80, 0x80]),
                      bytes([lead, 0x80, 0x80, other])}
    malformed = []
    for sequence in sorted(found):
        try:
            sequence.decode("utf-8")
        except UnicodeDecodeError:
            malformed.append(sequence)
    return malformed


@pytest.mark.parametrize("part", _PAGE_PARTS)
def test_a_body_that_is_not_utf8_parses_to_the_tree_of_its_text(part: str) -> None:
    """parse_response learns that a body is not UTF-8 from libxml2's own report, not from a
    decode in Python: every sequence Python refuses, anywhere in a page, must send the page
    to the text path (the tree of Scrapy's replaced text), as the decode did."""
    from lxml import etree
    from scrapy.http import HtmlResponse

    def tree(page: object) -> str:
        return etree.tostring(page.root, encoding="unicode")  # type: ignore[attr-defined]

    before, after = (x.encode() for x in part.split("{}"))
    for sequence in _malformed_utf8():
        body = before + sequence + after
        response = HtmlResponse(PAGE, body=body, headers=_HTML_UTF8)
        assert tree(parse_response(response)) == tree(parse_html(response.text)), body


# --- translation links: site paths are resolved once a process, other links on every page ---

@pytest.mark.parametrize("page_url", [
    "https://mpt.gov.by/ru/pozdravlenie",
    "https://mpt.gov.by/ru/news/01-11-2022-8143?page=2#x",
    "https://mpt.gov.by/",
])
@pytest.mark.parametrize(("href", "expected"), [
    ("/ru", None),  # a language's front page is no article
    ("/en/node/12", "https://mpt.gov.by/en/node/12"),
    (" /be/news/02-11-2022-8144 ", "https://mpt.gov.by/be/news/02-11-2022-8144"),
    ("/ru/x/../node/7?a=1#f", "https://mpt.gov.by/ru/node/7?a=1"),
    ("/be/%D0%B0%D0%B1", "https://mpt.gov.by/be/%D0%B0%D0%B1"),
    ("//www.mpt.gov.by/be/node/3", "https://mpt.gov.by/be/node/3"),  # another host's form
    ("//example.org/be/node/3", None),
    ("http://mpt.gov.by/en/node/4", "https://mpt.gov.by/en/node/4"),
])
def test_translation_links_resolve_the_same_on_every_page(page_url: str, href: str,
                                                          expected: str | None) -> None:
    assert common._article_url(href, page_url) == expected


def test_a_relative_translation_link_resolves_against_the_page() -> None:
    assert common._article_url("node/5", "https://mpt.gov.by/ru/x") == \
        "https://mpt.gov.by/ru/node/5"
    assert common._article_url("node/5", "https://mpt.gov.by/ru/node/1") is None  # /ru/node/node/5
    # a page outside the canonical site (a test's, an ad-hoc URL): resolved against it
    assert common._article_url("/ru/node/5", "http://127.0.0.1:8800/ru/x") is None


def test_a_site_path_link_is_resolved_once() -> None:
    common._article_site_path.cache_clear()
    for page in ("https://mpt.gov.by/ru/a", "https://mpt.gov.by/be/b?page=3"):
        assert common._article_url("/en/node/9", page) == "https://mpt.gov.by/en/node/9"
    info = common._article_site_path.cache_info()
    assert (info.misses, info.hits) == (1, 1)
