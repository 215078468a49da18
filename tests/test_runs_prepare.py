"""IncrementalRuns.prepare called directly, without a crawl: the run lock and what it says of
the run, each refusal's line to the character (its exit status too), the run id made unique,
and nothing left held or open after a refusal. Expected lines written by hand from the
README's wording of each case."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from mptcrawler.cron.exits import LOCKED, STATE_FAULT, USAGE, RunRefused
from mptcrawler.cron.lock import RunLock, read_holder
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider
from mptcrawler.state import CrawlState

from .test_recovery import crawler_settings

SITE = "https://mpt.gov.by"
RESTORE = ("restore a copy (scrapy restorestate; README: Restoring the state) or move it "
           "away to start over")


def new_run(tmp: Path, **settings: Any) -> tuple[IncrementalRuns, MptSpider]:
    crawler = get_crawler(MptSpider, {**crawler_settings(tmp), **settings})
    spider = MptSpider.from_crawler(crawler)
    crawler.spider = spider
    return IncrementalRuns(crawler), spider


def refusal(tmp: Path, spider_run_id: str | None = None, **settings: Any
            ) -> tuple[int, str, IncrementalRuns]:
    runs, spider = new_run(tmp, **settings)
    if spider_run_id is not None:
        spider.run_id = spider_run_id
    with pytest.raises(RunRefused) as refused:
        runs.prepare(spider)
    assert refused.value.line == str(refused.value)
    return refused.value.status, refused.value.line, runs


def assert_nothing_held(runs: IncrementalRuns, lock: Path) -> None:
    """After a refusal: the state closed and forgotten, the lock free for the next run; the
    lock file says who last held it (this process)."""
    assert runs.state is None
    holder = read_holder(lock)
    assert holder is not None and (holder["pid"], holder["mode"]) == (os.getpid(), None)
    assert runs.lock is None or not runs.lock.held
    other = RunLock(lock)
    other.acquire({"pid": 1})
    other.release()


def test_a_prepared_run_holds_the_lock_and_describes_itself(tmp_path: Path) -> None:
    # a replica's base URL: the state knows its site on any port
    runs, spider = new_run(tmp_path, MPT_BASE_URL="http://127.0.0.1:8080")
    run_id = spider.run_id
    runs.prepare(spider)
    lock = tmp_path / "data" / "mpt-state.sqlite.lock"
    assert runs.lock is not None and runs.lock.held and runs.lock.path == lock
    holder = read_holder(lock)
    assert holder is not None and runs.holder == holder
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", holder.pop("started"))
    assert holder == {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id,
                      "mode": None, "site": "http://127.0.0.1:8080"}
    assert runs.state is not None and runs.state.path == tmp_path / "data" / "mpt-state.sqlite"
    assert runs.state.site == "http://127.0.0.1:*"
    assert spider.run_id == run_id  # nothing had it: kept
    runs.lock.release()
    runs.state.close()


def test_a_run_id_taken_by_a_file_or_the_state_is_moved_on(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "data" / "mpt-state.sqlite", SITE)
    state.start_run("20261125T010203.000002Z", None)
    state.close()
    # .000001Z has its JSONL already (a copy, a clock gone back); .000002Z is in the state
    (tmp_path / "data" / "mpt-20261125T010203.000001Z.jsonl").write_text("", encoding="utf-8")
    runs, spider = new_run(tmp_path)
    spider.run_id = "20261125T010203.000001Z"
    runs.prepare(spider)
    assert spider.run_id == "20261125T010203.000003Z"
    assert runs.holder["run_id"] == "20261125T010203.000003Z"
    holder = read_holder(tmp_path / "data" / "mpt-state.sqlite.lock")
    assert holder is not None and holder["run_id"] == "20261125T010203.000003Z"
    assert runs.lock is not None and runs.state is not None
    runs.lock.release()
    runs.state.close()


def test_a_run_refused_while_another_holds_the_lock(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    state = tmp_path / "data" / "mpt-state.sqlite"
    other = RunLock(f"{state}.lock")
    other.acquire({"pid": 4321, "host": "cron1", "started": "2026-11-25T01:02:03Z",
                   "run_id": "20261125T010203.000000Z", "mode": "full"})
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (LOCKED, (
        f"locked: another run holds {state} (pid 4321 on cron1, started 2026-11-25T01:02:03Z, "
        "full run 20261125T010203.000000Z); try again once it has ended"))
    assert runs.state is None and runs.lock is not None and not runs.lock.held
    assert not state.exists()  # nothing opened
    assert read_holder(f"{state}.lock") == {  # the holder's details left as they were
        "pid": 4321, "host": "cron1", "started": "2026-11-25T01:02:03Z",
        "run_id": "20261125T010203.000000Z", "mode": "full"}
    other.release()


def test_a_lock_file_that_cannot_be_opened_is_a_state_fault(tmp_path: Path) -> None:
    state = tmp_path / "data" / "mpt-state.sqlite"
    Path(f"{state}.lock").mkdir(parents=True)
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (
        STATE_FAULT, f"state fault: cannot open the lock file {state}.lock: Is a directory")
    assert runs.state is None and not state.exists()


def test_a_lost_state_is_refused_unless_starting_over(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mpt-state.sqlite.1").write_bytes(b"a copy")
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (STATE_FAULT, (
        f"state fault: {data}/mpt-state.sqlite is missing but copies of it are beside it "
        "(mpt-state.sqlite.1): restore mpt-state.sqlite.1 (scrapy restorestate; README: "
        "Restoring the state), or to start over remove the copies or run with -a reset=1"))
    assert_nothing_held(runs, data / "mpt-state.sqlite.lock")
    assert not (data / "mpt-state.sqlite").exists()
    runs, spider = new_run(tmp_path)
    spider.reset = True
    runs.prepare(spider)  # -a reset=1: the operator starts over on purpose
    assert runs.state is not None and runs.lock is not None
    runs.lock.release()
    runs.state.close()


def test_an_empty_state_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mpt-state.sqlite").write_bytes(b"")
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (
        STATE_FAULT, f"state fault: {data}/mpt-state.sqlite is empty (0 bytes): {RESTORE}")
    assert_nothing_held(runs, data / "mpt-state.sqlite.lock")


@pytest.mark.parametrize("setting", ["MPT_DATASET_URI", "MPT_SUMMARY_URI", "MPT_FAILURES_URI",
                                     "MPT_WARC_URI", "MPT_MARKDOWN_URI"])
def test_each_output_folder_is_checked(tmp_path: Path, setting: str) -> None:
    # a regular file where the run's folder would be: the run is refused before it starts
    (tmp_path / "blocked").write_text("a file", encoding="utf-8")
    status, line, runs = refusal(tmp_path, **{setting: f"{tmp_path}/blocked/x/%(run_id)s.out"})
    assert (status, line) == (
        STATE_FAULT, f"state fault: cannot create the output folder {tmp_path}/blocked/x: "
                     "Not a directory")
    assert_nothing_held(runs, tmp_path / "data" / "mpt-state.sqlite.lock")


def test_a_damaged_manifest_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "manifest.jsonl").write_text('{"run_id": "r1"}\n{"run_id": "r2"\n',
                                         encoding="utf-8")
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (STATE_FAULT, (
        f"state fault: {data}/manifest.jsonl line 2 is damaged (not JSON: Expecting ',' "
        "delimiter: line 1 column 16 (char 15)): repair or remove that line; the runs' files "
        "and the state are intact"))
    assert_nothing_held(runs, data / "mpt-state.sqlite.lock")
    assert not (data / "mpt-state.sqlite").exists()  # refused before the state was opened


def test_a_manifest_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "manifest.jsonl").mkdir(parents=True)
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (
        STATE_FAULT, f"state fault: cannot read {data}/manifest.jsonl: Is a directory")
    assert_nothing_held(runs, data / "mpt-state.sqlite.lock")


def test_a_state_that_cannot_be_opened_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def unopenable(path: Path, site: str) -> CrawlState:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr("mptcrawler.runs.CrawlState", unopenable)
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (STATE_FAULT, (
        f"state fault: cannot open {tmp_path}/data/mpt-state.sqlite: unable to open database "
        "file"))
    assert_nothing_held(runs, tmp_path / "data" / "mpt-state.sqlite.lock")


def test_a_read_only_state_is_refused_and_closed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # As root no file is read-only to us: the state's connection is made read-only instead,
    # as a read-only mount would make it.
    opened: list[CrawlState] = []

    class ReadOnly(CrawlState):
        def __init__(self, path: Path, site: str) -> None:
            super().__init__(path, site)
            self.db.execute("PRAGMA query_only = 1")
            opened.append(self)

    monkeypatch.setattr("mptcrawler.runs.CrawlState", ReadOnly)
    status, line, runs = refusal(tmp_path)
    state = tmp_path / "data" / "mpt-state.sqlite"
    assert (status, line) == (
        STATE_FAULT, f"state fault: {state} is not writable: attempt to write a readonly "
                     "database")
    assert_nothing_held(runs, Path(f"{state}.lock"))
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not only forgotten
        opened[0].db.execute("SELECT 1")


def test_a_data_folder_of_another_site_is_refused_unless_allowed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = CrawlState(data / "mpt-state.sqlite", "https://other.example")
    state.record_folder_base_url("https://other.example")
    state.close()
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (USAGE, (
        f"usage error: {data}/ holds the data of https://other.example (its first run's base "
        "URL), not of https://mpt.gov.by: give this site a data folder of its own (the "
        "MPT_*_URI and MPT_STATE_PATH settings; mptcrawler-replica crawl --data), or set "
        "MPT_ALLOW_BASE_URL_CHANGE=True to keep both in this one"))
    assert_nothing_held(runs, data / "mpt-state.sqlite.lock")
    runs, spider = new_run(tmp_path, MPT_ALLOW_BASE_URL_CHANGE=True)
    runs.prepare(spider)
    assert runs.state is not None and runs.lock is not None
    assert runs.state.folder_base_url() == "https://other.example"  # the first run's, kept
    runs.lock.release()
    runs.state.close()


def test_a_data_folder_of_the_same_site_is_accepted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = CrawlState(data / "mpt-state.sqlite", SITE)
    state.record_folder_base_url(SITE)
    state.close()
    runs, spider = new_run(tmp_path)
    runs.prepare(spider)
    assert runs.state is not None and runs.lock is not None
    runs.lock.release()
    runs.state.close()


def test_a_state_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the data folder should be", encoding="utf-8")
    status, line, runs = refusal(tmp_path)
    assert (status, line) == (
        STATE_FAULT, f"state fault: cannot create the state folder {tmp_path}/data: "
                     "File exists")
    assert runs.lock is None and runs.state is None
