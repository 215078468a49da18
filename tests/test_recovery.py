"""What the next run does with the files of a killed run (IncrementalRuns at spider_opened):
killed before its JSONL got its final name, everything of it goes; killed after, it is
delivered and gets its manifest record. The SIGKILL test (test_crash_safety.py) does this for
real; here each case is set up exactly."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from mptcrawler import settings as project
from mptcrawler.cron.backup import keep_copy, runs_missing_from_copy
from mptcrawler.cron.exits import STATE_FAULT, RunRefused
from mptcrawler.cron.manifest import read_manifest
from mptcrawler.items import Article
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider
from mptcrawler.state import CrawlState, Known

from .conftest import run_cron

SITE = "https://mpt.gov.by"
KILLED = "20261124T060000Z"


def crawler_settings(tmp: Path) -> dict[str, Any]:
    data = tmp / "data"
    return {
        "MPT_STATE_PATH": str(data / "mpt-state.sqlite"),
        "MPT_DATASET_URI": f"{data}/%(name)s-%(run_id)s.jsonl",
        "MPT_PARQUET_URI": f"{data}/%(name)s-%(run_id)s.parquet",
        "MPT_WARC_URI": f"{data}/%(name)s-%(run_id)s.warc.gz",
        "MPT_FEEDS": {  # installed as FEEDS by the spider
            f"{data}/%(name)s-%(run_id)s.parquet": {"format": "parquet"},
            f"{data}/%(name)s-%(run_id)s.jsonl": {"format": "jsonlines"},
            "s3://bucket/%(name)s-%(run_id)s.jsonl": {"format": "jsonlines"},
        },
        "MPT_MARKDOWN_URI": f"{data}/markdown/%(name)s-%(run_id)s",
        "MPT_SUMMARY_URI": f"{data}/%(name)s-%(run_id)s-summary.json",
        "MPT_RECHECK_DAYS": project.MPT_RECHECK_DAYS,
    }


def killed_run(tmp: Path, jsonl_final: bool) -> Path:
    """A run killed with its Parquet file and archive final, two Markdown documents written,
    and its JSONL final or still ``.part``; the state has it 'running' with one staged row."""
    data = tmp / "data"
    (data / "markdown" / f"mpt-{KILLED}").mkdir(parents=True)
    for name in ("7670-ru.md", "7670-be.md", "7671-ru.md.part"):
        (data / "markdown" / f"mpt-{KILLED}" / name).write_text("## x", encoding="utf-8")
    for name in (f"mpt-{KILLED}.parquet", f"mpt-{KILLED}.warc.gz"):
        (data / name).write_bytes(b"x")
    jsonl = data / f"mpt-{KILLED}.jsonl"
    (jsonl if jsonl_final else Path(f"{jsonl}.part")).write_text("{}\n", encoding="utf-8")
    state = CrawlState(data / "mpt-state.sqlite", SITE)
    state.start_run(KILLED, str(jsonl), "full")
    state.stage(KILLED, f"{SITE}/a", 1, "h", 1, None, None, None, exported=True)
    state.flush()
    state.close()
    return data


def open_next_run(tmp: Path) -> IncrementalRuns:
    crawler = get_crawler(MptSpider, crawler_settings(tmp))
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    runs.spider_opened(spider)
    return runs


def test_a_run_killed_before_its_jsonl_was_final_leaves_nothing(tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=False)
    runs = open_next_run(tmp_path)
    left = sorted(str(p.relative_to(data)) for p in data.rglob("*") if KILLED in str(p))
    assert left == []  # Parquet, archive, JSONL .part, Markdown folder: all gone
    assert runs.state is not None and runs.state.known(f"{SITE}/a") is None
    assert not (data / "manifest.jsonl").exists()


def test_a_run_killed_after_its_jsonl_was_final_is_delivered_and_recorded(
        tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    runs = open_next_run(tmp_path)
    assert runs.state is not None
    # the staged row of the killed run, committed as it was staged (node 1, hash "h", rev. 1)
    assert runs.state.known(f"{SITE}/a") == Known(f"{SITE}/a", 1, "h", 1, None, None, None)
    records = [json.loads(line) for line in
               (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["run_id"], r["file"], r["parquet"], r["exported"], r["recovered"], r["base_url"],
             r["health"]) for r in records] == [
        (KILLED, f"mpt-{KILLED}.jsonl", f"mpt-{KILLED}.parquet", 1, True, SITE, "recovered")]
    # Nobody judged its health (it died before its summary): latest.json names only runs
    # judged healthy, so it is not named there.
    assert not (data / "latest.json").exists()
    assert (data / "markdown" / f"mpt-{KILLED}" / "7670-ru.md").exists()  # delivered: kept


# --- killed after the state's commit, before the manifest record --------------------------------


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the run's own handling runs after it."""


