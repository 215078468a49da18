"""One run at a time per state database (mptcrawler/cron/lock.py), and run ids unique to the
microsecond: two real `scrapy crawl mpt` runs overlapping on one data folder, and the lock and
the ids on their own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from mptcrawler.cron.exits import LOCKED
from mptcrawler.cron.lock import Locked, RunLock, read_holder
from mptcrawler.cron.runid import new_run_id, next_run_id
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider

from .test_recovery import crawler_settings

ARTICLES, SEED = 120, 5
# One request at a time, 30 ms apart: a full run lasts ~5 s, long enough to overlap.
SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "DOWNLOAD_DELAY": "0.03",
        "RANDOMIZE_DOWNLOAD_DELAY": "False"}


def cron_command(base: str, settings: dict[str, str]) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-a", "lang=all",
           "-s", f"MPT_BASE_URL={base}"]
    for name, value in {**REPLICA_SETTINGS, **settings}.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")


def files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")
            if p.is_file()}


def under_way(data: Path) -> bool:
    """A run holds the lock, knows its mode, and has items in its .part file."""
    return data.exists() and any(p.stat().st_size > 2000 for p in data.glob("*.jsonl.part"))


def test_a_second_run_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log)
    data = tmp_path / "data"
    try:
        first = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not under_way(data):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        # The first run is paused while the second starts: it keeps its lock (the open file
        # holds the flock) but cannot finish its ~5 s crawl before the second has been refused,
        # which on a loaded machine (CI's two cores shared by two pytest workers) the second's
        # start-up alone used to outlast.
        os.kill(first.pid, signal.SIGSTOP)
        try:
            holder = read_holder(data / "mpt-state.sqlite.lock")
            assert holder is not None and (holder["pid"], holder["mode"]) == (first.pid, "full")
            before = files(data)
            second = subprocess.run(cron_command(base, {}), cwd=tmp_path, env=ENV,
                                    capture_output=True, text=True, timeout=120)
            after = files(data)
            assert first.poll() is None, "the first run ended before the second was refused"
        finally:
            os.kill(first.pid, signal.SIGCONT)
        first_err = first.communicate(timeout=120)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert second.returncode == LOCKED == 75
    ours = [line for line in second.stderr.splitlines() if line.startswith("mptcrawler:")]
    assert ours == [f"mptcrawler: locked: another run holds data/mpt-state.sqlite (pid "
                    f"{first.pid} on {holder['host']}, started {holder['started']}, full run "
                    f"{holder['run_id']}); try again once it has ended"]
    # That line and nothing else: refused before Scrapy started (not even its banner).
    assert second.stderr.splitlines() == ours
    # The second run removed nothing of the first and wrote nothing of its own.
    assert set(before) <= set(after)
    assert {name for name in after if holder["run_id"] not in name} <= {
        "mpt-state.sqlite", "mpt-state.sqlite-wal", "mpt-state.sqlite-shm",
        "mpt-state.sqlite.lock"}

    # The first run completed intact: every article once, recorded, its lock released.
    assert first.returncode == 0, first_err[-2000:]
    jsonl = data / f"mpt-{holder['run_id']}.jsonl"
    urls = Counter(json.loads(line)["url"] for line in
                   jsonl.read_text(encoding="utf-8").splitlines())
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    manifest = (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["run_id"] for line in manifest] == [holder["run_id"]]
    lock = RunLock(data / "mpt-state.sqlite.lock")
    lock.acquire({"pid": os.getpid()})
    lock.release()


def test_the_lock_names_its_holder_and_is_free_once_released(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    first, second = RunLock(path), RunLock(path)
    first.acquire({"pid": 1234, "started": "2026-11-25T01:02:03Z", "run_id": "r1",
                   "mode": "full"})
    with pytest.raises(Locked) as refused:  # another open file: flock refuses it too
        second.acquire({"pid": 5678})
    assert str(refused.value) == (f"{path} is held by pid 1234, started 2026-11-25T01:02:03Z, "
                                  "full run r1")
    first.release()
    second.acquire({"pid": 5678})
    assert read_holder(path) == {"pid": 5678}
    second.release()


def test_the_lock_dies_with_its_process(tmp_path: Path) -> None:
    path = tmp_path / "state.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from mptcrawler.cron.lock import RunLock; "
         f"RunLock({str(path)!r}).acquire({{'pid': 1}}); print('held', flush=True); "
         "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(Locked):
            RunLock(path).acquire({"pid": 2})
    finally:
        holder.kill()  # SIGKILL: no chance to release; the kernel does
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    lock = RunLock(path)
    lock.acquire({"pid": 2})
    lock.release()


def test_run_ids_are_unique_within_a_second_and_sort_by_start() -> None:
    import datetime as dt

    moment = dt.datetime(2026, 11, 25, 1, 2, 3, 5, tzinfo=dt.UTC)
    ids = [new_run_id(moment), new_run_id(moment.replace(microsecond=6)),
           new_run_id(moment.replace(second=4, microsecond=0))]
    assert ids == ["20261125T010203.000005Z", "20261125T010203.000006Z",
                   "20261125T010204.000000Z"]
    assert sorted(ids) == ids and len(set(ids)) == 3
    assert next_run_id("20261125T010203.999999Z") == "20261125T010204.000000Z"
    assert ids[2] > "20261125T010203Z"  # the old form still sorts by its second


def test_a_run_id_the_state_already_knows_is_made_unique(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Two runs whose clocks read the same microsecond (a clock set back, a coarse clock):
    the second gets the next free id, under the lock, before any of its files is named."""
    import datetime as dt

    frozen = dt.datetime(2026, 11, 25, 1, 2, 3, 123456, tzinfo=dt.UTC)
    monkeypatch.setattr(MptSpider, "clock", staticmethod(lambda: frozen))
    ids = []
    for _ in range(2):
        crawler = get_crawler(MptSpider, crawler_settings(tmp_path))
        runs = IncrementalRuns(crawler)
        spider = MptSpider.from_crawler(crawler)
        runs.spider_opened(spider)
        ids.append(spider.run_id)
        assert runs.dataset is not None and spider.run_id in runs.dataset.name
        runs.engine_stopped()  # closes the state, releases the lock
    assert ids == ["20261125T010203.123456Z", "20261125T010203.123457Z"]


@pytest.mark.parametrize("stagger", [0.0, 2.0, 5.0])
def test_two_runs_started_seconds_apart_lose_nothing(stagger: float, tmp_path: Path) -> None:
    # The overlaps: a second run started 0, 2 or 5 s after the first (a manual run, an
    # hourly cron during a slow crawl). Whichever way they meet, each ends 0 or refused (75),
    # and the final files hold every article exactly once.
    proc, base = start_server(ARTICLES, SEED, tmp_path)
    try:
        first = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(stagger)
        second = subprocess.run(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                capture_output=True, text=True, timeout=300)
        first_err = first.communicate(timeout=300)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    codes = sorted([first.returncode, second.returncode])
    assert codes in ([0, 0], [0, LOCKED]), (first_err[-1500:], second.stderr[-1500:])
    data = tmp_path / "data"
    urls = Counter(json.loads(line)["url"] for path in data.glob("mpt-*Z.jsonl")
                   for line in path.read_text(encoding="utf-8").splitlines())
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    assert not list(data.glob("*.part"))
