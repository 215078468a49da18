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
