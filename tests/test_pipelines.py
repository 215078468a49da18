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
    LaterDigest,
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


# --- both sides of each step's rules (what passes, what is refused, the boundaries) ----------


def test_every_step_takes_the_crawlers_stats() -> None:
    crawler = get_crawler()
    for step in (DropDuplicates, ExtractAttribution, StripMarkup, NormalisePublished,
                 CollectDatesMentioned, ValidateItem):
        assert step.from_crawler(crawler).stats is crawler.stats
    tracker = TrackRevisions.from_crawler(crawler)
    assert (tracker.stats, tracker.crawler) == (crawler.stats, crawler)


def test_a_step_without_stats_counts_nothing_and_still_decides() -> None:
    step = DropDuplicates()
    step.process_item(article())
    with pytest.raises(DuplicateArticle):
        step.process_item(article())


def test_a_duplicate_is_counted_and_named() -> None:
    collector = stats()
    step = DropDuplicates(collector)
    step.process_item(article())
    with pytest.raises(DuplicateArticle, match=r"^duplicate of an article already exported: "
                                               r"https://mpt\.gov\.by/ru/news/05-01-2017-1790$"):
        step.process_item(article(node_id=1791))  # the same URL is enough
    assert collector.get_value("mpt/dropped/duplicate") == 1


def test_articles_without_a_node_id_are_told_apart_by_url_only() -> None:
    step = DropDuplicates(stats())
    first = step.process_item(article(url="https://mpt.gov.by/ru/a", node_id=None))
    second = step.process_item(article(url="https://mpt.gov.by/ru/b", node_id=None))
    assert (first.url, second.url) == ("https://mpt.gov.by/ru/a", "https://mpt.gov.by/ru/b")
    with pytest.raises(DuplicateArticle):
        step.process_item(article(url="https://mpt.gov.by/ru/a", node_id=None))


def test_steps_on_an_article_without_body_or_date_leave_it_alone() -> None:
    collector = stats()
    item = article(body_html=None, published_raw=None)
    assert ExtractAttribution(collector).process_item(item) is item
    assert StripMarkup(collector).process_item(item) is item
    assert NormalisePublished(collector).process_item(item) is item
    assert CollectDatesMentioned(collector).process_item(item) is item
    assert (item.sources, item.source, item.photo_credit, item.text, item.markdown,
            item.published, item.dates_mentioned) == ([], None, None, None, None, None, [])
    assert collector.get_stats() == {}


def test_attribution_counts_found_and_none_and_moves_the_photo_credit() -> None:
    collector = stats()
    ExtractAttribution(collector).process_item(article())
    assert collector.get_value("mpt/source/found") == 1
    assert collector.get_value("mpt/source/none") is None
    plain = ExtractAttribution(collector).process_item(article(
        body_html="<p>Текст без источника.</p><p>Фото: Иван Петров</p>"))
    assert (plain.sources, plain.source) == ([], None)
    assert plain.photo_credit == {"name": "Иван Петров", "raw": "Фото: Иван Петров"}
    assert plain.body_html == "<p>Текст без источника.</p>"
    assert collector.get_value("mpt/source/none") == 1
    assert collector.get_value("mpt/source/found") == 1


def test_a_date_in_russian_is_read_for_an_article_in_another_language() -> None:
    # dateparser's last resort reads "2016, 26 апреля" in Russian only
    item = NormalisePublished(stats()).process_item(
        article(lang="be", published_raw="2016, 26 апреля", url_date=None))
    assert item.published == "2016-04-26"


