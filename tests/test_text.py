"""Markup stripping on small handmade snippets, one rule each."""

from __future__ import annotations

import sys

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from mptcrawler import markdown, text
from mptcrawler.markdown import html_to_markdown
from mptcrawler.text import (
    LINK,
    SKIP_TAGS,
    drop,
    html_to_text,
    inline_lines,
    normalise_inline,
    parse_fragment,
)


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    assert html_to_text("<p>Один.</p>\n\n<p>Два.</p><p> </p><p>Три.</p>") == \
        "Один.\n\nДва.\n\nТри."


def test_source_line_breaks_are_spaces_and_br_is_a_line_break() -> None:
    assert html_to_text("<p>один\n    два<br>три<br/>\nчетыре</p>") == "один два\nтри\nчетыре"


def test_invisible_characters() -> None:
    html = "<p>мяг&shy;кий&nbsp;пере\u200bнос\ufeff и&#160;пробел</p>"
    assert html_to_text(html) == "мягкий перенос и пробел"


def test_entities_are_decoded_and_other_characters_kept() -> None:
    html = "<p>&laquo;ТИБО&raquo; &mdash; &#8470;&nbsp;1 &amp; прострaнстве &quot;q&quot;</p>"
    assert html_to_text(html) == "«ТИБО» — № 1 & прострaнстве \"q\""


def test_lists() -> None:
    html = ("<ul><li>один</li><li>два<ol><li>а</li><li>б</li></ol></li></ul>"
            "<ol start='3'><li>x</li></ol>")
    assert html_to_text(html) == "- один\n- два\n  1. а\n  2. б\n\n3. x"


def test_tables() -> None:
    html = "<table><tr><th>Год</th><th>Число</th></tr><tr><td>2020</td><td> 5 </td></tr></table>"
    assert html_to_text(html) == "Год | Число\n2020 | 5"


def test_scripts_styles_comments_and_image_only_paragraphs_leave_nothing() -> None:
    html = ("<p>до</p><script>var x = 1;</script><style>p{}</style><!-- комментарий -->"
            "<p><img src='/a.jpg' alt='фото'></p><p>после</p>")
    assert html_to_text(html) == "до\n\nпосле"


def test_inline_text_between_blocks_is_a_paragraph() -> None:
    assert html_to_text("голый <b>текст</b><p>абзац</p>хвост") == "голый текст\n\nабзац\n\nхвост"


def test_headings_and_quotes_are_blocks() -> None:
    assert html_to_text("<h3>Заголовок</h3><blockquote><p>Цитата</p></blockquote>") == \
        "Заголовок\n\nЦитата"


def test_markdown_keeps_links_emphasis_lists_tables() -> None:
    html = ('<p>Ссылка <a href="http://www.mpt.gov.by/ru/news">тут</a> и <strong>жирный</strong>'
            '</p><ul><li>a</li></ul><table><tr><th>h</th></tr><tr><td>1</td></tr></table>')
    assert html_to_markdown(html, "https://mpt.gov.by/ru/x") == (
        "Ссылка [тут](https://mpt.gov.by/ru/news) и **жирный**\n\n- a\n\n| h |\n| --- |\n| 1 |")


def test_markdown_autolinks_a_url_written_as_its_own_text() -> None:
    html = '<p>Сайт: <a href="http://www.belta.by">http://www.belta.by</a></p>'
    assert html_to_markdown(html, "https://mpt.gov.by/x") == "Сайт: <http://www.belta.by>"


def test_markdown_has_no_script_text_and_one_line_paragraphs() -> None:
    html = "<p>раз\n   два</p><script>var x=1;</script><p>три<br>четыре</p>"
    assert html_to_markdown(html, "https://mpt.gov.by/x") == "раз два\n\nтри\\\nчетыре"


def test_captions_belong_to_images_not_to_text() -> None:
    html = ('<p>до</p><figure><img src="/a.jpg" alt="x"><figcaption>Подпись</figcaption></figure>'
            "<p>после</p>")
    assert html_to_text(html) == "до\n\nпосле"
    assert "Подпись" not in html_to_markdown(html, "https://mpt.gov.by/x")


# --- each rule's both sides and boundaries (expected values written by hand) -------------------

def test_an_empty_body_is_empty_text() -> None:
    assert html_to_text("") == ""
    assert parse_fragment("<p>a</p>").tag == "div"  # the documented one <div> around a fragment


