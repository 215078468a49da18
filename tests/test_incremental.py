"""Cron-grade runs with the real `scrapy crawl mpt` against a replica over HTTP: incremental
state, revisions, ad-hoc isolation, reset, full crawls, and the exit status."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server

from .conftest import DENSE_ARTICLES as ARTICLES
from .conftest import DENSE_SEED as SEED
from .conftest import DENSE_SPAN as SPAN
from .conftest import Server, run_cron


def test_new_then_nothing_then_five_new_and_two_edited(server: Server, tmp_path: Path) -> None:
    # The recent re-checks alone; rolling revalidation has a test of its own.
    recent_only = {"MPT_REVALIDATE_DAYS": "0"}
    first = run_cron(server.base_url, tmp_path, server.log, "lang=all", settings=recent_only)
    assert first.returncode == 0, first.stderr_tail
    assert len(first.items) == ARTICLES and {i["revision"] for i in first.items} == {1}

    second = run_cron(server.base_url, tmp_path, server.log, "lang=all", settings=recent_only)
    assert second.returncode == 0, second.stderr_tail
    assert second.items == []
    listings = [p for p in second.requests if "/news" in p and "/news/" not in p]
    rechecks = [p for p in second.requests if p not in listings and p != "/robots.txt"]
    assert listings == ["/ru/news", "/be/news", "/en/news"]  # one page per language
    site = build_site(ARTICLES, SEED, span_days=SPAN)
    newest = site.articles[0].day
    window = {a.path for a in site.articles if (newest - a.day).days <= 7}
    assert rechecks and set(rechecks) <= window
    assert "'mpt/articles/not_modified': " + str(len(rechecks)) in second.log  # all 304

    server.start("--added", "5", "--edited", "2")
    third = run_cron(server.base_url, tmp_path, server.log, "lang=all", settings=recent_only)
    assert third.returncode == 0, third.stderr_tail
    after = build_site(ARTICLES, SEED, span_days=SPAN, added=5, edited=2)
    before = {a.url: a.truth() for a in site.articles}
    new = {a.url for a in after.articles if a.url not in before}
    edited = {a.url for a in after.articles if a.url in before and a.truth() != before[a.url]}
    assert len(new) == 5 and len(edited) == 2
    assert sorted((i["url"], i["revision"]) for i in third.items) == sorted(
        [(u, 1) for u in new] + [(u, 2) for u in edited])
    truth = {a.url: a.truth() for a in after.articles}
    assert all(i["text"] == truth[i["url"]]["text"] for i in third.items)

    db = sqlite3.connect(tmp_path / "data" / "mpt-state.sqlite")
    changes = db.execute("SELECT url, revision FROM changes WHERE revision = 2").fetchall()
    assert sorted(changes) == sorted((u, 2) for u in edited)


def test_ad_hoc_runs_keep_no_state(server: Server, tmp_path: Path) -> None:
    assert run_cron(server.base_url, tmp_path, server.log).returncode == 0
    state = tmp_path / "data" / "mpt-state.sqlite"
    runs_before = sqlite3.connect(state).execute("SELECT count(*) FROM runs").fetchone()
    ad_hoc = run_cron(server.base_url, tmp_path, server.log,
                      settings={"FEEDS": '{"adhoc.jsonl": {"format": "jsonlines"}}'})
    assert ad_hoc.returncode == 0
    assert (tmp_path / "adhoc.jsonl").read_text(encoding="utf-8").count("\n") > 100
    assert ad_hoc.items == []  # no dataset file of its own in data/
    assert sqlite3.connect(state).execute("SELECT count(*) FROM runs").fetchone() == runs_before


def test_reset_full_and_separate_base_urls(server: Server, tmp_path: Path) -> None:
    ru = sum(1 for a in build_site(ARTICLES, SEED, span_days=SPAN).articles if a.lang == "ru")
    assert len(run_cron(server.base_url, tmp_path, server.log).items) == ru
    full = run_cron(server.base_url, tmp_path, server.log, "full=1")
    assert full.returncode == 0 and full.items == []  # everything fetched, nothing changed
    assert "(full)" in full.log and len(full.requests) > ru
    other_base = server.base_url.replace("127.0.0.1", "localhost")
    # Another site in this data folder: refused (tests/test_data_folder.py) unless allowed.
    assert len(run_cron(other_base, tmp_path, server.log, settings={
        "MPT_ALLOW_BASE_URL_CHANGE": "True"}).items) == ru  # its own state
    reset = run_cron(server.base_url, tmp_path, server.log, "reset=1")
    assert "reset: forgot" in reset.log
    assert len(reset.items) == ru


def test_unhealthy_run_exits_non_zero_with_a_reason(tmp_path: Path) -> None:
    # A site that answers (robots.txt) but fails every page: a closed port would be "site
    # unreachable" instead (exit status 69, tests/test_unreachable.py).
    proc, base = start_server(30, 1, tmp_path, extra=("--faults", "5xx=1"))
    try:
        dead = run_cron(base, tmp_path, None,
                        settings={"RETRY_TIMES": "0", "MPT_LISTING_RETRY_TIMES": "0"})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert dead.returncode == 3
    assert "mptcrawler: unhealthy run: no listing page could be fetched" in dead.log
    summaries = list((tmp_path / "data").glob("mpt-*-summary.json"))
    assert len(summaries) == 1 and '"health": "unhealthy"' in summaries[0].read_text("utf-8")


def test_dash_capital_o_writes_that_file_and_nothing_else(server: Server, tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-O", "news.jsonl",
           "-s", f"MPT_BASE_URL={server.base_url}"]
    for name, value in REPLICA_SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "news.jsonl").read_text(encoding="utf-8").count("\n") > 100
    assert not (tmp_path / "data").exists()  # no dataset, Markdown, state or summary files


def test_latest_names_the_newest_healthy_run_with_output_and_empty_runs_leave_no_files(
        server: Server, tmp_path: Path) -> None:
    """A full run, one with nothing new, one that could fetch nothing: latest.json still names
    the first; the manifest has all three; no file of the data folder is empty (no 0-byte
    JSONL, no empty .warc.gz), and the report reads the folder."""
    data = tmp_path / "data"
    first = run_cron(server.base_url, tmp_path, server.log)
    assert first.returncode == 0, first.stderr_tail
    nothing_new = run_cron(server.base_url, tmp_path, server.log)
    assert nothing_new.returncode == 0 and nothing_new.items == [], nothing_new.stderr_tail
    # Nothing listens there: the run ends at once, unreachable (the same loopback site).
    dead = run_cron("http://127.0.0.1:9", tmp_path, None,
                    settings={"RETRY_TIMES": "0", "ROBOTSTXT_OBEY": "False"})
    assert dead.returncode == 69, dead.stderr_tail

    records = [json.loads(line) for line in
               (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["exported"] > 0, r["file"] is not None) for r in records] == [
        (True, True), (False, False), (False, False)]
    latest = json.loads((data / "latest.json").read_text(encoding="utf-8"))
    assert (latest["run_id"], latest["health"]) == (records[0]["run_id"], "ok")
    assert [p.name for p in data.rglob("*") if p.is_file() and p.stat().st_size == 0] == []
    assert len(list(data.glob("*.warc.gz"))) == 1
    assert len(list(data.glob("mpt-*Z.jsonl"))) == 1
    report = subprocess.run([sys.executable, "-m", "mptcrawler.report", "--data", str(data)],
                            capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stderr[-2000:]
