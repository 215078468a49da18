"""Era C article (newer Drupal, /{lang}/<slug>)."""

from __future__ import annotations

from .article_checks import assert_stays_and_goes, item_of, page_of
from .conftest import snapshot

STEM = "era_c_article"


def test_parser_snapshot() -> None:
    assert page_of(STEM) == snapshot(STEM)["page"]


def test_item_snapshot() -> None:
    assert item_of(STEM) == snapshot(STEM)["item"]


def test_visible_date_wins_over_the_utc_attribute() -> None:
    page = page_of(STEM)
    item = item_of(STEM)
    assert item["published_raw"] == "30.05.2024"
    assert item["published"] == "2024-05-30"
    assert page["structured_date"] == "2024-05-30T08:39:00Z"


def test_node_id_from_the_article_element() -> None:
    assert item_of(STEM)["node_id"] == 9440


def test_field_image_with_its_query_string() -> None:
    assert item_of(STEM)["images"] == [{
        "url": "https://mpt.gov.by/sites/default/files/styles/large/public/2024-05/"
               "photo_9440.jpg?itok=acc96307",
        "alt": "Фото пресс-службы"}]


def test_read_more_link_becomes_the_source() -> None:
    assert item_of(STEM)["source"] == {"name": "mpt.gov.by", "url": "https://mpt.gov.by/ru/news",
                                       "raw": "Подробности тут"}


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(
        item_of(STEM),
        must_stay=["Аналогичная встреча прошла в апреле 2024 года."],
        must_go=["Подробности тут", "О ходе реализации Государственной программы"],
    )
