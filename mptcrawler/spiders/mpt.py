"""The ``mpt`` spider: routing only. It walks the listings and the feed, fetches article pages
of every era from ``MPT_BASE_URL``, and hands each page to the pure parsers of
:mod:`mptcrawler.parsers`; the pipelines do the rest.

Arguments (``-a name=value``):
- ``lang``: ``ru`` (default), a comma list such as ``ru,be``, or ``all``;
- ``since`` / ``until``: ISO dates (``2022-01-31``), inclusive, read from the listing dates;
  paging stops at the first listing page whose entries are all older than ``since``;
- ``max_pages``: at most this many pages of each listing;
- ``full=1``: walk every listing to its end and fetch every article (default: incremental once
  a full run of this base URL has ended complete or begun keeping its frontier, unless a run
  since ended short without a frontier: ``CrawlState.why_full``, docs/frontier.md);
- ``reset=1``: forget what the state database knows of this base URL first.

Incremental runs (see mptcrawler/runs.py) walk ``/{lang}/news`` newest first and stop at the
first page whose entries are all known; then, if robots.txt announces a sitemap, they read it
and re-fetch what it says changed (mptcrawler/cron/sitemap.py); then known articles are
re-checked from the state with conditional requests (recent ones and rolling revalidation, or
what the sitemap leaves to them): mptcrawler/cron/phases.py. Which listed links are worth a
request, and what the front page and the feed add, is decided in mptcrawler/discovery.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from .. import discovery, pagestats
from ..arguments import SCRAPYD_ARGUMENTS, check_settings, parse_arguments
from ..cron.frontier import FEED_PATH, Frontier, keeps_next_page
from ..cron.phases import Phases
from ..cron.runid import new_run_id
from ..dates import parse_date
from ..failures import failure_reason
from ..items import Article, article_from_page
from ..middlewares import StoppedBeforeFetch
from ..parsers import NotAnArticle, ParseError, parse_article, parse_response
from ..parsers.feed import parse_feed
from ..parsers.listing import ListingEntry, parse_listing
from ..signals import article_gone, page_failed
from ..urls import canonical_from_fetched, canonical_url, classify, fetch_url


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class MptSpider(scrapy.Spider):
    name = "mpt"
    allowed_domains: tuple[str, ...] = ()  # set from MPT_BASE_URL in from_crawler
    clock = staticmethod(_utc_now)  # tests freeze time by replacing it

    def __init__(self, **kwargs: Any) -> None:
        # Checked in mptcrawler/arguments.py: an unknown or bad one is a usage error.
        args = parse_arguments(kwargs)
        super().__init__(**{k: v for k, v in kwargs.items() if k in SCRAPYD_ARGUMENTS})
        self.langs = args.langs
        self.since, self.until, self.max_pages = args.since, args.until, args.max_pages
        self.full, self.reset = args.full, args.reset
        # Names this run's output files; to the microsecond, made unique under the run lock.
        self.run_id = new_run_id(self.clock())
        self.base_url = "https://mpt.gov.by"
        # Articles done in this run, by (node id, section language): an article is a node in
        # one language (Drupal 8+ translations share the node id), so /node/NID twins of one
        # article collapse and translations never do.
        self.node_ids_done: set[tuple[int, str]] = set()
        # Article URLs asked for and not yet answered: each must end in parse_article or
        # article_failed. Scrapy drops some requests without calling either (a redirect
        # off-site, a redirect loop caught by the dupefilter); see `idle`.
        self.awaiting: set[str] = set()
        self.answered: set[str] = set()  # a URL listed again later is not asked for again
        # A full crawl walks the news listings first; the front page and the feed, which list
        # the same Russian news on the replica and (as far as anyone knows) on the live site,
        # only once those are done, and only for what they add (see `idle`).
        self.second_phase = False
        self.second_phase_owed = False  # carried over from a stopped full run (cron/frontier)
        self.listings_asked: set[str] = set()  # listing pages' paths requested in this run
        # Set by `start`: the listings are being walked. Scrapy's debugging tools (`scrapy
        # parse`, `scrapy check`) start the spider with requests of their own, and must not
        # be followed by a walk of the front page and the feed (see `idle`).
        self.walking = False
        self.job_seen: set[bytes] = set()  # see from_crawler and request_dropped
        # An incremental run's phases, each begun when the one before is done (`idle`):
        # listings, then the sitemap if robots.txt announces one, then the re-checks.
        self.phases: Phases | None = None  # set in from_crawler

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        def named(uri: str) -> str:
            return str(settings.get(uri) or "") if uri in ("MPT_PARQUET_URI", "MPT_DATASET_URI") \
                else uri

        # The project's feeds and the operator's extra ones (a copy on S3), unless feeds came
        # on the command line (-o/-O/-s FEEDS=…), which Scrapy would otherwise merge with them.
        if (settings.getpriority("FEEDS") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            feeds = {named(uri): {**options, **({"parquet": named(options["parquet"])}
                                                if options.get("parquet") else {})}
                     for uri, options in settings.getdict("MPT_FEEDS").items()}
            settings.set("FEEDS", {**{uri: options for uri, options in feeds.items() if uri},
                                   **settings.getdict("MPT_EXTRA_FEEDS")}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MptSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.base_url = check_settings(crawler.settings)  # also checked by the crawl command
        # Scrapy's OffsiteMiddleware then refuses any request to another host.
        spider.allowed_domains = (str(urlsplit(spider.base_url).hostname),)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        spider.phases = Phases(spider, crawler)
        crawler.signals.connect(spider.callback_crashed, signal=signals.spider_error)
        crawler.signals.connect(spider.pipeline_crashed, signal=signals.item_error)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        spider.job_seen = discovery.job_fingerprints(crawler.settings.get("JOBDIR"))
        return spider

    def request_dropped(self, request: scrapy.Request, spider: Any) -> None:
        """Scrapy's dupefilter drops a request it has seen (the engine sends request_dropped).
        In a job resumed from JOBDIR it remembers the stopped session's requests: an article
        asked for then was answered then, or waits in the job's queue, so here it is no
        failure (else `idle` would count it as dropped without an answer)."""
        if not request.meta.get("mpt_article"):
            return
        if discovery.seen_in_job(self, request):
            url = request.cb_kwargs.get("listed_url", request.url)
            self.awaiting.discard(url)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("mpt/links/seen_in_job")

    def idle(self) -> None:
        """When the news listings and their articles are done, a full crawl asks the front page
        and the feed for what they add; before closing, every article asked for and never
        answered is a failure."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # Scrapy 2.19: no engine outside a crawl (the spider's unit tests)
            engine = None
        if engine is not None and self.walking and not self.second_phase and (
                self.runs_full or self.second_phase_owed) and "ru" in self.langs:
            self.second_phase = True
            for request in discovery.second_phase(self):
                engine.crawl(request)
            raise DontCloseSpider
        if engine is not None and self.incremental and self.phases is not None and \
                not self.phases.done:
            requests = self.phases.next()
            for request in requests:
                engine.crawl(request)
            if requests:
                raise DontCloseSpider
        for url in sorted(self.awaiting):
            self._failed(url, "article", "no_response",
                         "dropped without an answer: redirected off-site, a redirect loop, or "
                         "filtered")
        self.awaiting.clear()

    def _answered(self, url: str) -> None:
        self.awaiting.discard(url)
        self.answered.add(url)

    def article_request(self, url: str, **kwargs: Any) -> scrapy.Request:
        self.awaiting.add(url)
        # archive.py keeps mpt_article responses; mpt_kind counts requests by kind
        kwargs["meta"] = {"mpt_kind": "article", **kwargs.get("meta", {}), "mpt_article": True}
        return scrapy.Request(fetch_url(url, self.base_url), callback=self.parse_article,
                              errback=self.article_failed, **kwargs)

    # --- routing --------------------------------------------------------------------------

    @property
    def runs(self) -> Any:
        """The run's state (mptcrawler.runs.IncrementalRuns), or None in ad-hoc runs."""
        return getattr(self.crawler, "mpt_runs", None)

    @property
    def frontier(self) -> Frontier:
        """The run's frontier (mptcrawler/cron/frontier.py); one that records nothing in ad-hoc
        runs."""
        return getattr(self.runs, "frontier", None) or Frontier()

    @property
    def incremental(self) -> bool:
        return self.runs is not None and self.runs.incremental

    @property
    def runs_full(self) -> bool:
        return not self.incremental

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.walking = True
        if self.runs is not None:
            # Articles that failed in earlier runs first: an incremental walk stops at known
            # pages and would never reach a deep one again.
            for url, listed_date in self.runs.failed_articles():
                if classify(url).lang in self.langs:
                    yield self.article_request(
                        url, cb_kwargs={"listed_url": url, "listed_date": listed_date},
                        meta={"max_retry_times": self.settings.getint("MPT_LISTING_RETRY_TIMES",
                                                                      8)})
            # Then what stopped or limited runs left: their listing pages (walked to their end)
            # and the articles they listed and did not deliver.
            # dont_filter: a job resumed from JOBDIR remembers the requests its stopped session
            # made, those it had in flight too, which it never makes again; the frontier
            # entry would stay forever.
            for entry in self.frontier.carried:
                if entry.is_article:
                    yield self.article_request(entry.url, cb_kwargs={
                        "listed_url": entry.url, "listed_date": entry.listed_date},
                        dont_filter=True)
                elif entry.second_phase:
                    self.second_phase_owed = True
                else:
                    yield self.listing_request(
                        entry.url, entry.kind, str(entry.lang), entry.page or 0, carried=True
                    ).replace(dont_filter=True)
        for lang in self.langs:
            yield self.listing_request(f"/{lang}/news", "news", lang, 0)
        # Incremental runs: the news listings list everything the front page and the feed
        # do; the sitemap and the re-checks come once they are done (`idle`).

    def parse_sitemap(self, response: Response, url: str) -> Iterator[scrapy.Request]:
        """A sitemap robots.txt announced, or one a sitemap index names (cron/phases.py)."""
        assert self.phases is not None
        yield from self.phases.read_sitemap(response.body, url)

    def sitemap_failed(self, failure: Failure) -> None:
        assert self.phases is not None
        request = failure.request  # type: ignore[attr-defined]
        self.phases.sitemap.fail(request.cb_kwargs.get("url", request.url),
                                 "{}: {}".format(*failure_reason(failure)))

    def _fetch(self, path: str) -> str:
        return fetch_url("https://mpt.gov.by" + path, self.base_url)

    def feed_request(self) -> scrapy.Request:
        return scrapy.Request(self._fetch(FEED_PATH), callback=self.parse_feed,
                              errback=self.listing_failed, cb_kwargs={"kind": "feed"},
                              meta={"mpt_kind": "feed", "mpt_frontier": FEED_PATH})

    def listing_request(self, path: str, kind: str, lang: str, page: int, probe: bool = False,
                        carried: bool = False) -> scrapy.Request:
        """A listing page's request, in the frontier until it is walked. ``carried``: a page a
        stopped run left, walked to the listing's end even past known pages."""
        cb_kwargs: dict[str, Any] = {"kind": kind, "lang": lang, "page": page, "probe": probe}
        if carried:
            cb_kwargs["carried"] = True
        request = scrapy.Request(
            self._fetch(path), callback=self.parse_listing, errback=self.listing_failed,
            cb_kwargs=cb_kwargs,
            meta={"max_retry_times": self.settings.getint("MPT_LISTING_RETRY_TIMES", 8),
                  "mpt_kind": "listing", "mpt_frontier": path},
            priority=10,  # listings first: they discover everything else
        )
        if path not in self.listings_asked and not discovery.seen_in_job(self, request):
            # Asked again (a carried page the walk from the first page reaches too, a page a
            # JOBDIR job asked for in its stopped session), the dupefilter drops it: the row
            # is the first request's, out once that is walked, and never written again after.
            self.listings_asked.add(path)
            self.frontier.listing(path, kind, lang, page)
        return request

    def parse_listing(self, response: Response, kind: str, lang: str, page: int,
                      probe: bool = False, carried: bool = False) -> Iterator[scrapy.Request]:
        """A listing page: a request for each article it lists and for its next page.

        @path /ru/news
        @cb_kwargs {"kind": "news", "lang": "ru", "page": 0}
        @returns items 0 0
        @returns requests 10
        """
        yield from self._walk_listing(response, kind, lang, page, probe, carried)
        # Out of the frontier only now: its entries and its next page are in it already.
        self._walked(response)

    def _walked(self, response: Response) -> None:
        request = response.request
        if request is not None and "mpt_frontier" in request.meta:
            self.listings_asked.add(request.meta["mpt_frontier"])  # a JOBDIR job's own request
            self.frontier.walked(request.meta["mpt_frontier"])

    def _walk_listing(self, response: Response, kind: str, lang: str, page: int,
                      probe: bool, carried: bool) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"mpt/listing_pages/{kind}")
        here = canonical_from_fetched(response.url, self.base_url) or "https://mpt.gov.by/"
        listing = parse_listing(parse_response(response), here)
        pagestats.count_listing(stats, listing)
        if not listing.entries:
            self._failed(here, "listing", "empty_listing",
                         "no entries on a listing page: a redesign of the listing markup?")
        most_links = self.settings.getint("MPT_MAX_LINKS_PER_PAGE", 500)
        entries = listing.entries[:most_links]
        if len(listing.entries) > most_links:
            self.bounded(here, kind, f"{len(listing.entries)} links on one page, over "
                         f"MPT_MAX_LINKS_PER_PAGE={most_links}")
        dates = [parse_date(e.date_raw, lang) if e.date_raw else None for e in entries]
        already_known = 0
        for entry, date in zip(entries, dates, strict=True):
            if self.incremental and discovery.known(self, entry, here):
                already_known += 1
                continue
            request = self.listed_article_request(entry, here, date, keep_skipped=kind == "news")
            if request is not None:
                yield request
        days = [d.date() if isinstance(d, dt.datetime) else d for d in dates if d is not None]
        if kind == "front" and self.second_phase:
            if len(entries) == len(listing.entries):  # else stopped at MPT_MAX_LINKS_PER_PAGE
                yield from discovery.front_adds_nothing(self, listing, here, page, probe)
            return
        all_older = bool(self.since and days and all(d < self.since for d in days))
        # A carried page (cron/frontier) is walked to the listing's end: a stopped run left
        # it, and what lies below it is not known merely because this page is.
        all_known = bool(entries) and already_known == len(entries) and not carried
        next_path = canonical_url(listing.next_href, here) if listing.next_href else None
        if all_older:
            self.logger.info("stopping %s listing at page %d: every entry is before %s",
                             kind, page, self.since)
            if next_path is not None and keeps_next_page("since"):
                self.frontier.listing(next_path.removeprefix("https://mpt.gov.by"), kind, lang,
                                      page + 1)
        elif all_known:
            self.logger.info("stopping %s listing at page %d: every entry is known", kind, page)
        elif len(entries) < len(listing.entries):
            pass  # stopped at MPT_MAX_LINKS_PER_PAGE
        elif next_path is not None and self.max_pages is not None and \
                page + 1 >= self.max_pages:
            if keeps_next_page("max_pages"):
                self.frontier.listing(next_path.removeprefix("https://mpt.gov.by"), kind, lang,
                                      page + 1)
        elif listing.next_href:
            most_pages = self.settings.getint("MPT_MAX_LISTING_PAGES", 2000)
            if page + 1 >= most_pages:
                self.bounded(here, kind, f"a next page after {page + 1} pages "
                             f"(MPT_MAX_LISTING_PAGES={most_pages})")
            elif next_path is not None:
                yield self.listing_request(next_path.removeprefix("https://mpt.gov.by"), kind,
                                           lang, page + 1, carried=carried)

    def bounded(self, url: str, kind: str, why: str) -> None:
        """A listing stopped at a bound (settings.py, MPT_MAX_*): recorded as a failure
        (listing_bound), which makes the run unhealthy and not complete."""
        self._failed(url, kind, "listing_bound", f"{kind} listing stopped: {why}")

    def parse_feed(self, response: Response, kind: str) -> Iterator[scrapy.Request]:
        """The RSS feed: a request for each article it lists.

        @path /rss.xml
        @cb_kwargs {"kind": "feed"}
        @returns items 0 0
        @returns requests 1
        """
        for entry in parse_feed(Selector(text=response.text, type="xml")):
            if self.incremental and discovery.known(self, entry, "https://mpt.gov.by/rss.xml"):
                continue  # the second phase a stopped full run owed (cron/frontier.py)
            date = parse_date(entry.date_raw, "ru") if entry.date_raw else None
            request = self.listed_article_request(entry, "https://mpt.gov.by/rss.xml", date,
                                                  keep_skipped=False)
            if request is not None:
                yield request
        self._walked(response)

    def listed_article_request(self, entry: ListingEntry, page_url: str,
                               date: dt.date | dt.datetime | None, keep_skipped: bool = True
                               ) -> scrapy.Request | None:
        """A request for a listed article, or None (off-site, print copy, filtered, known).
        ``keep_skipped``: one left out by since/until goes in the frontier (cron/frontier.py);
        not from the front page and the feed, which list the news listings' articles again,
        often as /node/NID copies that would each cost the next run a request."""
        url = discovery.worth_asking(self, entry, page_url, date, keep_skipped)
        if url is None:
            return None
        return self.article_request(
            url, cb_kwargs={"listed_url": url, "listed_date": entry.date_raw})

    # --- articles -------------------------------------------------------------------------

    def parse_article(self, response: Response, listed_url: str | None = None,
                      listed_date: str | None = None, known: Any = None
                      ) -> Iterator[Article | scrapy.Request]:
        """An article page: its item, or the requests of the pages a language-fallback page
        names.

        @path /ru/belpochta-rasshiryaet-set-pochtovykh-otdeleniy-0
        @returns items 1 1
        @returns requests 0 0
        @scrapes url node_id lang title published_raw text markdown
        """
        stats = self.crawler.stats
        assert stats is not None
        # None when a debugging tool (`scrapy parse -c parse_article URL`) asks for the page.
        listed_url = listed_url or canonical_from_fetched(response.url, self.base_url) \
            or response.url
        self._answered(listed_url)
        if response.status == 304 and known is not None and self.runs is not None:
            self.runs.stage_not_modified(known)
            return
        url = canonical_from_fetched(response.url, self.base_url) or listed_url
        # Failures below are recorded under `url`; an item, a twin or a fallback page says
        # otherwise (cron/frontier.py: what a listed URL gave decides when it leaves).
        self.frontier.answer(listed_url, url)
        if not isinstance(response, TextResponse):
            content_type = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            self._failed(url, "article", "not_html", f"{content_type} is no HTML page")
            return
        try:
            page = parse_article(parse_response(response), url, listed_date=listed_date)
        except NotAnArticle as exc:
            self._failed(url, "article", "not_an_article", str(exc), listed_date=listed_date)
            return
        except ParseError as exc:
            self._failed(url, "article", "parse_error", str(exc), listed_date=listed_date)
            return
        if page.language_fallback:
            # /be/node/N of a node without a Belarusian translation: Drupal shows another
            # language's text. No article of its own; the article it shows, and the node's
            # other translations, are fetched from their own pages unless already asked for.
            stats.inc_value("mpt/articles/language_fallback")
            if self.runs is not None and self.runs.state is not None:
                self.runs.state.note_fallback(listed_url, page.node_id, page.url)
            self.logger.info("%s shows a %s text, no translation of its own: not exported",
                             url, page.lang)
            self.frontier.answer(listed_url, None)
            for target in [page.url, *(t["url"] for t in page.translations)]:
                request = self._shown_elsewhere(target)
                if request is not None:
                    yield request
            return
        if page.lang not in self.langs:
            stats.inc_value("mpt/links/other_language")
            self.frontier.answer(listed_url, None)
            return
        if page.node_id is not None:
            if (page.node_id, page.lang) in self.node_ids_done:
                # e.g. /node/1402 listed on the front page and its alias in /ru/news
                stats.inc_value("mpt/articles/node_twin")
                stats.inc_value("mpt/requests/twin")
                self.frontier.answer(listed_url, None)
                return
            self.node_ids_done.add((page.node_id, page.lang))
        pagestats.count_article(stats, self.logger, page, url)
        item = article_from_page(page, f"{self.clock():%Y-%m-%dT%H:%M:%SZ}")
        item.http_etag = (response.headers.get("ETag") or b"").decode("latin-1") or None
        item.http_last_modified = (
            response.headers.get("Last-Modified") or b"").decode("latin-1") or None
        self.frontier.answer(listed_url, item.url)
        yield item

    def _shown_elsewhere(self, url: str) -> scrapy.Request | None:
        """A request for an article a language-fallback page named, if this run needs it."""
        if not discovery.worth_asking_elsewhere(self, url):
            return None
        return self.article_request(url, cb_kwargs={"listed_url": url})

    # --- failures -------------------------------------------------------------------------

    def _failed(self, url: str, kind: str, reason: str, detail: str,
                attempts: int | None = None, listed_date: str | None = None) -> None:
        self.logger.warning("%s %s failed (%s): %s", kind, url, reason, detail)
        self.crawler.signals.send_catch_log(page_failed, url=url, kind=kind, reason=reason,
                                            detail=detail, attempts=attempts,
                                            listed_date=listed_date)

    def callback_crashed(self, failure: Failure, response: Response, spider: Any) -> None:
        """A callback raised what it does not handle (a parser bug on a page nobody foresaw):
        Scrapy logs the traceback and drops the page; it is recorded as a failure too, so that
        no article is lost without a trace."""
        request = response.request
        article = bool(request is not None and request.meta.get("mpt_article"))
        url = (request.cb_kwargs.get("listed_url") if request is not None else None) or \
            response.url
        self._failed(url, "article" if article else "listing", "crash",
                     "{}: {}".format(*failure_reason(failure)),
                     listed_date=request.cb_kwargs.get("listed_date") if request else None)

    def pipeline_crashed(self, item: Any, response: Response, spider: Any,
                         failure: Failure) -> None:
        """A pipeline raised something other than DropItem: the item is lost, recorded."""
        self._failed(getattr(item, "url", None) or response.url, "article", "pipeline_crash",
                     "{}: {}".format(*failure_reason(failure)))

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        url = request.cb_kwargs.get("listed_url", request.url)
        self._answered(url)
        if isinstance(failure.value, StoppedBeforeFetch):
            return  # never asked: the run is stopping (an incomplete run; the next walks all)
        status = failure.value.response.status if isinstance(failure.value, HttpError) else None
        if status in (404, 410) and self.runs is not None and self.runs.knows(url):
            # Deleted from the site: data (withdrawn.jsonl), not a failure to retry forever.
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("mpt/articles/withdrawn")
            self.logger.info("article %s is gone (HTTP %d): recorded as withdrawn", url, status)
            self.crawler.signals.send_catch_log(article_gone, url=url, status=status)
            return
        self._failed(url, "article", *failure_reason(failure),
                     attempts=request.meta.get("retry_times", 0) + 1,
                     listed_date=request.cb_kwargs.get("listed_date"))

    def listing_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, StoppedBeforeFetch):
            return  # never asked: the run is stopping
        url = canonical_from_fetched(request.url, self.base_url) or request.url
        self._failed(url, request.cb_kwargs.get("kind", "listing"), *failure_reason(failure),
                     attempts=request.meta.get("retry_times", 0) + 1)
