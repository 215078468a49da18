"""Attributions on small handmade snippets, one rule each."""

from __future__ import annotations

from typing import Any

import pytest

from mptcrawler.attribution import split_attribution

PAGE = "https://mpt.gov.by/ru/x"


def sources(html: str) -> list[dict[str, Any]]:
    return [s.as_dict() for s in split_attribution(html, PAGE).sources]


def test_seed_line() -> None:
    html = ('<p>Текст.</p><p>Использована информация с сайта: '
            '<a href="http://www.belta.by">http://www.belta.by</a></p>')
    found = split_attribution(html, PAGE)
    assert found.body_html == "<p>Текст.</p>"
    assert [s.as_dict() for s in found.sources] == [{
        "name": "belta.by", "url": "http://www.belta.by",
        "raw": "Использована информация с сайта: http://www.belta.by", "kind": "attribution"}]


@pytest.mark.parametrize(("html", "expected"), [
    ('<p>Источник: <a href="https://www.belta.by/x">БЕЛТА</a></p>',
     {"name": "БЕЛТА", "url": "https://www.belta.by/x", "raw": "Источник: БЕЛТА",
      "kind": "attribution"}),
    ("<p>По информации пресс-службы Совета Министров.</p>",
     {"name": "пресс-службы Совета Министров", "url": None,
      "raw": "По информации пресс-службы Совета Министров.", "kind": "attribution"}),
    ('<p><a href="http://www.mpt.gov.by/ru/news/01-11-2022-8143">Подробности тут</a></p>',
     {"name": "mpt.gov.by", "url": "https://mpt.gov.by/ru/news/01-11-2022-8143",
      "raw": "Подробности тут", "kind": "read_more"}),
    ('<p>Подробный материал читайте <a href="https://www.belta.by/y">тут</a></p>',
     {"name": "belta.by", "url": "https://www.belta.by/y", "raw": "Подробный материал читайте тут",
      "kind": "read_more"}),
    ('<p>Крыніца: <a href="https://blr.belta.by">БЕЛТА</a></p>',
     {"name": "БЕЛТА", "url": "https://blr.belta.by", "raw": "Крыніца: БЕЛТА",
      "kind": "attribution"}),
])
def test_forms(html: str, expected: dict[str, Any]) -> None:
    assert sources("<p>Текст.</p>" + html + "<p>&nbsp;</p>") == [expected]


def test_several_lines_in_page_order_with_a_photo_credit() -> None:
    html = ("<p>Текст.</p><p>Фото: пресс-служба Минсвязи</p>"
            "<p>По информации пресс-службы ОАЦ.</p>"
            '<p>Источник: <a href="https://www.belta.by/x">БЕЛТА</a></p>')
    found = split_attribution(html, PAGE)
    assert found.body_html == "<p>Текст.</p>"
    assert [s.raw for s in found.sources] == ["По информации пресс-службы ОАЦ.", "Источник: БЕЛТА"]
    assert found.photo_credit is not None
    assert found.photo_credit.as_dict() == {"name": "пресс-служба Минсвязи",
                                            "raw": "Фото: пресс-служба Минсвязи"}


def test_lines_of_one_paragraph() -> None:
    html = ('<p>Текст.</p><p>Источник: <a href="https://www.belta.by/x">БЕЛТА</a><br>'
            "Фото: Иван Иванов</p>")
    found = split_attribution(html, PAGE)
    assert [s.raw for s in found.sources] == ["Источник: БЕЛТА"]
    assert found.photo_credit is not None and found.photo_credit.name == "Иван Иванов"


@pytest.mark.parametrize("opening", [
    "10 ноября, Минск /Корр. БЕЛТА/.", "<strong>10 ноября, Минск /Корр. БЕЛТА/.</strong>",
    "10&nbsp;ноября, Минск /Корр. БЕЛТА/.", "МИНСК, 10 ноября (БЕЛТА) –",
])
def test_belta_dateline(opening: str) -> None:
    found = split_attribution(f"<p>{opening} Министр провел прием.</p><p>Ещё.</p>", PAGE)
    assert found.body_html == "<p>Министр провел прием.</p><p>Ещё.</p>"
    assert [(s.name, s.kind) for s in found.sources] == [("БЕЛТА", "dateline")]


