"""One saved page per family of the replica's variants mode (Garland and Bootstrap on Drupal 7,
Olivero and Stable9 on Drupal 8+, a Views table and a D8 teaser listing): each read exactly.

The expected values in the JSON are the replica's ground truth (regenerate.py writes them from
the model, never from the parsers)."""

from __future__ import annotations

import datetime as dt

import pytest

from mptcrawler.dates import parse_date
from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import parse_article
from mptcrawler.parsers.listing import parse_listing
from mptcrawler.pipelines import process_offline
from mptcrawler.urls import canonical_url

from .article_checks import CHROME
from .conftest import FROZEN_NOW, fixture_page, snapshot

ARTICLES = ["variant_d7_garland_article", "variant_d7_bootstrap_article",
            "variant_d8_olivero_article", "variant_d8_stable9_article"]
LISTINGS = ["variant_d7_table_listing", "variant_d8_teaser_listing"]


@pytest.mark.parametrize("stem", ARTICLES)
def test_the_item_is_the_ground_truth(stem: str) -> None:
    expected = snapshot(stem)["item"]
    page = parse_article(fixture_page(stem), expected["url"])
    item = exported(process_offline(article_from_page(page, FROZEN_NOW)))
    assert {k: item[k] for k in expected} == expected
    for chrome in CHROME:
        assert chrome not in item["text"], chrome


@pytest.mark.parametrize("stem", LISTINGS)
def test_the_listing_gives_every_article_its_day_and_the_next_page(stem: str) -> None:
    data = snapshot(stem)
    url = "https://mpt.gov.by" + data["provenance"]["path"]
    listing = parse_listing(fixture_page(stem), url)
    entries = [e for e in listing.entries if canonical_url(e.href, url)]
    assert [canonical_url(e.href, url) for e in entries] == data["listing"]["urls"]
    days = []
    for entry in entries:
        value = parse_date(entry.date_raw or "")
        days.append((value.date() if isinstance(value, dt.datetime) else value).isoformat()
                    if value else None)
    assert days == data["listing"]["days"]
    assert canonical_url(listing.next_href or "", url) == data["listing"]["next"]
