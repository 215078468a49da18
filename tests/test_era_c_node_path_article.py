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
    assert item["url"] == "https://mpt.gov.by/be/node/10062"
    assert item["lang"] == "be"
    assert item["text"].startswith("Representatives of the communications industry took part")


def test_english_dates_are_found_on_a_be_page() -> None:
    assert item_of(STEM)["dates_mentioned"][0] == {
        "text": "dated July 17, 2021 No. 114", "date": "2021-07-17", "kind": "legal_act",
        "start": 125, "end": 152}


def test_photo_credit_and_sizes_from_labels() -> None:
    item = item_of(STEM)
    assert item["photo_credit"] == {"name": "press service of the Ministry",
                                    "raw": "Photo: press service of the Ministry"}
    # era C shows "380.04 KB": the size is what the label says, 380.04 × 1024 rounded
    assert item["attachments"][0]["size"] == 389161


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(item_of(STEM), must_stay=["More than 4 thousand social facilities"],
                          must_go=["Source: BelTA", "Photo:", "During the meeting"])