def test_an_unparsed_date_is_logged_with_the_page(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        NormalisePublished(stats()).process_item(article(published_raw="вчера вечером"))
    assert ("unparsed date 'вчера вечером' on https://mpt.gov.by/ru/news/05-01-2017-1790"
            in caplog.messages)


def test_an_agreeing_url_date_is_no_mismatch(caplog: pytest.LogCaptureFixture) -> None:
    collector = stats()
    with caplog.at_level(logging.WARNING):
        item = NormalisePublished(collector).process_item(
            article(published_raw="Вторник, 5 января 2017 - 10:15", url_date="2017-01-05"))
    assert item.published == "2017-01-05T10:15:00+03:00"
    assert collector.get_stats() == {}
    assert caplog.messages == []


@pytest.mark.parametrize(("raw", "structured", "published", "counter"), [
    # day 12 can be a month: swapped when that agrees
    ("Вт, 04/12/2016 - 10:15", "2016-12-04T10:15:00+03:00", "2016-12-04T10:15:00+03:00",
     "day_month_order"),
    # day 13 cannot: the shown date stays
    ("Вт, 04/13/2016 - 10:15", "2016-04-14T10:15:00+03:00", "2016-04-13T10:15:00+03:00",
     "structured_mismatch"),
    # only a slashed date is ambiguous: a dotted one is always day first
    ("04.05.2016", "2016-04-05T10:15:00+03:00", "2016-05-04", "structured_mismatch"),
    # a shown date with a time but no day: the machine-readable moment, time included
    ("вчера в 10:15", "2016-04-26", "2016-04-26", "from_structured"),
])
def test_the_day_month_swap_and_its_boundary(raw: str, structured: str, published: str,
                                             counter: str) -> None:
    collector = stats()
    item = NormalisePublished(collector).process_item(
        article(published_raw=raw, structured_date=structured, url_date=None))
    assert item.published == published
    assert {k for k in collector.get_stats()} == {f"mpt/published/{counter}"}


def test_a_structured_disagreement_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        NormalisePublished(stats()).process_item(article(
            published_raw="15.03.2019", structured_date="2019-03-17T12:00:00Z", url_date=None))
    assert caplog.messages == [
        "shown date 2019-03-15 disagrees with the page's machine-readable date "
        "2019-03-17T12:00:00Z on https://mpt.gov.by/ru/news/05-01-2017-1790; keeping the shown "
        "date"]


def test_dates_mentioned_take_the_day_of_a_published_moment() -> None:
    item = article(text="Встреча — 28 декабря.", published="2017-01-05T10:15:00+03:00")
    CollectDatesMentioned().process_item(item)
    assert item.dates_mentioned == [
        {"text": "28 декабря", "date": "2016-12-28", "kind": "date", "start": 10, "end": 20}]
    unpublished = article(text="Встреча — 28 декабря 2016 г. и 28 декабря.", published=None)
    CollectDatesMentioned().process_item(unpublished)
    assert [m["text"] for m in unpublished.dates_mentioned] == ["28 декабря 2016 г."]


def test_errors_of_the_item_and_of_nested_fields_are_named_by_path() -> None:
    errors = validation_errors({})
    assert "(item): 'url' is a required property" in errors
    record = exported(process_offline(article()))
    record["dates_mentioned"] = [{"text": "", "date": "2016", "kind": "year", "start": 0,
                                  "end": 4}]
    assert validation_errors(record) == ["dates_mentioned/0/text: '' should be non-empty"]


def test_an_invalid_item_names_at_most_five_errors() -> None:
    collector = stats()
    broken = article(url="x", lang="de", title="", era="Z", crawled_at="never",
                     published_raw="никогда")
    with pytest.raises(InvalidArticle) as raised:
        ValidateItem(collector).process_item(broken)
    message = str(raised.value)
    assert message.startswith("invalid item x: ")
    assert len(message.removeprefix("invalid item x: ").split("; ")) == 5
    assert collector.get_stats() == {"mpt/dropped/invalid": 1}
    ValidateItem(collector).process_item(process_offline(article()))
    assert collector.get_value("mpt/items/valid") == 1


def test_the_offline_chain_counts_into_the_stats_it_is_given() -> None:
    collector = stats()
    process_offline(article(), collector)
    assert collector.get_stats() == {"mpt/source/found": 1, "mpt/items/valid": 1}


# --- TrackRevisions against a real state -----------------------------------------------------


class Runs:
    """What TrackRevisions asks of the run (runs.IncrementalRuns): its state, and stage()."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state
        self.staged: list[tuple[str, int, bool, str | None]] = []
        self.digests: list[str | LaterDigest] = []

    def stage(self, item: Article, digest: str | LaterDigest, revision: int, exported: bool,
              previous_url: str | None = None) -> None:
        # the digest staged is the article's content hash (64 hex digits), or a new article's,
        # worked out later
        if isinstance(digest, str):
            assert len(digest) == 64 and int(digest, 16) >= 0
        else:
            assert digest.article is item and revision == 1 and exported
        self.digests.append(digest)
        self.staged.append((item.url, revision, exported, previous_url))


def tracker(tmp_path: Path, known: list[Article]) -> tuple[TrackRevisions, Runs,
                                                            MemoryStatsCollector]:
    from mptcrawler.items import content_hash

    state = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    state.start_run("r0", None)
    for n, item in enumerate(known, 1):
        state.stage("r0", item.url, item.node_id, content_hash(item), n, None, None, None,
                    True)
    state.commit_run("r0", len(known))
    runs, collector = Runs(state), stats()
    return TrackRevisions(collector, SimpleNamespace(mpt_runs=runs)), runs, collector  # type: ignore[arg-type]


def test_the_content_hash_is_sha256_of_the_canonical_json_as_written_by_hand() -> None:
    """The hash every state stores: a change of its bytes would make every known article a
    new revision at the next run. Canonical JSON written out here by hand: the content
    fields, keys sorted at every level, no spaces, UTF-8 unescaped, control characters as JSON
    escapes; ``translations`` only when there are some."""
    import hashlib

    from mptcrawler.items import content_hash

    item = article(published="2017-01-05", text="Текст\tс табом\u0007",
                   sources=[{"raw": "Источник: БЕЛТА", "url": None, "name": "БЕЛТА",
                             "kind": "source"}])
    canonical = ('{"attachments":[],"images":[],"lang":"ru","node_id":1790,'
                 '"photo_credit":null,"published":"2017-01-05","sources":[{"kind":"source",'
                 '"name":"БЕЛТА","raw":"Источник: БЕЛТА","url":null}],'
                 '"text":"Текст\\tс табом\\u0007","title":"Заголовок",'
                 '"url":"https://mpt.gov.by/ru/news/05-01-2017-1790"}')
    assert content_hash(item) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    item.translations = [{"lang": "be", "url": "https://mpt.gov.by/be/news/1"}]
    with_translations = canonical.replace(
        '"title":"Заголовок",',
        '"title":"Заголовок","translations":[{"lang":"be","url":"https://mpt.gov.by/be/news/1"}],')
    assert content_hash(item) == hashlib.sha256(with_translations.encode("utf-8")).hexdigest()


# Values an item's content can hold, and a few it cannot (surrogates, integers beyond 64 bits):
# the canonical bytes must be json.dumps's for all of them, or its error.
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(st.characters(exclude_categories=())),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


def _json_dumps(value: Any) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


@given(_JSON_VALUES)
def test_canonical_json_is_json_dumps_bytes_for_any_value(value: Any) -> None:
    """The oracle is the standard library: the hash was defined as the SHA-256 of these bytes
    (orjson writes them faster, falling back to json where it would not)."""
    from mptcrawler.items import canonical_json

    try:
        expected = _json_dumps(value)
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8, no hash, before as now
        with pytest.raises(UnicodeEncodeError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


def test_canonical_json_is_json_dumps_bytes_on_every_fixture() -> None:
    """Real pages' values: every snapshot fixture, whole (titles, Russian text with its
    punctuation, URLs, nested lists of objects)."""
    import json

    from mptcrawler.items import canonical_json

    fixtures = sorted((Path(__file__).parent / "fixtures").glob("*.json"))
    assert len(fixtures) >= 15
    for path in fixtures:
        value = json.loads(path.read_text(encoding="utf-8"))
        assert canonical_json(value) == _json_dumps(value), path.name


def test_canonical_json_refuses_what_json_refuses() -> None:
    """orjson writes datetimes, dataclasses and str subclasses' own way; json writes a str
    subclass as its text and refuses the others. The hash keeps json's answers."""
    import datetime as dt

    from mptcrawler.items import canonical_json

    class Name(str):
        pass

    assert canonical_json({"a": Name("Минск")}) == '{"a":"Минск"}'.encode()
    for value in (dt.datetime(2020, 1, 1), dt.date(2020, 1, 1), article()):
        with pytest.raises(TypeError):
            canonical_json({"a": value})


