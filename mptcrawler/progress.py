"""A progress line for long runs, in place of Scrapy's LogStats (same interval,
``LOGSTATS_INTERVAL``, default 60 s; same final stats), e.g.::

    progress: 1,204 pages (60/min); listing pages 41; articles queued 410, done 352,
    failed 3, left 55; at 54 articles/min about 1 min 01 s left for those queued

Scrapy's own line ("Crawled 0 pages (at 0 pages/min)") says neither how far a run is nor how
long it will take. The rate is that of the last few intervals, so it includes whatever the run
waits for (download delay, Crawl-delay, AutoThrottle, retries' backoff); the estimate is for the
articles queued so far: listing pages still to walk can add more.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.extensions.logstats import LogStats
from scrapy.http import Response

from .signals import article_gone, page_failed

logger = logging.getLogger(__name__)

ARTICLE_KINDS = ("article", "recheck")  # request meta mpt_kind of an article page
RATE_WINDOW = 5  # intervals the rate is averaged over


def duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``2 h 07 min``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress(LogStats):
    """Counts article pages: queued (first requests scheduled, not the retries or redirects of
    one), done (exported, unchanged, a duplicate, a twin, or withdrawn) and failed (a failure of
    the run's failures file); left = queued − done − failed."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        assert crawler.stats is not None
        super().__init__(crawler.stats, interval)
        self.queued = self.done = self.failed = 0
        self.clock = time.monotonic
        self.samples: deque[tuple[float, int]] = deque(maxlen=RATE_WINDOW + 1)
        for handler, signal in ((self.request_scheduled, signals.request_scheduled),
                                (self.request_dropped, signals.request_dropped),
                                (self.item_scraped, signals.item_scraped),
                                (self.item_dropped, signals.item_dropped),
                                (self.response_received, signals.response_received),
                                (self.article_gone, article_gone),
                                (self.page_failed, page_failed),
                                (self.spider_opened, signals.spider_opened),
                                (self.spider_closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("LOGSTATS_INTERVAL")
        if not interval:
            raise NotConfigured  # the operator's choice: not worth a WARNING
        return cls(crawler, interval)

    @staticmethod
    def first_article_request(request: Request) -> bool:
        meta = request.meta
        return (meta.get("mpt_kind") in ARTICLE_KINDS and not meta.get("retry_times")
                and not meta.get("redirect_times"))

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        if self.first_article_request(request):
            self.queued += 1

    def request_dropped(self, request: Request, spider: Spider) -> None:
        if self.first_article_request(request):  # the scheduler's duplicate filter
            self.queued -= 1

    def item_scraped(self, item: Any, spider: Spider) -> None:
        self.done += 1

    def item_dropped(self, item: Any, response: Any, exception: DropItem,
                     spider: Spider) -> None:
        from .pipelines import DuplicateArticle, UnchangedArticle

        if isinstance(exception, DuplicateArticle | UnchangedArticle):
            self.done += 1
        else:
            self.failed += 1  # an invalid item: in the failures file (FailureLog)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if response.status == 304 and request.meta.get("mpt_kind") in ARTICLE_KINDS:
            self.done += 1  # a re-check answered "not modified": no item

    def article_gone(self, url: str, status: int) -> None:
        self.done += 1

    def page_failed(self, url: str, kind: str, reason: str, detail: str,
                    attempts: int | None = None, listed_date: str | None = None) -> None:
        if kind == "article":
            self.failed += 1

    def spider_opened(self, spider: Spider) -> None:
        self.samples.append((self.clock(), 0))
        super().spider_opened(spider)

    def line(self) -> str:
        stats = self.stats
        values = stats.get_stats()
        listing_pages = sum(v for k, v in values.items()
                            if k.startswith("mpt/listing_pages/") and isinstance(v, int))
        twins = int(values.get("mpt/requests/twin", 0))  # a /node/NID copy: no item of its own
        done = self.done + twins
        left = max(0, self.queued - done - self.failed)
        now, finished = self.clock(), done + self.failed
        self.samples.append((now, finished))
        (then, before) = self.samples[0]
        per_second = (finished - before) / (now - then) if now > then else 0.0
        if not left:
            eta = "none left of those queued"
        elif per_second > 0:
            eta = (f"at {per_second * 60:,.0f} articles/min about "
                   f"{duration(left / per_second)} left for those queued")
        else:
            eta = "no article finished lately: time left unknown"
        return (f"progress: {self.pages:,} pages ({self.prate:,.0f}/min); listing pages "
                f"{listing_pages:,}; articles queued {self.queued:,}, done {done:,}, failed "
                f"{self.failed:,}, left {left:,}; {eta}")

    def log(self, spider: Spider) -> None:
        self.calculate_stats()  # LogStats's pages and page rate
        logger.info(self.line())

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task and self.task.running:
            self.log(spider)  # the totals, once more at the end
        super().spider_closed(spider, reason)
