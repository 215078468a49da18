"""Page parsers: pure functions from a parsed page to typed values (Fundus-style). They never
fetch, log or touch settings.

Every article page is read through the Drupal evidence of :mod:`.drupal` (node id, title,
date, body, files: what every Drupal rendering has, not one theme's classes); the era modules
add what an era's URLs tell. Route an article page with :func:`parse_article`; listings and
feeds with the functions of :mod:`.listing` and :mod:`.feed`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from parsel import Selector

from ..urls import LANGUAGES, PageKind, classify
from . import era_a, era_b, era_c
from . import fallback as fallback_parser
from .common import (
    ArticlePage,
    NotAnArticle,
    ParseError,
    canonical_page_url,
    parse_html,
    parse_response,
    read_translations,
)
from .drupal import NodePage

__all__ = ["ArticlePage", "NotAnArticle", "ParseError", "detect_era", "parse_article",
           "parse_html", "parse_response"]

_PARSERS = {"A": era_a.parse, "B": era_b.parse, "C": era_c.parse}


def detect_era(node: NodePage, url: str) -> str:
    """The era of a page at canonical ``url`` (site.md): the era-B URL shape; no language
    prefix for era A; a language-prefixed slug or node path is era C (Drupal 8+) unless the
    markup is Drupal 7's."""
    if classify(url).kind is PageKind.NEWS_ARTICLE:
        return "B"
    first = urlsplit(url).path.split("/")[1:2]
    if not (first and first[0] in LANGUAGES):
        return "A"
    return "B" if node.drupal_version() == 7 else "C"


def parse_article(page: Selector, url: str, *, listed_date: str | None = None,
                  fallback: bool = True) -> ArticlePage:
    """An article page. ``url`` is the URL it was fetched as (canonical form); ``listed_date``
    the date a listing showed for it (kept in the state for articles asked for again), used
    only when the page itself shows no date.

    When the page has no Drupal body field (a redesign), the fallback reads the body with
    trafilatura and everything else from the same Drupal evidence (``extraction ==
    "fallback"``). Raises :class:`NotAnArticle` for pages that are not news (no date of any
    kind) and :class:`ParseError` when neither way reads the page.

    A page whose text is another language's (``language_fallback``, see
    :func:`.common.read_translations`) is returned too: the spider decides what to do with it.
    """
    node = NodePage(page, listed_date)
    canonical = canonical_page_url(node, url)
    era = detect_era(node, canonical)
    try:
        return read_translations(_PARSERS[era](node, canonical), node, url)
    except ParseError as exc:
        error = exc
    if not fallback:
        raise error
    return read_translations(fallback_parser.parse(node, canonical, error), node, url)
