"""A run whose JSONL (its commit point) cannot be written, as on a full disk, keeps nothing and
says so in one line with exit status 6; the next run exports its articles again. The real
`scrapy crawl mpt` into a data folder on a small tmpfs (needs the right to mount: root)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mptcrawler import settings as project
from mptcrawler.cron.exits import NOT_DELIVERED
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import PROJECT, run_cron
from .test_completeness import delivered

ARTICLES, SEED = 120, 6


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path/data`` on a 400 KB tmpfs: the state and the first files fit, the run's
    archive, documents and JSONL (~500 KB together) do not."""
    data = tmp_path / "data"
    data.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(data)],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
    try:
        yield data
    finally:
        subprocess.run(["umount", str(data)], check=True)


def test_a_full_disk_keeps_nothing_says_so_and_the_next_run_delivers(small_disk: Path) -> None:
    workdir = small_disk.parent
    proc, base = start_server(ARTICLES, SEED, workdir)
    try:
        full = run_cron(base, workdir, None, "lang=all")
        left = sorted(p.name for p in small_disk.rglob("*") if p.is_file())
        subprocess.run(["mount", "-o", "remount,size=50m", str(small_disk)], check=True)
        after = run_cron(base, workdir, None, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert full.returncode == NOT_DELIVERED == 6, full.stderr_tail
    ours = [line for line in full.log.splitlines() if line.startswith("mptcrawler:")]
    assert len(ours) == 1 and re.fullmatch(
        r"mptcrawler: not delivered: data/mpt-(\S+Z)\.jsonl could not be written \(No space "
        r"left on device\); nothing of run \1 was kept and the next run exports its articles "
        r"again", ours[0]), ours
    assert "complete" not in ours[0]
    # Nothing of it stayed for the next run to find twice: only its summary, and the state.
    run_id = ours[0].split("nothing of run ")[1].split(" ")[0]
    assert [name for name in left if not name.startswith("mpt-state.sqlite")] == [
        f"mpt-{run_id}-summary.json"]

    assert after.returncode == 0, after.stderr_tail
    urls = delivered(small_disk)
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    assert len(list((small_disk / "markdown").rglob("*.md"))) == ARTICLES
    state = sqlite3.connect(small_disk / "mpt-state.sqlite")
    statuses = state.execute("SELECT status FROM runs ORDER BY run_id").fetchall()
    state.close()
    assert statuses == [("abandoned",), ("done",)]


def test_a_state_that_cannot_take_the_runs_rows_keeps_the_jsonl_back(tmp_path: Path) -> None:
    """The state's disk fails after the run's last item: its staged rows (written in batches,
    the last at the close) cannot be made durable. Delivered anyway, the JSONL's articles would
    be unknown to the state and exported again by the next run: twice in the dataset. So the
    JSONL keeps its `.part` name, the run says so and exits 6, and the next run delivers each
    article once."""
    proc, base = start_server(ARTICLES, SEED, tmp_path)
    pipelines = json.dumps({**project.ITEM_PIPELINES, "tests.crashers.StateFailsAtClose": 960})
    try:
        failing = run_cron(base, tmp_path, None, "lang=all", settings={"ITEM_PIPELINES": pipelines},
                           env={"PYTHONPATH": str(PROJECT)})
        left = sorted(p.relative_to(tmp_path / "data").as_posix()
                      for p in (tmp_path / "data").rglob("*") if p.is_file())
        after = run_cron(base, tmp_path, None, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert failing.returncode == NOT_DELIVERED, failing.stderr_tail
    ours = [line for line in failing.log.splitlines() if line.startswith("mptcrawler:")]
    assert len(ours) == 1 and "disk I/O error" in ours[0] and "not delivered" in ours[0], ours
    assert failing.items == []
    # Nothing of it stayed for the next run to find twice (archive, documents, Parquet, JSONL)
    run_id = ours[0].split("nothing of run ")[1].split(" ")[0]
    assert [name for name in left if not name.startswith("mpt-state.sqlite")] == [
        f"mpt-{run_id}-summary.json"]
    assert after.returncode == 0, after.stderr_tail
    urls = delivered(tmp_path / "data")
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    assert len(list((tmp_path / "data" / "markdown").rglob("*.md"))) == ARTICLES
