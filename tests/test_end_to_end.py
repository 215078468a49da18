"""The real `scrapy crawl mpt`, in a child process, against a replica served over HTTP."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.pipelines import validation_errors
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import REPLICA_SETTINGS

from .conftest import E2E_ARTICLES, E2E_SEED, PROJECT, CrawlResult, Replica, run_crawl

COMPARED = ["url", "node_id", "lang", "title", "published", "published_raw", "text", "source",
            "dates_mentioned", "images", "attachments", "sources", "photo_credit", "era",
            "extraction"]
SEED_DOC = PROJECT / "mptcrawler" / "replica" / "seed_article.txt"


@pytest.fixture(scope="module")
def truth() -> dict[str, dict[str, Any]]:
    return {t["url"]: t for t in build_site(E2E_ARTICLES, E2E_SEED).truth()}


@pytest.fixture(scope="module")
def full_crawl(replica: Replica, tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[CrawlResult, list[str]]:
    result = run_crawl(replica, tmp_path_factory.mktemp("full"), "lang=all")
    return result, replica.requested_paths()


def test_every_article_exactly_once_and_equal_to_the_ground_truth(
        full_crawl: tuple[CrawlResult, list[str]], truth: dict[str, dict[str, Any]]) -> None:
    result, _ = full_crawl
    assert result.returncode == 0, result.log[-3000:]
    urls = [item["url"] for item in result.items]
    assert len(urls) == len(set(urls)), "an article was exported twice"
    assert sorted(urls) == sorted(truth)
    assert len({item["node_id"] for item in result.items}) == len(truth)
    mismatches = [(item["url"], field) for item in result.items for field in COMPARED
                  if item[field] != truth[item["url"]][field]]
    assert mismatches == []


def test_every_item_validates_and_the_log_is_clean(
        full_crawl: tuple[CrawlResult, list[str]]) -> None:
    result, _ = full_crawl
    assert all(validation_errors(item) == [] for item in result.items)
    assert " ERROR: " not in result.log
    assert not (result.workdir / "failures.jsonl").exists()
    # The front page and the feed link some articles by /node/NID: never fetched as twins.
    assert "'mpt/articles/node_twin'" not in result.log


def test_seed_round_trip_is_byte_exact(full_crawl: tuple[CrawlResult, list[str]]) -> None:
    result, _ = full_crawl
    expected = SEED_DOC.read_text(encoding="utf-8").lstrip("\n")
    documents = [p.read_text(encoding="utf-8") for p in result.markdown_files]
    assert len(documents) == E2E_ARTICLES
    assert expected in documents
    # Each named after its article, so that one can find it: `<node id>-<lang>.md`.
    assert sorted(p.name for p in result.markdown_files) == sorted(
        f"{item['node_id']}-{item['lang']}.md" for item in result.items)
    assert f"Stored {E2E_ARTICLES} markdown documents in: " in result.log
    assert "Stored markdown feed" not in result.log  # not one log line per article


def test_jsonl_is_utf8_in_the_documented_field_order(
        full_crawl: tuple[CrawlResult, list[str]]) -> None:
    from mptcrawler.items import EXPORT_FIELDS

    result, _ = full_crawl
    raw = (result.workdir / "items.jsonl").read_text(encoding="utf-8")
    assert "\\u04" not in raw and "Министр" in raw
    assert all(list(item) == EXPORT_FIELDS for item in result.items)


def test_no_print_copy_and_no_off_site_request(full_crawl: tuple[CrawlResult, list[str]]) -> None:
    result, paths = full_crawl
    assert paths, "the replica saw no request"
    assert not [p for p in paths if "/print" in p]
    assert "'mpt/links/offsite'" in result.log  # the listing's off-site entry was not followed
    assert "offsite/filtered" not in result.log  # …and never even reached the downloader
    assert len(paths) == len(set(paths)), "a page was fetched twice"


def test_a_full_crawl_asks_for_each_article_once_and_few_pages_more(
        full_crawl: tuple[CrawlResult, list[str]], truth: dict[str, dict[str, Any]]) -> None:
    result, paths = full_crawl
    news_pages = sum(-(-sum(1 for t in truth.values() if t["lang"] == lang) // 10)
                     for lang in ("ru", "be", "en"))
    articles = [p for p in paths if not p.startswith(("/robots.txt", "/rss.xml", "/?page"))
                and p != "/" and "/news?page=" not in p and not p.endswith("/news")]
    assert len(articles) == E2E_ARTICLES  # every article once: no twin, no second fetch
    front = [p for p in paths if p == "/" or p.startswith("/?page")]
    assert len(front) == 2  # the front page's first and last pages, not the ones between
    assert len(paths) == E2E_ARTICLES + news_pages + len(front) + 2  # + feed + robots.txt
    assert "the front page adds nothing to the news listings" in result.log


def test_default_language_is_russian(replica: Replica, tmp_path: Path,
                                     truth: dict[str, dict[str, Any]]) -> None:
    result = run_crawl(replica, tmp_path)
    assert result.returncode == 0
    assert sorted(i["url"] for i in result.items) == sorted(
        u for u, t in truth.items() if t["lang"] == "ru")
    assert not [p for p in replica.requested_paths() if p.startswith(("/be/", "/en/"))]


def test_since_until_and_stop_paging(replica: Replica, tmp_path: Path,
                                     truth: dict[str, dict[str, Any]]) -> None:
    since, until = dt.date(2024, 1, 1), dt.date(2025, 6, 30)
    result = run_crawl(replica, tmp_path, "lang=en", f"since={since}", f"until={until}")
    assert result.returncode == 0
    expected = sorted(u for u, t in truth.items() if t["lang"] == "en"
                      and since <= dt.date.fromisoformat(t["published"][:10]) <= until)
    assert expected and sorted(i["url"] for i in result.items) == expected
    listing_pages = [p for p in replica.requested_paths() if p.startswith("/en/news?page=")]
    all_pages = -(-sum(1 for t in truth.values() if t["lang"] == "en") // 10)
    assert len(listing_pages) + 1 < all_pages, "paging went on past `since`"


def test_max_pages(replica: Replica, tmp_path: Path) -> None:
    result = run_crawl(replica, tmp_path, "max_pages=1")
    assert result.returncode == 0
    listings = [p for p in replica.requested_paths() if p.startswith(("/ru/news", "/?page"))]
    assert listings == ["/ru/news"]


def test_bad_argument_fails_loudly(replica: Replica, tmp_path: Path) -> None:
    result = run_crawl(replica, tmp_path, "lang=de")
    assert result.returncode != 0
    assert "lang='de': expected 'all' or a comma list of ru, be, en" in result.log
    assert replica.requested_paths() == []


def scrapy_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))


def test_scrapy_list_and_check(replica: Replica) -> None:
    listed = scrapy_command("list")
    assert listed.returncode == 0 and listed.stdout.split() == ["mpt"]
    # The callbacks' contracts fetch their pages from MPT_BASE_URL (mptcrawler/contracts.py).
    checked = scrapy_command("check", "mpt", "-s", f"MPT_BASE_URL={replica.base_url}",
                             *(arg for name, value in REPLICA_SETTINGS.items()
                               for arg in ("-s", f"{name}={value}")))
    assert checked.returncode == 0, checked.stderr[-2000:]