@pytest.mark.parametrize("html", [
    "<p>Текст. По информации БЕЛТА, всё хорошо.</p><p>Ещё абзац.</p>",  # not the last paragraph
    "<p>Текст.</p><p>По информации БЕЛТА, рост составил 5 %, что выше плана. Ещё фраза.</p>x",
    "<p>Текст.</p><p>По информации БЕЛТА, рост составил 5 %.</p>",  # news, not a source name
    "<ul><li>Источник: БЕЛТА</li></ul>",
    "<p>Источник:</p>",
    "<p>Источник: БЕЛТА<br>и ещё одна строка новости</p>",  # not every line is an attribution
    "<p>В Минске 10 ноября прошел форум.</p>",  # a date first, but no dateline
])
def test_no_attribution(html: str) -> None:
    found = split_attribution(html, PAGE)
    assert found.sources == [] and found.photo_credit is None and found.body_html == html


# --- each rule's both sides and boundaries (expected values written by hand) -------------------

def only(html: str) -> dict[str, Any]:
    """The one source of a body ending with ``html``; the body must keep only its text."""
    found = split_attribution("<p>Текст.</p>" + html, PAGE)
    assert found.body_html == "<p>Текст.</p>"
    assert len(found.sources) == 1
    return found.sources[0].as_dict()


@pytest.mark.parametrize(("line", "name"), [
    ("Использована информация сайта: БЕЛТА", "БЕЛТА"),
    ("Использована информация: БЕЛТА.", "БЕЛТА"),
    ("Использованы материалы: БЕЛТА", "БЕЛТА"),
    ("Использованы материалы сайта: БЕЛТА", "БЕЛТА"),
    ("ИСТОЧНИК : пресс-служба", "пресс-служба"),
    ("Выкарыстана інфармацыя з сайта: БЕЛТА", "БЕЛТА"),
    ("Source: BelTA", "BelTA"),
    ("По материалам БЕЛТА", "БЕЛТА"),
    ("По данным Белстата.", "Белстата"),
    ("Па інфармацыі прэс-службы", "прэс-службы"),
    ("According to BelTA", "BelTA"),
    ("По информации ОАЦ", "ОАЦ"),  # the shortest name: two characters
    ("По информации " + "б" * 80, "б" * 80),  # the longest: eighty
])
def test_labelled_lines_without_a_link(line: str, name: str) -> None:
    assert only(f"<p>{line}</p>") == {"name": name, "url": None, "raw": line,
                                      "kind": "attribution"}


@pytest.mark.parametrize("line", [
    "По информации Б",  # a name of one character
    "По информации " + "б" * 81,  # a name too long to be one
    "По информации БЕЛТА; рост 5 %",
    "По информации БЕЛТА! Рост",
    "По сведениям БЕЛТА",
    "Информация: БЕЛТА",
    "Подробности здесь",
    "Подробности тут",  # "read more" without a link has nowhere to point
    "Фото",
    "Источник БЕЛТА",
])
def test_lines_that_are_not_attributions(line: str) -> None:
    html = f"<p>Текст.</p><p>{line}</p>"
    found = split_attribution(html, PAGE)
    assert (found.body_html, found.sources, found.photo_credit) == (html, [], None)


def test_a_line_of_200_characters_can_be_an_attribution_201_cannot() -> None:
    line = "Источник: " + "б" * 190
    assert len(line) == 200
    assert only(f"<p>{line}</p>")["name"] == "б" * 190
    html = f"<p>Текст.</p><p>{line}б</p>"
    assert split_attribution(html, PAGE).sources == []


@pytest.mark.parametrize(("line", "name"), [
    ("Фото: Иван Иванов.", "Иван Иванов"), ("Фота: БЕЛТА", "БЕЛТА"), ("Photo: BelTA", "BelTA"),
    ("ФОТО : пресс-служба", "пресс-служба"),
])
def test_photo_credits(line: str, name: str) -> None:
    found = split_attribution(f"<p>Текст.</p><p>{line}</p>", PAGE)
    assert found.body_html == "<p>Текст.</p>" and found.sources == []
    assert found.photo_credit is not None
    assert found.photo_credit.as_dict() == {"name": name, "raw": line}


@pytest.mark.parametrize("text", ["Подробность тут", "Подробнее тут.", "Read more here",
                                  "Падрабязнасці тут", "ПОДРОБНОСТИ ТУТ"])
def test_read_more_forms(text: str) -> None:
    assert only(f'<p><a href="https://www.belta.by/z">{text}</a></p>') == {
        "name": "belta.by", "url": "https://www.belta.by/z", "raw": text, "kind": "read_more"}


def test_a_relative_link_resolves_against_the_page() -> None:
    assert only('<p><a href="/ru/news/y">Подробности тут</a></p>') == {
        "name": "mpt.gov.by", "url": "https://mpt.gov.by/ru/news/y", "raw": "Подробности тут",
        "kind": "read_more"}
    assert only('<p>Источник: <a href="../z">БЕЛТА</a></p>')["url"] == "https://mpt.gov.by/z"


