from __future__ import annotations

import asyncio
import datetime as dt
import logging
from email.utils import format_datetime

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from mptcrawler.middlewares import BackoffRetryMiddleware, SiteUnreachable, retry_after
from mptcrawler.spiders.mpt import MptSpider


def response(headers: dict[str, str]) -> Response:
    return Response("http://127.0.0.1/x", status=503, headers=headers)


def test_retry_after_seconds_and_dates() -> None:
    assert retry_after(response({"Retry-After": "7"})) == 7.0
    later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True)
    assert 28 <= (retry_after(response({"Retry-After": later})) or 0) <= 31
    assert retry_after(response({})) is None
    assert retry_after(response({"Retry-After": "soon"})) is None


def middleware() -> BackoffRetryMiddleware:
    crawler = get_crawler(MptSpider, {"MPT_RETRY_BACKOFF": "2", "MPT_RETRY_MAX_WAIT": "60"})
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    mw = middleware()
    for attempt, low, high in ((1, 1, 3), (2, 2, 6), (3, 4, 12), (10, 60, 60)):
        retry = Request("http://127.0.0.1/x", meta={"retry_times": attempt})
        assert low <= mw.delay(retry, None) <= high
    told = Request("http://127.0.0.1/x", meta={"retry_times": 1})
    assert mw.delay(told, response({"Retry-After": "9"})) == 9.0
    assert mw.delay(told, response({"Retry-After": "3600"})) == 60.0


def test_a_host_that_is_not_there_is_not_retried_until_the_site_has_answered(
        caplog: pytest.LogCaptureFixture) -> None:
    mw = middleware()
    mw.crawler.spider = MptSpider.from_crawler(mw.crawler)
    request = Request("http://nonexistent.invalid/robots.txt")
    dns = CannotResolveHostError("DNS lookup failed: no results for hostname lookup")
    with pytest.raises(SiteUnreachable, match=r"^nonexistent.invalid is unreachable: its name "
                                              r"does not resolve \(DNS lookup failed"):
        asyncio.run(mw.process_exception(request, dns))
    assert mw.crawler.stats.get_value("retry/count") is None  # not one retry
    # Once the site has answered, the same error mid-run is a blip: retried after a wait,
    # and the wait is logged at INFO with its reason and length.
    mw = middleware()
    mw.crawler.spider = MptSpider.from_crawler(mw.crawler)
    mw.base = 0.0
    mw.response_received()
    caplog.clear()
    refused = DownloadConnectionRefusedError("Connection was refused by other side")
    with caplog.at_level(logging.INFO, logger="mptcrawler.middlewares"):
        retry = asyncio.run(mw.process_exception(Request("http://127.0.0.1:9/ru/news"), refused))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert [r.getMessage() for r in caplog.records] == [
        "retry 1 of 2 of http://127.0.0.1:9/ru/news in 0.0 s: DownloadConnectionRefusedError: "
        "Connection was refused by other side"]


def test_a_retry_after_a_503_is_logged_with_the_wait_the_server_asked_for(
        caplog: pytest.LogCaptureFixture) -> None:
    mw = middleware()
    mw.crawler.spider = MptSpider.from_crawler(mw.crawler)
    busy = Response("http://127.0.0.1/ru/news", status=503, headers={"Retry-After": "0"},
                    request=Request("http://127.0.0.1/ru/news"))
    with caplog.at_level(logging.INFO, logger="mptcrawler.middlewares"):
        retry = asyncio.run(mw.process_response(busy.request, busy))
    assert isinstance(retry, Request)
    assert [r.getMessage() for r in caplog.records] == [
        "retry 1 of 2 of http://127.0.0.1/ru/news in 0.0 s (Retry-After): "
        "503 Service Unavailable"]
