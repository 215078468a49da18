"""A run counts as complete only if it ended normally, walked every listing to its end and had
no limits; otherwise it leaves its frontier in the state (listing pages not walked, articles
listed and not delivered) and the next run, whatever its mode, finishes that first
(mptcrawler/cron/frontier.py), so nothing is left unseen below the pages an incremental run
stops at and no full walk is needed. Real `scrapy crawl mpt` runs against the replica."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any, cast

import pytest

from mptcrawler.cron.exits import INTERRUPTED
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron, table_rows
from .test_cron_lock import ENV, SLOW, cron_command

ARTICLES, SEED = 120, 6


def delivered(data: Path) -> Counter[str]:
    """Every article URL across the run files under their final names."""
    return Counter(json.loads(line)["url"] for path in sorted(data.glob("mpt-*Z.jsonl"))
                   for line in path.read_text(encoding="utf-8").splitlines())


def revisions(data: Path) -> Counter[tuple[str, int]]:
    """Every (article URL, revision) across the run files under their final names."""
    return Counter((item["url"], item["revision"]) for path in sorted(data.glob("mpt-*Z.jsonl"))
                   for item in map(json.loads, path.read_text(encoding="utf-8").splitlines()))


def summary_of(data: Path, record: dict[str, object]) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(
        (data / f"mpt-{record['run_id']}-summary.json").read_text(encoding="utf-8")))


def frontier_rows(data: Path) -> int:
    return table_rows(data / "mpt-state.sqlite", "frontier")


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
def test_a_first_full_run_stopped_by_a_signal_is_finished_by_the_next(
        stop: signal.Signals, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log)
    data = tmp_path / "data"
    try:
        first = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # SIGTERM: cron's timeout(1), systemd; SIGINT: Ctrl-C
        stop_while_delivering(first, data, 20_000, stop)
        first_err = first.communicate(timeout=120)[1]
        first_file = {json.loads(x)["url"] for p in data.glob("mpt-*Z.jsonl")
                      for x in p.read_text(encoding="utf-8").splitlines()}
        second = run_cron(base, tmp_path, log, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert first.returncode == INTERRUPTED == 4, first_err[-2000:]
    record = manifest(data)[0]
    assert (record["mode"], record["finish_reason"], record["complete"],
            record["interrupted"]) == ("full", "shutdown", False, True)
    assert 0 < int(str(record["exported"])) < ARTICLES
    left = cast("dict[str, Any]", record["frontier"])["left"]
    assert left["listing_pages"] > 0 and left["articles"] + len(first_file) <= ARTICLES
    ours = [line for line in first_err.splitlines() if line.startswith("mptcrawler:")]
    assert ours == [f"mptcrawler: interrupted (shutdown) after {record['exported']} items: they "
                    "are delivered; the next run finishes first the frontier left "
                    f"({left['listing_pages']} listing pages, {left['articles']} articles)"]
    summary = summary_of(data, record)
    assert (summary["interrupted"], summary["complete"]) == (True, False)
    assert summary["frontier"]["left"] == left

    # The next plain run is incremental: it does what the first left and nothing again.
    assert second.returncode == 0, second.stderr_tail
    assert "(incremental)" in second.log and "a full run" not in second.log
    after = summary_of(data, manifest(data)[1])
    assert after["frontier"] == {"carried": left,
                                 "left": {"listing_pages": 0, "articles": 0}}
    assert "frontier: carried over {listing_pages} listing pages and {articles} articles; " \
           "left 0 listing pages and 0 articles".format(**left) in second.log
    assert frontier_rows(data) == 0
    site = {a.url for a in build_site(ARTICLES, SEED).articles}
    assert set(delivered(data)) == site
    assert max(revisions(data).values()) == 1  # every article exactly once per revision
    assert max(delivered(data).values()) == 1
    # No full walk again: the articles asked for (re-checks of known ones apart) are exactly
    # those the first run did not deliver.
    assert after["requests"]["article"] == ARTICLES - len(first_file)


@pytest.mark.parametrize("limit", ["max_pages=1", "since=2026-01-01", "until=2025-06-30",
                                   "CLOSESPIDER_ITEMCOUNT"])
def test_a_limited_run_leaves_its_frontier_and_the_next_plain_run_completes_the_archive(
        limit: str, tmp_path: Path) -> None:
    # max_pages=1 leaves page 2 of each listing; since= the older pages and the older
    # articles of the last page walked; until= the newer articles it skipped: out of that
    # run's scope by choice, but the dataset is complete after the next plain run, without
    # full=1.
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
    left = cast("dict[str, Any]", record["frontier"])["left"]
    assert left["listing_pages"] + left["articles"] > 0
    if limit == "max_pages=1":  # the second page of each of the three news listings
        assert left["listing_pages"] == 3
    assert second.returncode == 0, second.stderr_tail
    assert "(incremental)" in second.log
    assert summary_of(data, manifest(data)[1])["frontier"] == {
        "carried": left, "left": {"listing_pages": 0, "articles": 0}}
    urls = delivered(data)
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    # Nothing left to carry: the third exports nothing.
    assert third.returncode == 0 and "(incremental)" in third.log and third.items == []
    assert summary_of(data, manifest(data)[2])["frontier"]["carried"] == {
        "listing_pages": 0, "articles": 0}


def test_an_interrupted_incremental_run_with_300_new_articles_is_finished_by_the_next(
        tmp_path: Path) -> None:
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
    proc, base = start_server(ARTICLES, SEED, tmp_path, log, port=port,
                              extra=("--added", "300"))
    try:
        before = set(data.glob("mpt-*Z.jsonl"))
        second = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stop_while_delivering(second, data, 20_000, signal.SIGTERM)
        second.communicate(timeout=120)
        third = run_cron(base, tmp_path, log, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert second.returncode == INTERRUPTED
    stopped = manifest(data)[1]
    assert (stopped["mode"], stopped["interrupted"]) == ("incremental", True)
    left = cast("dict[str, Any]", stopped["frontier"])["left"]
    assert left["listing_pages"] + left["articles"] > 0
    assert third.returncode == 0, third.stderr_tail
    assert summary_of(data, manifest(data)[2])["frontier"] == {
        "carried": left, "left": {"listing_pages": 0, "articles": 0}}
    added = {a.url for a in build_site(ARTICLES, SEED, added=300).articles} - {
        a.url for a in build_site(ARTICLES, SEED).articles}
    assert len(added) == 300
    later = Counter(json.loads(line)["url"] for path in sorted(
        set(data.glob("mpt-*Z.jsonl")) - before) for line in
        path.read_text(encoding="utf-8").splitlines())
    assert set(later) == added  # all 300 new articles, and nothing else again
    assert max(later.values()) == 1


def test_a_run_killed_mid_run_is_finished_by_the_next_plain_run(tmp_path: Path) -> None:
    proc, base = start_server(ARTICLES, SEED, tmp_path)
    data = tmp_path / "data"
    try:
        first = subprocess.Popen(cron_command(base, SLOW), cwd=tmp_path, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        stop_while_delivering(first, data, 40_000, signal.SIGKILL)
        first.wait(timeout=60)
        second = run_cron(base, tmp_path, None, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert second.returncode == 0, second.stderr_tail
    # The killed run delivered nothing (its JSONL never got its final name); its frontier,
    # at least the starting points committed before its first request, is carried over.
    assert "was killed; abandoned" in second.log and "(incremental)" in second.log
    carried = summary_of(data, manifest(data)[0])["frontier"]["carried"]
    assert carried["listing_pages"] > 0
    assert frontier_rows(data) == 0
    urls = delivered(data)
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
