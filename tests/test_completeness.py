"""A run counts as complete only if it ended normally, walked every listing to its end and had
no limits; otherwise the next run walks every listing again, so nothing is left unseen below
the pages an incremental run stops at. Real `scrapy crawl mpt` runs against the replica."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from mptcrawler.cron.exits import INTERRUPTED
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron
from .test_cron_lock import ENV, SLOW, cron_command

ARTICLES, SEED = 120, 6


def delivered(data: Path) -> Counter[str]:
    """Every article URL across the run files under their final names."""
    return Counter(json.loads(line)["url"] for path in sorted(data.glob("mpt-*Z.jsonl"))
                   for line in path.read_text(encoding="utf-8").splitlines())


def stop_while_delivering(run: subprocess.Popen[str], data: Path, size: int,
                          stop: signal.Signals) -> None:
    """Send ``stop`` to a running crawl once its JSONL holds ``size`` bytes of items."""
    deadline = time.monotonic() + 60
    while not (data.exists() and any(p.stat().st_size > size
                                      for p in data.glob("*.jsonl.part"))):
        assert run.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    run.send_signal(stop)


def manifest(data: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in
            (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_first_full_run_stopped_by_a_signal_is_completed_by_the_next(
        stop: signal.Signals, tmp_path: Path) -> None:
    proc, base = start_server(ARTICLES, SEED, tmp_path)
    data = tmp_path / "data"
    try:
        first = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # SIGTERM: cron's timeout(1), systemd; SIGINT: Ctrl-C
        stop_while_delivering(first, data, 20_000, stop)
        first_err = first.communicate(timeout=120)[1]
        second = run_cron(base, tmp_path, None, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert first.returncode == INTERRUPTED == 4, first_err[-2000:]
    ours = [line for line in first_err.splitlines() if line.startswith("mptcrawler:")]
    assert len(ours) == 1 and ours[0].startswith("mptcrawler: interrupted (shutdown) after ")
    record = manifest(data)[0]
    assert (record["mode"], record["finish_reason"], record["complete"],
            record["interrupted"]) == ("full", "shutdown", False, True)
    assert 0 < int(str(record["exported"])) < ARTICLES
    summary = json.loads((data / f"mpt-{record['run_id']}-summary.json").read_text("utf-8"))
    assert (summary["interrupted"], summary["complete"]) == (True, False)

    assert second.returncode == 0, second.stderr_tail
    assert "a full run: no complete full crawl of this site yet" in second.log
    urls = delivered(data)
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1  # every article exactly once across the final files
    assert manifest(data)[1]["complete"] is True


@pytest.mark.parametrize("limit", ["max_pages=1", "since=2026-01-01", "CLOSESPIDER_ITEMCOUNT"])
def test_a_limited_run_is_not_complete_and_the_next_run_walks_everything(
        limit: str, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log)
    data = tmp_path / "data"
    try:
        if limit.startswith("CLOSESPIDER"):
            first = run_cron(base, tmp_path, log, "lang=all", settings={limit: "10"})
        else:
            first = run_cron(base, tmp_path, log, "lang=all", limit)
        second = run_cron(base, tmp_path, log, "lang=all")
        third = run_cron(base, tmp_path, log, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    # A limit the operator asked for: not a failure (exit 0), but not complete either.
    assert first.returncode == 0, first.stderr_tail
    assert 0 < len(first.items) < ARTICLES
    record = manifest(data)[0]
    assert record["complete"] is False and "interrupted" not in record
    assert [x.split("=")[0] for x in record["limits"]] == [limit.split("=")[0]]  # type: ignore[union-attr]
    assert second.returncode == 0, second.stderr_tail
    assert "(full)" in second.log
    urls = delivered(data)
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    # Only now may a run rely on the state: the third is incremental and exports nothing.
    assert third.returncode == 0 and "(incremental)" in third.log and third.items == []


def test_an_interrupted_incremental_run_is_completed_by_the_next(tmp_path: Path) -> None:
    # The issue: an incremental run stopped with many new articles listed delivered half of
    # them, and later runs, stopping at known pages, never found the rest.
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log)
    port = int(base.rsplit(":", 1)[1])
    data = tmp_path / "data"
    try:
        assert run_cron(base, tmp_path, log, "lang=all").returncode == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, base = start_server(ARTICLES, SEED, tmp_path, log, port=port, extra=("--added", "60"))
    try:
        before = set(data.glob("mpt-*Z.jsonl"))
        second = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stop_while_delivering(second, data, 5_000, signal.SIGTERM)
        second.communicate(timeout=120)
        third = run_cron(base, tmp_path, log, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert second.returncode == INTERRUPTED
    assert third.returncode == 0, third.stderr_tail
    added = {a.url for a in build_site(ARTICLES, SEED, added=60).articles} - {
        a.url for a in build_site(ARTICLES, SEED).articles}
    later = Counter(json.loads(line)["url"] for path in sorted(
        set(data.glob("mpt-*Z.jsonl")) - before) for line in
        path.read_text(encoding="utf-8").splitlines())
    assert set(later) == added  # all 60 new articles, and nothing else again
    assert max(later.values()) == 1
