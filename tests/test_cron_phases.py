"""An incremental run's phases (cron/phases.py) by direct calls on the real spider made by
``get_crawler``, with a state in tmp_path and no crawl: listings, then the sitemaps robots.txt
announced, then the re-checks and the sitemap's discoveries; both sides of each rule. Expected
requests are written by hand."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from mptcrawler.cron.phases import Phases
from mptcrawler.spiders.mpt import MptSpider
from mptcrawler.state import CrawlState, Known

BASE = "http://127.0.0.1:8800"
UTC = dt.UTC
SITEMAP = "https://mpt.gov.by/sitemap.xml"
RU_SITEMAP = "https://mpt.gov.by/ru/sitemap.xml"
BE = "https://mpt.gov.by/be/news/01-01-2026-8001"


def ru(n: int) -> str:
    return f"https://mpt.gov.by/ru/news/{n:02d}-01-2026-{9000 + n}"


def path_of(url: str) -> str:
    return url.removeprefix("https://mpt.gov.by")


class Runs:
    """The smallest stand-in of mptcrawler.runs.IncrementalRuns that the phases read: an
    incremental run's state and its rolling re-checks (chosen by runs.py, tested there)."""

    incremental = True
    frontier = None  # the spider then records in a frontier without a state

    def __init__(self, state: CrawlState, rechecks: list[Known]) -> None:
        self.state = state
        self.rechecks = rechecks

    def recheck(self) -> list[Known]:
        return list(self.rechecks)

    def is_known(self, url: str, node_id: int | None = None) -> bool:
        return self.state.known(url) is not None


def archive(tmp_path: Path, rows: list[tuple[str, str, str]]) -> CrawlState:
    """A state whose articles are ``(url, published, last verified)``."""
    state = CrawlState(tmp_path / "s.sqlite", BASE)
    state.start_run("r0", None)
    for url, _, _ in rows:
        state.stage("r0", url, int(url.rsplit("-", 1)[1]), "h", 1, None, None, None,
                    exported=True)
    state.commit_run("r0", seen=len(rows))
    for url, published, seen in rows:
        state.db.execute("UPDATE articles SET published = ?, last_seen = ? WHERE url = ?",
                         (published, seen, url))
    return state


def known(url: str, etag: str | None = None, modified: str | None = None) -> Known:
    return Known(url, int(url.rsplit("-", 1)[1]), "h", 1, None, etag, modified)


def spider_of(state: CrawlState, rechecks: list[Known] | None = None,
              settings: dict[str, Any] | None = None, **arguments: str) -> MptSpider:
    crawler = get_crawler(MptSpider, {"MPT_BASE_URL": BASE, "MPT_RECHECK_DAYS": 0,
                                      "MPT_REVALIDATE_DAYS": 30,
                                      "MPT_SITEMAP_REVALIDATE_DAYS": 365, **(settings or {})})
    assert crawler.stats is not None
    crawler.stats.open_spider()  # type: ignore[call-arg]
    spider = MptSpider.from_crawler(crawler, **arguments)
    crawler.mpt_runs = Runs(state, rechecks or [])  # type: ignore[attr-defined]
    assert spider.incremental
    return spider


def phases_of(spider: MptSpider) -> Phases:
    assert spider.phases is not None
    return spider.phases


