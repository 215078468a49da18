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
    assert all(parse_date(e.date_raw or "") is not None for e in items)
