"""The RSS feed ``/rss.xml`` as Drupal writes it (RSS 2.0, ``pubDate`` in RFC 822)."""

from __future__ import annotations

from parsel import Selector

from .listing import ListingEntry


def parse_feed(feed: Selector) -> list[ListingEntry]:
    """Items of an RSS 2.0 feed, parsed with ``Selector(type="xml")``."""
    entries = []
    for item in feed.xpath("//channel/item"):
        link = (item.xpath("link/text()").get() or "").strip()
        if link:
            title = " ".join((item.xpath("title/text()").get() or "").split())
            date = (item.xpath("pubDate/text()").get() or "").strip() or None
            entries.append(ListingEntry(link, title, date))
    return entries
