"""A Scrapy contract for the spider's callbacks: ``scrapy check mpt`` against the site being
crawled, not a URL written into the docstring.

Scrapy's ``@url`` contract takes a full URL; ours, ``@path``, takes the page's path on the site
and fetches it from ``MPT_BASE_URL`` (``mptcrawler.urls.fetch_url``), so that the same contracts
run against the live site and, offline, against a replica::

    mptcrawler-replica serve            # the default replica: 300 articles, seed 1
    scrapy check mpt -s MPT_BASE_URL=http://127.0.0.1:PORT -s MPT_ROBOTS_CRAWL_DELAY=False

The article path in the spider's contracts is one of the default replica's (seed 1, any number
of articles from 60 up); the live site need not have it.
"""

from __future__ import annotations

from typing import Any

from scrapy.contracts import Contract

from .urls import fetch_url


class PathContract(Contract):
    """``@path /ru/news``: the request is for that path of MPT_BASE_URL."""

    name = "path"

    def __init__(self, method: Any, *args: Any) -> None:
        super().__init__(method, *args)
        self.spider: Any = method.__self__  # a bound callback of the spider being checked

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["url"] = fetch_url("https://mpt.gov.by" + str(self.args[0]), self.spider.base_url)
        return args
