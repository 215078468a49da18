"""The cron package's rules by direct calls, both sides of each and its boundaries: the
frontier without and with a state, the sitemap reader and the run's plan after it, the
manifest files, the run lock, which finish reasons are an interruption, the crawl command's
look at the folder's base URL, the rotated copies of the state. Expected values are written
by hand."""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import json
import logging
import os
import sqlite3
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from mptcrawler.cron.backup import keep_copy
from mptcrawler.cron.exits import interrupted
from mptcrawler.cron.frontier import ARTICLE, Entry, Frontier
from mptcrawler.cron.lock import (
    Locked,
    RunLock,
    check_free,
    describe,
    locked_line,
    read_holder,
)
from mptcrawler.cron.manifest import (
    DamagedManifest,
    read_manifest,
    run_ids,
    write_atomically,
    write_withdrawn,
)
from mptcrawler.cron.site import recorded_base_url
from mptcrawler.cron.sitemap import (
    BrokenSitemap,
    SitemapReader,
    after_sitemap,
    parse_lastmod,
    plan,
    quota,
    read_sitemap,
    unlisted_recent,
)
from mptcrawler.state import CrawlState, Known

SITE = "http://127.0.0.1:8800"
UTC = dt.UTC
RU = "https://mpt.gov.by/ru/news/{:02d}-01-2026-{}"


def ru(n: int) -> str:
    return RU.format(n, 9000 + n)


# --- frontier.py ---------------------------------------------------------------------------

@pytest.mark.parametrize(("entry", "article", "second"), [
    (Entry("https://mpt.gov.by/ru/news/a", ARTICLE, "ru"), True, False),
    (Entry("/ru/news", "news", "ru", 0), False, False),
    (Entry("/", "front", "ru", 0), False, True),
    (Entry("/rss.xml", "feed", "ru", 0), False, True),
    (Entry("/?page=1", "front", "ru", 1), False, False),  # the front page's next: a listing
    (Entry("/rss.xml", "feed", "ru", None), False, False),
    (Entry("/ru/news", "news", "ru", None), False, False),
])
def test_an_entry_is_an_article_or_a_second_phase_page(entry: Entry, article: bool,
                                                        second: bool) -> None:
    assert (entry.is_article, entry.second_phase) == (article, second)


def test_a_frontier_without_a_state_does_nothing() -> None:
    frontier = Frontier()
    assert frontier.load({"ru"}) == []
    frontier.begin(True, ("ru",))
    frontier.listing("/ru/news", "news", "ru", 0)
    frontier.article("https://mpt.gov.by/ru/news/a", "ru", None)
    frontier.walked("/ru/news")
    assert frontier.settled({"a"}, {"b"}, {"c"}) == set()
    assert frontier.left() == {"listing_pages": 0, "articles": 0}


