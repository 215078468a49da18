"""The real site, for an operator with network access: `pytest --live tests/test_live.py`.
Skipped by default (our machines reach no site). It checks that the news listing and its
newest article still parse and validate: the first thing to run after a redesign is
suspected."""

from __future__ import annotations

import urllib.request

import pytest
from parsel import Selector

from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import parse_article
from mptcrawler.parsers.listing import parse_listing
from mptcrawler.pipelines import process_offline, validation_errors
from mptcrawler.settings import USER_AGENT
from mptcrawler.urls import canonical_url


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode(response.headers.get_content_charset() or "utf-8")


@pytest.mark.live
def test_the_live_listing_and_its_newest_article_parse() -> None:
    listing = parse_listing(Selector(text=fetch("https://mpt.gov.by/ru/news")), "https://mpt.gov.by/ru/news")
    assert listing.entries, "no entries: the listing markup changed"
    url = canonical_url(listing.entries[0].href, "https://mpt.gov.by/ru/news")
    assert url is not None
    page = parse_article(Selector(text=fetch(url)), url, listed_date=listing.entries[0].date_raw)
    item = exported(process_offline(article_from_page(page, "2026-01-01T00:00:00Z")))
    assert validation_errors(item) == []
    assert item["extraction"] == "site", "the era parsers no longer read the live page"
