"""Era B article (Drupal 7, /{lang}/news/DD-MM-YYYY-NID)."""

from __future__ import annotations

from parsel import Selector

from mptcrawler.parsers import detect_era, parse_article

from .article_checks import assert_stays_and_goes, item_of, page_of
from .conftest import fixture_text, snapshot

STEM = "era_b_article"


def test_parser_snapshot() -> None:
    assert page_of(STEM) == snapshot(STEM)["page"]


def test_item_snapshot() -> None:
    assert item_of(STEM) == snapshot(STEM)["item"]


def test_identity_from_url_and_shortlink() -> None:
    item = item_of(STEM)
    assert item["url"] == "https://mpt.gov.by/en/news/10-10-2020-5819"
    assert item["node_id"] == 5819
    assert item["lang"] == "en"
    assert item["era"] == "B"


def test_date_field_is_day_month_year() -> None:
    item = item_of(STEM)
    assert (item["published_raw"], item["published"]) == ("10.10.2020", "2020-10-10")


def test_attachments_lose_their_type_label() -> None:
    attachments = item_of(STEM)["attachments"]
    assert attachments[0] == {"url": "https://mpt.gov.by/sites/default/files/doc_5819_0.pdf",
                              "title": "Положение о конкурсе", "type": "application/pdf",
                              "size": 423007}
    assert all(not a["title"].endswith("PDF") for a in attachments)


def test_inline_image_is_listed_and_leaves_no_text() -> None:
    item = item_of(STEM)
    assert item["images"] == [{
        "url": "https://mpt.gov.by/sites/default/files/field/image/img_20201010_0.jpg",
        "alt": "Participants of the meeting"}]
    assert "img_20201010" not in item["text"] and "img_20201010" not in item["markdown"]


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(
        item_of(STEM),
        must_stay=["The work is carried out in accordance with Resolution dated April 7, 2016",
                   "- development of electronic services\n- training of specialists",
                   "For information, call +375 (17) 287 87 06."],
        must_go=["Source: BelTA", "Положение о конкурсе", "PDF icon", "Latest news"],
    )


def test_a_page_without_its_body_is_a_parse_error_not_an_empty_item() -> None:
    html = fixture_text(f"{STEM}.html").replace("field-name-body", "field-name-renamed")
    page = Selector(text=html)
    assert detect_era(page) == "B"
    try:
        parse_article(page, "https://mpt.gov.by/en/news/10-10-2020-5819")
    except ValueError as exc:
        assert "body" in str(exc)
    else:
        raise AssertionError("a page without a body must not parse")
