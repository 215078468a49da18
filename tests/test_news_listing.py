"""The news listing /{lang}/news?page=N."""

from __future__ import annotations

import dataclasses

from parsel import Selector

from mptcrawler.parsers.listing import ListingPage, parse_listing

from .conftest import fixture_page, snapshot

STEM = "news_listing"
URL = "https://mpt.gov.by/ru/news?page=1"


def parse_news_listing(page: Selector) -> ListingPage:
    return parse_listing(page, URL)


def test_snapshot() -> None:
    assert dataclasses.asdict(parse_news_listing(fixture_page(STEM))) == snapshot(STEM)["listing"]


def test_entries_and_pager() -> None:
    listing = parse_news_listing(fixture_page(STEM))
    assert len(listing.entries) == 10  # the sidebar's latest news are not entries
    assert all(e.date_raw and len(e.date_raw) == 10 for e in listing.entries)
    assert listing.next_href == "/ru/news?page=2"


def test_hosts_are_written_in_every_variant() -> None:
    hrefs = [e.href for e in parse_news_listing(fixture_page(STEM)).entries]
    assert any(h.startswith("/ru/") for h in hrefs)
    assert any(h.startswith("http") for h in hrefs)