def test_the_link_text_is_the_name_and_a_url_as_text_is_its_host() -> None:
    assert only('<p>Источник: сайт <a href="https://belta.by/a">БЕЛТА</a></p>')["name"] == "БЕЛТА"
    assert only('<p>Источник: <a href="https://belta.by/a">www.belta.by/news/1</a></p>')[
        "name"] == "belta.by"
    assert only("<p>Источник: https://www.belta.by:443/x</p>")["name"] == "belta.by"


def test_a_last_paragraph_that_is_only_some_other_link_is_text() -> None:
    html = '<p>Текст.</p><p><a href="https://belta.by/x">Читайте также о форуме</a></p>'
    assert split_attribution(html, PAGE).body_html == html


def test_links_belong_to_their_lines_only_when_there_is_one_per_line() -> None:
    found = split_attribution(
        '<p>Текст.</p><p>Источник: <a href="https://belta.by/1">БЕЛТА</a><br>'
        'Источник: <a href="https://ria.ru/2">РИА</a></p>', PAGE)
    assert [(s.name, s.url) for s in found.sources] == [("БЕЛТА", "https://belta.by/1"),
                                                        ("РИА", "https://ria.ru/2")]


def test_a_link_belongs_to_the_line_it_is_on() -> None:
    # Two lines, one link: the link is the line's where it begins, whichever that is (the URL
    # was dropped while only one link per line was read).
    found = split_attribution('<p>Текст.</p><p>Источник: <a href="https://belta.by/1">БЕЛТА</a>'
                              "<br>Источник: РИА</p>", PAGE)
    assert [(s.name, s.url) for s in found.sources] == [("БЕЛТА", "https://belta.by/1"),
                                                        ("РИА", None)]
    found = split_attribution('<p>Текст.</p><p>Фото: Иван Петров<br>Использована информация с '
                              'сайта: <a href="http://www.belta.by">www.belta.by</a></p>', PAGE)
    assert found.body_html == "<p>Текст.</p>"
    assert [(s.name, s.url, s.raw) for s in found.sources] == [
        ("belta.by", "http://www.belta.by", "Использована информация с сайта: www.belta.by")]
    assert found.photo_credit is not None and found.photo_credit.name == "Иван Петров"
    # three lines, the link in the middle, inside other inline markup
    found = split_attribution('<p>Текст.</p><p>Источник: РИА<br><em>Источник: <a href='
                              '"https://belta.by/2">БЕЛТА</a></em><br>Источник: ТАСС</p>', PAGE)
    assert [(s.name, s.url) for s in found.sources] == [
        ("РИА", None), ("БЕЛТА", "https://belta.by/2"), ("ТАСС", None)]


def test_an_anchor_without_text_is_no_line_and_no_link() -> None:
    found = split_attribution('<p>Текст.</p><p>Источник: <a href="https://belta.by/1">БЕЛТА</a>'
                              '<br><a name="end"></a><br>Источник: РИА</p>', PAGE)
    assert [(s.name, s.url) for s in found.sources] == [("БЕЛТА", "https://belta.by/1"),
                                                        ("РИА", None)]


def test_a_link_the_text_leaves_out_is_no_line_s_link() -> None:
    # a link inside <noscript> is not read as text, so it is on no line; it took the line's
    # place while links were counted, not placed
    found = split_attribution('<p>Текст.</p><p>Источник: БЕЛТА<noscript><a href="https://x.by/">'
                              'x</a></noscript><br>Источник: <a href="https://ria.ru/2">РИА</a>'
                              "</p>", PAGE)
    assert [(s.name, s.url) for s in found.sources] == [("БЕЛТА", None),
                                                        ("РИА", "https://ria.ru/2")]


def test_two_links_on_one_line_of_several_is_not_an_attribution() -> None:
    # as many links as lines, but both on the first: not the second line's link
    html = ('<p>Текст.</p><p>Источник: <a href="https://belta.by/">БЕЛТА</a> и '
            '<a href="https://ria.ru/">РИА</a><br>Фото: Иван Петров</p>')
    found = split_attribution(html, PAGE)
    assert found.sources == [] and found.photo_credit is None
    assert found.body_html == html


