"""The replica at live weight (`serve --weight live`): pages as heavy as the live site's (~60 KB of
menus, scripts, styles, banners and footer, shared/notes.md), crawled for real over HTTP, in the
default mode and in variants mode. Everything the chrome adds must stay out of the items: they
equal the ground truth exactly as at the small weight.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server
from mptcrawler.replica.server import route

from .conftest import CrawlResult, Replica, run_crawl, run_cron
from .test_end_to_end import COMPARED

ARTICLES, SEED, VARIANTS = 300, 1, 9


def _stat(log: str, name: str) -> int:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    assert m is not None, f"{name} not in the crawl's stats"
    return int(m.group(1))


@pytest.fixture(scope="module")
def truth() -> dict[str, dict[str, Any]]:
    return {t["url"]: t for t in build_site(ARTICLES, SEED).truth()}


@pytest.fixture(scope="module")
def live_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    workdir = tmp_path_factory.mktemp("live-weight")
    log = workdir / "access.log"
    proc, base = start_server(ARTICLES, SEED, workdir, log, extra=("--weight", "live"))
    try:
        return run_crawl(Replica(base, log), workdir, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_live_weight_crawl_gives_the_ground_truth(
        live_crawl: CrawlResult, truth: dict[str, dict[str, Any]]) -> None:
    assert live_crawl.returncode == 0, live_crawl.log[-3000:]
    urls = [item["url"] for item in live_crawl.items]
    assert len(urls) == len(set(urls)), "an article was exported twice"
    assert sorted(urls) == sorted(truth)
    mismatches = [(item["url"], name) for item in live_crawl.items for name in COMPARED
                  if item[name] != truth[item["url"]][name]]
    assert mismatches == []
    assert " ERROR: " not in live_crawl.log


def test_the_crawler_received_pages_of_live_weight(live_crawl: CrawlResult) -> None:
    # What went over the wire, as Scrapy counted it: robots.txt and the feed are small, so
    # the mean is a little under the pages' own.
    received = _stat(live_crawl.log, "downloader/response_bytes")
    responses = _stat(live_crawl.log, "downloader/response_count")
    assert 50 * 1024 <= received / responses <= 75 * 1024


@pytest.mark.parametrize("variants", [None, VARIANTS])
def test_page_weight_of_each_mode(variants: int | None) -> None:
    small = build_site(100, SEED, variants=variants)
    live = build_site(100, SEED, variants=variants, weight="live")
    paths = [a.path for a in small.articles] + ["/ru/news", "/ru/news?page=2", "/en/news", "/"]
    small_kb = statistics.mean(len(route(small, p)[2].encode()) for p in paths) / 1024
    live_kb = statistics.mean(len(route(live, p)[2].encode()) for p in paths) / 1024
    assert small_kb < 16  # the default stays small, for fast tests
    assert 50 <= live_kb <= 75


def test_a_live_weight_variants_crawl_gives_the_ground_truth(
        tmp_path: Path, truth: dict[str, dict[str, Any]]) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log,
                              extra=("--variants", str(VARIANTS), "--weight", "live"))
    try:
        run = run_cron(base, tmp_path, log, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert run.returncode == 0, run.stderr_tail
    assert sorted(item["url"] for item in run.items) == sorted(truth)
    mismatches = [(item["url"], name) for item in run.items for name in truth[item["url"]]
                  if item[name] != truth[item["url"]][name]]
    assert mismatches == []
    assert all(item["extraction"] == "site" for item in run.items)
