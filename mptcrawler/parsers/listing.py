"""Listing pages: the news list ``/{lang}/news?page=N`` and the old front page ``/?page=N``.

The same title can appear twice on one page (site.md): entries are identified by URL only.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsel import Selector

from .common import attribute, visible_text


@dataclass(frozen=True)
class ListingEntry:
    href: str  # as written: root-relative or absolute on any site host (or, rarely, off-site)
    title: str
    date_raw: str | None


@dataclass(frozen=True)
class ListingPage:
    entries: list[ListingEntry]
    next_href: str | None  # the pager's "next" link, as written


_text = visible_text


def _entries(page: Selector, entry_css: str, link_css: str, date_css: str) -> list[ListingEntry]:
    entries = []
    for entry in page.css(entry_css):
        link = entry.css(link_css)[:1]
        href = attribute(link, "href")
        if href:
            date = _text(entry.css(date_css)[:1]) or None
            entries.append(ListingEntry(href.strip(), _text(link), date))
    return entries


def parse_news_listing(page: Selector) -> ListingPage:
    """``/{lang}/news?page=N``: ``div.news-item`` entries of the news view (not the sidebar's)."""
    entries = _entries(page, "div.view-news div.view-content div.news-item",
                       "div.news-item-title a", "div.news-item-date")
    return ListingPage(entries, _next(page))


def parse_front_listing(page: Selector) -> ListingPage:
    """``/?page=N``: Drupal 7 teasers of the old front page."""
    entries = _entries(page, "#content div.node-teaser", "h2 a", "span.date-display-single")
    return ListingPage(entries, _next(page))


def _next(page: Selector) -> str | None:
    href = page.css("ul.pager li.pager-next a::attr(href)").get()
    return href.strip() if href else None
