from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from mptcrawler.middlewares import BackoffRetryMiddleware, retry_after
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
