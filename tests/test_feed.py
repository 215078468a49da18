"""The RSS feed /rss.xml."""

from __future__ import annotations

import dataclasses

from parsel import Selector

from mptcrawler.dates import parse_date
from mptcrawler.parsers.feed import parse_feed
from mptcrawler.parsers.listing import ListingEntry

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


def _feed(*items: str) -> list[ListingEntry]:
    return parse_feed(Selector(text="<rss version=\"2.0\"><channel><title>Лента</title>"
                                    + "".join(f"<item>{i}</item>" for i in items)
                                    + "</channel></rss>", type="xml"))


def test_an_item_without_a_link_is_skipped_and_its_neighbours_kept() -> None:
    # a missing link and a link of white space alone both name no page
    items = _feed("<title>Без ссылки</title><pubDate>Wed, 30 Oct 2019 12:00:00 +0000</pubDate>",
                  "<title>Пустая</title><link> \n </link>",
                  "<title>Есть</title><link> https://mpt.gov.by/ru/node/5 </link>")
    assert [dataclasses.astuple(e) for e in items] == [
        ("https://mpt.gov.by/ru/node/5", "Есть", None, None, None)]


def test_a_missing_title_is_empty_and_a_title_is_folded_to_one_line() -> None:
    items = _feed("<link>https://mpt.gov.by/ru/node/6</link>",
                  "<title>\n  Коллегия\tМинсвязи \n</title><link>https://mpt.gov.by/ru/node/7</link>")
    assert [(e.href, e.title) for e in items] == [
        ("https://mpt.gov.by/ru/node/6", ""), ("https://mpt.gov.by/ru/node/7", "Коллегия Минсвязи")]


def test_a_missing_or_blank_pub_date_is_none_and_a_date_is_stripped() -> None:
    items = _feed("<link>https://mpt.gov.by/ru/node/8</link>",
                  "<link>https://mpt.gov.by/ru/node/9</link><pubDate>  </pubDate>",
                  "<link>https://mpt.gov.by/ru/node/10</link>"
                  "<pubDate> Sat, 25 May 2019 12:00:00 +0000\n</pubDate>")
    assert [e.date_raw for e in items] == [None, None, "Sat, 25 May 2019 12:00:00 +0000"]
