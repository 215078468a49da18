from __future__ import annotations

import pytest

from mptcrawler.attribution import split_attribution

PAGE = "https://mpt.gov.by/ru/x"


def source(html: str) -> dict[str, str | None] | None:
    _, found = split_attribution(html, PAGE)
    return found.as_dict() if found else None


def test_seed_line() -> None:
    html = ('<p>Текст.</p><p>Использована информация с сайта: '
            '<a href="http://www.belta.by">http://www.belta.by</a></p>')
    body, found = split_attribution(html, PAGE)
    assert body == "<p>Текст.</p>"
    assert found is not None and found.as_dict() == {
        "name": "belta.by", "url": "http://www.belta.by",
        "raw": "Использована информация с сайта: http://www.belta.by"}


@pytest.mark.parametrize(("html", "expected"), [
    ('<p>Источник: <a href="https://www.belta.by/x">БЕЛТА</a></p>',
     {"name": "БЕЛТА", "url": "https://www.belta.by/x", "raw": "Источник: БЕЛТА"}),
    ("<p>По информации пресс-службы Совета Министров.</p>",
     {"name": "пресс-службы Совета Министров", "url": None,
      "raw": "По информации пресс-службы Совета Министров."}),
    ('<p><a href="http://www.mpt.gov.by/ru/news/01-11-2022-8143">Подробности тут</a></p>',
     {"name": "mpt.gov.by", "url": "https://mpt.gov.by/ru/news/01-11-2022-8143",
      "raw": "Подробности тут"}),
    ('<p>Крыніца: <a href="https://blr.belta.by">БЕЛТА</a></p>',
     {"name": "БЕЛТА", "url": "https://blr.belta.by", "raw": "Крыніца: БЕЛТА"}),
])
def test_forms(html: str, expected: dict[str, str | None]) -> None:
    assert source("<p>Текст.</p>" + html + "<p>&nbsp;</p>") == expected


@pytest.mark.parametrize("html", [
    "<p>Текст. По информации БЕЛТА, всё хорошо.</p><p>Ещё абзац.</p>",  # not the last paragraph
    "<p>Текст.</p><p>По информации БЕЛТА, рост составил 5 %, что выше плана. Ещё фраза.</p>x",
    "<ul><li>Источник: БЕЛТА</li></ul>",
    "<p>Источник:</p>",
])
def test_no_attribution(html: str) -> None:
    body, found = split_attribution(html, PAGE)
    assert found is None and body == html
