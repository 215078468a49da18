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
