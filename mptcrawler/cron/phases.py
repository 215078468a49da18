"""An incremental run's phases, each begun when the one before is done (the spider's ``idle``):
the news listings, then the sitemaps robots.txt announces (cron/sitemap.py), then the
re-checks of known articles with conditional requests and the sitemap's discoveries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.crawler import Crawler

from .. import discovery
from ..parsers.listing import ListingEntry
from ..urls import classify, fetch_url, language_of
from .sitemap import BrokenSitemap, SitemapReader, after_sitemap

if TYPE_CHECKING:
    from ..spiders.mpt import MptSpider


class Phases:
    """The phase an incremental run is in, and the sitemaps it read; the spider routes."""

    def __init__(self, spider: MptSpider, crawler: Crawler) -> None:
        self.spider = spider
        self.current = "listings"  # then "sitemap", then "done"
        self.sitemap = SitemapReader(crawler)  # keeps robots.txt's Sitemap lines

    @property
    def done(self) -> bool:
        return self.current == "done"

    def next(self) -> list[scrapy.Request]:
        """The requests of the next phase: the sitemaps robots.txt announced, or (after them,
        or without any) the re-checks and the sitemap's discoveries."""
        spider, sitemap = self.spider, self.sitemap
        if self.current == "listings":
            self.current = "sitemap"
            # Not in a run limited by since/until: a sitemap's discoveries carry no date to
            # limit them by.
            if sitemap.enabled and not (spider.since or spider.until):
                sitemaps = [url for url in sitemap.announced if sitemap.ask(url)]
                if sitemaps:
                    return [self.sitemap_request(url) for url in sitemaps]
        self.current = "done"
        if sitemap.asked and sitemap.broken is None:
            try:
                rechecks, found = after_sitemap(sitemap, spider.runs.state, spider.langs,
                                                spider.crawler)
            except BrokenSitemap as exc:
                sitemap.fail(sitemap.announced[0], str(exc))
            else:
                # Not what this run read already, at this address or (renamed) at another.
                requests = [self.recheck(k) for k in rechecks if k.url not in spider.answered
                            and (k.node_id, language_of(k.url)) not in spider.node_ids_done]
                for url in found:  # listed, not in the state: routed like a listed article
                    entry = ListingEntry(href=url, title="", date_raw=None)
                    # seen() asks the state too: the phases are an incremental run's
                    if not discovery.seen(spider, entry, url):
                        request = spider.listed_article_request(entry, url, None)
                        if request is not None:
                            requests.append(request)
                return requests
        return [self.recheck(known) for known in spider.runs.recheck()
                if classify(known.url).lang in spider.langs and known.url not in spider.answered]

    def sitemap_request(self, url: str) -> scrapy.Request:
        # dont_filter: asked once each (SitemapReader.ask), never dropped as a duplicate
        return scrapy.Request(fetch_url(url, self.spider.base_url),
                              callback=self.spider.parse_sitemap,
                              errback=self.spider.sitemap_failed, meta={"mpt_kind": "sitemap"},
                              cb_kwargs={"url": url}, dont_filter=True, priority=10)

    def read_sitemap(self, body: bytes, url: str) -> Iterator[scrapy.Request]:
        """The requests of the sitemaps a sitemap index names."""
        try:
            more = self.sitemap.read(body, url)
        except BrokenSitemap as exc:
            self.sitemap.fail(url, str(exc))
            return
        for child in more:
            if self.sitemap.ask(child):
                yield self.sitemap_request(child)

    def recheck(self, known: Any) -> scrapy.Request:
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        # dont_filter: a re-checked page that redirects (its alias changed, Drupal's redirect
        # module) to an address already fetched from a listing must still get an answer, or it
        # would be dropped by the dupefilter and counted as lost.
        return self.spider.article_request(
            known.url, headers=headers,
            meta={"handle_httpstatus_list": [304], "mpt_kind": "recheck"},
            cb_kwargs={"listed_url": known.url, "known": known}, dont_filter=True,
        )
