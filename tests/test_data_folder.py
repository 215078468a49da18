"""One base URL per data folder, and the replica's data apart from the live site's (issue 17,
item 1): the demo (`mptcrawler-replica crawl`) writes into data/replica/ and its second run, on
another port, is an incremental run of the first's; a run against another site is refused
before its first request with one line and exit status 2, unless MPT_ALLOW_BASE_URL_CHANGE;
every run's base URL is in its manifest record and its summary. The real commands, in child
processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mptcrawler.cron.exits import SITE_UNREACHABLE, USAGE
from mptcrawler.state import site_key

from .conftest import Replica, run_cron

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")


def records(data: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in
            (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_demo_keeps_its_own_folder_and_reuses_it_on_another_port(tmp_path: Path) -> None:
    demo = [sys.executable, "-m", "mptcrawler.replica", "crawl", "--articles", "40",
            "--lang", "ru"]
    first = subprocess.run(demo, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                           env=ENV)
    assert first.returncode == 0, first.stderr[-2000:]
    second = subprocess.run(demo, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env=ENV)
    assert second.returncode == 0, second.stderr[-2000:]
    # Nothing in data/ but the replica's folder: a live run there starts clean.
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["replica"]
    runs = records(tmp_path / "data" / "replica")
    assert [r["mode"] for r in runs] == ["full", "incremental"]
    ports = [str(r["base_url"]).rsplit(":", 1)[1] for r in runs]
    assert all(str(r["base_url"]).startswith("http://127.0.0.1:") for r in runs)
    assert first.stdout.splitlines()[0].endswith(f":{ports[0]}; data in data/replica/")
    assert second.stdout.splitlines()[0].endswith(f":{ports[1]}; data in data/replica/")
    summary = json.loads((tmp_path / "data" / "replica" /
                          f"mpt-{runs[1]['run_id']}-summary.json").read_text(encoding="utf-8"))
    assert summary["base_url"] == runs[1]["base_url"]


def test_a_run_against_another_site_is_refused_unless_allowed(replica: Replica,
                                                              tmp_path: Path) -> None:
    run = run_cron(replica.base_url, tmp_path, None, "max_pages=1")
    assert run.returncode == 0, run.stderr_tail
    assert records(tmp_path / "data")[0]["base_url"] == replica.base_url
    other = "http://nonexistent.invalid"
    before = sorted((tmp_path / "data").rglob("*"))
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "mpt", "-s",
                           f"MPT_BASE_URL={other}"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env=ENV)
    assert done.returncode == USAGE == 2
    assert done.stderr.splitlines() == [
        f"mptcrawler: usage error: data/ holds the data of {replica.base_url} (its first run's "
        f"base URL), not of {other}: give this site a data folder of its own (the MPT_*_URI "
        "and MPT_STATE_PATH settings; mptcrawler-replica crawl --data), or set "
        "MPT_ALLOW_BASE_URL_CHANGE=True to keep both in this one"]
    assert sorted((tmp_path / "data").rglob("*")) == before
    # Allowed, the run goes ahead (and finds that host missing: exit status 69).
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "mpt", "-s",
                           f"MPT_BASE_URL={other}", "-s", "MPT_ALLOW_BASE_URL_CHANGE=True"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, env=ENV)
    assert done.returncode == SITE_UNREACHABLE, done.stderr[-2000:]
    assert [r["base_url"] for r in records(tmp_path / "data")] == [replica.base_url, other]
    # The folder stays the first site's although the newest run was the other's: without the
    # allowance the other site is still refused (the folder's site is recorded, not inferred
    # from the newest run).
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "mpt", "-s",
                           f"MPT_BASE_URL={other}"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env=ENV)
    assert done.returncode == USAGE, done.stderr[-2000:]
    assert f"data/ holds the data of {replica.base_url}" in done.stderr


def test_a_loopback_replica_is_one_site_on_any_port() -> None:
    assert site_key("http://127.0.0.1:8800") == site_key("http://127.0.0.1:41234") \
        == "http://127.0.0.1:*"
    assert site_key("http://[::1]:8800") == "http://[::1]:*"
    assert site_key("https://mpt.gov.by") == "https://mpt.gov.by"
    assert site_key("http://mpt.gov.by:8080") != site_key("http://mpt.gov.by:8081")
