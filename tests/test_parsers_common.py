from __future__ import annotations

import pytest

from mptcrawler.parsers import ParseError, detect_era, parse_article, parse_html, parse_response
from mptcrawler.parsers.common import (
    attachment,
    attribute,
    drop_widgets,
    images,
    size_from_label,
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
