"""Era B article (Drupal 7, /{lang}/news/DD-MM-YYYY-NID)."""

from __future__ import annotations

from mptcrawler.parsers import detect_era, parse_article, parse_html
from mptcrawler.parsers.drupal import NodePage

from .article_checks import assert_stays_and_goes, item_of, page_of, without_body_evidence
from .conftest import fixture_text, snapshot

STEM = "era_b_article"
URL = "https://mpt.gov.by/ru/news/30-10-2019-4749"


def test_parser_snapshot() -> None:
    assert page_of(STEM) == snapshot(STEM)["page"]


def test_item_snapshot() -> None:
    assert item_of(STEM) == snapshot(STEM)["item"]


def test_identity_from_url_and_shortlink() -> None:
    item = item_of(STEM)
    assert (item["url"], item["node_id"], item["lang"], item["era"]) == (URL, 4749, "ru", "B")
    assert item["extraction"] == "site"


def test_date_field_is_day_month_year() -> None:
    item = item_of(STEM)
    assert (item["published_raw"], item["published"]) == ("30.10.2019", "2019-10-30")


def test_attachments_lose_their_type_label() -> None:
    assert item_of(STEM)["attachments"] == [{
        "url": "https://mpt.gov.by/sites/default/files/doc_4749_0.pdf",
        "title": "Перечень документов", "type": "application/pdf", "size": 155278}]
    assert "Перечень документов PDF" in fixture_text(f"{STEM}.html")


def test_inline_image_is_listed_and_leaves_no_text() -> None:
    item = item_of(STEM)
    assert item["images"] == [{
        "url": "https://mpt.gov.by/sites/default/files/field/image/img_20191030_0.jpg",
        "alt": "Министр связи и информатизации", "caption": None}]
    assert "img_20191030" not in item["text"] and "img_20191030" not in item["markdown"]


def test_dateline_and_report_become_sources() -> None:
    item = item_of(STEM)
    assert item["sources"] == [
        {"name": "БЕЛТА", "url": None, "raw": "30 октября, Минск /Корр. БЕЛТА/.",
         "kind": "dateline"},
        {"name": "пресс-службы Совета Министров", "url": None,
         "raw": "По информации пресс-службы Совета Министров.", "kind": "attribution"}]
    assert item["source"] == {"name": "БЕЛТА", "url": None,
                              "raw": "30 октября, Минск /Корр. БЕЛТА/."}
    assert item["text"].startswith("Сеть была введена в эксплуатацию 17.06.2014.")


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(
        item_of(STEM),
        must_stay=["Сеть была введена в эксплуатацию 17.06.2014.",
                   "Основные направления работы\n\n1. подготовка кадров для ИКТ-отрасли\n"
                   "2. модернизация почтовой инфраструктуры",
                   "Предложения принимаются по адресу: 220030, г. Минск, пр-т Независимости, 10."],
        must_go=["Корр. БЕЛТА", "По информации пресс-службы", "Перечень документов", "PDF icon"],
    )


def test_a_page_without_its_body_is_a_parse_error_not_an_empty_item() -> None:
    html = without_body_evidence(fixture_text(f"{STEM}.html"))
    page = parse_html(html)
    assert detect_era(NodePage(page), URL) == "B"
    try:
        parse_article(page, URL, fallback=False)
    except ValueError as exc:
        assert "body" in str(exc)
    else:
        raise AssertionError("a page without a body must not parse")
