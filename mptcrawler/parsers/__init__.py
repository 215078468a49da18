"""Page parsers: pure functions from a parsed page to typed values, one module per page type and
era (Fundus-style: a versioned parser per site redesign). They never fetch, log or touch settings.

Route an article page with :func:`parse_article`; listings and feeds with the functions of
:mod:`.listing` and :mod:`.feed`.
"""

from __future__ import annotations

from parsel import Selector

from . import era_a, era_b, era_c
from .common import ArticlePage, NotAnArticle, ParseError

__all__ = ["ArticlePage", "NotAnArticle", "ParseError", "detect_era", "parse_article"]

_PARSERS = {"A": era_a.parse, "B": era_b.parse, "C": era_c.parse}


def detect_era(page: Selector) -> str | None:
    """Which template rendered a page: each era has one mark no other era's page has."""
    if page.css("article.node--type-news"):
        return "C"
    if page.css("div.node-news div.field-name-field-date"):
        return "B"
    if page.css("div.node-news div.submitted span.date-display-single"):
        return "A"
    return None


def parse_article(page: Selector, url: str) -> ArticlePage:
    """An article page of any era. ``url`` is the canonical URL it was fetched as.

    Raises :class:`NotAnArticle` for pages that are not news (menus' static pages) and
    :class:`ParseError` for news pages missing a part every news page has.
    """
    era = detect_era(page)
    if era is None:
        raise NotAnArticle(f"no news-node markup of era A, B or C on {url}")
    return _PARSERS[era](page, url)
