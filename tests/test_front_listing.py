"""The old front page /?page=N (Drupal 7 teasers)."""

from __future__ import annotations

import dataclasses

from parsel import Selector

from mptcrawler.parsers.listing import ListingPage, parse_listing

from .conftest import fixture_page, snapshot

STEM = "front_listing"


def parse_front_listing(page: Selector) -> ListingPage:
    return parse_listing(page, "https://mpt.gov.by/")


def test_snapshot() -> None:
    listing = parse_front_listing(fixture_page(STEM))
    assert dataclasses.asdict(listing) == snapshot(STEM)["listing"]


def test_teasers_not_sidebar() -> None:
    listing = parse_front_listing(fixture_page(STEM))
    assert len(listing.entries) == 10
    assert listing.next_href == "/?page=1"
    assert any(e.href.startswith("/node/") or "/node/" in e.href for e in listing.entries)