def test_a_full_run_begins_with_every_listing_and_the_second_phase_if_russian(
        tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    Frontier(state, "r1").begin(True, ("ru", "be"))
    # committed at once: another connection sees them
    other = CrawlState(tmp_path / "s.sqlite", SITE)
    assert other.frontier() == [("/ru/news", "news", "ru", 0, None),
                                ("/be/news", "news", "be", 0, None),
                                ("/", "front", "ru", 0, None),
                                ("/rss.xml", "feed", "ru", 0, None)]
    assert Frontier(other, "r1").left() == {"listing_pages": 4, "articles": 0}


def test_a_belarusian_run_has_no_second_phase_and_an_incremental_run_no_start(
        tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    Frontier(state, "r1").begin(False, ("ru", "be"))
    assert state.frontier() == []
    Frontier(state, "r2").begin(True, ("be",))
    assert state.frontier() == [("/be/news", "news", "be", 0, None)]


def test_load_keeps_this_runs_languages_and_the_rows_without_one(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.frontier_add("r0", "/ru/news?page=2", "news", "ru", 2)
    state.frontier_add("r0", "/be/news?page=2", "news", "be", 2)
    state.frontier_add("r0", "/x", "other", None, None)
    state.frontier_add("r0", ru(1), ARTICLE, "ru", None, "01.01.2026")
    state.flush()
    frontier = Frontier(state, "r1")
    assert frontier.load({"ru"}) == [Entry("/ru/news?page=2", "news", "ru", 2),
                                     Entry("/x", "other"),
                                     Entry(ru(1), ARTICLE, "ru", None, "01.01.2026")]
    assert frontier.carried == frontier.load({"ru"})
    assert frontier.counts(frontier.carried) == {"listing_pages": 2, "articles": 1}
    assert frontier.counts([]) == {"listing_pages": 0, "articles": 0}


def test_a_listed_article_goes_in_unless_an_earlier_run_delivered_it(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r0", None)
    for url in (ru(1), ru(2)):
        state.stage("r0", url, 1, "h", 1, None, None, None, exported=True)
    state.commit_run("r0", seen=2, withdrawn={})
    state.start_run("r0b", None)
    state.commit_run("r0b", seen=0, withdrawn={ru(2): 404})  # found gone since
    frontier = Frontier(state, "r1")
    frontier.article(ru(1), "ru", "01.01.2026")  # delivered, live: not again
    frontier.article(ru(2), "ru", "02.01.2026")  # withdrawn: asked for again
    frontier.article(ru(3), "ru", None)  # never delivered
    frontier.listing("/ru/news?page=1", "news", "ru", 1)
    state.flush()
    assert state.frontier() == [("/ru/news?page=1", "news", "ru", 1, None),
                                (ru(2), ARTICLE, "ru", None, "02.01.2026"),
                                (ru(3), ARTICLE, "ru", None, None)]
    frontier.walked("/ru/news?page=1")
    state.flush()
    assert frontier.left() == {"listing_pages": 0, "articles": 2}


def test_settled_are_the_frontier_articles_this_run_answered_for(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    for n in (1, 2, 3, 4):
        state.frontier_add("r0", ru(n), ARTICLE, "ru")
    state.frontier_add("r0", ru(5), "news", "ru", 5)  # a listing page is never settled here
    state.flush()
    frontier = Frontier(state, "r1")
    frontier.answer(ru(2), None)  # nothing to deliver
    frontier.answer(ru(3), ru(9))  # gave another article, which failed
    frontier.answer(ru(4), ru(8))  # gave another article, not delivered
    assert frontier.answered == {ru(2): None, ru(3): ru(9), ru(4): ru(8)}
    assert frontier.settled({ru(1), ru(5)}, {ru(9)}, set()) == {ru(1), ru(2), ru(3)}
    assert frontier.settled(set(), set(), {ru(8)}) == {ru(2), ru(4)}


# --- sitemap.py ----------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "days", "expected"), [
    (0, 30, 0), (1, 30, 1), (30, 30, 1), (31, 30, 2), (61, 30, 3),
    (5, 1, 5), (5, 0, 0), (5, -1, 0),
])
def test_the_quota_verifies_all_within_the_days(count: int, days: int, expected: int) -> None:
    assert quota(count, days) == expected


def crawler(**settings: object) -> Crawler:
    return get_crawler(settings_dict={"MPT_REVALIDATE_DAYS": 30,
                                      "MPT_SITEMAP_REVALIDATE_DAYS": 365, **settings})


def robots(reader: SitemapReader, body: bytes, status: int = 200,
           url: str = "https://mpt.gov.by/robots.txt") -> None:
    reader.response_received(TextResponse(url, body=body, status=status), Request(url), None)


ROBOTS = (b"User-agent: *\nDisallow: /admin/\n"
          b"Sitemap: https://mpt.gov.by/sitemap.xml\n"
          b"Sitemap: http://www.mpt.gov.by/sitemap.xml\n"  # the same page, canonically
          b"Sitemap: https://example.org/sitemap.xml\n"
          b"Sitemap: /ru/sitemap.xml\n")


def test_robots_txt_announces_the_sitemaps_once(caplog: pytest.LogCaptureFixture) -> None:
    reader = SitemapReader(crawler())
    with caplog.at_level(logging.INFO, logger="mptcrawler.cron.sitemap"):
        robots(reader, ROBOTS)
    assert reader.announced == ["https://mpt.gov.by/sitemap.xml",
                                "https://mpt.gov.by/ru/sitemap.xml"]
    assert [r.getMessage() for r in caplog.records] == [
        "robots.txt announces a sitemap: https://mpt.gov.by/sitemap.xml, "
        "https://mpt.gov.by/ru/sitemap.xml"]
    robots(reader, b"Sitemap: https://mpt.gov.by/other.xml\n")  # a second robots.txt
    assert reader.announced == ["https://mpt.gov.by/sitemap.xml",
                                "https://mpt.gov.by/ru/sitemap.xml"]


@pytest.mark.parametrize(("settings", "status", "url"), [
    ({"MPT_SITEMAP": False}, 200, "https://mpt.gov.by/robots.txt"),
    ({}, 404, "https://mpt.gov.by/robots.txt"),
    ({}, 200, "https://mpt.gov.by/ru/robots.txt"),
])
def test_robots_txt_is_not_read_when_off_failed_or_elsewhere(
        settings: dict[str, object], status: int, url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    reader = SitemapReader(crawler(**settings))
    with caplog.at_level(logging.INFO, logger="mptcrawler.cron.sitemap"):
        robots(reader, ROBOTS, status, url)
        robots(reader, b"User-agent: *\n")  # no Sitemap line: nothing announced, no line
    assert reader.announced == []
    assert caplog.records == []


def test_robots_txt_is_read_with_the_default_settings() -> None:
    reader = SitemapReader(get_crawler())
    assert (reader.enabled, reader.max_urls) == (True, 200_000)
    robots(reader, ROBOTS)
    assert len(reader.announced) == 2


def test_each_sitemap_is_asked_for_once_and_none_once_one_failed() -> None:
    reader = SitemapReader(crawler())
    assert reader.ask("https://mpt.gov.by/sitemap.xml")
    assert not reader.ask("https://mpt.gov.by/sitemap.xml")
    assert reader.ask("https://mpt.gov.by/sitemap.xml?page=2")
    reader.fail("https://mpt.gov.by/sitemap.xml?page=2", "HTTP 500")
    assert not reader.ask("https://mpt.gov.by/sitemap.xml?page=3")


def urlset(*locs: str, lastmod: str = "2026-01-05") -> bytes:
    return ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(
        f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>" for loc in locs)
        + "</urlset>").encode()


def test_a_urlset_is_kept_by_canonical_url_and_an_index_gives_its_chunks() -> None:
    reader = SitemapReader(crawler())
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>http://www.mpt.gov.by/sitemap.xml?page=1</loc></sitemap>"
             b"<sitemap><loc>https://example.org/sitemap.xml</loc></sitemap>"
             b"<sitemap><loc>/sitemap.xml?page=2</loc></sitemap></sitemapindex>")
    assert reader.read(index, "https://mpt.gov.by/sitemap.xml") == [
        "https://mpt.gov.by/sitemap.xml?page=1", "https://mpt.gov.by/sitemap.xml?page=2"]
    assert reader.listed == {}
    more = reader.read(urlset("http://www.mpt.gov.by/ru/news/a", "https://example.org/b"),
                       "https://mpt.gov.by/sitemap.xml?page=1")
    assert more == []
    # the date's end at UTC−12 (sitemap.parse_lastmod)
    assert reader.listed == {"https://mpt.gov.by/ru/news/a": dt.datetime(2026, 1, 6, 12,
                                                                         tzinfo=UTC)}
    assert reader.urls_read == 5  # three sitemaps and two pages, another host's counted too


def test_more_urls_than_the_limit_break_the_sitemap() -> None:
    reader = SitemapReader(crawler(MPT_SITEMAP_MAX_URLS=3))
    reader.read(urlset(ru(1), ru(2)), "https://mpt.gov.by/sitemap.xml?page=1")
    reader.read(urlset(ru(3)), "https://mpt.gov.by/sitemap.xml?page=2")  # 3: at the limit
    assert reader.urls_read == 3
    with pytest.raises(BrokenSitemap, match=r"^over 3 URLs \(MPT_SITEMAP_MAX_URLS\)$"):
        reader.read(urlset(ru(4)), "https://mpt.gov.by/sitemap.xml?page=3")


def test_the_first_failure_is_the_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    c = crawler()
    reader = SitemapReader(c)
    with caplog.at_level(logging.INFO, logger="mptcrawler.cron.sitemap"):
        reader.fail("https://mpt.gov.by/sitemap.xml", "HTTP 500")
        reader.fail("https://mpt.gov.by/sitemap.xml?page=2", "cut off")
    assert reader.broken == "HTTP 500"
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "sitemap https://mpt.gov.by/sitemap.xml cannot be used (HTTP 500): "
                    "falling back to rolling revalidation")]
    assert c.stats is not None and c.stats.get_value("mpt/sitemap/broken") == 1


def archive(tmp_path: Path, rows: list[tuple[str, str, str]]) -> CrawlState:
    """A state whose articles are ``(url, published, last verified)``."""
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r0", None)
    for url, _, _ in rows:
        state.stage("r0", url, 1, "h", 1, None, None, None, exported=True)
    state.commit_run("r0", seen=len(rows))
    for url, published, seen in rows:
        state.db.execute("UPDATE articles SET published = ?, last_seen = ? WHERE url = ?",
                         (published, seen, url))
    return state


BE = "https://mpt.gov.by/be/news/01-01-2026-8001"


def test_after_the_sitemap_the_run_rechecks_changed_vanished_and_a_safety_net(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    state = archive(tmp_path, [
        (ru(1), "2026-01-01", "2026-01-10T00:00:00+00:00"),  # lastmod later: changed
        (ru(2), "2026-01-02", "2026-01-10T00:00:00+00:00"),  # listed, unchanged
        (ru(3), "2026-01-03", "2026-01-09T00:00:00+00:00"),  # not listed, verified earlier
        (ru(4), "2026-01-04", "2026-01-10T00:00:00+00:00"),  # not listed
        (BE, "2026-01-05", "2026-01-01T00:00:00+00:00"),  # another language's
    ])
    reader = SitemapReader(crawler())
    reader.listed = {
        ru(1): dt.datetime(2026, 1, 12, tzinfo=UTC),
        ru(2): dt.datetime(2026, 1, 8, 23, 59, tzinfo=UTC),  # a day and a minute before
        ru(5): dt.datetime(2026, 1, 11, tzinfo=UTC),  # not in the state
        BE: dt.datetime(2026, 1, 12, tzinfo=UTC),  # not this run's language
        "https://mpt.gov.by/ru/news": None,  # a listing, not an article
        "https://mpt.gov.by/ru/o-ministerstve": None,  # a page of the site
    }
    c = crawler(MPT_RECHECK_DAYS=0)
    with caplog.at_level(logging.INFO, logger="mptcrawler.cron.sitemap"):
        rechecks, discoveries = after_sitemap(reader, state, ("ru",), c)
    # the vanished: the stalest first, ceil(4 live / 30 days) = 1; the net: ceil(1 / 365) = 1
    assert [k.url for k in rechecks] == [ru(1), ru(3), ru(2)]
    assert discoveries == [ru(5), "https://mpt.gov.by/ru/o-ministerstve"]
    assert c.stats is not None
    assert {k: v for k, v in c.stats.get_stats().items() if k.startswith("mpt/sitemap/")} == {
        "mpt/sitemap/listed": 4, "mpt/sitemap/changed": 1, "mpt/sitemap/unknown": 2,
        "mpt/sitemap/vanished": 2, "mpt/sitemap/vanished_rechecked": 1,
        "mpt/sitemap/safety_net": 1}
    assert [r.getMessage() for r in caplog.records] == [
        "sitemap: 4 articles listed, 1 changed since verified, 2 not in the state, "
        "2 known ones not listed (1 re-checked now), 1 re-checked as a safety net"]


def test_the_slack_and_the_quotas_come_from_the_settings(tmp_path: Path) -> None:
    state = archive(tmp_path, [
        (ru(1), "2026-01-01", "2026-01-10T00:00:00+00:00"),
        (ru(2), "2026-01-02", "2026-01-10T00:00:00+00:00"),
        (ru(3), "2026-01-03", "2026-01-09T00:00:00+00:00"),
        (ru(4), "2026-01-04", "2026-01-08T00:00:00+00:00"),
    ])
    reader = SitemapReader(crawler())
    # ru(1) changed 20 h before its verification: within the default slack (24 h), not in 10 h
    reader.listed = {ru(1): dt.datetime(2026, 1, 9, 4, tzinfo=UTC),
                     ru(2): dt.datetime(2026, 1, 1, tzinfo=UTC)}
    default = crawler(MPT_RECHECK_DAYS=0, MPT_REVALIDATE_DAYS=1, MPT_SITEMAP_REVALIDATE_DAYS=0)
    rechecks, _ = after_sitemap(reader, state, ["ru"], default)
    assert [k.url for k in rechecks] == [ru(1), ru(4), ru(3)]  # every vanished one, no net
    assert default.stats is not None
    assert default.stats.get_value("mpt/sitemap/changed") == 1
    narrow = crawler(MPT_RECHECK_DAYS=0, MPT_SITEMAP_SLACK_HOURS=10, MPT_REVALIDATE_DAYS=0,
                     MPT_SITEMAP_REVALIDATE_DAYS=1)
    rechecks, _ = after_sitemap(reader, state, ["ru"], narrow)
    assert narrow.stats is not None
    assert narrow.stats.get_value("mpt/sitemap/changed") == 0
    # no vanished one, the whole net in the state's order (verified, then URL)
    assert [k.url for k in rechecks] == [ru(1), ru(2)]


def test_recent_articles_the_sitemap_leaves_out_break_it(tmp_path: Path) -> None:
    now = dt.datetime.now(UTC)
    long_ago = (now - dt.timedelta(days=3)).isoformat()
    state = archive(tmp_path, [
        (ru(1), "2026-01-20", long_ago),  # the newest: recent, verified days ago, not listed
        (ru(2), "2026-01-05", long_ago),  # 15 days before the newest: not recent
    ])
    reader = SitemapReader(crawler())
    reader.listed = {ru(3): None}
    with pytest.raises(BrokenSitemap, match=r"^stale or partial: 1 recent articles not "
                                            rf"listed, e\.g\. {ru(1)}$"):
        after_sitemap(reader, state, ("ru",), crawler(MPT_RECHECK_DAYS=14))
    # verified since the sitemap could have been regenerated (within the slack): no sign
    state.db.execute("UPDATE articles SET last_seen = ? WHERE url = ?",
                     ((now - dt.timedelta(hours=2)).isoformat(), ru(1)))
    rechecks, _ = after_sitemap(reader, state, ("ru",), crawler(MPT_RECHECK_DAYS=14))
    assert [k.url for k in rechecks] == [ru(2)]
    # without recent days, nothing counts as recent
    state.db.execute("UPDATE articles SET last_seen = ? WHERE url = ?", (long_ago, ru(1)))
    after_sitemap(reader, state, ("ru",), crawler(MPT_RECHECK_DAYS=0))


def test_the_safety_net_defaults_to_a_year(tmp_path: Path) -> None:
    # 366 listed, unchanged articles: ceil(366 / 365) = 2 re-checked a run (one a day: 1);
    # nothing else set: no vanished one re-checked (MPT_REVALIDATE_DAYS 0), no recent days
    urls = [f"https://mpt.gov.by/ru/news/01-01-2020-{n}" for n in range(366)]
    state = archive(tmp_path, [(url, "2020-01-01", "2026-01-10T00:00:00+00:00")
                               for url in urls])
    reader = SitemapReader(get_crawler())
    reader.listed = dict.fromkeys(urls, dt.datetime(2020, 1, 1, tzinfo=UTC))
    rechecks, discoveries = after_sitemap(reader, state, ("ru",), get_crawler())
    assert [k.url for k in rechecks] == sorted(urls)[:2]
    assert discoveries == []


def test_one_recheck_day_is_enough_to_look_for_a_stale_sitemap(tmp_path: Path) -> None:
    long_ago = (dt.datetime.now(UTC) - dt.timedelta(days=3)).isoformat()
    state = archive(tmp_path, [(ru(1), "2026-01-20", long_ago)])
    reader = SitemapReader(crawler())
    reader.listed = {ru(3): None}
    with pytest.raises(BrokenSitemap):
        after_sitemap(reader, state, ("ru",), crawler(MPT_RECHECK_DAYS=1))


def test_a_lastmod_with_a_lower_case_zone_letter() -> None:
    # W3C allows only "Z"; Drupal writes it so, but Python 3.11 refuses "z" where the rule
    # accepts it
    assert parse_lastmod("2026-11-20T07:15:00z") == dt.datetime(2026, 11, 20, 7, 15, tzinfo=UTC)


def test_the_boundaries_of_the_plan_and_of_the_stale_sign() -> None:
    verified = dt.datetime(2026, 1, 10, tzinfo=UTC)
    article = Known(ru(1), None, "h", 1, None, None, None)
    # a lastmod exactly at the verification less the slack is covered, not changed
    found = plan({ru(1): verified - dt.timedelta(hours=24)}, [(article, verified)],
                 dt.timedelta(hours=24))
    assert (found.changed, found.covered) == ([], [article])
    # verified exactly at the settled moment: no sign yet
    assert unlisted_recent([article], {ru(1): verified}, {ru(1)}, verified) == []
    assert unlisted_recent([article], {ru(1): verified}, {ru(1)},
                           verified + dt.timedelta(seconds=1)) == [ru(1)]


SMALL = urlset(ru(1))


def test_why_a_sitemap_is_broken_in_a_few_words() -> None:
    cases = [
        (gzip.compress(SMALL + b" " * 400), 100, r"^bad gzip \(.+\)$"),
        (SMALL[:-1], 0, r"^no closing urlset/sitemapindex tag: cut off, or no sitemap$"),
        (b"<feed>x</feed></urlset>", 0, r"^root element 'feed', not urlset/sitemapindex$"),
        # lxml finds no root element at all: Scrapy's Sitemap stops at once
        (b"</urlset>", 0, r"^unreadable XML \(StopIteration\)$"),
    ]
    for body, max_size, message in cases:
        with pytest.raises(BrokenSitemap, match=message):
            read_sitemap(body, max_size)
    # no limit (0): the same gzip is read
    assert read_sitemap(gzip.compress(SMALL + b" " * 400))[0] == "urlset"


def test_the_end_tag_is_looked_for_in_the_last_512_bytes() -> None:
    # the tag (9 bytes) and 503 bytes of white space fit; one more byte does not
    assert read_sitemap(SMALL + b" " * 503)[0] == "urlset"
    with pytest.raises(BrokenSitemap, match=r"^no closing"):
        read_sitemap(SMALL + b" " * 504)


def test_the_reader_unpacks_at_most_the_download_limit() -> None:
    body = gzip.compress(SMALL + b" " * 400)
    with pytest.raises(BrokenSitemap, match=r"^bad gzip"):
        SitemapReader(crawler(DOWNLOAD_MAXSIZE=500)).read(body, "https://mpt.gov.by/s.xml")
    reader = SitemapReader(crawler(DOWNLOAD_MAXSIZE=5000))
    reader.read(body, "https://mpt.gov.by/s.xml")
    assert list(reader.listed) == [ru(1)]


# --- manifest.py ---------------------------------------------------------------------------

def test_a_file_is_replaced_whole_and_no_part_is_left(tmp_path: Path) -> None:
    path = tmp_path / "latest.json"
    path.write_text("old and longer\n", encoding="utf-8")
    write_atomically(path, "новый\n")
    assert path.read_text(encoding="utf-8") == "новый\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json"]


def test_the_new_text_is_written_beside_as_part_then_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ".part" is the name a leftover of a crash has (runs.py removes those of a killed run)
    renamed = []
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        renamed.append((Path(src), Path(dst), Path(src).read_text(encoding="utf-8")))
        real(src, dst)

    monkeypatch.setattr("mptcrawler.cron.manifest.os.replace", replace)
    path = tmp_path / "manifest.jsonl"
    write_atomically(path, "x\n")
    assert renamed == [(tmp_path / "manifest.jsonl.part", path, "x\n")]


def test_a_manifest_is_read_whole_when_every_line_is_a_run(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    assert read_manifest(path) == ""  # none yet
    text = '{"run_id": "r1", "файл": "a"}\n{"run_id": "r2"}\n'
    path.write_text(text, encoding="utf-8")
    assert read_manifest(path) == text


def test_the_run_ids_of_a_manifest_s_text_are_its_records_run_ids() -> None:
    assert run_ids("") == set()
    # one record a line, an id twice, a raw U+2028 inside a string (one line, not two), a
    # record's other keys and a last line without its newline
    assert run_ids('{"run_id": "r1", "file": "a.jsonl"}\n{"note": "a\u2028b", "run_id": "r2"}\n'
                   '{"run_id": "r1"}') == {"r1", "r2"}


@pytest.mark.parametrize(("data", "line", "why"), [
    (b'{"run_id": "r1"}\n\xff\xfe\n', 2, "not UTF-8"),
    (b'{"run_id": "r1"}\n{"run_id": "r2"\n', 2,
     "not JSON: Expecting ',' delimiter: line 1 column 16 (char 15)"),
    (b'["r1"]\n', 1, "not a run's record: no run_id"),
    (b'{"run": "r1"}\n', 1, "not a run's record: no run_id"),
    (b'{"run_id": ""}\n', 1, "not a run's record: no run_id"),
    (b'{"run_id": "r1"}\n\n{"run_id": "r2"}\n', 2,
     "not JSON: Expecting value: line 1 column 1 (char 0)"),
])
def test_a_damaged_line_is_named(tmp_path: Path, data: bytes, line: int, why: str) -> None:
    path = tmp_path / "manifest.jsonl"
    path.write_bytes(data)
    with pytest.raises(DamagedManifest) as caught:
        read_manifest(path)
    assert str(caught.value) == f"{path} line {line} is damaged ({why})"
    assert (caught.value.path, caught.value.line) == (path, line)


def test_withdrawn_is_written_from_the_records_and_emptied_when_none_are_left(
        tmp_path: Path) -> None:
    path = tmp_path / "withdrawn.jsonl"
    write_withdrawn(path, [])
    assert not path.exists()  # nothing withdrawn, never was: no file
    write_withdrawn(path, [{"url": "https://mpt.gov.by/ru/новость", "status": 404},
                           {"url": "b", "status": 410}])
    assert path.read_text(encoding="utf-8") == (
        '{"url": "https://mpt.gov.by/ru/новость", "status": 404}\n'
        '{"url": "b", "status": 410}\n')
    write_withdrawn(path, [])
    assert path.read_text(encoding="utf-8") == ""


def test_withdrawn_is_not_rewritten_when_it_already_holds_the_records(tmp_path: Path) -> None:
    # Every run writes the list as it opens and at its end: the same list is left as it is
    # (the same file, not replaced and synced again), any other one replaces it.
    path = tmp_path / "withdrawn.jsonl"
    records = [{"url": "https://mpt.gov.by/ru/a", "status": 404}]
    write_withdrawn(path, records)
    first = path.stat().st_ino
    write_withdrawn(path, records)
    assert path.stat().st_ino == first
    write_withdrawn(path, [*records, {"url": "https://mpt.gov.by/ru/b", "status": 410}])
    assert path.stat().st_ino != first
    assert path.read_text(encoding="utf-8") == (
        '{"url": "https://mpt.gov.by/ru/a", "status": 404}\n'
        '{"url": "https://mpt.gov.by/ru/b", "status": 410}\n')



def test_withdrawn_that_cannot_be_read_is_written_again(tmp_path: Path) -> None:
    path = tmp_path / "withdrawn.jsonl"
    path.write_bytes(b"\xff damaged\n")  # not UTF-8: compared with nothing, replaced
    write_withdrawn(path, [{"url": "u", "status": 410}])
    assert path.read_text(encoding="utf-8") == '{"url": "u", "status": 410}\n'
    path.unlink()
    path.mkdir()  # unreadable and unreplaceable: the replacement's error is the one raised
    with pytest.raises(IsADirectoryError):
        write_withdrawn(path, [{"url": "u", "status": 410}])

# --- lock.py -------------------------------------------------------------------------------

@pytest.mark.parametrize(("holder", "text"), [
    (None, "a process that has not written its details yet"),
    ({}, "a process that has not written its details yet"),
    ({"pid": 1234, "host": "cron1", "started": "2026-11-25T01:02:03Z", "mode": "full",
      "run_id": "R"}, "pid 1234 on cron1, started 2026-11-25T01:02:03Z, full run R"),
    ({"pid": 1234, "run_id": "R"}, "pid 1234, starting run R"),
    ({"pid": 1234, "mode": "", "run_id": "R", "host": ""}, "pid 1234, starting run R"),
    ({"started": "S", "mode": "full"}, "pid ?, started S"),
])
def test_the_holder_is_described_from_what_it_wrote(holder: dict[str, object] | None,
                                                    text: str) -> None:
    assert describe(holder) == text


def test_the_refused_runs_line() -> None:
    assert locked_line("data/s.sqlite", {"pid": 7}) == (
        "locked: another run holds data/s.sqlite (pid 7); try again once it has ended")


def test_the_lock_is_exclusive_and_describes_its_holder(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite.lock"
    check_free(path)  # no file yet: free
    first = RunLock(path)
    assert not first.held
    first.acquire({"pid": 1, "mode": None, "run_id": "r1", "note": "x" * 50})
    assert first.held
    first.describe({"pid": 1, "mode": "full"})  # shorter: the rest of the old text is gone
    assert path.read_bytes() == b'{"pid": 1, "mode": "full"}\n'
    assert read_holder(path) == {"pid": 1, "mode": "full"}
    with pytest.raises(Locked) as caught:
        check_free(path)
    assert caught.value.holder == {"pid": 1, "mode": "full"}
    assert str(caught.value) == f"{path} is held by pid 1"
    second = RunLock(path)
    with pytest.raises(Locked) as refused:
        second.acquire({"pid": 2})
    assert (refused.value.path, refused.value.holder) == (path, {"pid": 1, "mode": "full"})
    assert not second.held
    first.release()
    first.release()  # twice: nothing more
    assert not first.held
    check_free(path)
    second.acquire({"pid": 2})
    assert read_holder(path) == {"pid": 2}
    second.release()
    assert path.exists()  # the file stays (see the module's docstring)


def test_a_lock_not_held_cannot_describe_and_a_missing_folder_is_an_oserror(
        tmp_path: Path) -> None:
    lock = RunLock(tmp_path / "s.lock")
    with pytest.raises(RuntimeError, match=r"^the lock is not held$"):
        lock.describe({"pid": 1})
    with pytest.raises(FileNotFoundError):
        RunLock(tmp_path / "no" / "s.lock").acquire({"pid": 1})


@pytest.mark.parametrize("content", [b"", b"not json", b'["pid", 1]', b"\xff\xfe"])
def test_a_holder_that_is_no_json_object_reads_as_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "s.lock"
    path.write_bytes(content)
    assert read_holder(path) is None
    assert read_holder(tmp_path / "missing.lock") is None


def test_the_lock_file_is_made_readable_by_all_writable_by_its_owner(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        lock = RunLock(tmp_path / "s.lock")
        lock.acquire({"pid": 1})
    finally:
        os.umask(old)
    lock.release()
    assert (tmp_path / "s.lock").stat().st_mode & 0o777 == 0o644


def test_a_lock_that_fails_otherwise_closes_its_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr("mptcrawler.cron.lock.fcntl.flock", flock)
    before = len(os.listdir("/proc/self/fd"))
    lock = RunLock(tmp_path / "s.lock")
    with pytest.raises(OSError, match="No locks available"):
        lock.acquire({"pid": 1})
    assert not lock.held
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_holder_is_read_within_its_first_4096_bytes(tmp_path: Path) -> None:
    path = tmp_path / "s.lock"
    for size, readable in ((4096, True), (4097, False)):
        text = json.dumps({"pid": 1, "note": ""})
        text = text.replace('""', '"' + "x" * (size - len(text)) + '"')
        assert len(text) == size
        path.write_text(text)
        assert (read_holder(path) is not None) is readable


def test_a_lock_path_that_is_a_folder_has_no_holder(tmp_path: Path) -> None:
    assert read_holder(tmp_path) is None  # opened, but reading it fails (EISDIR)


def test_a_lock_file_that_cannot_be_opened_counts_as_free(tmp_path: Path) -> None:
    check_free(tmp_path / "missing" / "s.lock")
    if os.geteuid() != 0:  # root opens anything
        path = tmp_path / "s.lock"
        path.write_text("{}")
        path.chmod(0)
        check_free(path)


def test_a_holder_is_read_from_the_start_of_a_long_file(tmp_path: Path) -> None:
    path = tmp_path / "s.lock"
    holder = {"pid": 3, "note": "x" * 4000}
    path.write_text(json.dumps(holder) + " " * 200)
    assert read_holder(path) == holder


# --- cron/exits.py: which finish reasons are an interruption ---------------------------------


@pytest.mark.parametrize(("reason", "expected"), [
    ("finished", False),  # the run reached its end
    (None, False), ("", False),  # no finish reason in the stats
    ("shutdown", True), ("cancelled", True),  # a signal; a failure to start the requests
    # the operator's own CLOSESPIDER_* limits (Scrapy's closespider extension writes these
    # reasons): the run is incomplete, not interrupted
    ("closespider_itemcount", False), ("closespider_pagecount", False),
    ("closespider_timeout", False), ("closespider_errorcount", False),
    ("closespider_timeout_no_item", False), ("closespider_pagecount_no_item", False),
])
def test_only_a_stop_before_the_end_that_no_limit_asked_for_is_an_interruption(
        reason: str | None, expected: bool) -> None:
    assert interrupted(reason) is expected


# --- cron/site.py: the crawl command's read-only look at the folder's base URL -------------


def test_no_state_file_records_no_base_url(tmp_path: Path) -> None:
    assert recorded_base_url(tmp_path / "data" / "mpt-state.sqlite") is None
    (tmp_path / "folder.sqlite").mkdir()  # a folder where the state file should be
    assert recorded_base_url(tmp_path / "folder.sqlite") is None


def test_a_state_file_that_is_no_database_records_no_base_url(tmp_path: Path) -> None:
    path = tmp_path / "mpt-state.sqlite"
    path.write_bytes(b"not SQLite at all, " * 20)  # longer than SQLite's 100-byte header
    assert recorded_base_url(path) is None


def test_a_state_without_runs_or_folder_record_records_no_base_url(tmp_path: Path) -> None:
    path = tmp_path / "mpt-state.sqlite"
    CrawlState(path, SITE).close()
    assert recorded_base_url(path) is None


def test_the_folder_record_wins_over_the_runs_sites(tmp_path: Path) -> None:
    path = tmp_path / "mpt-state.sqlite"
    state = CrawlState(path, "https://other.example")
    state.record_folder_base_url(SITE)
    state.start_run("20261201T060000.000000Z", None)  # a run of another site, allowed
    state.close()
    assert recorded_base_url(path) == SITE


def test_a_state_from_before_the_folder_record_gives_its_newest_runs_site(
        tmp_path: Path) -> None:
    path = tmp_path / "mpt-state.sqlite"
    state = CrawlState(path, SITE)
    # the newer run first, so that the rows' order on disk is not the answer
    for site, run_id, started in (("https://mpt.gov.by", "r2", "2026-11-02T06:00:00Z"),
                                  ("https://old.example", "r1", "2026-11-01T06:00:00Z")):
        state.db.execute("INSERT INTO runs (site, run_id, status, started) "
                         "VALUES (?, ?, 'committed', ?)", (site, run_id, started))
    state.close()
    assert recorded_base_url(path) == "https://mpt.gov.by"


def test_the_look_and_the_run_name_the_same_base_url_of_a_state_without_folder_record(
        tmp_path: Path) -> None:
    # A run recorded with its base URL (a replica's port) under its site key: the look names
    # the base URL, as the run's own check (CrawlState.folder_base_url) does, not the key.
    path = tmp_path / "mpt-state.sqlite"
    state = CrawlState(path, "http://127.0.0.1")
    state.start_run("r1", None, base_url="http://127.0.0.1:8800")
    assert state.folder_base_url() == "http://127.0.0.1:8800"
    state.close()
    assert recorded_base_url(path) == "http://127.0.0.1:8800"


def test_a_look_at_the_base_url_leaves_no_file_behind(tmp_path: Path) -> None:
    # the state is in WAL mode: a plain read-only open would create its -wal and -shm files
    path = tmp_path / "mpt-state.sqlite"
    state = CrawlState(path, SITE)
    state.record_folder_base_url(SITE)
    state.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpt-state.sqlite"]
    assert recorded_base_url(path) == SITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpt-state.sqlite"]


# --- cron/backup.py: the rotated copies of the state -----------------------------------------


def _live_state(tmp_path: Path) -> tuple[Path, sqlite3.Connection]:
    """A state database in WAL mode, as CrawlState opens it, with a table of marks: a copy
    taken after the n-th mark holds n rows, which tells the copies apart."""
    state = tmp_path / "mpt-state.sqlite"
    db = sqlite3.connect(state, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE marks (n INTEGER)")
    return state, db


def _marks(copy: Path) -> int:
    db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        # a self-contained file: the copy is not in WAL mode
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        return int(db.execute("SELECT COUNT(*) FROM marks").fetchone()[0])
    finally:
        db.close()


def test_no_copy_is_kept_when_none_is_asked_for(tmp_path: Path) -> None:
    state, db = _live_state(tmp_path)
    assert keep_copy(db, state, 0) is None
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpt-state.sqlite"]


def test_copies_rotate_newest_first_and_the_oldest_beyond_keep_is_dropped(
        tmp_path: Path) -> None:
    state, db = _live_state(tmp_path)
    expected = [{"mpt-state.sqlite.1": 1},
                {"mpt-state.sqlite.1": 2, "mpt-state.sqlite.2": 1},
                {"mpt-state.sqlite.1": 3, "mpt-state.sqlite.2": 2, "mpt-state.sqlite.3": 1},
                {"mpt-state.sqlite.1": 4, "mpt-state.sqlite.2": 3, "mpt-state.sqlite.3": 2},
                {"mpt-state.sqlite.1": 5, "mpt-state.sqlite.2": 4, "mpt-state.sqlite.3": 3}]
    for n, copies in enumerate(expected, start=1):
        db.execute("INSERT INTO marks VALUES (?)", (n,))
        assert keep_copy(db, state, 3) == tmp_path / "mpt-state.sqlite.1"
        found = {p.name: _marks(p) for p in sorted(tmp_path.glob("mpt-state.sqlite.*"))}
        assert found == copies, n  # no .4, no .backup.part left
    db.close()


def test_one_copy_kept_is_replaced_by_the_newest(tmp_path: Path) -> None:
    state, db = _live_state(tmp_path)
    for n in (1, 2):
        db.execute("INSERT INTO marks VALUES (?)", (n,))
        keep_copy(db, state, 1)
    db.close()
    assert {p.name: _marks(p) for p in tmp_path.glob("mpt-state.sqlite.*")} == {
        "mpt-state.sqlite.1": 2}


def test_copies_above_keep_are_left_as_they_are(tmp_path: Path) -> None:
    # left by a larger MPT_STATE_BACKUPS: the rotation shifts only copies 1 to keep
    state, db = _live_state(tmp_path)
    for n in (4, 5):
        (tmp_path / f"mpt-state.sqlite.{n}").write_bytes(f"copy {n}".encode())
    db.execute("INSERT INTO marks VALUES (1)")
    keep_copy(db, state, 3)
    db.close()
    assert (tmp_path / "mpt-state.sqlite.4").read_bytes() == b"copy 4"
    assert (tmp_path / "mpt-state.sqlite.5").read_bytes() == b"copy 5"
    assert _marks(tmp_path / "mpt-state.sqlite.1") == 1


def test_a_copy_torn_by_a_killed_run_is_replaced(tmp_path: Path) -> None:
    state, db = _live_state(tmp_path)
    (tmp_path / "mpt-state.sqlite.backup.part").write_bytes(b"torn" * 100)
    db.execute("INSERT INTO marks VALUES (1)")
    keep_copy(db, state, 3)
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mpt-state.sqlite",
                                                          "mpt-state.sqlite.1"]
    assert _marks(tmp_path / "mpt-state.sqlite.1") == 1


def test_a_copys_number_decides_when_it_is_rotated_out_even_after_a_gap(tmp_path: Path) -> None:
    """``.2`` removed by hand: ``.3`` still goes at the next run, as it would have with ``.2``
    there (docs/operations.md: a copy is rotated out after so many runs, whatever else was
    removed), and the old ``.1`` becomes ``.2``."""
    state, db = _live_state(tmp_path)
    db.execute("INSERT INTO marks VALUES (1)")
    keep_copy(db, state, 3)
    (tmp_path / "mpt-state.sqlite.3").write_bytes(b"copy 3")  # the oldest, with no .2
    db.execute("INSERT INTO marks VALUES (2)")
    keep_copy(db, state, 3)
    db.close()
    assert {p.name: _marks(p) for p in tmp_path.glob("mpt-state.sqlite.*")} == {
        "mpt-state.sqlite.1": 2, "mpt-state.sqlite.2": 1}
