"""Page parsers: pure functions from a parsed page to typed values, one module per page type and
era (Fundus-style: a versioned parser per site redesign). They never fetch, log or touch settings.

Route an article page with :func:`parse_article`; listings and feeds with the functions of
:mod:`.listing` and :mod:`.feed`.
"""

from __future__ import annotations

from parsel import Selector

from . import era_a, era_b, era_c
from . import fallback as fallback_parser
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


def parse_article(page: Selector, url: str, *, listed_date: str | None = None,
                  fallback: bool = True) -> ArticlePage:
    """An article page of any era. ``url`` is the canonical URL it was fetched as;
    ``listed_date`` the date its listing showed (a last resort of the fallback).

    When no era matches, or the era's parser misses a part (a redesign), the fallback reads the
    page from metadata and trafilatura (``extraction == "fallback"``). Raises
    :class:`NotAnArticle` for pages that are not news (no news markup and no date at all) and
    :class:`ParseError` when neither way reads the page.
    """
    era = detect_era(page)
    error: ValueError
    if era is not None:
        try:
            return _PARSERS[era](page, url)
        except ParseError as exc:
            error = exc
    else:
        error = NotAnArticle(f"no news-node markup of era A, B or C on {url}")
    if not fallback:
        raise error
    try:
        return fallback_parser.parse(page, url, listed_date)
    except NotAnArticle:
        raise error from None