def described(requests: list[Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [(r.url, r.meta["mpt_kind"], dict(r.cb_kwargs), {
        k.decode(): r.headers[k].decode() for k in (b"If-None-Match", b"If-Modified-Since")
        if k in r.headers}) for r in requests]


ROLLING = [known(ru(1), etag='"e1"'), known(BE), known(ru(2))]


# --- the sitemap phase ---------------------------------------------------------------------

def test_after_the_listings_each_announced_sitemap_is_asked_for_once(tmp_path: Path) -> None:
    spider = spider_of(archive(tmp_path, []))
    phases = phases_of(spider)
    assert (phases.current, phases.done) == ("listings", False)
    phases.sitemap.announced = [SITEMAP, RU_SITEMAP]
    requests = phases.next()
    assert (phases.current, phases.done) == ("sitemap", False)
    assert [r.url for r in requests] == [f"{BASE}/sitemap.xml", f"{BASE}/ru/sitemap.xml"]
    first = requests[0]
    assert first.callback == spider.parse_sitemap
    assert first.errback == spider.sitemap_failed
    assert first.meta == {"mpt_kind": "sitemap"}
    assert first.cb_kwargs == {"url": SITEMAP}
    assert (first.dont_filter, first.priority) == (True, 10)
    assert phases.sitemap.asked == {SITEMAP, RU_SITEMAP}


def test_a_sitemap_already_asked_for_is_not_asked_again(tmp_path: Path) -> None:
    phases = phases_of(spider_of(archive(tmp_path, [])))
    phases.sitemap.announced = [SITEMAP, RU_SITEMAP]
    phases.sitemap.asked = {SITEMAP}
    assert [r.cb_kwargs["url"] for r in phases.next()] == [RU_SITEMAP]


@pytest.mark.parametrize(("settings", "arguments"), [
    ({"MPT_SITEMAP": False}, {}),
    ({}, {"since": "2026-01-01"}),
    ({}, {"until": "2026-01-31"}),
])
def test_without_the_sitemap_the_run_goes_to_the_rolling_rechecks(
        tmp_path: Path, settings: dict[str, Any], arguments: dict[str, str]) -> None:
    """Not with MPT_SITEMAP off, nor in a run limited by since/until (a sitemap's discoveries
    carry no date to limit them by)."""
    spider = spider_of(archive(tmp_path, []), ROLLING, settings, **arguments)
    phases = phases_of(spider)
    phases.sitemap.announced = [SITEMAP]
    spider.answered.add(ru(2))
    requests = phases.next()
    assert phases.done
    assert phases.sitemap.asked == set()
    # not another language's, nor one this run answered already
    assert described(requests) == [(f"{BASE}{path_of(ru(1))}", "recheck",
                                    {"listed_url": ru(1), "known": ROLLING[0]},
                                    {"If-None-Match": '"e1"'})]


def test_no_sitemap_announced_goes_to_the_rolling_rechecks(tmp_path: Path) -> None:
    spider = spider_of(archive(tmp_path, []), ROLLING, lang="ru,be")
    phases = phases_of(spider)
    assert [r.cb_kwargs["listed_url"] for r in phases.next()] == [ru(1), BE, ru(2)]
    assert phases.done


def test_a_sitemap_that_failed_leaves_the_rolling_rechecks(tmp_path: Path) -> None:
    spider = spider_of(archive(tmp_path, [(ru(1), "2026-01-01", "2026-01-10T00:00:00+00:00")]),
                       ROLLING)
    phases = phases_of(spider)
    phases.sitemap.announced = [SITEMAP]
    assert len(phases.next()) == 1
    phases.sitemap.listed = {ru(1): dt.datetime(2026, 1, 12, tzinfo=UTC)}  # changed
    phases.sitemap.fail(SITEMAP, "HTTP 404")
    assert [r.cb_kwargs["listed_url"] for r in phases.next()] == [ru(1), ru(2)]
    assert phases.done


# --- after the sitemap ---------------------------------------------------------------------

def test_after_the_sitemap_the_changed_and_the_new_are_asked_for(tmp_path: Path) -> None:
    verified = "2026-01-10T00:00:00+00:00"
    state = archive(tmp_path, [(ru(n), f"2026-01-0{n}", verified) for n in (1, 2, 3)])
    spider = spider_of(state, ROLLING)
    phases = phases_of(spider)
    phases.sitemap.announced = [SITEMAP]
    phases.next()
    later = dt.datetime(2026, 1, 12, tzinfo=UTC)  # lastmod after the last verification
    phases.sitemap.listed = {ru(1): later, ru(2): later, ru(3): later,
                             ru(5): None, ru(6): None, ru(7): None}
    spider.answered.update({ru(2), ru(6)})  # this run has them already
    spider.node_ids_done.add((9003, "ru"))  # ru(3) read at another address in this run
    spider.awaiting.add(ru(7))  # asked for, not yet answered
    requests = phases.next()
    assert phases.done
    assert described(requests) == [
        (f"{BASE}{path_of(ru(1))}", "recheck",
         {"listed_url": ru(1), "known": state.known(ru(1))}, {}),
        (f"{BASE}{path_of(ru(5))}", "article", {"listed_url": ru(5), "listed_date": None}, {}),
    ]
    assert requests[1].callback == spider.parse_article
    assert not requests[1].dont_filter  # a discovery is a listed article like any other


def test_a_discovery_the_state_knows_by_its_node_is_not_asked_for(tmp_path: Path) -> None:
    """The sitemap lists a /node/NID address of an article the state has under its alias:
    the same article, asked for by neither address."""
    state = archive(tmp_path, [(ru(1), "2026-01-01", "2026-01-10T00:00:00+00:00")])
    spider = spider_of(state)
    phases = phases_of(spider)
    phases.sitemap.announced = [SITEMAP]
    phases.next()
    phases.sitemap.listed = {ru(1): dt.datetime(2026, 1, 9, tzinfo=UTC),  # unchanged
                             "https://mpt.gov.by/ru/node/9001": None,
                             "https://mpt.gov.by/ru/node/9002": None}
    requests = phases.next()
    assert described(requests) == [
        # the safety net: ceil(1 listed, unchanged / 365 days) = 1 a run
        (f"{BASE}{path_of(ru(1))}", "recheck",
         {"listed_url": ru(1), "known": state.known(ru(1))}, {}),
        (f"{BASE}/ru/node/9002", "article",
         {"listed_url": "https://mpt.gov.by/ru/node/9002", "listed_date": None}, {})]


def test_a_stale_sitemap_is_given_up_for_the_rolling_rechecks(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    long_ago = (dt.datetime.now(UTC) - dt.timedelta(days=3)).isoformat()
    state = archive(tmp_path, [(ru(1), "2026-01-20", long_ago)])  # recent, not listed
    spider = spider_of(state, ROLLING, {"MPT_RECHECK_DAYS": 14})
    phases = phases_of(spider)
    phases.sitemap.announced = [SITEMAP, RU_SITEMAP]
    phases.next()
    phases.sitemap.listed = {ru(3): None}
    with caplog.at_level(logging.WARNING, logger="mptcrawler.cron.sitemap"):
        requests = phases.next()
    why = f"stale or partial: 1 recent articles not listed, e.g. {ru(1)}"
    assert phases.sitemap.broken == why
    assert [r.getMessage() for r in caplog.records] == [
        f"sitemap {SITEMAP} cannot be used ({why}): falling back to rolling revalidation"]
    assert [r.cb_kwargs["listed_url"] for r in requests] == [ru(1), ru(2)]
    assert all(r.meta["mpt_kind"] == "recheck" for r in requests)
    assert phases.done


# --- reading a sitemap ---------------------------------------------------------------------

INDEX = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
         b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         b"<sitemap><loc>https://mpt.gov.by/sitemap.xml?page=1</loc></sitemap>"
         b"<sitemap><loc>https://mpt.gov.by/sitemap.xml?page=2</loc></sitemap>"
         b"</sitemapindex>\n")
URLSET = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
          b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          b"<url><loc>https://mpt.gov.by/ru/news/01-01-2026-9001</loc>"
          b"<lastmod>2026-01-12T00:00:00+00:00</lastmod></url></urlset>\n")


def test_an_index_asks_for_each_sitemap_it_names_once(tmp_path: Path) -> None:
    spider = spider_of(archive(tmp_path, []))
    phases = phases_of(spider)
    phases.sitemap.asked = {SITEMAP, "https://mpt.gov.by/sitemap.xml?page=1"}
    requests = list(phases.read_sitemap(INDEX, SITEMAP))
    assert [(r.url, r.cb_kwargs, r.meta, r.priority, r.dont_filter) for r in requests] == [
        (f"{BASE}/sitemap.xml?page=2", {"url": "https://mpt.gov.by/sitemap.xml?page=2"},
         {"mpt_kind": "sitemap"}, 10, True)]
    assert requests[0].callback == spider.parse_sitemap
    assert list(phases.read_sitemap(URLSET, "https://mpt.gov.by/sitemap.xml?page=2")) == []
    assert phases.sitemap.listed == {ru(1): dt.datetime(2026, 1, 12, tzinfo=UTC)}
    assert phases.sitemap.broken is None


def test_a_broken_sitemap_asks_for_nothing_more(tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    phases = phases_of(spider_of(archive(tmp_path, [])))
    with caplog.at_level(logging.WARNING, logger="mptcrawler.cron.sitemap"):
        assert list(phases.read_sitemap(b"<html>not a sitemap</html>", SITEMAP)) == []
    why = "no closing urlset/sitemapindex tag: cut off, or no sitemap"
    assert phases.sitemap.broken == why
    assert [r.getMessage() for r in caplog.records] == [
        f"sitemap {SITEMAP} cannot be used ({why}): falling back to rolling revalidation"]
    # once broken, an index read later asks for none of its sitemaps
    assert list(phases.read_sitemap(INDEX, RU_SITEMAP)) == []


# --- a re-check ----------------------------------------------------------------------------

def test_a_recheck_is_a_conditional_request_that_takes_a_304(tmp_path: Path) -> None:
    spider = spider_of(archive(tmp_path, []))
    phases = phases_of(spider)
    both = known(ru(1), etag='"e1"', modified="Mon, 12 Jan 2026 00:00:00 GMT")
    request = phases.recheck(both)
    assert request.url == f"{BASE}{path_of(ru(1))}"
    assert request.headers.get("If-None-Match") == b'"e1"'
    assert request.headers.get("If-Modified-Since") == b"Mon, 12 Jan 2026 00:00:00 GMT"
    assert request.meta == {"mpt_kind": "recheck", "handle_httpstatus_list": [304],
                            "mpt_article": True}
    assert request.cb_kwargs == {"listed_url": ru(1), "known": both}
    assert request.dont_filter
    assert (request.callback, request.errback) == (spider.parse_article, spider.article_failed)
    assert spider.awaiting == {ru(1)}
    bare = phases.recheck(known(ru(2)))
    assert b"If-None-Match" not in bare.headers
    assert b"If-Modified-Since" not in bare.headers
    only_date = phases.recheck(known(ru(3), modified="Mon, 12 Jan 2026 00:00:00 GMT"))
    assert b"If-None-Match" not in only_date.headers
    assert only_date.headers.get("If-Modified-Since") == b"Mon, 12 Jan 2026 00:00:00 GMT"


def test_a_relative_address_in_an_index_is_read_against_the_sitemap_s_own(
        tmp_path: Path) -> None:
    """The protocol wants absolute addresses; a relative one is taken as a browser would,
    from the address of the sitemap that names it (not from the site's root)."""
    phases = phases_of(spider_of(archive(tmp_path, [])))
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>page-2.xml</loc></sitemap></sitemapindex>\n")
    requests = list(phases.read_sitemap(index, RU_SITEMAP))
    assert [(r.url, r.cb_kwargs) for r in requests] == [
        (f"{BASE}/ru/page-2.xml", {"url": "https://mpt.gov.by/ru/page-2.xml"})]
