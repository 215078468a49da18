"""Shared fixtures: saved pages, frozen time, and a replica served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from parsel import Selector

from mptcrawler.parsers import parse_html
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server

# CI must be reproducible: the same examples on every run (derandomized). Elsewhere hypothesis
# explores new inputs each time, which is how it found the nested-body crash in drop_widgets.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent
FROZEN_NOW = "2026-11-25T00:00:00Z"
E2E_ARTICLES = 300  # "several hundred": every era, language and page type occurs
E2E_SEED = 1


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests marked live (real site)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="talks to the real mpt.gov.by; run with --live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_page(stem: str) -> Selector:
    return parse_html(fixture_text(f"{stem}.html"))


def snapshot(stem: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(fixture_text(f"{stem}.json"))
    return result


@dataclass
class Replica:
    base_url: str
    access_log: Path

    def requested_paths(self) -> list[str]:
        if not self.access_log.exists():
            return []
        return [line.split(" ")[2] for line in
                self.access_log.read_text(encoding="utf-8").splitlines()]

    def reset_log(self) -> None:
        self.access_log.write_text("", encoding="utf-8")


@pytest.fixture(scope="session")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """A replica of E2E_ARTICLES articles on a free loopback port, for the whole session."""
    workdir = tmp_path_factory.mktemp("replica")
    log = workdir / "access.log"
    proc, base = start_server(E2E_ARTICLES, E2E_SEED, workdir, access_log=log)
    try:
        yield Replica(base, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class CrawlResult:
    returncode: int
    log: str
    items: list[dict[str, Any]]
    markdown_files: list[Path]
    workdir: Path


def run_crawl(replica: Replica, workdir: Path, *spider_args: str) -> CrawlResult:
    """The real `scrapy crawl mpt` in a child process, feeds redirected into ``workdir``."""
    replica.reset_log()
    feeds = {
        str(workdir / "items.jsonl"): {"format": "jsonlines", "overwrite": True,
                                       "item_classes": ["mptcrawler.items.Article"]},
    }
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt",
           "-s", f"MPT_BASE_URL={replica.base_url}",
           "-s", f"FEEDS={json.dumps(feeds)}",
           # the cron run's Markdown documents, asked for on the command line of this ad-hoc run
           "-s", f"MPT_MARKDOWN_URI={workdir / 'markdown'}",
           "-s", f"MPT_FAILURES_URI={workdir / 'failures.jsonl'}"]
    for name, value in REPLICA_SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    for arg in spider_args:
        cmd += ["-a", arg]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
    done = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
    items_path = workdir / "items.jsonl"
    items = ([json.loads(line) for line in items_path.read_text(encoding="utf-8").splitlines()]
             if items_path.exists() else [])
    markdown = sorted((workdir / "markdown").glob("*.md"))
    return CrawlResult(done.returncode, done.stderr, items, markdown, workdir)


@dataclass
class CronRun:
    returncode: int
    log: str
    stderr_tail: str
    items: list[dict[str, Any]]
    requests: list[str]


def run_cron(base_url: str, workdir: Path, access_log: Path | None, *spider_args: str,
             settings: dict[str, str] | None = None, env: dict[str, str] | None = None
             ) -> CronRun:
    """`scrapy crawl mpt` as cron runs it: the project's own feeds and state, in ``workdir``;
    returns what this run exported (the file named by data/latest.json if it is this run's)."""
    if access_log is not None:
        access_log.write_text("", encoding="utf-8")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-s", f"MPT_BASE_URL={base_url}"]
    for name, value in {**REPLICA_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{name}={value}"]
    for arg in spider_args:
        cmd += ["-a", arg]
    before = set((workdir / "data").glob("mpt-*Z.jsonl"))
    done = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings",
                                   **(env or {})))
    new = sorted(set((workdir / "data").glob("mpt-*Z.jsonl")) - before)
    items = [json.loads(line) for path in new
             for line in path.read_text(encoding="utf-8").splitlines()]
    requests = ([line.split(" ")[2] for line in access_log.read_text("utf-8").splitlines()]
                if access_log is not None else [])
    return CronRun(done.returncode, done.stderr, done.stderr[-300:], items, requests)


def table_rows(database: Path, table: str) -> int:
    """Rows of ``table`` in the SQLite file ``database``, read by a connection of its own (what
    another process would see: the committed rows only)."""
    db = sqlite3.connect(database)
    try:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        db.close()


@dataclass
class TwoDays:
    """Two cron runs into one data folder: a full crawl of a site with a page that answers 404
    and a redesigned page (fallback), then the next day's incremental run after new and edited
    articles (the 404 page is served again)."""

    workdir: Path
    runs: list[CronRun]
    articles: int
    seed: int

    @property
    def data(self) -> Path:
        return self.workdir / "data"


TWO_DAYS_ARTICLES, TWO_DAYS_SEED, TWO_DAYS_ADDED, TWO_DAYS_EDITED = 120, 4, 6, 2


@pytest.fixture(scope="session")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> TwoDays:
    workdir = tmp_path_factory.mktemp("two-days")
    log = workdir / "access.log"
    runs = []
    port = 0
    for extra in (("--hostile", "404,redesign"),
                  ("--added", str(TWO_DAYS_ADDED), "--edited", str(TWO_DAYS_EDITED))):
        proc, base = start_server(TWO_DAYS_ARTICLES, TWO_DAYS_SEED, workdir, log, port=port,
                                  extra=extra)
        port = int(base.rsplit(":", 1)[1])
        try:
            runs.append(run_cron(base, workdir, log, "lang=all"))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        assert runs[-1].returncode == 0, runs[-1].stderr_tail
    return TwoDays(workdir, runs, TWO_DAYS_ARTICLES, TWO_DAYS_SEED)


# A dense site for incremental runs: ~17 articles fall in the 7-day re-check window.
DENSE_ARTICLES, DENSE_SEED, DENSE_SPAN = 300, 3, 120


class Server:
    """A replica on a fixed port, restartable as "the next day's site"."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.log = workdir / "access.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.base_url = ""

    def start(self, *extra: str) -> None:
        self.stop()
        self.proc, self.base_url = start_server(
            DENSE_ARTICLES, DENSE_SEED, self.workdir, self.log, port=self.port,
            extra=("--span-days", str(DENSE_SPAN), *extra))
        self.port = int(self.base_url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A dense replica (all articles in the last DENSE_SPAN days) for incremental runs."""
    s = Server(tmp_path)
    s.start()
    yield s
    s.stop()


def require_shared(path: Path) -> None:
    """The user's seed lives in shared/, beside the checkout on our machines and in CI, where
    .ci/run sets MPT_REQUIRE_SHARED=1: there a missing file fails the test loudly. A newcomer's
    clone has no shared/: the test is skipped with the reason shown, never passed silently."""
    if path.exists():
        return
    message = f"the user's seed is missing: {path}"
    if os.environ.get("MPT_REQUIRE_SHARED") == "1":
        pytest.fail(message)
    pytest.skip(message + " (shared/ is not beside this checkout)")
