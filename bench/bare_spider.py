"""The baseline of bench/crawl_benchmark.py: follows the same links as `mpt` (news listings for
every language, the front page, the feed, the pager, article links mapped to MPT_BASE_URL) and
yields nothing. Run with `scrapy runspider bench/bare_spider.py -s MPT_BASE_URL=…`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from mptcrawler.urls import canonical_from_fetched, canonical_url, fetch_url


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings: ClassVar[dict[str, Any]] = {"ITEM_PIPELINES": {}, "FEEDS": {}}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        base = self.settings.get("MPT_BASE_URL")
        for path in ("/ru/news", "/be/news", "/en/news", "/"):
            yield scrapy.Request(base + path, callback=self.parse_listing)
        yield scrapy.Request(base + "/rss.xml", callback=self.parse_feed)

    def _follow(self, hrefs: list[str], response: Response, callback: Any
                ) -> Iterator[scrapy.Request]:
        base = self.settings.get("MPT_BASE_URL")
        here = canonical_from_fetched(response.url, base) or "https://mpt.gov.by/"
        for href in hrefs:
            url = canonical_url(href, here)
            if url is not None:
                yield scrapy.Request(fetch_url(url, base), callback=callback)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self._follow(response.css(".news-item-title a::attr(href), "
                                             "#content .node-teaser h2 a::attr(href)").getall(),
                                response, self.parse_article)
        yield from self._follow(response.css("li.pager-next a::attr(href)").getall(), response,
                                self.parse_listing)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self._follow(response.xpath("//item/link/text()").getall(), response,
                                self.parse_article)

    def parse_article(self, response: Response) -> None:
        return None