def test_track_revisions_without_state_passes_everything(tmp_path: Path) -> None:
    item = article()
    assert TrackRevisions(stats(), None).process_item(item) is item
    assert TrackRevisions(stats(), SimpleNamespace()).process_item(item) is item  # type: ignore[arg-type]
    step, runs, _ = tracker(tmp_path, [])
    other = {"url": "x"}
    assert step.process_item(other) is other
    assert runs.staged == []


def test_a_new_article_is_revision_one(tmp_path: Path) -> None:
    step, runs, collector = tracker(tmp_path, [])
    item = step.process_item(article())
    assert (item.revision, item.previous_urls) == (1, [])
    assert runs.staged == [("https://mpt.gov.by/ru/news/05-01-2017-1790", 1, True, None)]
    assert collector.get_stats() == {"mpt/articles/new": 1}


def test_new_articles_hashes_are_worked_out_a_batch_at_a_time(tmp_path: Path) -> None:
    """Staged at once, hashed when HASH_BATCH more wait (or at the close); each the hash of
    its article, which is then let go."""
    from mptcrawler.items import content_hash
    from mptcrawler.pipelines import HASH_BATCH

    step, runs, _ = tracker(tmp_path, [])
    items = [article(url=f"https://mpt.gov.by/ru/news/{n}", node_id=n)
             for n in range(2 * HASH_BATCH + 1)]
    expected = [content_hash(item) for item in items]
    for item in items[:HASH_BATCH]:
        step.process_item(item)
    assert len(runs.staged) == HASH_BATCH
    assert all(isinstance(d, LaterDigest) and d.digest is None for d in runs.digests)
    step.process_item(items[HASH_BATCH])  # finds a full batch: that one is worked out
    later = [d for d in runs.digests if isinstance(d, LaterDigest)]
    assert len(later) == HASH_BATCH + 1
    assert [(d.digest, d.article) for d in later[:HASH_BATCH]] == [
        (h, None) for h in expected[:HASH_BATCH]]
    assert later[HASH_BATCH].digest is None and later[HASH_BATCH].article is items[HASH_BATCH]
    for item in items[HASH_BATCH + 1:]:
        step.process_item(item)
    step.close_spider()
    assert [d.digest for d in runs.digests if isinstance(d, LaterDigest)] == expected