# Written out, not taken from SKIP_TAGS: a tag dropped from it must fail here. <input> is void
# (no text of its own); <form> closes an open paragraph in lxml, so it is tested between blocks.
SKIPPED = ["script", "style", "noscript", "template", "iframe", "object", "svg", "button",
           "select", "textarea", "figcaption"]


@pytest.mark.parametrize("tag", SKIPPED)
def test_skipped_tags_leave_nothing_inside_a_paragraph(tag: str) -> None:
    assert html_to_text(f"<p>до <{tag}>скрыто</{tag}> после</p>") == "до после"
    assert html_to_text(f"<p>до <span><{tag}>скрыто</{tag}></span> после</p>") == "до после"


@pytest.mark.parametrize("tag", [*SKIPPED, "form"])
def test_skipped_tags_leave_nothing_between_blocks(tag: str) -> None:
    assert html_to_text(f"<p>а</p><{tag}>скрыто</{tag}><p>б</p>") == "а\n\nб"
    assert tag in SKIP_TAGS


def test_inline_markup_keeps_its_text() -> None:
    assert html_to_text("<p>до <span>a</span> <em>b</em> <a href='/x'>c</a> <u>d</u> "
                        "<input value='v'>после</p>") == "до a b c d после"


def test_comments_inside_a_paragraph_leave_nothing() -> None:
    assert html_to_text("<p>раз<!-- скрыто -->два <b>три<!-- и это --></b></p>") == "раздва три"


def test_blocks_inside_a_block_stay_blocks() -> None:
    assert html_to_text("<div><p>один</p><p>два</p></div>") == "один\n\nдва"
    assert html_to_text("<div>один <b>два</b><!-- x --> три</div>") == "один два три"
    assert html_to_text("<section>до<h2>Заголовок</h2>после</section>") == \
        "до\n\nЗаголовок\n\nпосле"


def test_a_rule_leaves_nothing() -> None:
    assert html_to_text("<p>до</p><hr><p>после</p>") == "до\n\nпосле"


def test_tails_of_inline_elements_between_blocks_keep_their_order() -> None:
    html = "<b>A</b> x <i>B</i> y <script>s</script> z<!-- c --> w<p>P</p>"
    assert html_to_text(html) == "A x B y z w\n\nP"


def test_br_in_text_between_blocks() -> None:
    assert html_to_text("раз<br>два<p>три</p>") == "раз\nдва\n\nтри"


@pytest.mark.parametrize(("start", "first"), [("3", "3"), ("", "1"), ("x", "1"), ("-2", "1"),
                                              ("0", "0")])
def test_ordered_list_start(start: str, first: str) -> None:
    assert html_to_text(f"<ol start='{start}'><li>a</li><li>b</li></ol>") == \
        f"{first}. a\n{int(first) + 1}. b"


def test_list_items_only() -> None:
    # a comment and stray elements in a list are not items, and do not end the list
    assert html_to_text("<ul><!-- c --><p>x</p><li>a</li><div>d</div><li>b</li></ul>") == \
        "- a\n- b"


def test_nested_lists_of_both_kinds_and_inline_markup_in_items() -> None:
    html = ("<ul><li>один <b>жирный</b><br>строка<ul><li>вложенный</li></ul></li>"
            "<li>два<ol><li>а</li></ol></li></ul>")
    assert html_to_text(html) == "- один жирный строка\n  - вложенный\n- два\n  1. а"


def test_an_empty_item_has_no_line_but_its_nested_list_has() -> None:
    assert html_to_text("<ul><li><ul><li>в</li></ul></li><li> </li></ul>") == "  - в"


def test_table_cells_with_line_breaks_and_empty_rows() -> None:
    html = ("<table><tr><td>a<br>b</td><td><!-- c -->x</td></tr><tr><td> </td></tr>"
            "<tr><td>1</td><th>2</th></tr></table>")
    assert html_to_text(html) == "a b | x\n1 | 2"


# --- the fast paths of normalise_inline and of the Markdown text nodes: a printable string is
# folded without the regexes. They rest on str.isprintable refusing every character the regexes
# remove or fold except U+0020, and every other character str.split() splits at.

def test_no_printable_character_but_the_space_is_invisible_or_white_space() -> None:
    printable = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable()]
    assert len(printable) > 100_000  # the test walks the real table, not an empty one
    offenders = [c for c in printable if c != " " and (
        c.isspace() or text.INVISIBLE.match(c) or text._SPACES.match(c)
        or markdown._SPACES.match(c))]
    assert offenders == []
    # and what the regexes remove or fold is refused, the space alone excepted
    assert [c for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff\t\n\r\f\v\u00a0\u2007\u202f"
            if c.isprintable()] == []


