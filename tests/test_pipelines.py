"""Each pipeline step, called directly through ``process_item`` (kingfisher-collect style)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from mptcrawler.items import Article, exported
from mptcrawler.pipelines import (
    CollectDatesMentioned,
    DropDuplicates,
    DuplicateArticle,
    ExtractAttribution,
    InvalidArticle,
    NormalisePublished,
    StripMarkup,
    TrackRevisions,
    ValidateItem,
    _validator,
    process_offline,
    validation_errors,
)
from mptcrawler.state import CrawlState

BODY = ("<p>Программа принята на 2016-2022 годы.&nbsp;Встреча — 28 декабря.</p>"
        '<p>Использована информация с сайта: <a href="http://www.belta.by">http://www.belta.by</a>'
        "</p>")


def article(**overrides: Any) -> Article:
    values: dict[str, Any] = {
        "url": "https://mpt.gov.by/ru/news/05-01-2017-1790", "node_id": 1790, "lang": "ru",
        "title": "Заголовок", "published_raw": "05.01.2017", "body_html": BODY,
        "crawled_at": "2026-11-25T00:00:00Z", "era": "B", "url_date": "2017-01-05",
    }
    values.update(overrides)
    return Article(**values)


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_drop_duplicates_by_url_and_by_node_id() -> None:
    step = DropDuplicates(stats())
    step.process_item(article())
    with pytest.raises(DuplicateArticle):
        step.process_item(article())
    with pytest.raises(DuplicateArticle):
        step.process_item(article(url="https://mpt.gov.by/ru/node/1790"))
    assert step.process_item(article(url="https://mpt.gov.by/ru/other", node_id=2)).node_id == 2


def test_a_translation_sharing_the_node_id_is_no_duplicate() -> None:
    # Drupal 8+ translations keep the node id: an article is (node id, language).
    step = DropDuplicates(stats())
    step.process_item(article(url="https://mpt.gov.by/ru/glava", node_id=9339, lang="ru"))
    be = step.process_item(article(url="https://mpt.gov.by/be/kiraunik", node_id=9339, lang="be"))
    assert (be.node_id, be.lang) == (9339, "be")
    with pytest.raises(DuplicateArticle):  # the /be/node/9339 twin of the same translation
        step.process_item(article(url="https://mpt.gov.by/be/node/9339", node_id=9339,
                                  lang="be"))


def test_other_items_pass_untouched() -> None:
    other = {"url": "x"}
    for step in (DropDuplicates(), ExtractAttribution(), StripMarkup(), NormalisePublished(),
                 CollectDatesMentioned(), ValidateItem()):
        assert step.process_item(other) is other


def test_extract_attribution_then_strip_markup() -> None:
    item = StripMarkup().process_item(ExtractAttribution().process_item(article()))
    assert item.source == {"name": "belta.by", "url": "http://www.belta.by",
                           "raw": "Использована информация с сайта: http://www.belta.by"}
    assert item.text == "Программа принята на 2016-2022 годы. Встреча — 28 декабря."
    assert item.markdown == item.text


def test_normalise_published_keeps_raw_and_is_iso() -> None:
    raw = "Вторник, 26 апреля 2016 - 10:15"
    item = NormalisePublished().process_item(article(published_raw=raw, url_date=None))
    assert item.published == "2016-04-26T10:15:00+03:00"
    assert item.published_raw == "Вторник, 26 апреля 2016 - 10:15"


def test_url_date_disagreement_is_logged_and_the_field_wins(caplog: pytest.LogCaptureFixture
                                                            ) -> None:
    collector = stats()
    with caplog.at_level(logging.WARNING):
        item = NormalisePublished(collector).process_item(article(url_date="2017-01-04"))
    assert item.published == "2017-01-05"
    assert collector.get_value("mpt/published/url_date_mismatch") == 1
    assert "disagrees with the URL date 2017-01-04" in caplog.text


@pytest.mark.parametrize(("raw", "structured", "published", "counter"), [
    # a shown date that cannot be read takes the machine-readable one, at the shown precision
    ("вчера вечером", "2016-04-26T07:15:00Z", "2016-04-26", "from_structured"),
    ("вчера в 10:15", "2016-04-26T07:15:00Z", "2016-04-26T10:15:00+03:00", "from_structured"),
    # m/d/Y or d/m/Y: the reading that agrees with the machine-readable date
    ("Вт, 04/05/2016 - 10:15", "2016-05-04T10:15:00+03:00", "2016-05-04T10:15:00+03:00",
     "day_month_order"),
    ("Вт, 04/05/2016 - 10:15", "2016-04-05T07:15:00Z", "2016-04-05T10:15:00+03:00", None),
    # a disagreement of any other kind: the shown date stays, counted and logged
    ("15.03.2019", "2019-03-17T12:00:00Z", "2019-03-15", "structured_mismatch"),
    ("15.03.2019", None, "2019-03-15", None),
    # 00:30 in Minsk is the previous day in UTC: no disagreement
    ("15.03.2019", "2019-03-14T21:30:00Z", "2019-03-15", None),
])
def test_the_shown_date_is_checked_against_the_machine_readable_one(
        raw: str, structured: str | None, published: str, counter: str | None) -> None:
    collector = stats()
    item = NormalisePublished(collector).process_item(
        article(published_raw=raw, structured_date=structured, url_date=None))
    assert item.published == published
    assert item.published_raw == raw
    counters = {k.removeprefix("mpt/published/") for k in collector.get_stats()
                if k.startswith("mpt/published/")}
    assert counters == ({counter} if counter else set())


def test_unparsed_date_is_counted_and_left_empty() -> None:
    collector = stats()
    item = NormalisePublished(collector).process_item(article(published_raw="вчера вечером"))
    assert item.published is None
    assert collector.get_value("mpt/published/unparsed") == 1


def test_dates_mentioned_resolve_year_less_dates_from_publication() -> None:
    item = article(text="Программа на 2016-2022 годы. Встреча — 28 декабря.",
                   published="2017-01-05")
    CollectDatesMentioned().process_item(item)
    assert item.dates_mentioned == [
        {"text": "на 2016-2022 годы", "date": "2016/2022", "kind": "range", "start": 10,
         "end": 27},
        {"text": "28 декабря", "date": "2016-12-28", "kind": "date", "start": 39, "end": 49},
    ]


def test_validate_accepts_a_full_item_and_drops_a_broken_one() -> None:
    good = process_offline(article())
    assert validation_errors(exported(good)) == []
    broken = article(published_raw="никогда")
    for step in (ExtractAttribution(), StripMarkup(), NormalisePublished(),
                 CollectDatesMentioned()):
        broken = step.process_item(broken)
    collector = stats()
    with pytest.raises(InvalidArticle, match="published"):
        ValidateItem(collector).process_item(broken)
    assert collector.get_value("mpt/dropped/invalid") == 1


def test_validation_names_the_field() -> None:
    record = exported(process_offline(article()))
    record["url"] = "http://127.0.0.1:8800/ru/news"
    record["lang"] = "de"
    errors = validation_errors(record)
    assert any(e.startswith("url:") for e in errors)
    assert any(e.startswith("lang:") for e in errors)


def test_the_whole_chain_in_order() -> None:
    item = process_offline(article())
    assert item.published == "2017-01-05"
    assert [m["kind"] for m in item.dates_mentioned] == ["range", "date"]
    assert item.source == {"name": "belta.by", "url": "http://www.belta.by",
                           "raw": "Использована информация с сайта: http://www.belta.by"}
    assert item.text == "Программа принята на 2016-2022 годы. Встреча — 28 декабря."


def test_track_revisions_makes_staged_rows_durable_when_the_pipelines_close(
        tmp_path: Path) -> None:
    # Scrapy closes the pipelines before it stores the feeds; a run killed right after its JSONL
    # got its final name must find its staged rows on disk (CrawlState.recover).
    state = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    state.start_run("r1", str(tmp_path / "r1.jsonl"))
    state.stage("r1", "https://mpt.gov.by/a", 1, "hash", 1, None, None, None, True)
    crawler = SimpleNamespace(mpt_runs=SimpleNamespace(state=state))
    reader = sqlite3.connect(tmp_path / "s.sqlite")
    assert reader.execute("SELECT count(*) FROM pending").fetchone()[0] == 0
    TrackRevisions(None, crawler).close_spider()  # type: ignore[arg-type]
    assert reader.execute("SELECT count(*) FROM pending").fetchone()[0] == 1
    reader.close()


def _full_verdict(record: dict[str, Any]) -> list[str]:
    """jsonschema's own messages, as validation_errors wrote them before its fast path."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}"
            for e in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["https://mpt.gov.by/ru/news", "2017-01-05", " ",
                                              "node/1", "ru", "A", "site", "date"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


@given(data=st.data())
def test_the_fast_check_agrees_with_jsonschema(data: st.DataObject) -> None:
    # validation_errors asks fastjsonschema first and jsonschema only about what it refuses:
    # an item jsonschema refuses must never pass, and the messages stay jsonschema's.
    record = exported(process_offline(article()))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([*sorted(record), "extra", "images", "dates_mentioned"]))
        if path in ("images", "dates_mentioned") and data.draw(st.booleans()):
            inner = {"url": "https://mpt.gov.by/a.jpg", "alt": None, "caption": None} \
                if path == "images" else {"text": "5 мая", "date": "2017-05-05",
                                          "kind": "date", "start": 0, "end": 5}
            key = data.draw(st.sampled_from(sorted(inner)))
            inner[key] = data.draw(JSON_VALUES)
            record[path] = [inner]
        else:
            record[path] = data.draw(JSON_VALUES)
    assert validation_errors(record) == _full_verdict(record)


@pytest.mark.parametrize("field,value", [
    ("node_id", True), ("node_id", 1.0), ("node_id", 0), ("node_id", "1790"), ("lang", "de"),
    ("title", " "), ("title", ""), ("url", "http://mpt.gov.by/"), ("published", "2017-1-5"),
    ("crawled_at", "2026-11-25T00:00:00+00:00"), ("era", "b"), ("images", [{}]),
    ("dates_mentioned", [{"text": "x", "date": "2017", "kind": "date", "start": -1, "end": 1}]),
])
def test_the_fast_check_refuses_what_jsonschema_refuses(field: str, value: Any) -> None:
    record = exported(process_offline(article()))
    record[field] = value
    assert validation_errors(record) == _full_verdict(record)