def test_paragraphs_of_a_trailing_div_are_lines_of_their_own() -> None:
    # A wrapper div around the closing paragraphs: each paragraph is a line, as <br> makes
    # one; glued, the photo credit was part of the source's line.
    found = split_attribution('<p>Текст.</p><div><p>Источник: <a href="https://belta.by/1">'
                              'БЕЛТА</a></p><p>Фото: <a href="https://belta.by/2">Иван Петров'
                              "</a></p></div>", PAGE)
    assert found.body_html == "<p>Текст.</p>"
    assert [(s.name, s.url, s.raw) for s in found.sources] == [
        ("БЕЛТА", "https://belta.by/1", "Источник: БЕЛТА")]
    assert found.photo_credit is not None
    assert found.photo_credit.as_dict() == {"name": "Иван Петров", "raw": "Фото: Иван Петров"}


def test_more_links_than_lines_is_not_an_attribution() -> None:
    html = ('<p>Текст.</p><p>Источник: <a href="https://belta.by/">БЕЛТА</a> и '
            '<a href="https://ria.ru/">РИА</a></p>')
    assert split_attribution(html, PAGE).sources == []


@pytest.mark.parametrize("after", ["<script>var x;</script>", "<style>p{}</style>",
                                   "<!-- конец -->", "<p>&nbsp;</p>", "<div> </div>"])
def test_scripts_styles_comments_and_empty_paragraphs_after_the_attribution(after: str) -> None:
    found = split_attribution("<p>Текст.</p><p>Источник: БЕЛТА</p>" + after, PAGE)
    assert [s.raw for s in found.sources] == ["Источник: БЕЛТА"]
    assert found.body_html.startswith("<p>Текст.</p>")
    assert "Источник" not in found.body_html


@pytest.mark.parametrize("html", [
    "<p>Текст.</p><p>Источник: БЕЛТА</p><p><img src='/a.jpg'></p>",  # an image ends the body
    "<p>Текст.</p><ol><li>Источник: БЕЛТА</li></ol>",
    "<p>Текст.</p><table><tr><td>Источник: БЕЛТА</td></tr></table>",
    "<p>Текст.</p><span>Источник: БЕЛТА</span>",  # not a block
    "<p>Текст.</p><p>Источник: БЕЛТА</p>хвост",
    "<p>Текст&nbsp;с&nbsp;пробелами<br/>и строкой.</p>",  # returned as given, not re-serialized
    "просто текст без абзацев",
    "<p></p><p>Текст.</p>",
    "",
])
def test_bodies_without_attributions_are_returned_as_given(html: str) -> None:
    found = split_attribution(html, PAGE)
    assert (found.body_html, found.sources, found.photo_credit) == (html, [], None)


@pytest.mark.parametrize(("opening", "raw", "name"), [
    ("5 ноября, Минск /Корр. БЕЛТА/.", "5 ноября, Минск /Корр. БЕЛТА/.", "БЕЛТА"),  # one digit
    ("5 ноября, Нью-Йорк /БелТА/", "5 ноября, Нью-Йорк /БелТА/", "БелТА"),
    ("МИНСК, 5 ноября (БЕЛТА) —", "МИНСК, 5 ноября (БЕЛТА) —", "БЕЛТА"),
    ("БРЕСТ, 31 мая (БелТА) -", "БРЕСТ, 31 мая (БелТА) -", "БелТА"),
    (" 10 ноября, Минск /Корр. БЕЛТА/.", "10 ноября, Минск /Корр. БЕЛТА/.", "БЕЛТА"),
    ("<b>10 ноября, Минск /Корр. БЕЛТА/.</b>", "10 ноября, Минск /Корр. БЕЛТА/.", "БЕЛТА"),
    ("<em>10 ноября, Минск /Корр. БЕЛТА/.</em>", "10 ноября, Минск /Корр. БЕЛТА/.", "БЕЛТА"),
    ("<i>10 ноября, Минск /Корр. БЕЛТА/.</i>", "10 ноября, Минск /Корр. БЕЛТА/.", "БЕЛТА"),
])
def test_dateline_forms_and_their_raw_line(opening: str, raw: str, name: str) -> None:
    found = split_attribution(f"<p>{opening} Министр провел прием.</p>", PAGE)
    assert found.body_html == "<p>Министр провел прием.</p>"
    assert [s.as_dict() for s in found.sources] == [
        {"name": name, "url": None, "raw": raw, "kind": "dateline"}]


@pytest.mark.parametrize("html", [
    "<p>123 ноября, Минск /Корр. БЕЛТА/. Текст.</p>",  # three digits: no day
    "<p>Минск, 10 ноября (БЕЛТА) – Текст.</p>",  # the city of that form is in capitals
    "<p>10 ноября, Минск /Корр. РИА/. Текст.</p>",
    "<p><span>10 ноября, Минск /Корр. БЕЛТА/.</span> Текст.</p>",  # only emphasis holds one
    "<div>10 ноября, Минск /Корр. БЕЛТА/. Текст.</div>",  # the first block is no paragraph
    "<p>Текст.</p><p>10 ноября, Минск /Корр. БЕЛТА/. Текст.</p>",  # not the first paragraph
])
def test_not_a_dateline(html: str) -> None:
    found = split_attribution(html, PAGE)
    assert (found.body_html, found.sources) == (html, [])


