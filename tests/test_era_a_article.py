"""Era A article (older Drupal 7 theme, /<slug>): the seed's own article."""

from __future__ import annotations

from mptcrawler.exporters import markdown_document

from .article_checks import assert_stays_and_goes, item_of, page_of
from .conftest import PROJECT, require_shared, snapshot

STEM = "era_a_article"
SEED = PROJECT.parent / "shared" / "seed" / "000_bc25a1de55ab879d.txt"


def test_parser_snapshot() -> None:
    assert page_of(STEM) == snapshot(STEM)["page"]


def test_item_snapshot() -> None:
    assert item_of(STEM) == snapshot(STEM)["item"]


def test_date_with_time_in_minsk() -> None:
    item = item_of(STEM)
    assert item["published_raw"] == "Вторник, 26 апреля 2016 - 10:15"
    assert item["published"] == "2016-04-26T10:15:00+03:00"


def test_date_comes_from_the_node_not_the_sidebar_before_it() -> None:
    # The sidebar of latest news precedes the content in this theme and uses the same markup.
    html = (PROJECT / "tests" / "fixtures" / f"{STEM}.html").read_text(encoding="utf-8")
    assert html.index('class="sidebar') < html.index('id="page-title"')
    assert item_of(STEM)["published"].startswith("2016-04-26")


def test_text_keeps_the_latin_a_inside_a_russian_word() -> None:
    assert "прострaнстве" in item_of(STEM)["text"]  # the seed's Latin "a" (U+0061)
    assert "пространстве" not in item_of(STEM)["text"]


def test_must_stay_and_must_go() -> None:
    assert_stays_and_goes(
        item_of(STEM),
        must_stay=["С приветственными словами к участникам форума",
                   "подчеркнул Попков С.П.",
                   "национальными архивами и др."],
        must_go=["Использована информация с сайта", "http://www.belta.by",
                 "Сегодня, 26 апреля в Минсвязи"],  # the attribution line; the title
    )


def test_attribution_becomes_source() -> None:
    assert item_of(STEM)["source"] == {
        "name": "belta.by",
        "url": "http://www.belta.by",
        "raw": "Использована информация с сайта: http://www.belta.by",
    }


def test_markdown_document_is_the_seed_document() -> None:
    require_shared(SEED)
    expected = SEED.read_text(encoding="utf-8").lstrip("\n")
    bundled = (PROJECT / "mptcrawler" / "replica" / "seed_article.txt").read_text(encoding="utf-8")
    assert markdown_document(item_of(STEM)) == bundled.lstrip("\n") == expected
