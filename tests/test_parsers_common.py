from __future__ import annotations

import pytest

from mptcrawler.parsers import parse_article, parse_html, parse_response
from mptcrawler.parsers.common import (
    attachment,
    attribute,
    drop_widgets,
    images,
    size_from_label,
)

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