@pytest.mark.parametrize(("line", "expected"), [
    ("", ""),
    ("   ", ""),
    ("один два", "один два"),  # printable, nothing to fold
    ("  один   два  ", "один два"),  # printable, runs of spaces
    (" один\n\tдва ", "один два"),  # controls: the regex path
    ("мяг\u00adкий\u00a0 пере\u200bнос\ufeff", "мягкий перенос"),
    ("a\u2003  b\u3000", "a\u2003 b"),  # em space is no space of the page's; strip() drops \u3000
    ("a\n\u00adb\u00a0\u00a0c\n", "a b c"),  # printable once line breaks, nbsp, shy are done
    ("a\n\u2003 b", "a \u2003 b"),  # still unprintable then: the regexes
    # Each character is replaced on its own, whatever is next to it ("at the turn of the XX and
    # XXI centuries", broken in the source, with a no-break space, hyphenated softly).
    ("рубеж XX\nXXI веков", "рубеж XX XXI веков"),
    ("рубеж XX\u00a0XXI веков", "рубеж XX XXI веков"),
    ("рубеж XX\u00adXXI веков", "рубеж XXXXI веков"),
])
def test_normalise_inline(line: str, expected: str) -> None:
    assert normalise_inline(line) == expected


_LINE_PARTS = st.sampled_from(["a", "дом", "*", "_", " ", "  ", "\n", "\t", "\u00a0", "\u00ad",
                               "\u200b", "\u2007", "\u2003", "\u3000", "\x85", "\x1f", "1"])


@given(st.lists(_LINE_PARTS, max_size=12).map("".join))
def test_normalise_inline_is_the_two_regexes(line: str) -> None:
    assert normalise_inline(line) == text._SPACES.sub(" ", text.INVISIBLE.sub("", line)).strip()


@given(st.lists(_LINE_PARTS, max_size=12).map("".join))
def test_markdown_text_nodes_are_the_three_regexes(value: str) -> None:
    folded = markdown._SPACES.sub(" ", text.INVISIBLE.sub("", value).replace("\u00a0", " "))
    expected = markdown._ESCAPE.sub(r"\\\1", folded)
    assert markdown._Markdown("https://mpt.gov.by/ru/x").text(value) == expected


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>раз  два</p>", "раз два"),
    ("<p>раз два_три</p>", "раз два\\_три"),
    ("<p>раз\u00a0два\u00adтри</p>", "раз дватри"),
    ("<p> раз <b>два</b>  три </p>", "раз **два** три"),
    ("<p>a\n\u00adb\u00a0\u00a0c <i>d\n\u2003 e</i></p>", "a b c *d \u2003 e*"),
])
def test_markdown_of_printable_and_other_text_nodes(html: str, expected: str) -> None:
    assert html_to_markdown(html, "https://mpt.gov.by/ru/x") == expected


def test_a_run_keeps_the_order_of_texts_tails_and_breaks_around_skipped_children() -> None:
    html = "a<!--c-->b<script>x</script>c<b>d<br>e</b>f<p>g</p>h<i>i</i>"
    assert html_to_text(html) == "abcd\nef\n\ng\n\nhi"


# --- the helpers other modules call (attribution, parsers): each rule's sides, by hand --------

def test_parse_fragment_fails_as_lxml_html_does() -> None:
    # lxml.html.fragment_fromstring's errors, message for message: a document with no element,
    # and one without exactly one body (libxml2 writes none for a bare <html>).
    with pytest.raises(etree.ParserError, match=r"^Document is empty$"):
        parse_fragment("<!DOCTYPE html>")
    with pytest.raises(AssertionError, match=r"^too many bodies: \[\] in '<html></html>'$"):
        parse_fragment("<html></html>")


# U+000B is what Word writes for a line break, and pages pasted from it keep it; lxml's parser
# keeps every C0 control but refuses to be given one (ValueError), and a fragment built by
# giving a new element the parsed children lost them when serialised ("Текстещё").
CONTROLS = "\x0b\x0c\x1b"