def test_the_dateline_of_the_first_block_after_inline_markup() -> None:
    found = split_attribution('<a name="top"></a><p>10 ноября, Минск /Корр. БЕЛТА/. Текст</p>',
                              PAGE)
    assert found.body_html == '<a name="top"></a><p>Текст</p>'
    assert [s.kind for s in found.sources] == ["dateline"]


def test_emphasis_that_held_only_the_dateline_goes_and_other_emphasis_stays() -> None:
    found = split_attribution(
        "<p><strong>10 ноября, Минск /Корр. БЕЛТА/. Министр</strong> провел</p>", PAGE)
    assert found.body_html == "<p><strong>Министр</strong> провел</p>"
    found = split_attribution(
        "<p><strong>10 ноября, Минск /Корр. БЕЛТА/.</strong></p><p>Текст</p>", PAGE)
    assert found.body_html == "<p></p><p>Текст</p>"
    found = split_attribution("<p>10 ноября, Минск /Корр. БЕЛТА/.</p><p>Текст</p>", PAGE)
    assert found.body_html == "<p></p><p>Текст</p>"


def test_a_dateline_and_trailing_attributions_together() -> None:
    found = split_attribution("<p>МИНСК, 10 ноября (БЕЛТА) – Текст.</p><p>Фото: БЕЛТА</p>"
                              "<p>Источник: БЕЛТА</p>", PAGE)
    assert found.body_html == "<p>Текст.</p>"
    assert [(s.kind, s.raw) for s in found.sources] == [
        ("dateline", "МИНСК, 10 ноября (БЕЛТА) –"), ("attribution", "Источник: БЕЛТА")]
    assert found.photo_credit is not None and found.photo_credit.raw == "Фото: БЕЛТА"


def test_escaped_markup_before_the_first_element_stays_text() -> None:
    # A body that opens with text, not a paragraph (era-A pages do), and quotes markup in it:
    # what readers see is "AT&T <b> x", and taking the attribution away must not turn the
    # quoted "<b>" into an element (lost from the text) or the "&" into a bare one.
    html = "AT&amp;T &lt;b&gt; x<p>text</p><p>Источник: БЕЛТА</p>"
    found = split_attribution(html, PAGE)
    assert found.body_html == "AT&amp;T &lt;b&gt; x<p>text</p>"
    assert [s.name for s in found.sources] == ["БЕЛТА"]


def test_quotes_before_the_first_element_are_written_as_they_were() -> None:
    # Only "&", "<" and ">" need escaping in text, which is all lxml writes for a tail: quotes
    # and apostrophes before the first element stay characters (&quot; would be a change of the
    # body for no reason, and the same quote in a later paragraph is written plainly).
    html = "Он сказал: \"Да\" и 'нет'<p>\"текст\"</p><p>Источник: БЕЛТА</p>"
    found = split_attribution(html, PAGE)
    assert found.body_html == "Он сказал: \"Да\" и 'нет'<p>\"текст\"</p>"
    assert [s.name for s in found.sources] == ["БЕЛТА"]


def test_c0_controls_of_the_body_survive_taking_the_attribution_out() -> None:
    # The body is serialised again once its attribution is out: a Word line break (U+000B)
    # between two words was lost there ("Текстещё"), and a dateline or a dropped paragraph
    # holding one raised ValueError (lxml refuses such text when given it).
    found = split_attribution("<p>Текст\x0bещё\x1bи</p>\x0b<p>Источник: БЕЛТА</p>\x0c", PAGE)
    assert found.body_html == "<p>Текст\x0bещё\x1bи</p>\x0b\x0c"
    assert [s.name for s in found.sources] == ["БЕЛТА"]
    # a dateline whose paragraph holds one is left in the text, all of it
    html = "<p>10 ноября, Минск /Корр. БЕЛТА/. Текст\x0bещё.</p>"
    assert split_attribution(html, PAGE).body_html == html
    html = "<p><strong>10 ноября, Минск /Корр. БЕЛТА/.</strong>\x0bТекст.</p><p>Ещё.</p>"
    found = split_attribution(html, PAGE)
    assert [s.kind for s in found.sources] == ["dateline"]
    assert found.body_html == "<p>\x0bТекст.</p><p>Ещё.</p>"
