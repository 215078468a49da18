"""The real `scrapy crawl mpt -a lang=all` against a replica whose ``/{lang}/news`` rows are
cards wrapped in the node's link (``serve --card-rows``, replica/cards.py): no date and no
title outside the link, cards in Views rows and grids whose own rows hold several cards.

Every article must be exported once and equal to the ground truth, and the listing dates read
inside the cards must be what the crawl goes by: a run with ``since`` fetches exactly the
articles listed on or after that day. (No replica article page lacks its own date, so no item
takes its listing's date: the ``since`` run is where the card dates reach the crawl.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server
from mptcrawler.replica.pages import NEWS_PAGE_SIZE

from .conftest import CronRun, run_cron

ARTICLES, SEED = 400, 1
SINCE = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[CronRun, Path]]:
    full, since = tmp_path_factory.mktemp("cards-full"), tmp_path_factory.mktemp("cards-since")
    log = full / "access.log"
    proc, base = start_server(ARTICLES, SEED, full, log, extra=("--card-rows",))
    try:
        return {"full": (run_cron(base, full, log, "lang=all"), full),
                "since": (run_cron(base, since, log, "lang=all", f"since={SINCE}"), since)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def summary_of(workdir: Path) -> dict[str, Any]:
    [path] = (workdir / "data").glob("mpt-*-summary.json")
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def test_every_article_once_and_equal_to_the_ground_truth(
        runs: dict[str, tuple[CronRun, Path]]) -> None:
    run, _ = runs["full"]
    assert run.returncode == 0, run.stderr_tail
    truth = {t["url"]: t for t in build_site(ARTICLES, SEED).truth()}
    urls = [item["url"] for item in run.items]
    assert len(urls) == len(set(urls)), "an article was exported twice"
    assert sorted(urls) == sorted(truth)  # none lost in a grid row
    mismatches = [(item["url"], name) for item in run.items for name in truth[item["url"]]
                  if item[name] != truth[item["url"]][name]]
    assert mismatches == []


def test_every_card_listing_page_was_read_and_every_card_dated(
        runs: dict[str, tuple[CronRun, Path]]) -> None:
    run, workdir = runs["full"]
    site = build_site(ARTICLES, SEED)
    news = {f"/{lang}/news" + (f"?page={n}" if n else "")
            for lang in ("ru", "be", "en")
            for n in range(-(-len(site.listed(lang)) // NEWS_PAGE_SIZE))}
    assert news <= set(run.requests)
    summary = summary_of(workdir)
    assert summary["failures"] == {}
    evidence = summary["evidence"]
    # Every entry of every listing page had a date (the cards' inside their links, the front
    # page's teasers' outside); the cards' came from dated fields and from bare `time`s.
    assert "listing_date/none" not in evidence, evidence
    assert evidence.get("listing_date/time", 0) > 0, evidence
    assert evidence.get("listing_date/date-element", 0) > 0, evidence


def test_a_since_run_fetches_exactly_the_articles_its_cards_date_since(
        runs: dict[str, tuple[CronRun, Path]]) -> None:
    run, _ = runs["since"]
    assert run.returncode == 0, run.stderr_tail
    site = build_site(ARTICLES, SEED)
    recent = {a.url for a in site.articles if a.day >= SINCE}
    older = {a.path for a in site.articles if a.day < SINCE}
    assert 0 < len(recent) < len(site.articles)  # not hollow: the day splits the replica
    assert {item["url"] for item in run.items} == recent
    # The older ones were never asked for: their cards' dates said so before any fetch.
    assert older.isdisjoint(run.requests)
