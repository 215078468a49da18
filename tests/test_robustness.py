"""Property tests: mutated replica pages and arbitrary bytes through the parsers and the
pipelines. No exception but the documented ones escapes, and every item that comes out
validates against the schema and goes into Parquet with its text intact."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parsel import Selector
from scrapy.exceptions import DropItem

from mptcrawler.items import article_from_page, exported
from mptcrawler.parquet import lines_table
from mptcrawler.parsers import NotAnArticle, ParseError, parse_article, parse_html
from mptcrawler.parsers.feed import parse_feed
from mptcrawler.parsers.listing import parse_listing
from mptcrawler.pipelines import process_offline, validation_errors

from .conftest import fixture_text

PAGES = ["era_a_article", "era_b_article", "era_c_article", "era_c_node_path_article"]
URL = "https://mpt.gov.by/ru/news/30-10-2019-4749"


def through_everything(html: str, fallback: bool) -> dict[str, Any] | None:
    """The exported record of a page, or None when it is refused with a documented reason."""
    page = parse_html(html)
    try:
        parsed = parse_article(page, URL, listed_date="30.10.2019", fallback=fallback)
    except (NotAnArticle, ParseError):
        return None
    try:
        item = process_offline(article_from_page(parsed, "2026-01-01T00:00:00Z"))
    except DropItem:
        return None  # dropped with a reason, recorded as a failure by the crawl
    record = exported(item)
    assert validation_errors(record) == []
    # ... and goes into the Parquet file unchanged (what the JSON reader takes, it keeps)
    table = lines_table([json.dumps(record, ensure_ascii=False).encode("utf-8")])
    assert table.select(["url", "title", "text", "markdown"]).to_pylist() == [
        {name: record[name] for name in ("url", "title", "text", "markdown")}]
    return record


@st.composite
def mutated(draw: st.DrawFn) -> str:
    html = fixture_text(f"{draw(st.sampled_from(PAGES))}.html")
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(html)))
        end = draw(st.integers(start, min(len(html), start + 3000)))
        action = draw(st.sampled_from(["cut", "garble", "duplicate", "truncate"]))
        if action == "cut":
            html = html[:start] + html[end:]
        elif action == "garble":
            html = html[:start] + draw(st.text(max_size=50)) + html[end:]
        elif action == "duplicate":
            html = html[:end] + html[start:end] + html[end:]
        else:
            html = html[:start]
    return html


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.booleans())
def test_mutated_pages(html: str, fallback: bool) -> None:
    through_everything(html, fallback)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4000), st.booleans())
def test_arbitrary_bytes_as_a_page(data: bytes, fallback: bool) -> None:
    text = data.decode("utf-8", errors="replace")
    through_everything(text, fallback)
    parse_listing(parse_html(text or " "), "https://mpt.gov.by/ru/news?page=1")
    parse_listing(parse_html(text or " "), "https://mpt.gov.by/")
    parse_feed(Selector(text=text or " ", type="xml"))


# The pages' own headings, read off the saved HTML by hand.
TITLES = {
    "era_a_article": "Сегодня, 26 апреля в Минсвязи проходит Белорусско-Корейский форум в "
                     "области электронного правительства",
    "era_b_article": "Делегация Минсвязи посетила Республику Корея",
    "era_c_article": "Итоги республиканского конкурса «Лучший по профессии»",
    "era_c_node_path_article": "TIBO forum took place in Minsk",
}


@pytest.mark.parametrize("stem", PAGES)
def test_the_unmutated_pages_pass_the_same_path(stem: str) -> None:
    # the refusals the helper tolerates for mutated pages must not happen to the real ones
    record = through_everything(fixture_text(f"{stem}.html"), fallback=True)
    assert record is not None, f"{stem} was refused"
    assert record["title"] == TITLES[stem]
    assert len(record["text"]) > 200
