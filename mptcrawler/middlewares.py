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
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    IgnoreRequest,
    NotConfigured,
)
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import HtmlResponse, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

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


class StoppedBeforeFetch(IgnoreRequest):
    """A request still waiting for its download slot when the run was asked to stop."""


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


class SiteUnreachable(IgnoreRequest):
    """The site's host does not resolve, or refuses connections, and has not answered once in
    this run: retrying cannot help (see BackoffRetryMiddleware)."""


# What a host that is not there looks like: no address for its name, or nothing listening on
# its port. Both are answered at once, so a retry learns nothing new.
UNREACHABLE = (CannotResolveHostError, DownloadConnectionRefusedError)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each after a wait: the server's ``Retry-After`` when it sends one (a
    429 or 503 from a busy site), else exponential backoff with jitter (``MPT_RETRY_BACKOFF``
    × 2^(attempt − 1) × 0.5–1.5), never more than ``MPT_RETRY_MAX_WAIT``. Scrapy's own retry
    comes back at once and ignores Retry-After. The wait holds the request's download slot, so
    the host sees fewer requests while it is struggling. Every wait is logged at INFO with its
    reason and length.

    Fail fast where retrying cannot help: while the site has not answered a single request in
    this run, a DNS lookup failure or a refused connection is not retried (it cost 6 min 31 s
    of silent backoff without network, issue 17); the run is closed with the finish reason
    ``site_unreachable`` and the crawl command exits with SITE_UNREACHABLE. Once the site has
    answered, the same errors (a restart, a DNS blip mid-run) keep their backoff, as do
    timeouts, resets and 5xx from the start."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("MPT_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("MPT_RETRY_MAX_WAIT", 60.0)
        self.random = random.Random()
        self.answered = False  # any response at all from the site in this run
        self.unreachable: str | None = None  # why the site could not be reached, once known
        self.closing: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.response_received, signal=signals.response_received)
        return middleware

    def response_received(self) -> None:
        self.answered = True

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self.wait(result, response, response_status_message(response.status))
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if isinstance(exception, UNREACHABLE) and not self.answered:
            self.give_up(request, exception)
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self.wait(result, None, f"{type(exception).__name__}: {exception}")
        return result

    def give_up(self, request: Request, exception: Exception) -> None:
        """Close the run as ``site_unreachable``; the request fails as SiteUnreachable (an
        IgnoreRequest: Scrapy's robots.txt middleware logs no traceback for it)."""
        if self.unreachable is None:
            host = urlparse_cached(request).netloc
            what = ("its name does not resolve" if isinstance(exception, CannotResolveHostError)
                    else "it refuses connections")
            self.unreachable = f"{host} is unreachable: {what} ({exception})"
            logger.error("%s; not retrying, nothing has been fetched from it", self.unreachable)
            stats = self.crawler.stats
            if stats is not None:
                stats.set_value("mpt/unreachable", self.unreachable)
            try:
                engine = self.crawler.engine
            except RuntimeError:  # Scrapy 2.19: no engine outside a crawl (unit tests)
                engine = None
            if engine is not None:
                # Kept: an unreferenced task may be collected before it has run.
                self.closing = deferred_from_coro(
                    engine.close_spider_async(reason="site_unreachable"))
        raise SiteUnreachable(self.unreachable)

    def delay(self, retry: Request, response: Response | None) -> float:
        told = retry_after(response) if response is not None else None
        if told is None:
            attempt = int(retry.meta.get("retry_times", 1))
            told = self.base * 2 ** (attempt - 1) * self.random.uniform(0.5, 1.5)
        return max(0.0, min(told, self.cap))

    async def wait(self, retry: Request, response: Response | None, reason: str) -> None:
        seconds = self.delay(retry, response)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("mpt/retry/waits")
        attempt = int(retry.meta.get("retry_times", 1))
        most = retry.meta.get("max_retry_times", self.max_retry_times)
        logger.info("retry %d of %d of %s in %.1f s%s: %s", attempt, most, retry.url, seconds,
                    " (Retry-After)" if response is not None and retry_after(response)
                    is not None else "", reason)
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
