"""The RSS feed /rss.xml."""

from __future__ import annotations

import dataclasses

from parsel import Selector

from mptcrawler.dates import parse_date
from mptcrawler.parsers.feed import parse_feed

from .conftest import fixture_text, snapshot

STEM = "feed"


def entries() -> list:  # type: ignore[type-arg]
    return parse_feed(Selector(text=fixture_text(f"{STEM}.xml"), type="xml"))


def test_snapshot() -> None:
    assert [dataclasses.asdict(e) for e in entries()] == snapshot(STEM)["entries"]


def test_links_are_absolute_and_dates_rfc822() -> None:
    items = entries()
    assert len(items) == 20
    assert all(e.href.startswith("https://mpt.gov.by/") for e in items)
    # every entry of this feed is dated 12:00 UTC, 15:00 in Minsk (UTC+3): read by hand here
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec"]
    for e in items:
        assert e.date_raw is not None
        _, day, month, year, clock, zone = e.date_raw.split()
        assert (clock, zone) == ("12:00:00", "+0000")
        expected = f"{year}-{months.index(month) + 1:02d}-{day}T15:00:00+03:00"
        parsed = parse_date(e.date_raw)
        assert parsed is not None and parsed.isoformat() == expected, e.date_raw
