"""IncrementalRuns.spider_opened called directly, without a crawl: what a run says as it
recovers killed runs and resets, the mode it takes and why, what it records of itself in the
state and the lock file, and the starting points a full run puts in its frontier. Expected
values written by hand."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from mptcrawler.cron.lock import read_holder
from mptcrawler.items import Article
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider

from .test_recovery import KILLED, crawler_settings, killed_run

SITE = "https://mpt.gov.by"


def opened(tmp: Path, full: bool = False, reset: bool = False, job_seen: bool = False,
           **settings: Any) -> tuple[IncrementalRuns, MptSpider]:
    crawler = get_crawler(MptSpider, {**crawler_settings(tmp), **settings})
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    crawler.spider = spider
    spider.full, spider.reset = full, reset
    if job_seen:
        spider.job_seen = {b"a request fingerprint of the stopped session"}
    runs.spider_opened(spider)
    return runs, spider


def delivered(runs: IncrementalRuns, *paths: str, reason: str = "finished") -> None:
    """The run walks its starting points, exports one article for each path and ends; its
    lock and state are let go."""
    assert runs.dataset is not None and runs.crawler.stats is not None
    for listing in ("/ru/news", "/", "/rss.xml"):
        runs.frontier.walked(listing)
    for n, path in enumerate(paths, 1):
        runs.stage(Article(url=f"{SITE}{path}", node_id=n, lang="ru", title="T",
                           published="2024-01-02"), f"h{n}", 1, exported=True)
    runs.crawler.stats.set_value("mpt/articles/new", len(paths))
    runs.crawler.stats.set_value("finish_reason", reason)
    runs.dataset.write_text("{}\n" * len(paths), encoding="utf-8")
    runs.feed_exporter_closed()
    runs.engine_stopped()


def messages(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "mptcrawler.runs"]


def test_a_run_killed_before_its_jsonl_was_final_is_named_with_what_was_removed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = killed_run(tmp_path, jsonl_final=False)
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        opened(tmp_path)
    assert messages(caplog) == [
        (logging.WARNING, f"run {KILLED} was killed; abandoned: its file never reached its "
                          "final name"),
        (logging.WARNING, f"removed {data}/mpt-{KILLED}.parquet of killed run {KILLED}"),
        (logging.WARNING, f"removed {data}/mpt-{KILLED}.warc.gz of killed run {KILLED}"),
        (logging.WARNING, f"removed {data}/markdown/mpt-{KILLED} of killed run {KILLED}")]


def test_a_run_killed_after_its_jsonl_was_final_is_recorded_whole(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        runs, _ = opened(tmp_path)
    assert messages(caplog) == [
        (logging.WARNING, f"run {KILLED} was killed; committed: {data}/mpt-{KILLED}.jsonl is "
                          "complete"),
        (logging.WARNING, f"run {KILLED} left no summary {data}/mpt-{KILLED}-summary.json: its "
                          "record's finish_reason and frontier are null"),
        (logging.WARNING, f"no copy of {data}/mpt-state.sqlite is kept though it has committed "
                          f"runs: {KILLED}; a copy is kept now")]
    (line,) = (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    finished = record.pop("finished")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", finished), finished
    assert runs.state is not None and runs.state.run_info(KILLED)["finished"] == finished
    assert record == {"run_id": KILLED, "base_url": SITE, "file": f"mpt-{KILLED}.jsonl",
                      "mode": "full", "exported": 1, "recovered": True, "health": "recovered",
                      "parquet": f"mpt-{KILLED}.parquet",
                      # recover() commits it as not complete; killed before its summary
                      "complete": False, "finish_reason": None, "frontier": None}


def test_a_recovered_record_names_no_parquet_file_it_does_not_have(tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    (data / f"mpt-{KILLED}.parquet").unlink()
    opened(tmp_path)
    record = json.loads((data / "manifest.jsonl").read_text(encoding="utf-8"))
    assert "parquet" not in record
    data = killed_run(tmp_path / "without", jsonl_final=True)
    opened(tmp_path / "without", MPT_PARQUET_URI=None)  # no Parquet output configured
    record = json.loads((data / "manifest.jsonl").read_text(encoding="utf-8"))
    assert "parquet" not in record and record["file"] == f"mpt-{KILLED}.jsonl"


def test_a_reset_says_how_many_articles_it_forgot(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    runs, _ = opened(tmp_path)
    delivered(runs, "/ru/a", "/ru/b")
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        runs, spider = opened(tmp_path, reset=True)
    assert messages(caplog) == [
        (logging.WARNING, f"reset: forgot 2 articles of {SITE} in "
                          f"{tmp_path}/data/mpt-state.sqlite")]
    assert runs.state is not None and runs.state.count() == 0
    assert runs.mode == "full"  # the state knows nothing now
    assert runs.state.has_run(spider.run_id)


def test_after_a_complete_full_run_the_next_is_incremental(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runs, _ = opened(tmp_path)
    delivered(runs, "/ru/a")
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        runs, spider = opened(tmp_path)
    assert (runs.mode, runs.incremental) == ("incremental", True)
    assert messages(caplog) == [
        (logging.INFO, f"incremental run {spider.run_id} of {SITE} (1 articles known)")]
    assert runs.crawler.stats is not None
    assert runs.crawler.stats.get_value("mpt/mode") == "incremental"
    holder = read_holder(tmp_path / "data" / "mpt-state.sqlite.lock")
    assert holder is not None and holder["mode"] == "incremental"
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["mode"] == "incremental"
    assert runs.state.frontier() == []  # an incremental run starts from no starting points
    # what an incremental run saw is not a full run's count: -1, left out of the history
    delivered(runs, "/ru/b")
    db = sqlite3.connect(tmp_path / "data" / "mpt-state.sqlite")
    assert db.execute("SELECT seen, complete FROM runs WHERE run_id = ?", (spider.run_id,)
                      ).fetchone() == (-1, 1)
    db.close()


def test_a_full_run_asked_for_says_no_reason(tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    runs, _ = opened(tmp_path)
    delivered(runs, "/ru/a")
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        runs, spider = opened(tmp_path, full=True)
    assert runs.mode == "full"
    assert messages(caplog) == [
        (logging.INFO, f"full run {spider.run_id} of {SITE} (1 articles known)")]
    # asked for while the state would have made it full anyway: still no reason given
    caplog.clear()
    runs.engine_stopped()
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        runs, spider = opened(tmp_path / "first", full=True)
    assert messages(caplog) == [
        (logging.INFO, f"full run {spider.run_id} of {SITE} (0 articles known)")]


def test_a_full_run_puts_its_starting_points_in_the_frontier(tmp_path: Path) -> None:
    runs, _ = opened(tmp_path)
    assert runs.state is not None
    assert runs.state.frontier() == [("/ru/news", "news", "ru", 0, None),
                                     ("/", "front", "ru", 0, None),
                                     ("/rss.xml", "feed", "ru", 0, None)]
    # each row names the run that put it there
    assert runs.state.db.execute("SELECT DISTINCT run_id FROM frontier").fetchall() == [
        (runs.run_id,)]


def test_the_spiders_own_limits_make_the_run_limited(tmp_path: Path) -> None:
    crawler = get_crawler(MptSpider, crawler_settings(tmp_path))
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler, max_pages="2")
    crawler.spider = spider
    runs.spider_opened(spider)
    assert runs.limits == ["max_pages=2"]


def test_a_full_run_resumed_from_its_job_adds_no_starting_points(tmp_path: Path) -> None:
    # its first session walked them; asked for again they would be dropped as seen
    runs, _ = opened(tmp_path, job_seen=True)
    assert runs.mode == "full"
    assert runs.state is not None and runs.state.frontier() == []


def test_the_run_records_its_file_as_an_absolute_path(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runs, spider = opened(tmp_path, MPT_DATASET_URI="data/%(name)s-%(run_id)s.jsonl")
    assert runs.dataset == Path(f"data/mpt-{spider.run_id}.jsonl")
    assert runs.state is not None
    assert runs.state.run_info(spider.run_id)["file"] == str(
        tmp_path / "data" / f"mpt-{spider.run_id}.jsonl")
    assert runs.state.run_info(spider.run_id)["base_url"] == SITE
    assert runs.state.folder_base_url() == SITE


def test_a_run_without_parquet_output_has_no_parquet_path(tmp_path: Path) -> None:
    runs, _ = opened(tmp_path, MPT_PARQUET_URI=None)
    assert runs.parquet is None


def test_a_run_prepared_by_from_crawler_is_not_prepared_again(tmp_path: Path) -> None:
    crawler = get_crawler(MptSpider, {**crawler_settings(tmp_path), "MPT_INCREMENTAL": True})
    crawler.spider = MptSpider.from_crawler(crawler)
    runs = IncrementalRuns.from_crawler(crawler)
    lock = runs.lock
    runs.spider_opened(crawler.spider)  # a second lock would be refused: this one holds it
    assert runs.lock is lock and lock is not None and lock.held
    assert runs.mode == "full"



def test_an_opened_run_holds_what_the_state_knows(tmp_path: Path) -> None:
    runs, _ = opened(tmp_path)
    delivered(runs, "/ru/a", "/ru/b")
    runs, _ = opened(tmp_path)
    assert runs.state is not None
    seen: list[str] = []
    runs.state.db.set_trace_callback(seen.append)
    # A new article is unknown without asking SQLite (the frontier's and TrackRevisions'
    # questions); one known by the last run is asked for and found.
    assert runs.state.known(f"{SITE}/ru/c") is None
    assert runs.state.known_elsewhere(3, "ru", f"{SITE}/ru/c") is None
    assert seen == []
    known = runs.state.known(f"{SITE}/ru/b")
    assert known is not None and known.node_id == 2