def delivered_run(tmp: Path, paths: tuple[str, ...], kill_before_manifest: bool = False,
                  healthy: bool = True, kill_at: str = "record_run") -> str:
    """A run that stages one article per path, writes its JSONL (one line each) and its
    Parquet stand-in, and hands over; killed, if asked, after its state commit, where it
    would have added its record to manifest.jsonl (``kill_at="record_run"``: after its copy
    of the state) or kept its copy of the state (``"keep_copy"``: before both). Its state and
    lock are let go as the kernel would let them go. Returns its run id."""
    crawler = get_crawler(MptSpider, crawler_settings(tmp))
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    crawler.spider = spider
    runs.spider_opened(spider)
    assert runs.dataset is not None and runs.parquet is not None and crawler.stats is not None
    for n, path in enumerate(paths, 1):
        runs.stage(Article(url=f"{SITE}{path}", node_id=n, lang="ru", title="T",
                           published="2024-01-02"), f"h{n}", 1, exported=True)
    crawler.stats.set_value("finish_reason", "finished")
    runs.dataset.write_text("{}\n" * len(paths), encoding="utf-8")
    if paths:
        runs.parquet.write_bytes(b"x")
    if kill_before_manifest:
        def killed(*args: Any, **kwargs: Any) -> None:
            raise Killed
        setattr(runs, kill_at, killed)
        with pytest.raises(Killed):  # it did reach the manifest, after the commit
            runs.feed_exporter_closed()
        assert runs.committed
        assert runs.state is not None and runs.lock is not None
        runs.state.close()
        runs.lock.release()
    else:
        runs.feed_exporter_closed()
        crawler.stats.set_value("mpt/health", "ok" if healthy else "unhealthy")
        runs.engine_stopped()
    return spider.run_id


