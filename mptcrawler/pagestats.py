"""What a parsed page adds to the run's stats: which evidence each field was read from
(``mpt/evidence/…``), each article's era, and what the operator should look at (conflicting
evidence, the fallback extractor)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.statscollectors import StatsCollector

from .parsers import ArticlePage
from .parsers.listing import ListingPage


def count_listing(stats: StatsCollector, listing: ListingPage) -> None:
    """A listing page."""
    if listing.next_source:
        stats.inc_value(f"mpt/evidence/listing_next/{listing.next_source}")
    for entry in listing.entries:
        stats.inc_value(f"mpt/evidence/listing_date/{entry.date_source or 'none'}")


def count_article(stats: StatsCollector, logger: logging.LoggerAdapter[Any], page: ArticlePage,
                  url: str) -> None:
    """An article page to be exported."""
    if page.translations:
        stats.inc_value("mpt/articles/with_translations")
    stats.inc_value(f"mpt/articles/era_{page.era}")
    for name, source in page.evidence.items():
        stats.inc_value(f"mpt/evidence/{name}/{source}")
    for conflict in page.conflicts:
        stats.inc_value("mpt/evidence/conflicts")
        logger.warning("evidence disagrees on %s: %s", url, conflict)
    if page.extraction == "fallback":
        stats.inc_value("mpt/extraction/fallback")
        logger.info("read %s with the fallback extractor (no era markup matched)", url)
