"""The health verdict on synthetic stats: each rule alone."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from mptcrawler import settings as project
from mptcrawler.runs import RunReport
from mptcrawler.spiders.mpt import MptSpider


def verdict(stats: dict[str, Any], mode: str = "incremental",
            history: list[int] | None = None) -> list[str]:
    crawler = get_crawler(MptSpider, {k: getattr(project, k) for k in dir(project)
                                      if k.startswith("MPT_HEALTH")})
    crawler.stats.open_spider()  # type: ignore[union-attr,call-arg]
    for key, value in stats.items():
        crawler.stats.set_value(key, value)  # type: ignore[union-attr]
    report = RunReport(crawler)
    report.history = history or []
    summary = report.summary(MptSpider(), "finished")
    summary["mode"] = mode
    return report.verdict(summary)


HEALTHY = {"mpt/listing_pages/news": 3, "mpt/articles/era_B": 100, "mpt/articles/new": 100}


def test_a_healthy_run() -> None:
    assert verdict(HEALTHY) == []


@pytest.mark.parametrize(("stats", "mode", "history", "expected"), [
    ({}, "incremental", None, "no listing page could be fetched"),
    ({"mpt/listing_pages/news": 3}, "full", None, "no article on a full crawl"),
    ({**HEALTHY, "mpt/extraction/fallback": 5}, "incremental", None, "a redesign?"),
    ({**HEALTHY, "mpt/dropped/invalid": 3}, "incremental", None, "lacked a title, date or body"),
    ({**HEALTHY, "mpt/failures/http_404": 6}, "incremental", None, "pages failed"),
    (HEALTHY, "full", [400, 420, 410], "saw 100 articles where recent full runs saw 410"),
    ({**HEALTHY, "feedexport/failed_count/S3FeedStorage": 1, "feedexport/success_count/"
      "AtomicFileFeedStorage": 3}, "incremental", None, "feeds not stored: S3FeedStorage 1"),
])
def test_each_rule(stats: dict[str, Any], mode: str, history: list[int] | None,
                   expected: str) -> None:
    problems = verdict(stats, mode, history)
    assert any(expected in p for p in problems), problems


def test_thresholds_are_not_crossed_by_a_little() -> None:
    assert verdict({**HEALTHY, "mpt/failures/http_404": 2, "mpt/extraction/fallback": 1}) == []
    assert verdict(HEALTHY, "full", [180, 190, 200]) == []


# --- each rule's message to the character, and both sides of its threshold ----------------------
# On a summary written by hand (not made by RunReport.summary), under the rules' own defaults
# (no MPT_HEALTH_* setting given): 2 % missing, 5 % failed, half of the recent median.


def judge(history: list[int] | None = None, **changes: Any) -> list[str]:
    report = RunReport(get_crawler(MptSpider, {}))
    report.history = history or []
    articles = {"parsed": 100, "new": 100, "changed": 0, "unchanged": 0, "exported": 100}
    articles.update(changes.pop("articles", {}))
    summary = {"mode": "incremental", "articles": articles, "failures": {}, "invalid": 0,
               "fallbacks": 0, "listing_pages": 3, "bounds": [], "feeds_not_stored": {},
               "file": None, "limits": [], "interrupted": False, **changes}
    return report.verdict(summary)


def test_a_healthy_summary_has_no_problem() -> None:
    assert judge() == []


def test_no_listing_page() -> None:
    assert judge(listing_pages=0) == ["no listing page could be fetched"]
    assert judge(listing_pages=1) == []


def test_no_article_on_a_full_crawl_only() -> None:
    none = {"parsed": 0, "new": 0}
    assert judge(mode="full", articles=none) == ["no article on a full crawl"]
    assert judge(mode="incremental", articles=none) == []
    # unchanged articles (304s) count as articles seen
    assert judge(mode="full", articles={**none, "unchanged": 1}) == []
    assert judge(mode="full", articles={"parsed": 1, "new": 1}, history=[]) == []
    assert judge(mode="full", articles={"parsed": 3, "new": 3, "unchanged": 3}) == []


def test_missing_share() -> None:
    # 2 of 100 is 2 %, not over it
    assert judge(fallbacks=2) == []
    assert judge(fallbacks=3) == [
        "3 of 100 articles lacked a title, date or body or needed the fallback extractor "
        "(over 2%): a redesign?"]
    # invalid pages were parsed but are not attempted articles twice: 1 + 2 of 100 - 1
    assert judge(fallbacks=2, invalid=1) == [
        "3 of 99 articles lacked a title, date or body or needed the fallback extractor "
        "(over 2%): a redesign?"]
    assert judge(invalid=2) == [  # 2 of 98: 2.04 %
        "2 of 98 articles lacked a title, date or body or needed the fallback extractor "
        "(over 2%): a redesign?"]
    assert judge(invalid=1) == []  # 1 of 99


def test_failure_share_counts_article_failures_only() -> None:
    # 5 of 100 is 5 %, not over it; listing failures are not article failures
    assert judge(articles={"parsed": 95}, failures={"http_404": 5, "empty_listing": 7,
                                                    "listing_bound": 9}) == []
    assert judge(articles={"parsed": 94}, failures={"http_404": 4, "timeout": 2}) == [
        "6 of 100 pages failed (over 5%): http_404 4, timeout 2"]
    # failed pages count among the attempted ones: 6 of 106 is 5.66 %
    assert judge(failures={"http_404": 6}) == ["6 of 106 pages failed (over 5%): http_404 6"]
    assert judge(articles={"parsed": 0, "new": 0}, failures={"empty_listing": 3}) == []


def test_bounds() -> None:
    assert judge(bounds=["MPT_MAX_LISTING_PAGES 50 at u1"]) == [
        "MPT_MAX_LISTING_PAGES 50 at u1: a pager that never ends, or a page stuffed with links?"]
    assert judge(bounds=["b1 at u1", "b2 at u2", "b3 at u3"]) == [
        "b1 at u1 (and 2 more): a pager that never ends, or a page stuffed with links?"]


def test_feeds_not_stored() -> None:
    assert judge(feeds_not_stored={"S3FeedStorage": 1, "GCSFeedStorage": 2},
                 file="data/mpt-r1.jsonl") == [
        "feeds not stored: S3FeedStorage 1, GCSFeedStorage 2 (see the log; the local JSONL "
        "mpt-r1.jsonl is complete)"]
    assert judge(feeds_not_stored={"S3FeedStorage": 1}) == [
        "feeds not stored: S3FeedStorage 1 (see the log; the run's JSONL was not written "
        "either)"]


def test_fewer_articles_than_recent_full_runs() -> None:
    # median of 100, 400, 210 is 210 (the mean would be 236.7); half of it is 105
    history = [100, 400, 210]
    low = {"parsed": 104, "new": 100, "changed": 3, "unchanged": 1}
    assert judge(history, mode="full", articles=low) == [
        "saw 104 articles where recent full runs saw 210"]
    assert judge(history, mode="full", articles={**low, "new": 101}) == []
    assert judge(history, mode="incremental", articles=low) == []
    assert judge(history[:2], mode="full", articles=low) == []  # fewer than 3 runs to go by
    assert judge(history, mode="full", articles=low, limits=["max_pages=1"]) == []
    assert judge(history, mode="full", articles=low, interrupted=True) == []


def test_problems_come_in_the_order_of_the_rules() -> None:
    assert judge([300, 300, 300], mode="full", listing_pages=0, fallbacks=3,
                 articles={"parsed": 94}, failures={"http_404": 6}, bounds=["b at u"],
                 feeds_not_stored={"S3": 1}) == [
        "no listing page could be fetched",
        "3 of 100 articles lacked a title, date or body or needed the fallback extractor "
        "(over 2%): a redesign?",
        "6 of 100 pages failed (over 5%): http_404 6",
        "b at u: a pager that never ends, or a page stuffed with links?",
        "feeds not stored: S3 1 (see the log; the run's JSONL was not written either)",
        "saw 100 articles where recent full runs saw 300"]


def test_the_thresholds_follow_the_settings() -> None:
    report = RunReport(get_crawler(MptSpider, {"MPT_HEALTH_MAX_MISSING_SHARE": 0.5,
                                               "MPT_HEALTH_MAX_FAILURE_SHARE": 0.1,
                                               "MPT_HEALTH_MIN_SHARE_OF_RECENT": 0.9}))
    report.history = [100, 100, 100]
    summary = {"mode": "full", "articles": {"parsed": 80, "new": 89, "changed": 0,
                                            "unchanged": 0, "exported": 89},
               "failures": {"http_404": 9}, "invalid": 0, "fallbacks": 44, "listing_pages": 3,
               "bounds": [], "feeds_not_stored": {}, "file": None, "limits": [],
               "interrupted": False}
    # 44 of 89 missing (49.4 %, under 50 %), 9 of 89 failed (10.1 %, over 10 %), 89 < 90
    assert report.verdict(summary) == [
        "9 of 89 pages failed (over 10%): http_404 9",
        "saw 89 articles where recent full runs saw 100"]
