"""The progress line of long runs (mptcrawler.progress.Progress, in place of LogStats)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from mptcrawler.pipelines import DuplicateArticle
from mptcrawler.progress import Progress, duration
from mptcrawler.replica.__main__ import scrapy_command
from mptcrawler.spiders.mpt import MptSpider

from .conftest import Replica

LINE = re.compile(r"progress: ([\d,]+) pages \(([\d,]+)/min\); listing pages ([\d,]+); articles "
                  r"queued ([\d,]+), done ([\d,]+), failed ([\d,]+), left ([\d,]+); (.*)")


def test_counts_and_the_time_left_at_the_current_rate() -> None:
    crawler = get_crawler(MptSpider, {"LOGSTATS_INTERVAL": 60})
    assert crawler.stats is not None
    progress = Progress(crawler, 60)
    now = [1000.0]
    progress.clock = lambda: now[0]
    progress.samples.append((now[0], 0))
    progress.pages, progress.prate = 0, 0.0
    spider = None
    article = {"mpt_kind": "article"}
    for n in range(100):
        progress.request_scheduled(Request(f"http://x/{n}", meta=article), spider)  # type: ignore[arg-type]
    progress.request_scheduled(Request("http://x/0", meta={**article, "retry_times": 1}), spider)  # type: ignore[arg-type]
    progress.request_scheduled(Request("http://x/l", meta={"mpt_kind": "listing"}), spider)  # type: ignore[arg-type]
    progress.request_dropped(Request("http://x/99", meta=article), spider)  # type: ignore[arg-type]
    for _ in range(36):
        progress.item_scraped(object(), spider)  # type: ignore[arg-type]
    progress.item_dropped(object(), None, DuplicateArticle("twice"), spider)  # type: ignore[arg-type]
    progress.response_received(Response("http://x/r", status=304),
                               Request("http://x/r", meta={"mpt_kind": "recheck"}), spider)  # type: ignore[arg-type]
    progress.article_gone("http://x/g", 404)
    progress.page_failed("http://x/f", "article", "http_500", "")
    progress.page_failed("http://x/l2", "listing", "http_500", "")  # not an article
    crawler.stats.set_value("mpt/listing_pages/ru", 4)
    crawler.stats.set_value("mpt/listing_pages/be", 3)
    crawler.stats.set_value("mpt/requests/twin", 1)
    # done: 36 exported, a duplicate, a 304, a withdrawn one, a twin; 41 finished in a minute
    now[0] += 60  # and 99 − 40 − 1 = 58 left: 58 / 41 min = 1 min 25 s
    match = LINE.fullmatch(progress.line())
    assert match is not None, progress.line()
    assert match.groups()[2:] == ("7", "99", "40", "1", "58",
                                  "at 41 articles/min about 1 min 25 s left for those queued")


def test_durations() -> None:
    assert [duration(s) for s in (4.4, 65, 3600 * 2 + 7 * 60 + 5)] == [
        "4 s", "1 min 05 s", "2 h 07 min"]


def test_a_run_logs_progress_lines_and_not_scrapys_own(replica: Replica, tmp_path: Path) -> None:
    """The real `scrapy crawl mpt` slowed to one request at a time: progress lines while it
    runs, the last one with the totals (every queued article done, as many as exported)."""
    done = subprocess.run(
        scrapy_command(replica.base_url, "-a", "lang=ru", "-O", "news.jsonl",
                       "-s", "LOGSTATS_INTERVAL=0.5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                       "-s", "DOWNLOAD_DELAY=0.01", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"),
        cwd=tmp_path, env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"),
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Crawled " not in done.stderr
    lines = [m for m in (LINE.search(line) for line in done.stderr.splitlines()) if m]
    assert len(lines) >= 3, done.stderr[-3000:]
    assert any("about" in m.group(8) for m in lines)  # an estimate while articles were left
    exported = (tmp_path / "news.jsonl").read_text(encoding="utf-8").count("\n")
    last = [int(g.replace(",", "")) for g in lines[-1].groups()[:7]]
    assert last[3:] == [exported, exported, 0, 0]  # queued, done, failed, left
    assert last[2] > 0  # listing pages walked
