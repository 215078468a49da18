"""Which listed links are worth a request: what this run already asked for or answered, what
the state database knows, what a job resumed from JOBDIR asked for in its stopped session, and
what the front page and the feed add to the news listings (a full crawl's second phase).

The run's bookkeeping stays on the spider (``answered``, ``awaiting``, ``node_ids_done``,
``job_seen``); these functions read it, and the spider builds the requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import scrapy

from .cron.frontier import FEED, FEED_PATH, keeps_next_page
from .parsers.listing import ListingEntry
from .urls import PageKind, canonical_url, classify

if TYPE_CHECKING:
    from .spiders.mpt import MptSpider

ARTICLE_KINDS = (PageKind.NEWS_ARTICLE, PageKind.NODE, PageKind.SLUG)


def fingerprints(data: bytes) -> set[bytes]:
    """The fingerprints of a JOBDIR's ``requests.seen``: each a 2-byte big-endian length and
    the fingerprint (Scrapy 2.19's RFPDupeFilter format)."""
    found, at = set(), 0
    while at + 2 <= len(data):
        size = int.from_bytes(data[at:at + 2], "big")
        found.add(data[at + 2:at + 2 + size])
        at += 2 + size
    return found


def job_fingerprints(jobdir: str | None) -> set[bytes]:
    """Fingerprints of the requests a stopped job (JOBDIR) made, read before this session's
    dupefilter adds its own (scrapy/dupefilters.py RFPDupeFilter, requests.seen)."""
    seen = Path(jobdir, "requests.seen") if jobdir else None
    return fingerprints(seen.read_bytes()) if seen is not None and seen.exists() else set()


def seen_in_job(spider: MptSpider, request: scrapy.Request) -> bool:
    """Made by the stopped session of a job resumed from JOBDIR: dropped as seen."""
    if not spider.job_seen:
        return False
    fingerprinter: Any = spider.crawler.request_fingerprinter
    return bool(fingerprinter.fingerprint(request) in spider.job_seen)


def known(spider: MptSpider, entry: ListingEntry, page_url: str) -> bool:
    """Known to the state database (incremental runs only)."""
    url = canonical_url(entry.href, page_url)
    if url is None:
        return False
    path = classify(url)
    # By URL, or by node id in the same language (a translation is another article).
    # A language-fallback page seen by an earlier run is known too: no article of its own
    # (a full run fetches it again, and an alias given to a new translation is a new URL).
    runs = spider.runs
    if runs.is_known(url) or (path.node_id is not None and runs.state.known_node(
            path.node_id, path.lang)) or runs.state.is_fallback(url):
        assert spider.crawler.stats is not None
        spider.crawler.stats.inc_value("mpt/links/known")
        return True
    return False


def seen(spider: MptSpider, entry: ListingEntry, page_url: str) -> bool:
    """Already asked for in this run, by URL or by node id and language (a /node/NID
    teaser link)."""
    url = canonical_url(entry.href, page_url)
    if url is None:
        return True  # off-site: nothing to fetch
    path = classify(url)
    return asked(spider, url, path.node_id or entry.node_id, path.lang) or (
        spider.incremental and known(spider, entry, page_url))


def asked(spider: MptSpider, url: str, node_id: int | None, lang: str | None) -> bool:
    """Answered or awaited in this run, by URL or by node id and language."""
    return url in spider.answered or url in spider.awaiting or (
        node_id is not None and (node_id, lang) in spider.node_ids_done)


def worth_asking(spider: MptSpider, entry: ListingEntry, page_url: str,
                 date: dt.date | dt.datetime | None, keep_skipped: bool) -> str | None:
    """The canonical URL of a listed article to ask for (in the frontier from now on), or None
    (off-site, print copy, filtered, known). ``keep_skipped``: one left out by since/until goes
    in the frontier (cron/frontier.py)."""
    stats = spider.crawler.stats
    assert stats is not None
    url = canonical_url(entry.href, page_url)
    if url is None:
        stats.inc_value("mpt/links/offsite")
        spider.logger.debug("not fetching off-site link %s on %s", entry.href, page_url)
        return None
    path = classify(url)
    if path.kind not in ARTICLE_KINDS:
        stats.inc_value(f"mpt/links/skipped_{path.kind.value}")
        return None
    if path.lang not in spider.langs:
        stats.inc_value("mpt/links/other_language")
        return None
    day = date.date() if isinstance(date, dt.datetime) else date
    if day is not None and (
        (spider.since and day < spider.since) or (spider.until and day > spider.until)
    ):
        stats.inc_value("mpt/links/outside_since_until")
        if keep_skipped:  # out of this run's scope by choice, not out of the dataset's
            spider.frontier.article(url, path.lang, entry.date_raw)
        return None
    node_id = path.node_id if path.node_id is not None else entry.node_id
    if node_id is not None and (node_id, path.lang) in spider.node_ids_done:
        stats.inc_value("mpt/links/known_node")
        return None
    if url in spider.answered:
        stats.inc_value("mpt/links/already_answered")
        return None
    spider.frontier.article(url, path.lang, entry.date_raw)
    return url


def worth_asking_elsewhere(spider: MptSpider, url: str) -> bool:
    """Whether to ask for an article a language-fallback page named (its canonical page or a
    translation): not if this run has it or asked for it, or its language is not crawled. If
    so, it is in the frontier from now on."""
    path = classify(url)
    if path.kind not in ARTICLE_KINDS or path.lang not in spider.langs:
        return False
    if asked(spider, url, path.node_id, path.lang):
        return False
    assert spider.crawler.stats is not None
    spider.crawler.stats.inc_value("mpt/links/from_language_fallback")
    spider.frontier.article(url, path.lang, None)
    return True


def second_phase(spider: MptSpider) -> list[scrapy.Request]:
    """The front page's first page and the feed, asked for once the news listings are done."""
    front = spider.listing_request("/", "front", "ru", 0)
    spider.frontier.listing(FEED_PATH, FEED, "ru", 0)
    return [front, spider.feed_request()]


def front_adds_nothing(spider: MptSpider, listing: Any, here: str, page: int, probe: bool
                       ) -> Iterator[scrapy.Request]:
    """The old front page lists Russian news the news listing has already given (it does on
    the replica; site.md knows it held a 2017 item on page 352). Its first page and its last
    are checked: if either lists an article not seen yet, the whole front page is walked;
    if neither does, the pages between are not asked for. Yields the requests to make."""
    unseen = [e for e in listing.entries if not seen(spider, e, here)]
    assert spider.crawler.stats is not None
    if probe:
        if unseen:
            spider.logger.info("the front page's last page lists %d articles the news "
                               "listings lack: walking the whole front page", len(unseen))
            yield spider.listing_request("/?page=1", "front", "ru", 1)
        else:
            spider.logger.info("the front page adds nothing to the news listings (its first "
                               "and last pages checked): its other pages are not asked for")
            spider.crawler.stats.set_value("mpt/front/pages_not_walked", page - 1)
        return
    if spider.max_pages is not None and page + 1 >= spider.max_pages:
        next_url = canonical_url(listing.next_href, here) if listing.next_href else None
        if next_url is not None and keeps_next_page("max_pages"):
            spider.frontier.listing(next_url.removeprefix("https://mpt.gov.by"), "front", "ru",
                                    page + 1)
        return
    last = canonical_url(listing.last_href, here) if listing.last_href else None
    number = int(parse_qs(urlsplit(last).query).get("page", ["0"])[0] or 0) if last else 0
    # Only a pager that shows the last page (not a mini pager's "next") can be probed.
    if page == 0 and not unseen and last is not None and number > 1:
        yield spider.listing_request(last.removeprefix("https://mpt.gov.by"), "front", "ru",
                                     number, probe=True)
        return
    next_url = canonical_url(listing.next_href, here) if listing.next_href else None
    most_pages = spider.settings.getint("MPT_MAX_LISTING_PAGES", 2000)
    if next_url is not None and page + 1 >= most_pages:
        spider.bounded(here, "front", f"a next page after {page + 1} pages "
                       f"(MPT_MAX_LISTING_PAGES={most_pages})")
    elif next_url is not None:
        yield spider.listing_request(next_url.removeprefix("https://mpt.gov.by"), "front", "ru",
                                     page + 1)
