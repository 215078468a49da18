"""The saved replica pages against an oracle independent of the parsers: ``<stem>.truth.json``,
the replica's own model of the page (regenerate.py writes it from ReplicaArticle.truth and the
listing's articles, without calling a parser).

The snapshots (``<stem>.json``) are what the parsers made of the page when it was saved: they
catch a change, not a wrong value. Here both the parsers' output and the snapshot must agree
with the truth, so a wrong value written into a snapshot fails too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from parsel import Selector

from mptcrawler.dates import parse_date
from mptcrawler.parsers.feed import parse_feed
from mptcrawler.parsers.listing import parse_listing
from mptcrawler.urls import canonical_url

from .article_checks import item_of
from .conftest import fixture_page, fixture_text, snapshot

ARTICLES = ["era_a_article", "era_b_article", "era_c_article", "era_c_node_path_article"]
LISTINGS = ["news_listing", "front_listing"]


def truth(stem: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(fixture_text(f"{stem}.truth.json"))
    return result


def day_of(raw: str | None) -> str | None:
    value = parse_date(raw or "")
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


@pytest.mark.parametrize("stem", ARTICLES)
def test_the_parsed_item_is_the_truth(stem: str) -> None:
    expected = truth(stem)["item"]
    item = item_of(stem)
    for field, value in expected.items():
        assert item[field] == value, field


@pytest.mark.parametrize("stem", ARTICLES)
def test_the_snapshot_item_is_the_truth(stem: str) -> None:
    expected = truth(stem)["item"]
    stored = snapshot(stem)["item"]
    for field, value in expected.items():
        assert stored[field] == value, field
    assert snapshot(stem)["page"]["node_id"] == expected["node_id"]
    assert snapshot(stem)["page"]["title"] == expected["title"]


def read_entries(entries: list[dict[str, Any]], page_url: str) -> list[dict[str, Any]]:
    """Entries as the truth has them: the address (any host, alias or node path), the title,
    the day, the node id."""
    return [{"url": canonical_url(e["href"], page_url), "title": e["title"],
             "day": day_of(e["date_raw"]), "node_id": e["node_id"]} for e in entries]


def expected_entries(stem: str, found: list[dict[str, Any]], with_node_ids: bool
                     ) -> list[dict[str, Any]]:
    # A listing may link a node path instead of the alias (the replica's /node/NID twins):
    # both are the article; the truth names both.
    return [{"url": t["url"] if f["url"] != t["node_url"] else t["node_url"],
             "title": t["title"], "day": t["day"],
             "node_id": t["node_id"] if with_node_ids else None}
            for t, f in zip(truth(stem)["entries"], found, strict=False)]


@pytest.mark.parametrize(("stem", "with_node_ids"), [("news_listing", False),
                                                     ("front_listing", True)])
def test_the_parsed_listing_is_the_truth(stem: str, with_node_ids: bool) -> None:
    url = "https://mpt.gov.by" + truth(stem)["provenance"]["path"]
    listing = parse_listing(fixture_page(stem), url)
    found = read_entries([dataclasses.asdict(e) for e in listing.entries], url)
    assert len(found) == len(truth(stem)["entries"]) == 10
    assert found == expected_entries(stem, found, with_node_ids)
    assert canonical_url(listing.next_href or "", url) == truth(stem)["next"]


@pytest.mark.parametrize(("stem", "with_node_ids"), [("news_listing", False),
                                                     ("front_listing", True)])
def test_the_snapshot_listing_is_the_truth(stem: str, with_node_ids: bool) -> None:
    url = "https://mpt.gov.by" + truth(stem)["provenance"]["path"]
    stored = snapshot(stem)["listing"]
    found = read_entries(stored["entries"], url)
    assert len(found) == len(truth(stem)["entries"])
    assert found == expected_entries(stem, found, with_node_ids)
    assert canonical_url(stored["next_href"], url) == truth(stem)["next"]


def test_the_feed_and_its_snapshot_are_the_truth() -> None:
    url = "https://mpt.gov.by/rss.xml"
    parsed = parse_feed(Selector(text=fixture_text("feed.xml"), type="xml"))
    for entries in ([dataclasses.asdict(e) for e in parsed], snapshot("feed")["entries"]):
        found = read_entries(entries, url)
        assert len(found) == len(truth("feed")["entries"]) == 20
        assert found == expected_entries("feed", found, with_node_ids=False)


def test_a_wrong_value_in_a_snapshot_would_fail_here() -> None:
    # The oracle is not the snapshot: one changed title no longer agrees with the truth.
    stored = snapshot("news_listing")["listing"]
    stored["entries"][0]["title"] += "!"
    url = "https://mpt.gov.by/ru/news?page=1"
    found = read_entries(stored["entries"], url)
    assert found != expected_entries("news_listing", found, with_node_ids=False)