def test_parse_fragment_keeps_c0_controls_in_text_and_in_its_serialisation() -> None:
    root = parse_fragment("\x1b<p>Текст\x0bещё\x0cи\x1bтак</p>хвост\x0b")
    assert root.tag == "div" and root.getparent() is None and not root.attrib
    assert root.text == "\x1b"
    assert root[0].text == "Текст\x0bещё\x0cи\x1bтак" and root[0].tail == "хвост\x0b"
    assert lxml.html.tostring(root[0], encoding="unicode") == (
        "<p>Текст\x0bещё\x0cи\x1bтак</p>хвост\x0b")
    # a document's body, with its attributes: the fragment is still a bare <div>
    full = parse_fragment('<html><body class="x" id="y"><p>a</p></body></html>')
    assert full.tag == "div" and not full.attrib and full.tail is None and full[0].text == "a"
    assert parse_fragment(" \n<p>a</p>").text is None  # white space alone before it is dropped


@pytest.mark.parametrize("control", list(CONTROLS))
def test_drop_keeps_a_tail_holding_a_c0_control(control: str) -> None:
    root = parse_fragment(f"<p>a</p><div>widget</div>{control}b<p>c</p>")
    drop(root[1])
    assert lxml.html.tostring(root[0], encoding="unicode") == f"<p>a</p>{control}b"
    assert [child.tag for child in root] == ["p", "p"]
    root = parse_fragment(f"<div>widget</div>{control}b<p>c</p>")
    drop(root[0])
    assert root.text == f"{control}b" and [child.tag for child in root] == ["p"]


def test_c0_controls_are_white_space_or_kept_in_text_never_glue_words() -> None:
    assert html_to_text("<p>Текст\x0bещё\x0cи\x1bтак</p>") == "Текст ещё и\x1bтак"


def test_inline_lines_marks_where_each_link_begins_when_asked() -> None:
    # attribution.py places an attribution's links on its lines by these marks: at any depth,
    # inside an element that is a line of its own, never for another tag, never unasked.
    div = parse_fragment('<div>Фото: <b>Иванов</b><br>Источник: <a href="/1">БЕЛТА</a> и '
                         '<span><a href="/2">РИА</a></span><p>Ещё <em><a href="/3">x</a></em>'
                         "</p></div>")[0]
    assert inline_lines(div, links=True) == [
        "Фото: Иванов", f"Источник: {LINK}БЕЛТА и {LINK}РИА", f"Ещё {LINK}x"]
    assert inline_lines(div) == ["Фото: Иванов", "Источник: БЕЛТА и РИА", "Ещё x"]


def test_inline_lines_reads_its_own_element_even_a_skipped_tag() -> None:
    # parsers/common.py reads an image's caption this way: the <figcaption> it is given is
    # skipped only as a child of a body, never as the element asked about.
    caption = parse_fragment("<figure><figcaption>Фото: <b>БелТА</b><br>2024</figcaption></figure>")
    assert inline_lines(caption[0][0]) == ["Фото: БелТА", "2024"]
    assert inline_lines(parse_fragment("<p>a<script>x</script>b</p>")[0]) == ["ab"]


# --- blocks inside an inline run: their texts are not glued into one word ----------------------
# (an element of text.LINE_TAGS begins and ends a line; inline elements still join with nothing
# added). Markup as Drupal writes it: a D8+ card link around a heading, a teaser and a date; D7
# theme_field (modules/field/field.module), which writes its label and item divs with no white
# space between them; text pasted from a word processor, paragraphs inside a span.


def test_a_card_links_heading_teaser_and_date_are_lines_of_their_own() -> None:
    card = parse_fragment('<a href="/ru/news/x"><h3>Заголовок 100</h3><p>Текст</p>'
                          "<time>15.03.2019</time></a>")[0]
    assert inline_lines(card) == ["Заголовок 100", "Текст", "15.03.2019"]


def test_the_label_and_items_of_a_d7_field_are_lines_of_their_own() -> None:
    field = parse_fragment(
        '<span><div class="field field-name-field-tags"><div class="field-label">Теги:&nbsp;'
        '</div><div class="field-items"><div class="field-item even">связь</div>'
        '<div class="field-item odd">почта</div></div></div></span>')[0]
    assert inline_lines(field) == ["Теги:", "связь", "почта"]


def test_list_items_table_cells_and_definitions_inside_a_run_are_lines() -> None:
    assert inline_lines(parse_fragment("<span><ul><li>один</li><li>два</li></ul></span>")[0]) \
        == ["один", "два"]
    assert inline_lines(parse_fragment("<span><dl><dt>Адрес</dt><dd>Минск</dd></dl></span>")[0]) \
        == ["Адрес", "Минск"]
    # (libxml2 closes an <a> or <span> before a <table>: a table inside a cell, here)
    assert inline_lines(parse_fragment(
        "<table><tr><td><table><tr><td>1</td><td>2</td></tr></table></td></tr></table>"
    )[0].find(".//td")) == ["1", "2"]


