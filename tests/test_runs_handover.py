"""runs.py called directly, without a crawl: the manifest and its checks, the run's files and
limits, what IncrementalRuns records of failures and withdrawals, the hand-over of a run to
the state (committed, complete or not, empty or not delivered), latest.json, and RunReport's
summary. Each rule on both sides; expected values written by hand."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.test import get_crawler

from mptcrawler.cron.exits import LOCKED, RunRefused
from mptcrawler.cron.manifest import run_ids
from mptcrawler.items import Article
from mptcrawler.runs import (
    DamagedManifest,
    IncrementalRuns,
    RunReport,
    ad_hoc,
    keeps_state,
    read_manifest,
    run_file,
    run_limits,
    write_atomically,
    write_withdrawn,
)
from mptcrawler.spiders.mpt import MptSpider

from .test_recovery import crawler_settings

SITE = "https://mpt.gov.by"


# --- files --------------------------------------------------------------------------------------


def test_write_atomically_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "latest.json"
    path.write_text("old", encoding="utf-8")
    write_atomically(path, "новый\n")
    assert path.read_text(encoding="utf-8") == "новый\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json"]


def test_a_manifest_of_records_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    assert read_manifest(path) == ""
    text = '{"run_id": "r1", "file": "a.jsonl"}\n{"run_id": "r2", "file": "ф.jsonl"}'
    path.write_text(text, encoding="utf-8")
    assert read_manifest(path) == text


@pytest.mark.parametrize(("lines", "line", "why"), [
    (b'{"run_id": "r1"}\n\xff\xfe\n', 2, "not UTF-8"),
    (b'{"run_id": "r1"}\n{"run_id": \n', 2, "not JSON: "),
    (b'["r1"]\n', 1, "not a run's record: no run_id"),
    (b'{"run_id": "r1"}\n{"file": "a.jsonl"}\n', 2, "not a run's record: no run_id"),
    (b'{"run_id": ""}\n', 1, "not a run's record: no run_id"),
])
def test_a_damaged_line_is_named(tmp_path: Path, lines: bytes, line: int, why: str) -> None:
    path = tmp_path / "manifest.jsonl"
    path.write_bytes(lines)
    with pytest.raises(DamagedManifest) as raised:
        read_manifest(path)
    assert str(raised.value).startswith(f"{path} line {line} is damaged ({why}")
    assert (raised.value.path, raised.value.line) == (path, line)


def test_the_runs_a_manifest_records_are_its_run_ids(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    assert run_ids(read_manifest(path)) == set()  # no manifest yet
    # A title edited by hand with a raw U+2028 in it is still one line of one record; the last
    # line lacks its newline.
    path.write_text('{"run_id": "r1", "file": "a.jsonl"}\n{"run_id": "r2", "note": "a\u2028b"}'
                    '\n{"run_id": "r1", "file": "a.jsonl"}', encoding="utf-8")
    assert run_ids(read_manifest(path)) == {"r1", "r2"}
    assert run_ids('{"run_id": "r1"}\n{"run_id": "r3", "file": null}\n') == {"r1", "r3"}


def test_withdrawn_jsonl_is_written_only_when_there_is_something(tmp_path: Path) -> None:
    path = tmp_path / "withdrawn.jsonl"
    write_withdrawn(path, [])
    assert not path.exists()
    write_withdrawn(path, [{"url": "u1", "title": "Снято"}, {"url": "u2"}])
    assert path.read_text(encoding="utf-8") == (
        '{"url": "u1", "title": "Снято"}\n{"url": "u2"}\n')
    write_withdrawn(path, [])  # all came back: the file says so
    assert path.read_text(encoding="utf-8") == ""


def test_run_file_fills_name_and_run_id() -> None:
    spider = SimpleNamespace(name="mpt", run_id="20261125T010203Z")
    assert run_file("data/%(name)s-%(run_id)s.jsonl", spider) == Path(
        "data/mpt-20261125T010203Z.jsonl")
    assert run_file("%(name)s-%(run_id)s", object()) == Path("mpt-run")
    # the spider's own name, whatever it is
    assert run_file("%(name)s-%(run_id)s", SimpleNamespace(name="news", run_id="r1")) == Path(
        "news-r1")


def test_run_limits_name_each_limit_and_nothing_else() -> None:
    settings = Settings({"CLOSESPIDER_TIMEOUT": 10, "CLOSESPIDER_ITEMCOUNT": 0,
                         "CLOSESPIDER_PAGECOUNT": 5})
    spider = SimpleNamespace(max_pages=1, since=None, until="2024-01-01")
    assert run_limits(spider, settings) == ["max_pages=1", "until=2024-01-01",
                                            "CLOSESPIDER_TIMEOUT=10", "CLOSESPIDER_PAGECOUNT=5"]
    assert run_limits(SimpleNamespace(), Settings()) == []


def test_feeds_on_the_command_line_make_an_ad_hoc_run() -> None:
    cmdline = Settings()
    cmdline.set("FEEDS", {"out.jsonl": {"format": "jsonlines"}}, priority="cmdline")
    project = Settings()
    project.set("FEEDS", {"out.jsonl": {"format": "jsonlines"}}, priority="project")
    assert ad_hoc(cmdline) and not ad_hoc(project) and not ad_hoc(Settings())
    project.set("MPT_INCREMENTAL", True)
    cmdline.set("MPT_INCREMENTAL", True)
    assert keeps_state(project) and not keeps_state(cmdline)
    project.set("MPT_INCREMENTAL", False)
    assert not keeps_state(project)


def test_no_state_without_incremental_or_with_ad_hoc_feeds(
        caplog: pytest.LogCaptureFixture) -> None:
    # NotConfigured without a message: Scrapy logs one with a message as a WARNING, and both
    # are the operator's normal choices (issue #17: the ad-hoc case is said once, at INFO).
    caplog.set_level(logging.INFO, logger="mptcrawler.runs")
    with pytest.raises(NotConfigured) as off:
        IncrementalRuns.from_crawler(get_crawler(MptSpider, {"MPT_INCREMENTAL": False}))
    assert off.value.args == () and caplog.records == []
    settings = Settings({"MPT_INCREMENTAL": True})
    settings.set("FEEDS", {"o.jsonl": {"format": "jsonlines"}}, priority="cmdline")
    with pytest.raises(NotConfigured) as adhoc:
        IncrementalRuns.from_crawler(SimpleNamespace(settings=settings))  # type: ignore[arg-type]
    assert adhoc.value.args == ()
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "feeds given on the command line: an ad-hoc run; no state, archive or "
                       "Markdown documents kept")]


# --- a run opened in a temporary data folder ---------------------------------------------------


def open_run(tmp: Path, **settings: Any) -> tuple[IncrementalRuns, MptSpider]:
    crawler = get_crawler(MptSpider, {**crawler_settings(tmp), **settings})
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    crawler.spider = spider
    runs.spider_opened(spider)
    return runs, spider


def close_run(runs: IncrementalRuns, lines: str | None, reason: str = "finished") -> None:
    assert runs.dataset is not None and runs.crawler.stats is not None
    runs.crawler.stats.set_value("finish_reason", reason)
    if lines is not None:
        runs.dataset.write_text(lines, encoding="utf-8")
    runs.feed_exporter_closed()


def manifest(tmp: Path) -> list[dict[str, Any]]:
    text = (tmp / "data" / "manifest.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def article(url: str, **values: Any) -> Article:
    return Article(url=url, node_id=values.pop("node_id", 1), lang="ru", title="T",
                   published=values.pop("published", "2024-01-02"), **values)


def test_a_first_run_is_full_and_its_state_is_opened(tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    assert (runs.mode, runs.incremental, runs.run_id) == ("full", False, spider.run_id)
    assert runs.dataset == tmp_path / "data" / f"mpt-{spider.run_id}.jsonl"
    assert runs.parquet == tmp_path / "data" / f"mpt-{spider.run_id}.parquet"
    assert runs.crawler.stats is not None
    assert runs.crawler.stats.get_value("mpt/mode") == "full"
    assert runs.state is not None and runs.state.run_info(spider.run_id)["status"] == "running"
    assert runs.crawler.mpt_runs is runs  # type: ignore[attr-defined]


def test_a_complete_run_is_committed_recorded_and_named_latest_once_healthy(
        tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/a", http_etag='"e"'), "h1", 1, exported=True)
    stats = runs.crawler.stats
    assert stats is not None
    stats.set_value("mpt/articles/new", 1)
    close_run(runs, "{}\n")
    assert (runs.committed, runs.complete, runs.fault) == (True, True, None)
    (record,) = manifest(tmp_path)
    assert {k: v for k, v in record.items() if k != "finished"} == {
        "run_id": spider.run_id, "file": f"mpt-{spider.run_id}.jsonl", "mode": "full",
        "exported": 1, "finish_reason": "finished", "complete": True, "base_url": SITE,
        # /ru/news, the front page and the feed (lang=ru), put in the frontier as the full
        # run began; this run walked none of them
        "frontier": {"carried": {"listing_pages": 0, "articles": 0},
                     "left": {"listing_pages": 3, "articles": 0}}}
    assert runs.state is not None
    known = runs.state.known(f"{SITE}/ru/a")
    assert known is not None and known.etag == '"e"'
    assert runs.state.history() == [1]  # a full run records what it saw
    assert (stats.get_value("mpt/exported"), stats.get_value("mpt/complete")) == (1, True)
    assert not (tmp_path / "data" / "latest.json").exists()  # not judged yet
    assert (tmp_path / "data" / "mpt-state.sqlite.1").exists()  # a copy of the state kept
    stats.set_value("mpt/health", "ok")
    runs.engine_stopped()
    latest = json.loads((tmp_path / "data" / "latest.json").read_text(encoding="utf-8"))
    assert latest == {**record, "health": "ok"}
    assert not runs.lock or not runs.lock.held


def test_an_unhealthy_or_empty_run_is_never_latest(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    close_run(runs, "{}\n")
    assert runs.crawler.stats is not None
    runs.crawler.stats.set_value("mpt/health", "unhealthy")
    runs.engine_stopped()
    assert not (tmp_path / "data" / "latest.json").exists()
    runs, spider = open_run(tmp_path)
    close_run(runs, "")  # nothing exported: no empty file stands for the run
    assert runs.dataset is not None and not runs.dataset.exists()
    assert manifest(tmp_path)[-1]["file"] is None
    assert manifest(tmp_path)[-1]["run_id"] == spider.run_id
    assert runs.crawler.stats is not None
    runs.crawler.stats.set_value("mpt/health", "ok")
    runs.engine_stopped()
    assert not (tmp_path / "data" / "latest.json").exists()


def test_a_short_run_is_not_complete_and_says_why(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path, CLOSESPIDER_ITEMCOUNT=5)
    runs.page_failed(f"{SITE}/ru/news?page=3", "listing", "http_503", "")
    runs.page_failed(f"{SITE}/ru/news?page=9", "listing", "listing_bound", "")
    with caplog.at_level(logging.WARNING):
        close_run(runs, "{}\n", reason="shutdown")
    assert runs.complete is False
    assert (f"run {spider.run_id} is not complete: it ended early (shutdown); limited by "
            "CLOSESPIDER_ITEMCOUNT=5; 1 listing pages failed; 1 listings stopped at a bound; "
            "the next run walks every listing again") in caplog.messages
    record = manifest(tmp_path)[0]
    assert (record["complete"], record["interrupted"], record["limits"]) == (
        False, True, ["CLOSESPIDER_ITEMCOUNT=5"])
    assert runs.state is not None
    assert runs.state.why_full() == "no complete full crawl of this site yet"


def test_failures_and_withdrawals_reach_the_state(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/gone"), "h", 1, exported=True)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, _ = open_run(tmp_path)
    runs.page_failed(f"{SITE}/ru/a", "article", "http_503", "", listed_date="15.03.2019")
    runs.page_failed(f"{SITE}/ru/b", "article", "http_500", "")
    assert (runs.failures, runs.listed_dates) == (
        {f"{SITE}/ru/a": "http_503", f"{SITE}/ru/b": "http_500"},
        {f"{SITE}/ru/a": "15.03.2019"})
    assert (runs.listing_failures, runs.bounded) == (0, [])
    assert runs.knows(f"{SITE}/ru/gone") and not runs.knows(f"{SITE}/ru/other")
    runs.article_gone(f"{SITE}/ru/gone", 410)
    close_run(runs, "{}\n")
    assert runs.state is not None
    assert runs.state.failed_urls() == [(f"{SITE}/ru/a", "15.03.2019"), (f"{SITE}/ru/b", None)]
    assert manifest(tmp_path)[-1]["withdrawn"] == 1
    gone = (tmp_path / "data" / "withdrawn.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(json.loads(g)["url"], json.loads(g)["status"]) for g in gone] == [
        (f"{SITE}/ru/gone", 410)]
    assert not runs.is_known(f"{SITE}/ru/gone")  # withdrawn: fetched again when listed
    assert runs.knows(f"{SITE}/ru/gone")


def test_is_known_by_url_or_node(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/a", node_id=77), "h", 1, exported=True)
    close_run(runs, "{}\n")
    assert runs.is_known(f"{SITE}/ru/a")
    assert runs.is_known(f"{SITE}/ru/node/77", 77)
    assert not runs.is_known(f"{SITE}/ru/node/78", 78)
    assert not runs.is_known(f"{SITE}/ru/b")


def test_a_not_modified_answer_is_staged_unchanged(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/a", http_etag='"e"',
                       http_last_modified="Tue, 02 Jan 2024 10:00:00 GMT"), "h", 3, exported=True)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, spider = open_run(tmp_path)
    assert runs.state is not None
    known = runs.state.known(f"{SITE}/ru/a")
    assert known is not None
    runs.stage_not_modified(known)
    stats = runs.crawler.stats
    assert stats is not None
    assert (stats.get_value("mpt/articles/unchanged"),
            stats.get_value("mpt/articles/not_modified")) == (1, 1)
    runs.state.flush()
    row = runs.state.db.execute("SELECT run_id, url, revision, exported, etag, node_id, "
                                "published, last_modified, content_hash FROM pending"
                                ).fetchone()
    assert row == (spider.run_id, f"{SITE}/ru/a", 3, 0, '"e"', 1, "2024-01-02",
                   "Tue, 02 Jan 2024 10:00:00 GMT", "h")


def test_recheck_takes_the_recent_then_a_share_of_the_stalest(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=7, MPT_REVALIDATE_DAYS=2)
    for n, day in enumerate(["2024-01-20", "2024-01-10", "2024-01-09", "2024-01-08"]):
        runs.stage(article(f"{SITE}/ru/{n}", published=day), "h", 1, exported=True)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=7, MPT_REVALIDATE_DAYS=2)
    assert runs.state is not None
    runs.state.db.execute("UPDATE articles SET last_seen = url")  # /ru/0 oldest
    urls = [k.url for k in runs.recheck()]
    assert urls[0] == f"{SITE}/ru/0"  # the only one within 7 days of the newest
    assert urls[1:] == [f"{SITE}/ru/1", f"{SITE}/ru/2"]  # ceil(4 / 2) stalest, not /ru/0
    assert runs.crawler.stats is not None
    assert runs.crawler.stats.get_value("mpt/revalidate/queued") == 2
    runs.engine_stopped()
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=0, MPT_REVALIDATE_DAYS=0)
    assert runs.recheck() == []
    runs.engine_stopped()
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=7, MPT_REVALIDATE_DAYS=0)
    assert [k.url for k in runs.recheck()] == [f"{SITE}/ru/0"]
    runs.engine_stopped()
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=0, MPT_REVALIDATE_DAYS=3)
    assert [k.url for k in runs.recheck()] == [f"{SITE}/ru/0", f"{SITE}/ru/1"]  # ceil(4/3)


def test_nothing_known_without_a_state(tmp_path: Path) -> None:
    runs = IncrementalRuns(get_crawler(MptSpider, crawler_settings(tmp_path)))
    assert (runs.recheck(), runs.failed_articles(), runs.knows("x")) == ([], [], False)


def test_a_run_whose_jsonl_was_not_written_keeps_nothing(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture
                                                         ) -> None:
    runs, spider = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/a"), "h", 1, exported=True)
    data = tmp_path / "data"
    (data / f"mpt-{spider.run_id}.jsonl.part").write_text("{", encoding="utf-8")
    (data / f"mpt-{spider.run_id}.parquet").write_bytes(b"x")
    (data / "markdown" / f"mpt-{spider.run_id}").mkdir(parents=True)
    assert runs.crawler.stats is not None
    runs.crawler.stats.set_value(f"mpt/not_stored/{runs.dataset}", "No space left on device")
    with caplog.at_level(logging.ERROR):
        close_run(runs, None)
    line = (f"not delivered: {runs.dataset} could not be written (No space left on device); "
            f"nothing of run {spider.run_id} was kept and the next run exports its articles "
            "again")
    assert line in caplog.messages
    assert runs.crawler.stats.get_value("mpt/not_delivered") == line
    assert sorted(p.name for p in data.iterdir()) == [
        "markdown", "mpt-state.sqlite", "mpt-state.sqlite-shm", "mpt-state.sqlite-wal",
        "mpt-state.sqlite.lock"]
    assert list((data / "markdown").iterdir()) == []
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["status"] == "abandoned"
    assert runs.state.known(f"{SITE}/ru/a") is None
    assert not runs.committed


def test_local_files_of_a_run(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={
        "FEEDS": {f"file://{tmp_path}/%(name)s-%(run_id)s.jsonl": {"format": "jsonlines"},
                  f"{tmp_path}/b/%(run_id)s/%(batch_id)d.jsonl": {"format": "jsonlines"},
                  f"{tmp_path}/c/%(batch_id)d.jsonl": {"format": "jsonlines"},
                  "s3://bucket/%(name)s-%(run_id)s.jsonl": {"format": "jsonlines"},
                  f"{tmp_path}/fixed.jsonl": {"format": "jsonlines"}},
        "MPT_MARKDOWN_URI": f"{tmp_path}/md/%(name)s-%(run_id)s",
        "MPT_WARC_URI": f"{tmp_path}/%(name)s-%(run_id)s.warc.gz"})
    files, folders = IncrementalRuns(crawler).local_files("mpt", "r1")
    assert files == [tmp_path / "mpt-r1.jsonl", tmp_path / "mpt-r1.warc.gz"]
    assert folders == [tmp_path / "md" / "mpt-r1", tmp_path / "b" / "r1"]
    # a spider of another name: its files, by that name
    files, folders = IncrementalRuns(crawler).local_files("news", "r1")
    assert (files, folders[0]) == ([tmp_path / "news-r1.jsonl", tmp_path / "news-r1.warc.gz"],
                                   tmp_path / "md" / "news-r1")
    crawler = get_crawler(settings_dict={"FEEDS": {}, "MPT_MARKDOWN_URI": f"{tmp_path}/md",
                                         "MPT_WARC_URI": None})
    assert IncrementalRuns(crawler).local_files("mpt", "r1") == ([], [])


def test_fail_names_the_fault(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs = IncrementalRuns(get_crawler(MptSpider, crawler_settings(tmp_path)))
    with caplog.at_level(logging.ERROR):
        runs.fail("could not commit")
    assert runs.fault == "could not commit"
    assert runs.crawler.stats is not None
    assert runs.crawler.stats.get_value("mpt/fault") == "could not commit"
    assert [r.getMessage() for r in caplog.records if r.name == "mptcrawler.runs"] == [
        "could not commit"]


def test_record_run_appends_after_a_last_line_without_newline(tmp_path: Path) -> None:
    runs = IncrementalRuns(get_crawler(MptSpider, crawler_settings(tmp_path)))
    runs.dataset = tmp_path / "mpt-r2.jsonl"
    (tmp_path / "manifest.jsonl").write_text('{"run_id": "r1"}', encoding="utf-8")
    runs.record_run({"run_id": "r2", "file": None, "exported": 0})
    runs.record_run({"run_id": "r3", "file": "mpt-r3.jsonl", "exported": 0})
    assert not (tmp_path / "latest.json").exists()
    runs.record_run({"run_id": "r4", "file": "mpt-r4.jsonl", "exported": 2}, latest=False)
    assert not (tmp_path / "latest.json").exists()
    runs.record_run({"run_id": "r5", "file": "mpt-r5.jsonl", "exported": 2})
    assert (tmp_path / "manifest.jsonl").read_text(encoding="utf-8") == (
        '{"run_id": "r1"}\n'
        '{"run_id": "r2", "file": null, "exported": 0}\n'
        '{"run_id": "r3", "file": "mpt-r3.jsonl", "exported": 0}\n'
        '{"run_id": "r4", "file": "mpt-r4.jsonl", "exported": 2}\n'
        '{"run_id": "r5", "file": "mpt-r5.jsonl", "exported": 2}\n')
    assert (tmp_path / "latest.json").read_text(encoding="utf-8") == (
        '{\n  "run_id": "r5",\n  "file": "mpt-r5.jsonl",\n  "exported": 2\n}\n')


# --- RunReport's summary ----------------------------------------------------------------------


def test_the_summary_counts_from_the_stats(tmp_path: Path) -> None:
    crawler = get_crawler(MptSpider, {})
    stats = crawler.stats
    assert stats is not None
    stats.open_spider()  # type: ignore[call-arg]
    for key, value in {"downloader/response_count": 40, "mpt/listing_pages/news": 3,
                       "mpt/listing_pages/front": 2, "mpt/requests/article": 12,
                       "mpt/requests/twin": 2, "mpt/requests/listing": 5,
                       "mpt/articles/era_B": 7, "mpt/articles/era_C": 3,
                       "mpt/extraction/fallback": 1, "mpt/articles/new": 6,
                       "mpt/articles/changed": 2, "mpt/articles/unchanged": 3,
                       "item_scraped_count": 8, "mpt/failures/http_404": 2,
                       "mpt/failures/note": "x", "mpt/dropped/invalid": 1,
                       "mpt/published/unparsed": 4, "mpt/published/url_date_mismatch": 5,
                       "mpt/evidence/title/h1": 9, "feedexport/failed_count/S3": 1}.items():
        stats.set_value(key, value)
    report = RunReport(crawler)
    spider = SimpleNamespace(run_id="r1", base_url=SITE)
    summary = report.summary(spider, "finished")  # type: ignore[arg-type]
    assert {k: v for k, v in summary.items()
            if k not in ("started", "finished", "duration_s")} == {
        "run_id": "r1", "base_url": SITE, "mode": "ad hoc", "finish_reason": "finished",
        "interrupted": False, "complete": None, "limits": [], "pages_fetched": 40,
        "listing_pages": 5, "requests": {"article": 10, "listing": 5, "twin": 2},
        "articles": {"parsed": 11, "new": 6, "changed": 2, "unchanged": 3, "exported": 8},
        "failures": {"http_404": 2}, "fallbacks": 1, "invalid": 1, "dates_unparsed": 4,
        "date_disagreements": 5, "evidence": {"title/h1": 9},
        "feeds_not_stored": {"S3": 1}, "bounds": [], "file": None, "fault": None,
        "frontier": None, "sitemap": {}}  # an ad-hoc run: no frontier, no sitemap read
    assert summary["duration_s"] >= 0


# --- RunReport's report: the log's summary, the verdict in the stats, the summary file ---------


def report_lines(caplog: pytest.LogCaptureFixture) -> tuple[int, list[str]]:
    (record,) = [r for r in caplog.records if re.match(r"run \S+ \(", r.getMessage())]
    return record.levelno, record.getMessage().split("\n")


def ad_hoc_report(**stats: Any) -> RunReport:
    crawler = get_crawler(MptSpider, {})
    assert crawler.stats is not None
    crawler.stats.open_spider()  # type: ignore[call-arg]
    for key, value in {"downloader/response_count": 7, "mpt/listing_pages/news": 2,
                       "mpt/articles/era_B": 4, "mpt/articles/new": 3,
                       "mpt/articles/changed": 1, "item_scraped_count": 4,
                       "mpt/published/unparsed": 2, **stats}.items():
        crawler.stats.set_value(key, value)
    return RunReport(crawler)


def test_a_healthy_report_is_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    report = ad_hoc_report()
    spider = SimpleNamespace(run_id="r1", base_url=SITE, walking=True)
    report.spider_closed(spider, "finished")  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.engine_stopped()
    level, lines = report_lines(caplog)
    assert level == logging.INFO
    assert re.fullmatch(r"run r1 \(ad hoc\) of https://mpt\.gov\.by: OK in \d+\.\d s", lines[0])
    assert lines[1:] == ["  pages fetched 7, listing pages 2",
                         "  articles: new 3, changed 1, unchanged 0, exported 4",
                         "  failures: none; fallbacks 0; dates not parsed 2"]
    stats = report.crawler.stats
    assert stats is not None
    assert stats.get_value("mpt/health") == "ok"
    assert stats.get_value("mpt/health/reason") is None


def test_an_unhealthy_report_is_a_warning_with_its_problems(
        caplog: pytest.LogCaptureFixture) -> None:
    report = ad_hoc_report(**{"mpt/failures/http_404": 1, "mpt/failures/timeout": 2,
                              "mpt/extraction/fallback": 1})
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.report(SimpleNamespace(run_id="r2", base_url=SITE),  # type: ignore[arg-type]
                      "finished")
    level, lines = report_lines(caplog)
    assert level == logging.WARNING
    assert lines[0].startswith("run r2 (ad hoc) of https://mpt.gov.by: UNHEALTHY in ")
    # parsed 4 + 1 fallback, failed 3: 8 attempted
    assert lines[1:] == [
        "  pages fetched 7, listing pages 2",
        "  articles: new 3, changed 1, unchanged 0, exported 4",
        "  failures: http_404 1, timeout 2; fallbacks 1; dates not parsed 2",
        "  problem: 1 of 8 articles lacked a title, date or body or needed the fallback "
        "extractor (over 2%): a redesign?",
        "  problem: 3 of 8 pages failed (over 5%): http_404 1, timeout 2"]
    stats = report.crawler.stats
    assert stats is not None
    assert stats.get_value("mpt/health") == "unhealthy"
    assert stats.get_value("mpt/health/reason") == (
        "1 of 8 articles lacked a title, date or body or needed the fallback extractor "
        "(over 2%): a redesign?; 3 of 8 pages failed (over 5%): http_404 1, timeout 2")


def test_no_report_for_a_spider_that_walked_no_listing(caplog: pytest.LogCaptureFixture) -> None:
    report = ad_hoc_report()
    report.spider_closed(SimpleNamespace(run_id="r1", base_url=SITE),  # type: ignore[arg-type]
                         "finished")
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.engine_stopped()
    assert caplog.records == []
    assert report.crawler.stats is not None
    assert report.crawler.stats.get_value("mpt/health") is None


def summary_uri(tmp: Path) -> str:
    return f"{tmp}/data/%(name)s-%(run_id)s.summary.json"


def test_a_cron_run_report_names_its_frontier_and_why_it_is_not_complete(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path, CLOSESPIDER_ITEMCOUNT=5,
                            MPT_SUMMARY_URI=summary_uri(tmp_path))
    report = RunReport(runs.crawler)
    report.spider_opened(spider)
    stats = runs.crawler.stats
    assert stats is not None
    stats.set_value("mpt/listing_pages/news", 1)
    close_run(runs, "{}\n", reason="closespider_itemcount")
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.report(spider, "closespider_itemcount")
    _, lines = report_lines(caplog)
    assert lines[0].startswith(f"run {spider.run_id} (full) of {SITE}: UNHEALTHY in ")
    assert lines[4:] == [
        "  frontier: carried over 0 listing pages and 0 articles; left 3 listing pages and "
        "0 articles",
        "  not complete (finish reason closespider_itemcount, CLOSESPIDER_ITEMCOUNT=5): the "
        "next run finishes its frontier first",
        "  problem: no article on a full crawl"]
    path = tmp_path / "data" / f"mpt-{spider.run_id}.summary.json"
    written = json.loads(path.read_text(encoding="utf-8"))
    assert (written["run_id"], written["health"], written["problems"], written["complete"],
            written["limits"], written["file"]) == (
        spider.run_id, "unhealthy", ["no article on a full crawl"], False,
        ["CLOSESPIDER_ITEMCOUNT=5"], str(runs.dataset))
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert sorted(p.name for p in path.parent.glob("*.part")) == []
    # a listing stopped at a bound: the next run walks every listing
    stats.set_value("mpt/failures/listing_bound", 1)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.report(spider, "finished")
    _, lines = report_lines(caplog)
    assert "  not complete (finish reason finished, CLOSESPIDER_ITEMCOUNT=5): the next run " \
           "walks every listing again" in lines


def test_the_report_of_a_run_not_committed_leaves_its_frontier_as_it_was(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path, MPT_SUMMARY_URI=summary_uri(tmp_path))
    report = RunReport(runs.crawler)
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.report(spider, "shutdown")
    _, lines = report_lines(caplog)
    assert "  frontier: carried over 0 listing pages and 0 articles; left as it was" in lines
    assert not any(line.startswith("  not complete") for line in lines)  # complete is None
    written = json.loads((tmp_path / "data" / f"mpt-{spider.run_id}.summary.json").read_text(
        encoding="utf-8"))
    assert (written["complete"], written["file"], written["interrupted"]) == (None, None, True)


def test_a_summary_that_cannot_be_written_is_logged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path,
                            MPT_SUMMARY_URI=f"{tmp_path}/blocked/%(name)s-%(run_id)s.json")
    # after the preflight made the folder: a file where it should be (a disk gone wrong)
    (tmp_path / "blocked").rmdir()
    (tmp_path / "blocked").write_text("a file where a folder should be", encoding="utf-8")
    report = RunReport(runs.crawler)
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.report(spider, "finished")
    errors = [r.getMessage() for r in caplog.records
              if r.levelno == logging.ERROR and r.name == "mptcrawler.runs"]
    assert len(errors) == 1
    assert errors == [f"could not write the summary {tmp_path}/blocked/mpt-{spider.run_id}.json: "
                      f"[Errno 17] File exists: '{tmp_path}/blocked'"]


def test_the_report_takes_the_full_runs_history_and_the_bounds() -> None:
    crawler = get_crawler(MptSpider, {})
    report = RunReport.from_crawler(crawler)
    assert (report.crawler, report.history, report.bounds, report.closed) == (
        crawler, [], [], None)
    report.spider_opened(MptSpider())  # ad hoc: no runs, no history
    assert report.history == []
    crawler.mpt_runs = SimpleNamespace(state=None)  # type: ignore[attr-defined]
    report.spider_opened(MptSpider())
    assert report.history == []
    # -1: an incremental run, which saw only part of the site; 0 is a full run that saw none
    crawler.mpt_runs = SimpleNamespace(  # type: ignore[attr-defined]
        state=SimpleNamespace(history=lambda: [5, -1, 0, 7]))
    report.spider_opened(MptSpider())
    assert report.history == [5, 0, 7]
    report.page_failed("u1", "listing", "http_503", "503")
    report.page_failed("u2", "listing", "listing_bound", "MPT_MAX_LISTING_PAGES 50")
    assert report.bounds == ["MPT_MAX_LISTING_PAGES 50 at u2"]


def test_the_report_waits_for_the_engine_to_stop(caplog: pytest.LogCaptureFixture) -> None:
    report = ad_hoc_report()
    spider = SimpleNamespace(run_id="r1", base_url=SITE, walking=True)
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.spider_closed(spider, "shutdown")  # type: ignore[arg-type]
        assert report.closed == (spider, "shutdown") and caplog.records == []
        report.engine_stopped()
    assert report.crawler.stats is not None
    assert report.crawler.stats.get_value("mpt/health") == "ok"


def test_a_run_not_delivered_names_what_it_removed(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path)
    data = tmp_path / "data"
    (data / f"mpt-{spider.run_id}.parquet").write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        close_run(runs, None)
    assert [(r.levelno, r.getMessage()) for r in caplog.records
            if r.name == "mptcrawler.runs"] == [
        (logging.ERROR, f"not delivered: {runs.dataset} could not be written (see the log); "
                        f"nothing of run {spider.run_id} was kept and the next run exports its "
                        "articles again"),
        (logging.WARNING, f"removed {data}/mpt-{spider.run_id}.parquet of run {spider.run_id}, "
                          "not delivered")]
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["status"] == "abandoned"


def test_a_moved_article_is_staged_with_its_previous_url(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/new", node_id=5), "h", 2, exported=True,
               previous_url=f"{SITE}/ru/old")
    assert runs.state is not None
    runs.state.flush()
    assert runs.state.db.execute("SELECT previous_url FROM pending").fetchone() == (
        f"{SITE}/ru/old",)


def test_listing_failures_are_counted_and_bounds_named(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    runs.page_failed(f"{SITE}/ru/news?page=2", "listing", "http_503", "")
    runs.page_failed(f"{SITE}/ru/news?page=3", "listing", "http_500", "")
    runs.page_failed(f"{SITE}/ru/news?page=9", "listing", "listing_bound", "")
    assert (runs.listing_failures, runs.bounded, runs.failures) == (
        2, [f"{SITE}/ru/news?page=9"], {})


def test_from_crawler_prepares_the_run_or_keeps_its_refusal(tmp_path: Path) -> None:
    settings = {**crawler_settings(tmp_path), "MPT_INCREMENTAL": True}
    crawler = get_crawler(MptSpider, settings)
    crawler.spider = MptSpider.from_crawler(crawler)
    runs = IncrementalRuns.from_crawler(crawler)
    assert runs.crawler is crawler
    assert runs.lock is not None and runs.lock.held and runs.state is not None
    assert runs.holder["run_id"] == crawler.spider.run_id
    other = get_crawler(MptSpider, settings)
    other.spider = MptSpider.from_crawler(other)
    with pytest.raises(RunRefused) as refused:
        IncrementalRuns.from_crawler(other)
    assert other.mpt_refused is refused.value  # type: ignore[attr-defined]
    assert refused.value.status == LOCKED
    runs.lock.release()
    runs.state.close()
    unbuilt = get_crawler(MptSpider, settings)  # no spider yet: prepared at spider_opened
    assert IncrementalRuns.from_crawler(unbuilt).lock is None


def test_an_empty_summary_counts_zero(tmp_path: Path) -> None:
    crawler = get_crawler(MptSpider, {})
    assert crawler.stats is not None
    crawler.stats.open_spider()  # type: ignore[call-arg]
    crawler.stats.set_value("mpt/requests/article", 4)
    crawler.stats.set_value("mpt/sitemap/listed", 3)
    report = RunReport(crawler)
    report.started = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    summary = report.summary(SimpleNamespace(), "shutdown")  # type: ignore[arg-type]
    assert (summary["run_id"], summary["base_url"], summary["interrupted"]) == (None, None, True)
    assert summary["started"] == f"{report.started:%Y-%m-%dT%H:%M:%SZ}"
    finished = dt.datetime.strptime(summary["finished"], "%Y-%m-%dT%H:%M:%S%z")
    assert finished >= report.started.replace(microsecond=0) + dt.timedelta(days=1)
    assert 86400 <= summary["duration_s"] == round(summary["duration_s"], 1)
    assert (summary["pages_fetched"], summary["requests"], summary["articles"],
            summary["sitemap"], summary["fallbacks"], summary["invalid"],
            summary["dates_unparsed"], summary["date_disagreements"]) == (
        0, {"article": 4}, {"parsed": 0, "new": 0, "changed": 0, "unchanged": 0,
                            "exported": 0}, {"listed": 3}, 0, 0, 0, 0)


def test_the_hand_over_records_what_a_full_run_saw_and_its_parquet(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path, CLOSESPIDER_ITEMCOUNT=5, CLOSESPIDER_PAGECOUNT=3)
    stats = runs.crawler.stats
    assert stats is not None and runs.dataset is not None and runs.state is not None
    for kind, n in (("new", 1), ("changed", 2), ("unchanged", 4)):
        stats.set_value(f"mpt/articles/{kind}", n)
    (tmp_path / "data" / f"mpt-{spider.run_id}.parquet").write_bytes(b"PAR1")
    runs.dataset.write_text("{}\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        runs.feed_exporter_closed()  # no finish_reason in the stats: "?"
    # new, changed and unchanged: what the full run saw
    assert runs.state.db.execute("SELECT seen FROM runs WHERE run_id = ?", (spider.run_id,)
                                 ).fetchone() == (7,)
    record = manifest(tmp_path)[0]
    assert (record["finish_reason"], record["parquet"], record["limits"]) == (
        "?", f"mpt-{spider.run_id}.parquet",
        ["CLOSESPIDER_ITEMCOUNT=5", "CLOSESPIDER_PAGECOUNT=3"])
    state = tmp_path / "data" / "mpt-state.sqlite"
    messages = [r.getMessage() for r in caplog.records if r.name == "mptcrawler.runs"]
    assert (f"run {spider.run_id} is not complete: it ended early (?); limited by "
            "CLOSESPIDER_ITEMCOUNT=5, CLOSESPIDER_PAGECOUNT=3; the next run finishes its "
            "frontier first") in messages
    assert messages[-1] == f"kept a copy of the state in {state}.1 (3 kept)"


def test_the_number_of_copies_kept_follows_the_setting(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, _ = open_run(tmp_path, MPT_STATE_BACKUPS=1)
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        close_run(runs, "{}\n")
    state = tmp_path / "data" / "mpt-state.sqlite"
    assert caplog.messages[-1] == f"kept a copy of the state in {state}.1 (1 kept)"


def test_a_copy_that_cannot_be_kept_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("mptcrawler.runs.keep_copy", broken)
    runs, _ = open_run(tmp_path)
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        close_run(runs, "{}\n")
    state = tmp_path / "data" / "mpt-state.sqlite"
    assert caplog.messages[-1] == f"could not keep a copy of {state}: No space left on device"
    assert caplog.records[-1].levelno == logging.ERROR
    assert runs.fault is None  # nothing of the run is lost


def test_a_state_failing_its_check_is_a_fault_and_not_copied(tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    close_run(runs, "{}\n")
    assert runs.state is not None
    db = runs.state.db
    rows = [("row 3 missing from index i",), ("wrong # of entries",)]
    runs.state.db = SimpleNamespace(  # type: ignore[assignment]
        execute=lambda sql: SimpleNamespace(fetchall=lambda: rows))
    (tmp_path / "data" / "mpt-state.sqlite.1").unlink()
    runs.keep_copy()
    runs.state.db = db
    state = tmp_path / "data" / "mpt-state.sqlite"
    assert runs.fault == (f"{state} failed its integrity check after the commit of run "
                          f"{spider.run_id} (row 3 missing from index i); no copy of it was kept")
    assert not (tmp_path / "data" / "mpt-state.sqlite.1").exists()


def test_a_commit_that_fails_is_a_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs, spider = open_run(tmp_path)
    assert runs.state is not None

    def broken(*args: Any) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(runs.state, "commit_run", broken)
    close_run(runs, "{}\n")
    state = tmp_path / "data" / "mpt-state.sqlite"
    assert runs.fault == (f"could not commit run {spider.run_id} to {state} (disk I/O error); "
                          f"{runs.dataset} is complete and the next run records it")
    assert not runs.committed


def test_a_run_opening_says_what_it_is(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        runs, spider = open_run(tmp_path)
    assert [(r.levelno, r.getMessage()) for r in caplog.records
            if r.name == "mptcrawler.runs"] == [
        (logging.INFO, "a full run: no complete full crawl of this site yet"),
        (logging.INFO, f"full run {spider.run_id} of {SITE} (0 articles known)")]
    assert runs.holder["mode"] == "full"
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["file"] == str(
        tmp_path / "data" / f"mpt-{spider.run_id}.jsonl")


def test_a_run_after_a_short_one_finishes_its_frontier_first(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, _ = open_run(tmp_path, CLOSESPIDER_ITEMCOUNT=5)
    close_run(runs, "{}\n", reason="closespider_itemcount")
    runs.engine_stopped()
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        runs, _ = open_run(tmp_path)
    # the first run left /ru/news, the front page and the feed it never walked
    assert "finishing first what earlier runs left: 3 listing pages, 0 articles" in \
        caplog.messages
    assert runs.frontier_summary() == {"carried": {"listing_pages": 3, "articles": 0},
                                       "left": None}


# --- the hand-over's failures: each logged or a fault, word for word ---------------------------


def test_a_part_file_that_cannot_be_removed_leaves_the_run_to_recovery(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path)
    part = Path(f"{runs.dataset}.part")
    part.mkdir()  # unlink cannot remove it
    (tmp_path / "data" / f"mpt-{spider.run_id}.parquet").write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        close_run(runs, None)
    assert [(r.levelno, r.getMessage()) for r in caplog.records
            if r.name == "mptcrawler.runs"][1:] == [
        (logging.ERROR, f"could not remove the files of run {spider.run_id}: [Errno 21] Is a "
                        f"directory: '{part}'")]
    assert (tmp_path / "data" / f"mpt-{spider.run_id}.parquet").exists()  # nothing more tried
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["status"] == "running"  # the next run recovers it
    assert not runs.committed and runs.fault is None


def test_a_leftover_that_cannot_be_removed_leaves_the_run_to_recovery(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path)
    parquet = tmp_path / "data" / f"mpt-{spider.run_id}.parquet"
    parquet.mkdir()
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        close_run(runs, None)
    assert [(r.levelno, r.getMessage()) for r in caplog.records
            if r.name == "mptcrawler.runs"][1:] == [
        (logging.ERROR, f"could not remove the files of run {spider.run_id}: [Errno 21] Is a "
                        f"directory: '{parquet}'")]
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["status"] == "running"


def test_a_run_not_delivered_that_cannot_be_abandoned_is_left_to_recovery(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    runs, spider = open_run(tmp_path)
    assert runs.state is not None

    def locked(run_id: str) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(runs.state, "abandon_run", locked)
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        close_run(runs, None)
    state = tmp_path / "data" / "mpt-state.sqlite"
    assert [(r.levelno, r.getMessage()) for r in caplog.records
            if r.name == "mptcrawler.runs"][1:] == [
        (logging.ERROR, f"could not record run {spider.run_id} as abandoned in {state} "
                        "(database is locked); the next run's recovery does")]
    assert runs.state.run_info(spider.run_id)["status"] == "running"
    assert runs.fault is None


def test_the_not_delivered_line_takes_the_reason_stored_under_the_absolute_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runs, spider = open_run(tmp_path, MPT_DATASET_URI="data/%(name)s-%(run_id)s.jsonl")
    stats = runs.crawler.stats
    assert stats is not None
    # the FeedExporter's storage records its failure under the file's absolute path
    stats.set_value(f"mpt/not_stored/{tmp_path}/data/mpt-{spider.run_id}.jsonl",
                    "Disk quota exceeded")
    close_run(runs, None)
    assert stats.get_value("mpt/not_delivered") == (
        f"not delivered: data/mpt-{spider.run_id}.jsonl could not be written (Disk quota "
        f"exceeded); nothing of run {spider.run_id} was kept and the next run exports its "
        "articles again")


def test_an_empty_jsonl_that_cannot_be_removed_is_logged_and_named(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path)
    assert runs.dataset is not None

    class Stuck(type(runs.dataset)):  # type: ignore[misc]
        def unlink(self, missing_ok: bool = False) -> None:
            raise PermissionError(13, "Permission denied")

    runs.dataset = Stuck(runs.dataset)
    with caplog.at_level(logging.ERROR, logger="mptcrawler.runs"):
        close_run(runs, "")
    assert [r.getMessage() for r in caplog.records if r.name == "mptcrawler.runs"] == [
        f"could not remove the empty {runs.dataset}: [Errno 13] Permission denied"]
    assert runs.committed and runs.fault is None
    assert manifest(tmp_path)[0]["file"] == f"mpt-{spider.run_id}.jsonl"  # it is there


def test_a_manifest_that_cannot_take_the_record_is_a_fault_naming_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, spider = open_run(tmp_path)
    data = tmp_path / "data"
    (data / "manifest.jsonl").write_text("damaged after the run began\n", encoding="utf-8")
    close_run(runs, "{}\n")
    head = (f"could not record run {spider.run_id} in the manifest beside {runs.dataset} "
            f"({data}/manifest.jsonl line 1 is damaged (not JSON: Expecting value: line 1 "
            "column 1 (char 0))); the file and the state are complete; its record: ")
    assert runs.fault is not None and runs.fault.startswith(head)
    record = json.loads(runs.fault[len(head):])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record.pop("finished"))
    assert record == {
        "run_id": spider.run_id, "base_url": SITE, "file": f"mpt-{spider.run_id}.jsonl",
        "mode": "full", "exported": 0, "finish_reason": "finished", "complete": True,
        "frontier": {"carried": {"listing_pages": 0, "articles": 0},
                     "left": {"listing_pages": 3, "articles": 0}}}
    assert runs.record is None and runs.committed
    assert (data / "manifest.jsonl").read_text(encoding="utf-8") == \
        "damaged after the run began\n"
    assert (data / "mpt-state.sqlite.1").exists()  # the state was committed and copied


def test_a_withdrawn_list_that_cannot_be_written_is_a_fault_and_the_next_run_writes_it(
        tmp_path: Path) -> None:
    """The list is a view of the state: the run that found the withdrawal has committed it and
    its files are delivered and recorded, so only the list is late. The fault says that, not
    that the manifest failed; the next run writes the list as it opens, whatever becomes of
    it afterwards (here: it delivers nothing)."""
    gone = f"{SITE}/ru/gone"
    runs, _ = open_run(tmp_path)
    runs.stage(article(gone), "h", 1, exported=True)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, spider = open_run(tmp_path)
    runs.article_gone(gone, 410)
    withdrawn = tmp_path / "data" / "withdrawn.jsonl"
    withdrawn.mkdir()
    close_run(runs, "{}\n")
    assert runs.fault == (
        f"could not write {withdrawn} ([Errno 21] Is a directory: '{withdrawn}.part' -> "
        f"'{withdrawn}'); run {spider.run_id} is delivered and recorded and its withdrawals "
        "are in the state: the next run writes the list")
    assert runs.record is not None
    assert (manifest(tmp_path)[-1]["run_id"], manifest(tmp_path)[-1]["withdrawn"]) == (
        spider.run_id, 1)
    runs.engine_stopped()

    withdrawn.rmdir()  # the folder repaired
    runs, _ = open_run(tmp_path)
    lines = withdrawn.read_text(encoding="utf-8").splitlines()
    assert [(json.loads(g)["url"], json.loads(g)["status"]) for g in lines] == [(gone, 410)]
    close_run(runs, None)  # not delivered: the list stays as the state has it
    assert not runs.committed
    assert withdrawn.read_text(encoding="utf-8").splitlines() == lines


def test_a_withdrawn_list_that_cannot_be_written_as_a_run_opens_is_left_to_its_end(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, _ = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/gone"), "h", 1, exported=True)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, _ = open_run(tmp_path)
    runs.article_gone(f"{SITE}/ru/gone", 404)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    withdrawn = tmp_path / "data" / "withdrawn.jsonl"
    withdrawn.unlink()
    withdrawn.mkdir()
    with caplog.at_level(logging.WARNING):
        runs, _ = open_run(tmp_path)
    assert (f"could not write {withdrawn} ([Errno 21] Is a directory: '{withdrawn}.part' -> "
            f"'{withdrawn}'); the run tries again at its end") in caplog.messages
    assert runs.fault is None


def test_the_commit_settles_the_frontier_articles_delivered_failed_or_withdrawn(
        tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    for name in ("delivered", "failed", "gone", "untouched"):
        runs.frontier.article(f"{SITE}/ru/{name}", "ru", None)
    runs.stage(article(f"{SITE}/ru/delivered"), "h", 1, exported=True)
    runs.page_failed(f"{SITE}/ru/failed", "article", "http_503", "")
    runs.article_gone(f"{SITE}/ru/gone", 404)
    close_run(runs, "{}\n")
    assert runs.frontier_left == {"listing_pages": 3, "articles": 1}
    assert runs.state is not None
    assert [row[0] for row in runs.state.frontier() if row[1] == "article"] == [
        f"{SITE}/ru/untouched"]
    assert manifest(tmp_path)[0]["frontier"]["left"] == {"listing_pages": 3, "articles": 1}


def test_latest_json_that_cannot_be_written_is_a_fault(tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    runs.stage(article(f"{SITE}/ru/a"), "h", 1, exported=True)
    close_run(runs, "{}\n")
    latest = tmp_path / "data" / "latest.json"
    Path(f"{latest}.part").mkdir()
    assert runs.crawler.stats is not None and runs.state is not None
    runs.crawler.stats.set_value("mpt/health", "ok")
    state = runs.state
    runs.engine_stopped()
    assert runs.fault == (
        f"could not name run {spider.run_id} in latest.json beside {runs.dataset} ([Errno 21] "
        f"Is a directory: '{latest}.part'); the run is in the manifest")
    assert not latest.exists()
    with pytest.raises(sqlite3.ProgrammingError):  # closed all the same, and the lock let go
        state.db.execute("SELECT 1")
    assert runs.lock is not None and not runs.lock.held


# --- boundaries of the limits, the re-checks and the report's file -----------------------------


@pytest.mark.parametrize("name", ["CLOSESPIDER_TIMEOUT", "CLOSESPIDER_ITEMCOUNT",
                                  "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_ERRORCOUNT",
                                  "CLOSESPIDER_TIMEOUT_NO_ITEM",
                                  "CLOSESPIDER_PAGECOUNT_NO_ITEM"])
def test_any_closespider_limit_above_zero_limits_the_run(name: str) -> None:
    assert run_limits(SimpleNamespace(), Settings({name: 1})) == [f"{name}=1"]
    assert run_limits(SimpleNamespace(), Settings({name: 0.5})) == [f"{name}=0.5"]
    assert run_limits(SimpleNamespace(), Settings({name: 0})) == []


def test_run_limits_of_the_spider_and_of_settings_without_scrapy_defaults() -> None:
    spider = SimpleNamespace(max_pages=None, since="2024-01-01", until=None)
    assert run_limits(spider, BaseSettings()) == ["since=2024-01-01"]  # unset: no limit
    assert run_limits(SimpleNamespace(max_pages=0), BaseSettings()) == ["max_pages=0"]


def test_recheck_at_one_day_and_revalidation_every_day(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    for n, day in enumerate(["2024-01-20", "2024-01-19", "2024-01-10"]):
        runs.stage(article(f"{SITE}/ru/{n}", published=day), "h", 1, exported=True)
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=1, MPT_REVALIDATE_DAYS=0)
    assert runs.state is not None
    runs.state.db.execute("UPDATE articles SET last_seen = url")
    # within one day of the newest (20 January): the 20th and the 19th
    assert sorted(k.url for k in runs.recheck()) == [f"{SITE}/ru/0", f"{SITE}/ru/1"]
    runs.engine_stopped()
    runs, _ = open_run(tmp_path, MPT_RECHECK_DAYS=0, MPT_REVALIDATE_DAYS=1)
    assert [k.url for k in runs.recheck()] == [f"{SITE}/ru/0", f"{SITE}/ru/1", f"{SITE}/ru/2"]
    assert runs.crawler.stats is not None
    assert runs.crawler.stats.get_value("mpt/revalidate/queued") == 3
    runs.engine_stopped()


def test_failed_articles_come_from_the_state(tmp_path: Path) -> None:
    runs, _ = open_run(tmp_path)
    runs.page_failed(f"{SITE}/ru/a", "article", "http_503", "", listed_date="15.03.2019")
    close_run(runs, "{}\n")
    runs.engine_stopped()
    runs, _ = open_run(tmp_path)
    assert runs.failed_articles() == [(f"{SITE}/ru/a", "15.03.2019")]


def test_the_summary_of_a_cron_run_names_its_fault(tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    runs.fail("could not commit")
    summary = RunReport(runs.crawler).summary(spider, "finished")
    assert (summary["fault"], summary["mode"], summary["complete"], summary["file"]) == (
        "could not commit", "full", None, None)


def test_the_summary_file_is_indented_readable_and_its_folder_made_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    uri = f"{tmp_path}/reports/daily/%(name)s-%(run_id)s.json"
    runs, spider = open_run(tmp_path, MPT_SUMMARY_URI=uri, CLOSESPIDER_ITEMCOUNT=5,
                            CLOSESPIDER_TIMEOUT=60)
    shutil.rmtree(tmp_path / "reports")  # gone during the run, with its parent
    report = RunReport(runs.crawler)
    report.page_failed(f"{SITE}/ru/новости?page=51", "listing", "listing_bound",
                       "MPT_MAX_LISTING_PAGES 50")
    close_run(runs, "{}\n", reason="closespider_itemcount")
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        report.report(spider, "closespider_itemcount")
    _, lines = report_lines(caplog)
    # two limits, each after a comma
    assert "  not complete (finish reason closespider_itemcount, CLOSESPIDER_TIMEOUT=60, " \
           "CLOSESPIDER_ITEMCOUNT=5): the next run finishes its frontier first" in lines
    text = (tmp_path / "reports" / "daily" / f"mpt-{spider.run_id}.json").read_text(
        encoding="utf-8")
    assert text.startswith('{\n  "run_id": "' + spider.run_id + '",\n  "base_url": ')
    assert f'"bounds": [\n    "MPT_MAX_LISTING_PAGES 50 at {SITE}/ru/новости?page=51"\n  ]' \
        in text


def test_a_run_not_delivered_removes_the_files_named_after_its_spider(tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    spider.name = "news"  # the files' templates take the spider's name
    leftover = tmp_path / "data" / f"news-{spider.run_id}.parquet"
    leftover.write_bytes(b"x")
    close_run(runs, None)
    assert not leftover.exists()


def test_a_recovered_record_names_the_parquet_file_of_its_spider(tmp_path: Path) -> None:
    runs, spider = open_run(tmp_path)
    (tmp_path / "data" / f"news-{spider.run_id}.parquet").write_bytes(b"PAR1")
    record = runs.recovered_record("news", spider.run_id)
    assert record["parquet"] == f"news-{spider.run_id}.parquet"


def test_the_summary_times_a_run_to_a_tenth_of_a_second(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    end = dt.datetime(2026, 11, 25, 1, 2, 3, 40000, tzinfo=dt.UTC)

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:
            return cls.fromtimestamp(end.timestamp(), tz)

    monkeypatch.setattr("mptcrawler.runs.dt", SimpleNamespace(datetime=Frozen, UTC=dt.UTC))
    report = RunReport(get_crawler(MptSpider, {}))
    assert report.crawler.stats is not None
    report.crawler.stats.open_spider()  # type: ignore[call-arg]
    report.started = dt.datetime(2026, 11, 25, 0, 2, 3, 0, tzinfo=dt.UTC)
    summary = report.summary(SimpleNamespace(), "finished")  # type: ignore[arg-type]
    # an hour and 0.04 s: 3600.0 to a tenth
    assert (summary["started"], summary["finished"], summary["duration_s"]) == (
        "2026-11-25T00:02:03Z", "2026-11-25T01:02:03Z", 3600.0)
