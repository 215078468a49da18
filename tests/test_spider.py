"""The spider's routing, with saved pages as responses and time frozen (no network)."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from mptcrawler.items import Article
from mptcrawler.spiders.mpt import MptSpider

from .article_checks import without_body_evidence
from .conftest import fixture_text

BASE = "http://127.0.0.1:8800"


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = dt.datetime(2026, 11, 25, 0, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(MptSpider, "clock", staticmethod(lambda: moment))


def make_spider(**kwargs: Any) -> MptSpider:
    crawler = get_crawler(MptSpider, {"MPT_BASE_URL": BASE})
    crawler.stats.open_spider()  # type: ignore[union-attr,call-arg]
    return MptSpider.from_crawler(crawler, **kwargs)


def response(path: str, fixture: str, cls: type[TextResponse] = HtmlResponse) -> TextResponse:
    return cls(url=BASE + path, body=fixture_text(fixture).encode("utf-8"), encoding="utf-8",
               request=Request(BASE + path))


def requests_of(results: Iterator[Any]) -> list[scrapy.Request]:
    return [r for r in results if isinstance(r, scrapy.Request)]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lang": "de"}, "lang='de'"), ({"since": "26.04.2016"}, "since='26.04.2016'"),
    ({"since": "2020-01-02", "until": "2020-01-01"}, "is after until"),
    ({"max_pages": "0"}, "max_pages='0'"),
])
def test_bad_arguments_are_clear_errors(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MptSpider(**kwargs)


def test_bad_base_url_is_a_clear_error() -> None:
    crawler = get_crawler(MptSpider, {"MPT_BASE_URL": "mpt.gov.by/ru"})
    with pytest.raises(ValueError, match="MPT_BASE_URL"):
        MptSpider.from_crawler(crawler)


def test_languages() -> None:
    assert MptSpider().langs == ("ru",)
    assert MptSpider(lang="all").langs == ("ru", "be", "en")
    assert MptSpider(lang="be, en,be").langs == ("be", "en")


def test_start_requests_go_to_the_base_url() -> None:
    spider = make_spider(lang="ru,en")

    async def collect() -> list[str]:
        return [r.url async for r in spider.start()]

    urls = asyncio.run(collect())
    # The front page and the feed come once these are done (idle): see the next test.
    assert urls == [f"{BASE}/ru/news", f"{BASE}/en/news"]
    assert spider.allowed_domains == ("127.0.0.1",)


def test_a_full_crawl_asks_the_front_page_and_the_feed_once_the_news_listings_are_done(
        ) -> None:
    spider = make_spider(lang="ru,en")
    scheduled: list[scrapy.Request] = []
    spider.crawler.engine = SimpleNamespace(crawl=scheduled.append)  # type: ignore[assignment]
    spider.idle()  # not started (`scrapy parse` and `check` bring requests of their own)
    assert scheduled == []
    spider.walking = True  # as `start` sets it
    with pytest.raises(DontCloseSpider):
        spider.idle()
    assert [r.url for r in scheduled] == [f"{BASE}/", f"{BASE}/rss.xml"]
    spider.idle()  # the second time it is really idle: nothing more is scheduled
    assert len(scheduled) == 2


def test_listing_yields_articles_and_the_next_page_on_the_base_host() -> None:
    spider = make_spider()
    requests = requests_of(spider.parse_listing(response("/ru/news?page=1", "news_listing.html"),
                                                kind="news", lang="ru", page=1))
    articles = [r for r in requests if r.callback == spider.parse_article]
    assert len(articles) == 10
    assert all(r.url.startswith(BASE + "/ru/") for r in requests)
    assert all(r.cb_kwargs["listed_url"].startswith("https://mpt.gov.by/ru/") for r in articles)
    next_pages = [r for r in requests if r.callback == spider.parse_listing]
    assert [r.url for r in next_pages] == [f"{BASE}/ru/news?page=2"]


def test_paging_stops_when_a_whole_page_is_older_than_since() -> None:
    spider = make_spider(since="2026-01-01")
    requests = requests_of(spider.parse_listing(response("/ru/news?page=1", "news_listing.html"),
                                                kind="news", lang="ru", page=1))
    assert requests == []
    assert spider.crawler.stats.get_value("mpt/links/outside_since_until") == 10


def test_max_pages_stops_paging() -> None:
    spider = make_spider(max_pages="2")
    requests = requests_of(spider.parse_listing(response("/ru/news?page=1", "news_listing.html"),
                                                kind="news", lang="ru", page=1))
    assert not [r for r in requests if r.callback == spider.parse_listing]


def test_feed_entries_of_the_selected_language() -> None:
    spider = make_spider()
    feed = response("/rss.xml", "feed.xml", cls=TextResponse)
    requests = requests_of(spider.parse_feed(feed, kind="feed"))
    assert len(requests) == 20
    assert all(r.url.startswith(BASE + "/") for r in requests)


def test_article_item_with_frozen_time(frozen: None) -> None:
    spider = make_spider()
    path = "/ru/news/30-10-2019-4749"
    items = list(spider.parse_article(response(path, "era_b_article.html"),
                                      listed_url="https://mpt.gov.by" + path))
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, Article)
    assert (item.url, item.node_id, item.crawled_at) == ("https://mpt.gov.by" + path, 4749,
                                                         "2026-11-25T00:00:00Z")
    assert spider.run_id == "20261125T000000.000000Z"


def test_a_node_twin_yields_no_second_item() -> None:
    spider = make_spider(lang="be")
    page = response("/be/node/10062", "era_c_node_path_article.html")
    first = list(spider.parse_article(page, listed_url="https://mpt.gov.by/be/node/10062"))
    again = list(spider.parse_article(page, listed_url="https://mpt.gov.by/be/node/10062"))
    assert len(first) == 1 and again == []
    assert spider.crawler.stats.get_value("mpt/articles/node_twin") == 1


def test_a_static_page_is_a_recorded_failure() -> None:
    spider = make_spider()
    failures: list[dict[str, str]] = []
    from mptcrawler.signals import page_failed

    spider.crawler.signals.connect(lambda **kw: failures.append(kw), signal=page_failed,
                                   weak=False)
    assert list(spider.parse_article(response("/ru/kontakty", "static_page.html"),
                                     listed_url="https://mpt.gov.by/ru/kontakty")) == []
    assert [(f["url"], f["reason"]) for f in failures] == [
        ("https://mpt.gov.by/ru/kontakty", "not_an_article")]


def test_a_redesigned_page_is_read_by_the_fallback_and_counted() -> None:
    spider = make_spider()
    path = "/ru/news/30-10-2019-4749"
    html = without_body_evidence(fixture_text("era_b_article.html"))
    page = HtmlResponse(url=BASE + path, body=html.encode("utf-8"), encoding="utf-8",
                        request=Request(BASE + path))
    items = list(spider.parse_article(page, listed_url="https://mpt.gov.by" + path,
                                      listed_date="30.10.2019"))
    assert [(i.extraction, i.era, i.node_id) for i in items] == [("fallback", None, 4749)]
    assert spider.crawler.stats.get_value("mpt/extraction/fallback") == 1


def test_an_article_listed_again_after_its_answer_is_not_asked_for_again() -> None:
    spider = make_spider()
    listing = response("/ru/news?page=1", "news_listing.html")
    first = requests_of(spider.parse_listing(listing, kind="news", lang="ru", page=1))
    article = next(r for r in first if r.callback == spider.parse_article)
    url = article.cb_kwargs["listed_url"]
    failure = Failure(ConnectionRefusedError("boom"))
    failure.request = article  # type: ignore[attr-defined]  # as Scrapy attaches it
    spider.article_failed(failure)
    again = requests_of(spider.parse_listing(listing, kind="news", lang="ru", page=1))
    assert url not in {r.cb_kwargs.get("listed_url") for r in again}
    from mptcrawler.signals import page_failed

    failures: list[dict[str, Any]] = []
    spider.crawler.signals.connect(lambda **kw: failures.append(kw), signal=page_failed,
                                   weak=False)
    spider.idle()  # no engine here: straight to the failures of what was never answered
    # the answered article has no "no_response" failure; the nine never answered have one each
    others = sorted(r.cb_kwargs["listed_url"] for r in first
                    if r.callback == spider.parse_article and r is not article)
    assert len(others) == 9
    assert [(f["url"], f["reason"]) for f in failures] == [(u, "no_response") for u in others]


def test_after_a_redirect_to_www_or_https_the_item_keeps_the_canonical_url() -> None:
    # mpt.gov.by redirecting to https://www.mpt.gov.by/…: the offsite filter lets the www host
    # through (subdomains of allowed_domains), and the item still names https://mpt.gov.by/…
    from scrapy.utils.url import url_is_from_any_domain

    crawler = get_crawler(MptSpider, {"MPT_BASE_URL": "http://mpt.gov.by"})
    crawler.stats.open_spider()  # type: ignore[union-attr,call-arg]
    spider = MptSpider.from_crawler(crawler)
    assert url_is_from_any_domain("https://www.mpt.gov.by/ru/x", spider.allowed_domains)
    assert not url_is_from_any_domain("https://mpt.gov.by.evil.example/", spider.allowed_domains)
    path = "/ru/news/30-10-2019-4749"
    page = HtmlResponse(url="https://www.mpt.gov.by" + path,
                        body=fixture_text("era_b_article.html").encode(), encoding="utf-8",
                        request=Request("http://mpt.gov.by" + path))
    items = list(spider.parse_article(page, listed_url="https://mpt.gov.by" + path))
    assert [i.url for i in items] == ["https://mpt.gov.by" + path]


def test_no_callback_is_a_generator_that_returns_a_value() -> None:
    # The check Scrapy would run on every response (WARN_ON_GENERATOR_RETURN_VALUE, turned off
    # in settings.py for its cost), run once here on every generator method of the spider.
    generators = [f for _, f in inspect.getmembers(MptSpider, inspect.isgeneratorfunction)]
    assert {f.__name__ for f in generators} >= {"parse_article", "parse_listing", "parse_feed"}
    assert [f.__name__ for f in generators if is_generator_with_return_value(f)] == []


def test_an_article_that_failed_before_is_asked_for_with_the_date_its_listing_showed() -> None:
    spider = make_spider(lang="ru")
    url = "https://mpt.gov.by/ru/news/30-10-2019-4749"
    spider.crawler.mpt_runs = SimpleNamespace(  # type: ignore[attr-defined]
        failed_articles=lambda: [(url, "30.10.2019")], incremental=False)

    async def first() -> scrapy.Request:
        async for request in spider.start():
            return request
        raise AssertionError("no request")

    request = asyncio.run(first())
    assert request.callback == spider.parse_article
    assert request.cb_kwargs == {"listed_url": url, "listed_date": "30.10.2019"}
    # The page now shows no date of its own (a redesign): the listing's date is used.
    html = fixture_text("era_b_article.html").replace("field-name-field-date", "field-x")
    page = HtmlResponse(url=BASE + "/ru/news/30-10-2019-4749", body=html.encode("utf-8"),
                        encoding="utf-8", request=request)
    items = list(spider.parse_article(page, **request.cb_kwargs))
    assert [(i.published_raw, i.extraction) for i in items] == [("30.10.2019", "site")]
    assert spider.crawler.stats.get_value("mpt/evidence/published/listing") == 1


def replica_response(site: Any, path: str) -> HtmlResponse:
    from mptcrawler.replica.server import route

    status, _, body = route(site, path)
    assert status == 200, path
    return HtmlResponse(url=BASE + path, body=body.encode("utf-8"), encoding="utf-8",
                        request=Request(BASE + path))


def test_translations_of_one_node_are_two_articles_and_a_fallback_page_none() -> None:
    from mptcrawler.replica import build_site

    site = build_site(300, 1, translations=True)
    spider = make_spider(lang="all")
    pair = next(m for m in site.sets.values() if len(m) > 1 and m[0].era == "C")
    items = [i for a in pair for i in spider.parse_article(
        replica_response(site, a.path), listed_url=a.url)]
    assert [(i.node_id, i.lang) for i in items] == [(a.node_id, a.lang) for a in pair]
    assert len({i.node_id for i in items}) == 1
    # A fallback page of an era-C node whose article was not fetched yet: no item, and the
    # article it shows is asked for (never lost).
    fallback = next(f for f in site.fallbacks if f.era == "C" and f.shows is not None
                    and f.shows.lang != "ru")
    shown = fallback.shows
    assert shown is not None
    results = list(spider.parse_article(replica_response(site, fallback.path),
                                        listed_url="https://mpt.gov.by" + fallback.path))
    assert not [r for r in results if isinstance(r, Article)]
    assert BASE + shown.path in [r.url for r in requests_of(iter(results))]
    assert spider.crawler.stats.get_value("mpt/articles/language_fallback") == 1
    # Once the article it shows is done, the fallback page asks for nothing.
    list(spider.parse_article(replica_response(site, shown.path), listed_url=shown.url))
    again = list(spider.parse_article(replica_response(site, fallback.path),
                                      listed_url="https://mpt.gov.by" + fallback.path))
    assert BASE + shown.path not in [r.url for r in requests_of(iter(again))]
    assert not [r for r in again if isinstance(r, Article)]


def test_a_fallback_page_in_a_language_not_crawled_asks_for_nothing_of_it() -> None:
    from mptcrawler.replica import build_site

    site = build_site(300, 1, translations=True)
    fallback = next(f for f in site.fallbacks if f.lang == "be" and f.shows is not None
                    and f.shows.lang == "en")
    spider = make_spider(lang="be")
    results = list(spider.parse_article(replica_response(site, fallback.path),
                                        listed_url="https://mpt.gov.by" + fallback.path))
    assert results == []  # the English article it shows is not wanted in a be crawl