def test_an_empty_block_still_ends_the_line() -> None:
    # A reader sees "до" and "после" on two lines: an empty div is a block all the same.
    assert inline_lines(parse_fragment("<a href='/x'>до<div></div>после</a>")[0]) == \
        ["до", "после"]


def test_inline_elements_still_join_with_nothing_added() -> None:
    # The guard on the other side (these pass on main too): only a block separates. The seed's
    # Latin "a" (U+0061) inside a Russian word stays, and stays inside the word.
    assert inline_lines(parse_fragment("<p><b>Мин</b>связи</p>")[0]) == ["Минсвязи"]
    assert inline_lines(parse_fragment("<p>простр<span>a</span>нстве</p>")[0]) == \
        ["прострaнстве"]
    assert "\u0061" in inline_lines(parse_fragment("<p>простр<span>a</span>нстве</p>")[0])[0]
    assert inline_lines(parse_fragment("<h3><a href='/x'>Мин<i>связи</i></a></h3>")[0]) == \
        ["Минсвязи"]


def test_blocks_inside_a_bodys_inline_run_are_paragraphs() -> None:
    # Word-processor paste: paragraphs inside a span are paragraphs, as at the top level.
    assert html_to_text("<div><span><p>Первый абзац.</p><p>Второй абзац.</p></span></div>") == \
        "Первый абзац.\n\nВторой абзац."
    assert html_to_text('<p>См. <a href="/x"><div>Заголовок</div><div>Текст</div></a> выше</p>') \
        == "См.\n\nЗаголовок\n\nТекст\n\nвыше"
    # <br> inside one of them is still a line break of its paragraph; a <br> before a block
    # adds no empty paragraph.
    assert html_to_text("<span><p>а<br>б</p><p>в</p></span>") == "а\nб\n\nв"
    assert html_to_text("<p>x<br><span><div>a</div></span></p>") == "x\n\na"
    assert html_to_text("<dl><dt>Адрес</dt><dd>Минск</dd></dl>") == "Адрес\n\nМинск"


def test_a_list_items_and_a_cells_paragraphs_stay_on_their_line() -> None:
    # A list item is one line, a table row one line (the module's rules): its blocks are
    # separated by a space there.
    assert html_to_text("<ul><li><p>Первый.</p><p>Второй.</p></li></ul>") == \
        "- Первый. Второй."
    assert html_to_text("<table><tr><td><p>а</p><p>б</p></td><td>в</td></tr></table>") == \
        "а б | в"


def _tree(html: str) -> etree._Element:
    return etree.fromstring(html)


def test_drop_moves_the_tail_onto_the_previous_sibling() -> None:
    root = _tree("<div>a<b>x</b>t1<i>y</i>t2<u>z</u></div>")
    drop(root[1])
    assert etree.tostring(root, encoding="unicode") == "<div>a<b>x</b>t1t2<u>z</u></div>"
    root = _tree("<div><b>x</b><i>y</i>t2</div>")  # a previous sibling without a tail
    drop(root[1])
    assert etree.tostring(root, encoding="unicode") == "<div><b>x</b>t2</div>"


def test_drop_moves_the_tail_of_a_first_child_onto_the_parent_text() -> None:
    root = _tree("<div>a<b>x</b>t1<i>y</i></div>")
    drop(root[0])
    assert etree.tostring(root, encoding="unicode") == "<div>at1<i>y</i></div>"
    root = _tree("<div><b>x</b>t1</div>")  # a parent without text
    drop(root[0])
    assert etree.tostring(root, encoding="unicode") == "<div>t1</div>"


def test_drop_without_a_tail_and_twice() -> None:
    root = _tree("<div>a<b>x</b><i>y</i></div>")
    b = root[0]
    drop(b)
    assert etree.tostring(root, encoding="unicode") == "<div>a<i>y</i></div>"
    drop(b)  # already dropped (a widget inside another one): nothing happens, nothing fails
    assert etree.tostring(root, encoding="unicode") == "<div>a<i>y</i></div>"
    lone = _tree("<div>a</div>")
    drop(lone)  # a root has no parent either
    assert etree.tostring(lone, encoding="unicode") == "<div>a</div>"
