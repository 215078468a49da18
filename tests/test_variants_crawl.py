"""The real cron cycle (`scrapy crawl mpt -a lang=all`, twice) against a 1,000-article replica in
variants mode over HTTP: every page rendered one of the many ways real Drupal does.

Acceptance of the Drupal-robust parsing: every article exactly once, every field equal to the
ground truth, no fallback item, every listing page read, and a second run that is incremental
and healthy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server
from mptcrawler.replica.pages import FRONT_PAGE_SIZE, NEWS_PAGE_SIZE
from mptcrawler.replica.server import route

from .conftest import CronRun, run_cron

ARTICLES, SEED, VARIANTS = 1000, 3, 9


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CronRun], Path]:
    workdir = tmp_path_factory.mktemp("variants-cron")
    log = workdir / "access.log"
    proc, base = start_server(ARTICLES, SEED, workdir, log, extra=("--variants", str(VARIANTS)))
    try:
        runs = [run_cron(base, workdir, log, "lang=all") for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return runs, workdir


def summary_of(workdir: Path, index: int) -> dict[str, Any]:
    files = sorted((workdir / "data").glob("mpt-*-summary.json"))
    result: dict[str, Any] = json.loads(files[index].read_text(encoding="utf-8"))
    return result


def test_every_article_once_and_equal_to_the_ground_truth(
        cycle: tuple[list[CronRun], Path]) -> None:
    runs, _ = cycle
    first = runs[0]
    assert first.returncode == 0, first.stderr_tail
    truth = {t["url"]: t for t in build_site(ARTICLES, SEED).truth()}
    urls = [item["url"] for item in first.items]
    assert len(urls) == len(set(urls)), "an article was exported twice"
    assert sorted(urls) == sorted(truth)
    mismatches = [(item["url"], name) for item in first.items for name in truth[item["url"]]
                  if item[name] != truth[item["url"]][name]]
    assert mismatches == []
    assert all(item["extraction"] == "site" for item in first.items)


def test_every_listing_page_was_read_and_counted(cycle: tuple[list[CronRun], Path]) -> None:
    runs, workdir = cycle
    site = build_site(ARTICLES, SEED, variants=VARIANTS)
    news = {f"/{lang}/news" + (f"?page={n}" if n else "")
            for lang in ("ru", "be", "en")
            for n in range(-(-len(site.listed(lang)) // NEWS_PAGE_SIZE))}
    requested = set(runs[0].requests)
    assert news <= requested  # every news listing page, whatever its rendering
    front = {p for p in requested if p == "/" or p.startswith("/?page=")}
    front_pages = -(-len(site.listed("ru")) // FRONT_PAGE_SIZE)
    # The front page lists nothing the news listings lack: its first and last pages tell, or,
    # under a mini pager that does not show its last page, every page is walked.
    assert front == {"/", f"/?page={front_pages - 1}"} or len(front) == front_pages
    summary = summary_of(workdir, 0)
    assert summary["listing_pages"] == len(news) + len(front)
    assert summary["failures"] == {}
    assert summary["fallbacks"] == 0
    # The run tells which evidence it read, so a redesign shows before anything is lost.
    evidence = summary["evidence"]
    assert sum(v for k, v in evidence.items() if k.startswith("published/")) == ARTICLES
    assert len([k for k in evidence if k.startswith("node_id/")]) >= 3
    # The listings were rendered in several shapes and read in all of them.
    shapes = {route(site, f"/ru/news?page={n}")[2].count("<table") > 0 for n in range(20)}
    assert shapes == {True, False}


def test_the_second_run_is_incremental_and_healthy(cycle: tuple[list[CronRun], Path]) -> None:
    runs, workdir = cycle
    second = runs[1]
    assert second.returncode == 0, second.stderr_tail
    assert second.items == []
    summary = summary_of(workdir, 1)
    assert summary["mode"] == "incremental"
    listings = [p for p in second.requests if "/news" in p and p.count("/") == 2]
    assert sorted(listings) == ["/be/news", "/en/news", "/ru/news"]
    assert len(second.requests) <= 4 + summary["articles"]["unchanged"]