def manifest_records(data: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_run_killed_after_its_commit_before_its_record_is_recorded_by_the_next_run(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    latest = (data / "latest.json").read_bytes()
    killed = delivered_run(tmp_path, ("/ru/b", "/ru/c"), kill_before_manifest=True)
    # The kill's window: the state has the run done and its articles known, its JSONL is under
    # its final name, and the manifest, which consumers follow, does not name it.
    assert [r["run_id"] for r in manifest_records(data)] == [first]
    runs = open_next_run(tmp_path)
    assert runs.state is not None
    assert runs.state.run_info(killed)["status"] == "done"
    records = manifest_records(data)
    assert [r["run_id"] for r in records] == [first, killed]
    record = records[1]
    # Killed before its summary: what only the run knew is null; complete is the state's
    # (it finished, unlimited, no listing page lost: complete).
    assert record == {"run_id": killed, "base_url": SITE, "file": f"mpt-{killed}.jsonl",
                      "mode": "incremental", "exported": 2,
                      "finished": runs.state.run_info(killed)["finished"],
                      "recovered": True, "health": "recovered",
                      "parquet": f"mpt-{killed}.parquet",
                      "finish_reason": None, "complete": True, "frontier": None}
    # Its health was never judged: latest.json still names the run before it.
    assert (data / "latest.json").read_bytes() == latest


def test_every_committed_run_the_manifest_lacks_is_recorded_in_run_order_if_it_has_a_file(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    # Several runs killed in that window one after the other can only come from an earlier
    # release, whose runs did not look for them as they opened.
    with monkeypatch.context() as earlier_release:
        earlier_release.setattr(IncrementalRuns, "record_unrecorded", lambda *args: None)
        two = delivered_run(tmp_path, ("/ru/b", "/ru/c"), kill_before_manifest=True)
        # Killed in the same window having exported nothing, before its empty JSONL was
        # removed: nothing of it can be missed (the next opening removes the file).
        empty = delivered_run(tmp_path, (), kill_before_manifest=True)
        (data / f"mpt-{empty}.jsonl").write_text("", encoding="utf-8")
        # Killed in that window too, its JSONL removed by hand since: nothing to point at.
        gone = delivered_run(tmp_path, ("/ru/d",), kill_before_manifest=True)
        (data / f"mpt-{gone}.jsonl").unlink()
        # A run of this release that ended normally after them: recorded, as it was then.
        last = delivered_run(tmp_path, ("/ru/f",))
    # A run killed after its JSONL got its final name, before its commit, and newer than the
    # others (recover() commits it): recorded after them, not first.
    newest = "20991231T235959.000000Z"
    jsonl = data / f"mpt-{newest}.jsonl"
    jsonl.write_text("{}\n", encoding="utf-8")
    state = CrawlState(data / "mpt-state.sqlite", SITE)
    state.start_run(newest, str(jsonl), "incremental", SITE)
    state.stage(newest, f"{SITE}/ru/e", 5, "h5", 1, None, None, None, exported=True)
    state.flush()
    state.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        runs = open_next_run(tmp_path)
    assert runs.state is not None
    # Added after the records already there (the manifest is only ever appended to), in run
    # order among themselves.
    assert [(r["run_id"], r["file"], r["exported"], r.get("recovered"))
            for r in manifest_records(data)] == [
        (first, f"mpt-{first}.jsonl", 1, None),
        (last, f"mpt-{last}.jsonl", 1, None),
        (two, f"mpt-{two}.jsonl", 2, True),
        (newest, f"mpt-{newest}.jsonl", 1, True)]
    assert [r.getMessage() for r in caplog.records if r.name == "mptcrawler.runs"] == [
        f"run {newest} was killed; committed: {jsonl} is complete",
        f"run {two} is committed in the state but has no record in {data}/manifest.jsonl; "
        f"recorded now: {data}/mpt-{two}.jsonl is complete",
        f"removed {data}/mpt-{empty}.jsonl: run {empty} exported nothing and was killed "
        "before it removed its empty JSONL",
        f"run {two} left no summary {data}/mpt-{two}-summary.json: its record's "
        "finish_reason and frontier are null",
        f"run {newest} left no summary {data}/mpt-{newest}-summary.json: its record's "
        "finish_reason and frontier are null",
        # the copy `last` kept at its end knows the runs before it, not newest, committed now
        f"the copy {data}/mpt-state.sqlite.1 lacks runs committed since it was kept (killed "
        f"before their own copy): {newest}; a copy is kept now"]
    assert not (data / f"mpt-{empty}.jsonl").exists()
    assert {runs.state.run_info(r)["status"] for r in (empty, gone)} == {"done"}
    assert runs.fault is None


def test_a_record_made_again_takes_what_only_the_run_knew_from_its_summary(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    stopped, limited, damaged, other = (delivered_run(tmp_path, (f"/ru/{n}",)) for n in "abcd")
    frontier = {"carried": {"listing_pages": 2, "articles": 3},
                "left": {"listing_pages": 1, "articles": 4}}
    summaries = {
        # Written by hand as RunReport writes them (the keys read here, and one more).
        stopped: {"run_id": stopped, "finish_reason": "shutdown", "interrupted": True,
                  "complete": False, "limits": [], "frontier": frontier, "health": "ok"},
        limited: {"run_id": limited, "finish_reason": "finished", "interrupted": False,
                  "limits": ["max_pages=1"], "frontier": {"carried": None, "left": None}},
        other: {"run_id": stopped, "finish_reason": "finished"},  # another run's
    }
    for run_id, summary in summaries.items():
        (data / f"mpt-{run_id}-summary.json").write_text(json.dumps(summary), encoding="utf-8")
    (data / f"mpt-{damaged}-summary.json").write_text("{", encoding="utf-8")
    (data / "manifest.jsonl").unlink()
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        runs = open_next_run(tmp_path)
    assert runs.state is not None
    common = {"base_url": SITE, "mode": "incremental", "exported": 1, "recovered": True,
              "health": "recovered", "complete": True}  # each committed complete: the state's
    assert manifest_records(data) == [
        # the first run of the folder: a full one
        {**common, "mode": "full", "run_id": stopped, "file": f"mpt-{stopped}.jsonl",
         "parquet": f"mpt-{stopped}.parquet", "finished": runs.state.run_info(stopped)["finished"],
         "finish_reason": "shutdown", "interrupted": True, "frontier": frontier},
        {**common, "run_id": limited, "file": f"mpt-{limited}.jsonl",
         "parquet": f"mpt-{limited}.parquet", "finished": runs.state.run_info(limited)["finished"],
         "finish_reason": "finished", "limits": ["max_pages=1"],
         "frontier": {"carried": None, "left": None}},
        {**common, "run_id": damaged, "file": f"mpt-{damaged}.jsonl",
         "parquet": f"mpt-{damaged}.parquet", "finished": runs.state.run_info(damaged)["finished"],
         "finish_reason": None, "frontier": None},
        {**common, "run_id": other, "file": f"mpt-{other}.jsonl",
         "parquet": f"mpt-{other}.parquet", "finished": runs.state.run_info(other)["finished"],
         "finish_reason": None, "frontier": None}]
    messages = caplog.messages
    assert [m for m in messages if "summary" in m] == [
        f"the summary {data}/mpt-{damaged}-summary.json of run {damaged} cannot be read "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1)): its "
        "record's finish_reason and frontier are null",
        f"{data}/mpt-{other}-summary.json is not the summary of run {other}: its record's "
        "finish_reason and frontier are null"]


def test_a_run_committed_by_recover_is_recorded_as_not_complete(tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    open_next_run(tmp_path)
    [record] = manifest_records(data)
    # recover() cannot know whether it had walked every listing: not complete; killed before
    # its summary: the rest unknown
    assert (record["complete"], record["finish_reason"], record["frontier"]) == (
        False, None, None)


def test_an_empty_jsonl_of_a_run_committed_by_recover_is_removed_and_the_run_recorded_without(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    jsonl = data / f"mpt-{KILLED}.jsonl"
    jsonl.parent.mkdir(parents=True)
    jsonl.write_bytes(b"")  # renamed into place with nothing in it, then killed
    state = CrawlState(data / "mpt-state.sqlite", SITE)
    state.start_run(KILLED, str(jsonl), "incremental", SITE)
    state.stage(KILLED, f"{SITE}/ru/a", 1, "h", 1, None, None, None, exported=False)
    state.flush()
    state.close()
    runs = open_next_run(tmp_path)
    assert not jsonl.exists()
    # as a run that exported nothing records itself: "file": null
    assert [(r["run_id"], r["file"], r["exported"]) for r in manifest_records(data)] == [
        (KILLED, None, 0)]
    assert runs.state is not None and runs.state.known(f"{SITE}/ru/a") is not None


def test_an_empty_jsonl_is_left_unless_the_state_says_its_run_exported_nothing(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True)
    (data / f"mpt-{killed}.jsonl").write_bytes(b"")  # emptied since, by hand or a bad disk
    open_next_run(tmp_path)
    assert (data / f"mpt-{killed}.jsonl").read_bytes() == b""  # not ours to judge: kept
    assert [r["run_id"] for r in manifest_records(data)] == [first]  # nothing to point at


def test_the_manifest_is_read_once_as_missing_runs_are_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True)
    crawler = get_crawler(MptSpider, crawler_settings(tmp_path))
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    runs.prepare(spider)  # reads it once to check it before the run starts
    reads = []

    def counted(path: Path) -> str:
        reads.append(path)
        return read_manifest(path)
    monkeypatch.setattr("mptcrawler.runs.read_manifest", counted)
    monkeypatch.setattr("mptcrawler.cron.manifest.read_manifest", counted)
    runs.spider_opened(spider)
    assert reads == [tmp_path / "data" / "manifest.jsonl"]
    assert [r["run_id"] for r in manifest_records(tmp_path / "data")] == [first, killed]


def test_a_manifest_removed_by_hand_is_made_again_of_the_runs_with_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    delivered_run(tmp_path, ())  # exported nothing: its record said "file": null
    third = delivered_run(tmp_path, ("/ru/b",), healthy=False)
    latest = (data / "latest.json").read_bytes()
    (data / "manifest.jsonl").unlink()
    open_next_run(tmp_path)
    assert [(r["run_id"], r["file"], r["health"]) for r in manifest_records(data)] == [
        (first, f"mpt-{first}.jsonl", "recovered"), (third, f"mpt-{third}.jsonl", "recovered")]
    assert (data / "latest.json").read_bytes() == latest  # still the first, judged healthy


def test_a_damaged_manifest_still_stops_the_run_and_the_run_after_the_repair_records(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True)
    good = (data / "manifest.jsonl").read_text(encoding="utf-8")
    (data / "manifest.jsonl").write_text(good + "{damaged\n", encoding="utf-8")
    with pytest.raises(RunRefused) as refused:
        open_next_run(tmp_path)
    assert refused.value.status == STATE_FAULT
    assert refused.value.line.startswith(
        f"state fault: {data}/manifest.jsonl line 2 is damaged (not JSON: ")
    assert (data / "manifest.jsonl").read_text(encoding="utf-8") == good + "{damaged\n"
    (data / "manifest.jsonl").write_text(good, encoding="utf-8")  # the line removed
    open_next_run(tmp_path)
    assert [r["run_id"] for r in manifest_records(data)] == [first, killed]


def test_a_manifest_that_cannot_take_the_records_as_a_run_opens_is_a_fault_left_to_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True)
    good = (data / "manifest.jsonl").read_bytes()

    def full(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")
    with monkeypatch.context() as patched:
        patched.setattr("mptcrawler.runs.write_atomically", full)
        runs = open_next_run(tmp_path)
    assert runs.fault == (
        f"could not record in {data}/manifest.jsonl the runs committed in the state that it "
        "lacks ([Errno 28] No space left on device); their files and the state are complete: "
        "the next run records them")
    assert runs.crawler.stats is not None
    assert runs.crawler.stats.get_value("mpt/fault") == runs.fault  # exit status 5
    assert runs.state is not None and runs.lock is not None
    assert runs.state.run_info(runs.run_id)["status"] == "running"  # the run went on
    assert (data / "manifest.jsonl").read_bytes() == good
    runs.state.close()
    runs.lock.release()
    open_next_run(tmp_path)
    assert [r["run_id"] for r in manifest_records(data)] == [first, killed]


def test_a_manifest_damaged_after_the_run_was_prepared_is_a_fault_as_it_opens(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    delivered_run(tmp_path, ("/ru/a",))
    delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True)
    crawler = get_crawler(MptSpider, crawler_settings(tmp_path))
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    runs.prepare(spider)  # the manifest's check passes here
    damaged = (data / "manifest.jsonl").read_text(encoding="utf-8") + "{damaged\n"
    (data / "manifest.jsonl").write_text(damaged, encoding="utf-8")
    runs.spider_opened(spider)
    assert runs.fault is not None and runs.fault.startswith(
        f"could not record in {data}/manifest.jsonl the runs committed in the state that it "
        f"lacks ({data}/manifest.jsonl line 2 is damaged (not JSON: ")
    assert (data / "manifest.jsonl").read_text(encoding="utf-8") == damaged


# --- a real SIGKILL in that window, and the state's copies -----------------------------------

# `scrapy crawl` with one method of IncrementalRuns replaced by a SIGKILL of the process, so that
# the run dies for real (no handler, no flush, the lock let go by the kernel) at that point.
KILL_AT = """
import os, signal, sys
from mptcrawler.runs import IncrementalRuns
method = sys.argv.pop(1)
original = getattr(IncrementalRuns, method)
def killed(self, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
def opened_then_killed(self, spider):  # its signature: Scrapy passes what a handler names
    original(self, spider)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(IncrementalRuns, method, opened_then_killed if method == "spider_opened" else killed)
from scrapy.cmdline import execute
sys.argv[0] = "scrapy"
execute()
"""
REAL_ARTICLES, REAL_SEED, REAL_ADDED = 30, 7, 5


def crawl_killed_at(method: str, base: str, workdir: Path) -> int:
    cmd = [sys.executable, "-c", KILL_AT, method, "crawl", "mpt", "-a", "lang=all",
           "-s", f"MPT_BASE_URL={base}"]
    for name, value in REPLICA_SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
    return subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, timeout=300).returncode


def committed_in(path: Path) -> set[str]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in db.execute("SELECT run_id FROM runs WHERE status = 'done'")}
    finally:
        db.close()


def test_a_real_kill_after_the_commit_leaves_no_copy_that_exports_its_articles_again(
        tmp_path: Path) -> None:
    """Day 1 a full run; day 2, REAL_ADDED new articles, the run SIGKILLed after its state
    commit where it keeps its copy (before its manifest record); day 3 a run SIGKILLed just
    after it opened (its own copy is never taken); then the state is lost and the newest copy
    restored as the README says. Before the fix that copy was day 1's: day 4 exported day 2's
    articles again."""
    data = tmp_path / "data"
    proc, base = start_server(REAL_ARTICLES, REAL_SEED, tmp_path)
    try:
        assert run_cron(base, tmp_path, None, "lang=all").returncode == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    day1 = manifest_records(data)[0]["run_id"]
    proc, base = start_server(REAL_ARTICLES, REAL_SEED, tmp_path,
                              extra=("--added", str(REAL_ADDED)))
    try:
        assert crawl_killed_at("keep_copy", base, tmp_path) == -signal.SIGKILL
        # The window, for real: day 2 is committed and its JSONL delivered, the manifest does
        # not name it, and the newest copy of the state is day 1's.
        day2 = sorted(p.name for p in data.glob("mpt-*Z.jsonl"))[-1][4:-6]
        lines = (data / f"mpt-{day2}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == REAL_ADDED
        assert committed_in(data / "mpt-state.sqlite") == {day1, day2}
        assert [r["run_id"] for r in manifest_records(data)] == [day1]
        assert committed_in(data / "mpt-state.sqlite.1") == {day1}
        assert crawl_killed_at("spider_opened", base, tmp_path) == -signal.SIGKILL
        # Day 3's opening recorded day 2 and, before anything of its own, kept a copy.
        assert [r["run_id"] for r in manifest_records(data)] == [day1, day2]
        assert committed_in(data / "mpt-state.sqlite.1") == {day1, day2}
        assert committed_in(data / "mpt-state.sqlite.2") == {day1}
        # The state is lost; the README's restore (Restoring the state), but for the folder.
        done = subprocess.run(
            ["flock", "-n", "mpt-state.sqlite.lock", "sh", "-c",
             "mv mpt-state.sqlite mpt-state.sqlite.broken && "
             "rm -f mpt-state.sqlite-wal mpt-state.sqlite-shm && "
             "cp mpt-state.sqlite.1 mpt-state.sqlite"], cwd=data, check=False)
        assert done.returncode == 0
        day4 = run_cron(base, tmp_path, None, "lang=all")
        assert day4.returncode == 0, day4.stderr_tail
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert day4.items == []  # nothing new since day 2, and day 2's articles not again
    seen = Counter(json.loads(line)["url"] for path in data.glob("mpt-*Z.jsonl")
                   for line in path.read_text(encoding="utf-8").splitlines())
    assert len(seen) == REAL_ARTICLES + REAL_ADDED  # nothing lost
    assert max(seen.values()) == 1  # nothing twice


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_the_next_opening_keeps_the_copy_a_run_killed_after_its_commit_never_kept(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    day1 = (data / "mpt-state.sqlite.1").read_bytes()
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True, kill_at="keep_copy")
    assert committed_in(data / "mpt-state.sqlite.1") == {first}
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        runs = open_next_run(tmp_path)
    assert committed_in(data / "mpt-state.sqlite.1") == {first, killed}
    assert (data / "mpt-state.sqlite.2").read_bytes() == day1  # rotated, not lost
    assert not (data / "mpt-state.sqlite.3").exists()
    assert f"the copy {data}/mpt-state.sqlite.1 lacks runs committed since it was kept " \
           f"(killed before their own copy): {killed}; a copy is kept now" in caplog.messages
    # Taken before this run's own row: restored, the copy knows nothing of this run.
    assert runs.run_id not in sqlite3.connect(data / "mpt-state.sqlite.1").execute(
        "SELECT group_concat(run_id) FROM runs").fetchone()[0]
    assert runs.fault is None


def test_the_copy_names_every_run_it_lacks(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    with monkeypatch.context() as earlier_release:  # whose openings kept no missing copy
        earlier_release.setattr(IncrementalRuns, "copy_if_missed", lambda self: None)
        two = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True, kill_at="keep_copy")
        three = delivered_run(tmp_path, ("/ru/c",), kill_before_manifest=True,
                              kill_at="keep_copy")
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        open_next_run(tmp_path)
    assert f"the copy {data}/mpt-state.sqlite.1 lacks runs committed since it was kept (killed " \
           f"before their own copy): {two}, {three}; a copy is kept now" in caplog.messages
    assert committed_in(data / "mpt-state.sqlite.1") == {first, two, three}


def test_a_committed_run_without_a_file_is_not_recorded_and_breaks_nothing(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    state = CrawlState(data / "mpt-state.sqlite", SITE)
    state.start_run("20261124T000000Z", None)  # a run row with no file (start_run allows it)
    state.commit_run("20261124T000000Z", seen=0)
    state.close()
    runs = open_next_run(tmp_path)
    assert runs.fault is None
    assert [r["run_id"] for r in manifest_records(data)] == [first]


def test_a_jsonl_of_one_byte_is_not_empty(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True)
    (data / f"mpt-{killed}.jsonl").write_bytes(b"\n")
    open_next_run(tmp_path)
    assert (data / f"mpt-{killed}.jsonl").read_bytes() == b"\n"
    assert [r["run_id"] for r in manifest_records(data)] == [first, killed]


def test_a_run_killed_before_its_commit_is_in_the_copy_once_the_next_run_commits_it(
        tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=True)  # recover() commits it as the run opens
    open_next_run(tmp_path)
    assert committed_in(data / "mpt-state.sqlite.1") == {KILLED}


def test_an_opening_whose_copy_knows_every_committed_run_keeps_none_and_leaves_it_untouched(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    delivered_run(tmp_path, ("/ru/a",))
    copy = data / "mpt-state.sqlite.1"
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        open_next_run(tmp_path)
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before
    # read-only: no journal, WAL or shared-memory file made beside it, no rotation
    assert beside(copy) == ["mpt-state.sqlite.1"]
    assert [r.getMessage() for r in caplog.records if r.name == "mptcrawler.runs"] == []


def test_no_copy_is_kept_at_the_opening_when_copies_are_turned_off(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    crawler = get_crawler(MptSpider, {**crawler_settings(tmp_path), "MPT_STATE_BACKUPS": 0})
    with caplog.at_level(logging.INFO, logger="mptcrawler.runs"):
        IncrementalRuns(crawler).spider_opened(MptSpider.from_crawler(crawler))
    assert not list(data.glob("mpt-state.sqlite.[0-9]"))
    assert not [m for m in caplog.messages if "copy is kept" in m or "kept a copy" in m]


def test_one_copy_kept_is_enough_to_keep_the_missing_one_at_the_opening(
        tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    crawler = get_crawler(MptSpider, {**crawler_settings(tmp_path), "MPT_STATE_BACKUPS": 1})
    IncrementalRuns(crawler).spider_opened(MptSpider.from_crawler(crawler))
    assert committed_in(data / "mpt-state.sqlite.1") == {KILLED}
    assert not (data / "mpt-state.sqlite.2").exists()


def test_a_state_with_committed_runs_and_no_copy_gets_one_as_a_run_opens(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    second = delivered_run(tmp_path, ("/ru/b",))
    for copy in data.glob("mpt-state.sqlite.[0-9]"):
        copy.unlink()  # e.g. kept with MPT_STATE_BACKUPS=0 until now
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        open_next_run(tmp_path)
    assert committed_in(data / "mpt-state.sqlite.1") == {first, second}
    assert f"no copy of {data}/mpt-state.sqlite is kept though it has committed runs: " \
           f"{first}, {second}; a copy is kept now" in caplog.messages


def test_a_copy_that_cannot_be_read_is_rotated_and_a_new_one_kept(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    (data / "mpt-state.sqlite.1").write_bytes(b"not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="mptcrawler.runs"):
        runs = open_next_run(tmp_path)
    assert committed_in(data / "mpt-state.sqlite.1") == {first}
    assert (data / "mpt-state.sqlite.2").read_bytes() == b"not a database" * 100
    assert f"could not read the copy {data}/mpt-state.sqlite.1 (file is not a database); a " \
           "new copy is kept" in caplog.messages
    assert runs.fault is None


def test_the_runs_a_copy_lacks_are_those_committed_of_every_site_in_run_order(
        tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    other = CrawlState(tmp_path / "s.sqlite", "http://127.0.0.1:*")
    assert runs_missing_from_copy(state.db, state.path) == []  # nothing committed, no copy
    for db, run_id in ((state, "r2"), (other, "r1"), (state, "r3")):
        db.start_run(run_id, None)
        db.commit_run(run_id, seen=0)
    state.start_run("r4", None)  # running: not committed, not asked of the copy
    assert runs_missing_from_copy(state.db, state.path) == ["r1", "r2", "r3"]  # no copy yet
    keep_copy(state.db, state.path, 2)
    assert runs_missing_from_copy(state.db, state.path) == []
    other.start_run("r5", None)
    other.commit_run("r5", seen=0)
    assert runs_missing_from_copy(state.db, state.path) == ["r5"]  # another site's, too
    state.close()
    other.close()
