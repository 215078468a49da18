"""Era C article (newer Drupal, /{lang}/<slug>; this one has no alias: /ru/node/9808)."""

from __future__ import annotations

from .article_checks import assert_stays_and_goes, item_of, page_of
from .conftest import fixture_text, snapshot

STEM = "era_c_article"


def test_parser_snapshot() -> None:
    assert page_of(STEM) == snapshot(STEM)["page"]


def test_item_snapshot() -> None:
    assert item_of(STEM) == snapshot(STEM)["item"]


def test_minsk_day_not_the_utc_day() -> None:
    # 00:35 in Minsk on 9 November is 21:35 UTC on the 8th: the attribute's day is not the date.
    assert page_of(STEM)["structured_date"] == "2024-11-08T21:35:00Z"
    item = item_of(STEM)
    assert (item["published_raw"], item["published"]) == ("09.11.2024", "2024-11-09")


def test_node_id_from_the_article_element() -> None:
    assert item_of(STEM)["node_id"] == 9808


def test_field_image_then_figure_with_caption() -> None:
    assert item_of(STEM)["images"] == [
        {"url": "https://mpt.gov.by/sites/default/files/styles/large/public/2024-11/"
                "photo_9808.jpg?itok=cc410d06", "alt": "Участники совещания", "caption": None},
        {"url": "https://mpt.gov.by/sites/default/files/inline-images/photo_20241109.jpg",
         "alt": "Министр связи и информатизации", "caption": "Участники форума"}]


def test_attribution_and_read_more_are_both_sources() -> None:
    item = item_of(STEM)
    assert [s["kind"] for s in item["sources"]] == ["attribution", "read_more"]
    assert item["sources"][1] == {"name": "mpt.gov.by", "url": "https://mpt.gov.by/ru/news",
                                  "raw": "Подробности тут", "kind": "read_more"}


def test_share_widget_inside_the_body_is_dropped() -> None:
    assert 'class="ya-share2"' in fixture_text(f"{STEM}.html")
    assert_stays_and_goes(item_of(STEM), must_stay=[], must_go=["Поделиться", "ВКонтакте"])


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(
        item_of(STEM),
        must_stay=["Объем экспорта услуг вырос на 12,5 % по сравнению с прошлым годом.",
                   "В работе коллегии приняли участие руководители 6 областных филиалов."],
        must_go=["Подробности тут", "Использована информация", "Участники форума"],
    )
