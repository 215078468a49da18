"""Checks shared by the per-era article tests (one module per page type, same stem as its
fixture): the snapshot holds, and the trafilatura-style must-stay / must-go lists hold."""

from __future__ import annotations

import dataclasses
from typing import Any

from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import parse_article
from mptcrawler.pipelines import process_offline

from .conftest import FROZEN_NOW, fixture_page, snapshot

# Page chrome of every era: none of it may reach an item's text or markdown.
CHROME = [
    "Тел.: +375 (17) 287 87 06\nФакс",  # the header contacts block
    "220030, г. Минск, пр-т Независимости, 10\n",
    "Версия для печати",
    "Главная",
    "Последние новости",
    "Поделиться",
    "ВКонтакте",
    "© 2009–2026",
    "Обновлено: 20.11.2026",
    "О Министерстве",
    "Поиск",
    "var ",
    "jQuery",
    "{",
]


def item_of(stem: str) -> dict[str, Any]:
    url = snapshot(stem)["provenance"]["path"]
    page = parse_article(fixture_page(stem), "https://mpt.gov.by" + url)
    return exported(process_offline(article_from_page(page, FROZEN_NOW)))


def page_of(stem: str) -> dict[str, Any]:
    url = "https://mpt.gov.by" + snapshot(stem)["provenance"]["path"]
    fields = dataclasses.asdict(parse_article(fixture_page(stem), url))
    del fields["body_html"]
    return fields


def assert_stays_and_goes(item: dict[str, Any], must_stay: list[str], must_go: list[str]) -> None:
    for text in must_stay:
        assert text in item["text"], f"lost from text: {text!r}"
    for text in must_go + CHROME:
        assert text not in item["text"], f"leaked into text: {text!r}"
        assert text not in item["markdown"], f"leaked into markdown: {text!r}"


def without_body_evidence(html: str) -> str:
    """A redesign that leaves no Drupal evidence of the body field: no ``field-name-body`` /
    ``field--name-body`` class, no text-with-summary field type, no RDF ``content:encoded``
    or ``schema:text`` (every body evidence parsers/drupal.py reads)."""
    for old, new in (("field-name-body", "story"), ("field--name-body", "story"),
                     ("field-type-text-with-summary", "rich"),
                     ("field--type-text-with-summary", "rich"),
                     ('property="content:encoded"', ""), ('property="schema:text"', "")):
        html = html.replace(old, new)
    return html