def test_a_later_digest_is_written_by_sqlite_when_its_row_comes_first(tmp_path: Path) -> None:
    from mptcrawler.items import content_hash

    state = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    state.start_run("r1", None)
    item = article()
    state.stage("r1", item.url, 1790, LaterDigest(item), 1, None, None, None, True)
    state.flush()
    assert state.db.execute("SELECT content_hash FROM pending").fetchall() == [
        (content_hash(item),)]


def test_a_digest_that_cannot_be_worked_out_fails_the_write_and_names_the_article(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A bug (ValidateItem lets no such value through): the state's batch is not written, so
    the run's JSONL is kept back; the log says which article."""
    state = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    state.start_run("r1", None)
    broken = LaterDigest(article(title=object()))  # type: ignore[arg-type]
    state.stage("r1", "https://mpt.gov.by/ru/news/05-01-2017-1790", 1790, broken, 1, None, None,
                None, True)
    with caplog.at_level(logging.ERROR, logger="mptcrawler.pipelines"), \
            pytest.raises(sqlite3.Error, match=r"^no content hash of https://mpt\.gov\.by/ru/news/"
                                               r"05-01-2017-1790: TypeError\('Object of type "
                                               r"object is not JSON serializable'\)$"):
        state.flush()
    assert [r.getMessage() for r in caplog.records] == [
        "could not work out the content hash of https://mpt.gov.by/ru/news/05-01-2017-1790: "
        "TypeError('Object of type object is not JSON serializable')"]
    assert state.db.execute("SELECT count(*) FROM pending").fetchone() == (0,)


def test_an_unchanged_article_is_dropped_and_staged_as_seen(tmp_path: Path) -> None:
    from mptcrawler.pipelines import UnchangedArticle

    step, runs, collector = tracker(tmp_path, [article(node_id=5), article(url="https://mpt.gov"
                                                                           ".by/ru/b")])
    with pytest.raises(UnchangedArticle, match=r"^unchanged since revision 2: "
                                               r"https://mpt\.gov\.by/ru/b$"):
        step.process_item(article(url="https://mpt.gov.by/ru/b"))
    assert runs.staged == [("https://mpt.gov.by/ru/b", 2, False, None)]
    known = runs.state.known("https://mpt.gov.by/ru/b")
    assert known is not None and runs.digests == [known.content_hash]
    assert collector.get_stats() == {"mpt/articles/unchanged": 1}


def test_a_changed_article_is_the_next_revision(tmp_path: Path) -> None:
    step, runs, collector = tracker(tmp_path, [article(node_id=5), article(url="https://mpt.gov"
                                                                           ".by/ru/b")])
    item = step.process_item(article(url="https://mpt.gov.by/ru/b", title="Новый заголовок"))
    assert (item.revision, item.previous_urls) == (3, [])
    assert runs.staged == [("https://mpt.gov.by/ru/b", 3, True, None)]
    assert collector.get_stats() == {"mpt/articles/changed": 1}


def test_a_moved_article_is_a_new_revision_of_the_old_address(tmp_path: Path) -> None:
    old = "https://mpt.gov.by/ru/news/05-01-2017-1790"
    step, runs, collector = tracker(tmp_path, [article()])
    item = step.process_item(article(url="https://mpt.gov.by/ru/novyy-adres"))
    assert (item.revision, item.previous_urls) == (2, [old])
    assert runs.staged == [("https://mpt.gov.by/ru/novyy-adres", 2, True, old)]
    assert collector.get_stats() == {"mpt/articles/changed": 1, "mpt/articles/moved": 1}


def test_a_node_in_another_language_is_no_move(tmp_path: Path) -> None:
    step, runs, collector = tracker(tmp_path, [article()])
    item = step.process_item(article(url="https://mpt.gov.by/be/news/05-01-2017-1790",
                                     lang="be"))
    assert (item.revision, item.previous_urls) == (1, [])
    assert runs.staged == [("https://mpt.gov.by/be/news/05-01-2017-1790", 1, True, None)]
    assert collector.get_stats() == {"mpt/articles/new": 1}


def test_relative_links_of_the_body_are_resolved_against_the_article() -> None:
    item = StripMarkup().process_item(ExtractAttribution().process_item(article(
        body_html="<p>См. <a href='/ru/x'>тут</a>.</p>"
                  "<p>Источник: <a href='/ru/news/1'>МПТ</a></p>")))
    assert item.source == {"name": "МПТ", "url": "https://mpt.gov.by/ru/news/1",
                           "raw": "Источник: МПТ"}
    assert item.markdown == "См. [тут](https://mpt.gov.by/ru/x)."


def test_a_date_read_in_the_articles_language_is_not_read_again_in_russian() -> None:
    # dateparser's last resort reads "2016, 26 красавіка" in Belarusian only
    collector = stats()
    item = NormalisePublished(collector).process_item(
        article(lang="be", published_raw="2016, 26 красавіка", url_date=None))
    assert item.published == "2016-04-26"
    assert collector.get_stats() == {}


def test_the_url_date_disagreement_names_both_dates_and_the_page(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        NormalisePublished(stats()).process_item(article(url_date="2017-01-04"))
    assert caplog.messages == [
        "date field 2017-01-05 disagrees with the URL date 2017-01-04 on "
        "https://mpt.gov.by/ru/news/05-01-2017-1790; keeping the field"]


def test_the_invalid_items_reason_joins_its_errors() -> None:
    broken = article(url="x", lang="de", title="", era="Z", crawled_at="never",
                     published_raw="никогда")
    with pytest.raises(InvalidArticle) as raised:
        ValidateItem().process_item(broken)
    assert str(raised.value) == "invalid item x: " + "; ".join(
        validation_errors(exported(broken))[:5])


def test_the_machine_readable_date_is_read_in_english() -> None:
    # "26-Apr-2016" is read only by dateparser's English (the rules do not know this form)
    collector = stats()
    item = NormalisePublished(collector).process_item(
        article(published_raw="вчера вечером", structured_date="26-Apr-2016", url_date=None))
    assert item.published == "2016-04-26"
    assert collector.get_stats() == {"mpt/published/from_structured": 1}


def test_a_valid_item_is_never_handed_to_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    # jsonschema only judges what fastjsonschema refuses, and is imported only then
    # (pipelines._validator: its import is ~8 % of a re-extraction's start-up)
    def judge() -> None:
        raise AssertionError("jsonschema was asked about a valid item")

    monkeypatch.setattr("mptcrawler.pipelines._validator", judge)
    assert validation_errors(exported(process_offline(article()))) == []
