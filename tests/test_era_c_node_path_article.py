"""Era C article without an alias (/be/node/NID) whose text is English: the site.md quirk."""

from __future__ import annotations

from .article_checks import assert_stays_and_goes, item_of, page_of
from .conftest import snapshot

STEM = "era_c_node_path_article"


def test_parser_snapshot() -> None:
    assert page_of(STEM) == snapshot(STEM)["page"]


def test_item_snapshot() -> None:
    assert item_of(STEM) == snapshot(STEM)["item"]


def test_language_is_the_prefix_not_a_guess_from_the_text() -> None:
    item = item_of(STEM)
    assert item["url"] == "https://mpt.gov.by/be/node/10574"
    assert item["lang"] == "be"
    assert item["text"].startswith("The next meeting will take place on 13 November 2025.")


def test_english_dates_are_found_on_a_be_page() -> None:
    mentions = item_of(STEM)["dates_mentioned"]
    assert mentions[0] == {"text": "13 November 2025", "date": "2025-11-13", "kind": "date",
                           "start": 36, "end": 52}


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(item_of(STEM), must_stay=["More than 4 thousand social facilities"],
                          must_go=["Source: BelTA"])


def test_minsk_day_not_the_utc_day() -> None:
    # 00:37 in Minsk on 15 October is 21:37 UTC on the 14th: the attribute's day is not the date.
    assert page_of(STEM)["structured_date"] == "2025-10-14T21:37:00Z"
    assert (item_of(STEM)["published_raw"], item_of(STEM)["published"]) == ("15.10.2025",
                                                                          "2025-10-15")
