"""Downloader middlewares."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import HtmlResponse, Response
from scrapy.settings import BaseSettings
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object

logger = logging.getLogger(__name__)


class RobotsCrawlDelay:
    """Obeys robots.txt ``Crawl-delay``, which Scrapy's RobotsTxtMiddleware reads but does not
    apply: the host's download slot waits at least that long between requests, and AutoThrottle
    is not allowed to go below it. (Drupal's default robots.txt asks for ``Crawl-delay: 10``.)
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.delays: dict[str, float] = {}
        self.parser_class: Any = load_object(crawler.settings.get("ROBOTSTXT_PARSER"))
        self.user_agent = (crawler.settings.get("ROBOTSTXT_USER_AGENT")
                           or crawler.settings.get("USER_AGENT"))
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelay:
        if not (crawler.settings.getbool("ROBOTSTXT_OBEY")
                and crawler.settings.getbool("MPT_ROBOTS_CRAWL_DELAY")):
            raise NotConfigured
        return cls(crawler)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if urlparse_cached(request).path != "/robots.txt" or response.status != 200:
            return
        parser = self.parser_class.from_crawler(self.crawler, response.body)
        delay = parser.crawl_delay(self.user_agent)
        if delay:
            host = urlparse_cached(request).hostname or ""
            self.delays[host] = float(delay)
            logger.info("robots.txt of %s asks for Crawl-delay: %s s; obeying it", host, delay)
            self._apply(request)

    def process_request(self, request: Request) -> None:
        if self.delays:
            self._apply(request)

    def _apply(self, request: Request) -> None:
        delay = self.delays.get(urlparse_cached(request).hostname or "")
        engine = self.crawler.engine
        if delay is None or engine is None:
            return
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        downloader.per_slot_settings.setdefault(key, {})["delay"] = delay  # slots made later
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, AutoThrottle) and extension.mindelay < delay:
                extension.mindelay = delay


class TruncatedPage(IgnoreRequest):
    """An HTML page without its end, still so after every retry."""


class RetryTruncatedPages:
    """Every HTML page of this site ends with ``</html>``; a 200 response without it was cut off
    (at the source, with a Content-Length that matches the cut, so Scrapy's data-loss check
    cannot see it). Such a page is retried like a 5xx, and fails as ``truncated_html`` when the
    retries run out, instead of becoming an item with half a body."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryTruncatedPages:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status != 200 or not isinstance(response, HtmlResponse):
            return response
        if b"</html>" in response.body[-4096:].lower():
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(request, spider=self.crawler.spider, reason="truncated_html")
        if retry is not None:
            return retry
        raise TruncatedPage(f"no </html> after {request.meta.get('retry_times', 0)} retries")


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each after a wait: the server's ``Retry-After`` when it sends one (a
    429 or 503 from a busy site), else exponential backoff with jitter (``MPT_RETRY_BACKOFF``
    × 2^(attempt − 1) × 0.5–1.5), never more than ``MPT_RETRY_MAX_WAIT``. Scrapy's own retry
    comes back at once and ignores Retry-After. The wait holds the request's download slot, so
    the host sees fewer requests while it is struggling."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("MPT_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("MPT_RETRY_MAX_WAIT", 60.0)
        self.random = random.Random()

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self.wait(result, response)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self.wait(result, None)
        return result

    def delay(self, retry: Request, response: Response | None) -> float:
        told = retry_after(response) if response is not None else None
        if told is None:
            attempt = int(retry.meta.get("retry_times", 1))
            told = self.base * 2 ** (attempt - 1) * self.random.uniform(0.5, 1.5)
        return max(0.0, min(told, self.cap))

    async def wait(self, retry: Request, response: Response | None) -> None:
        seconds = self.delay(retry, response)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("mpt/retry/waits")
        await asyncio.sleep(seconds)


def retry_after(response: Response) -> float | None:
    """Seconds from a ``Retry-After`` header: a number, or an HTTP date."""
    value = (response.headers.get("Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return (moment - dt.datetime.now(dt.UTC)).total_seconds()
