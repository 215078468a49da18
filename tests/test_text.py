"""Markup stripping on small handmade snippets, one rule each."""

from __future__ import annotations

from mptcrawler.markdown import html_to_markdown
from mptcrawler.text import html_to_text


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
