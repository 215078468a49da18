"""The replica's variants mode: the same articles rendered the many ways real Drupal does
(replica/variants.py). Whatever the rendering, the parsers must give the ground truth exactly,
every field, and the listings must give every listed article and the next page.

The expected values come from the replica's model (``ReplicaArticle.truth()``), never from the
parsers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mptcrawler.dates import parse_date
from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import parse_article, parse_html
from mptcrawler.parsers.listing import parse_listing
from mptcrawler.pipelines import OfflinePipelines
from mptcrawler.replica import build_site
from mptcrawler.replica.pages import FRONT_PAGE_SIZE, NEWS_PAGE_SIZE
from mptcrawler.replica.server import route
from mptcrawler.urls import canonical_url

from .conftest import FROZEN_NOW

ARTICLES = 60


def item_of(site: Any, path: str) -> tuple[dict[str, Any], dict[str, str]]:
    status, _, body = route(site, path)
    assert status == 200, path
    page = parse_article(parse_html(body), "https://mpt.gov.by" + path)
    item = exported(OfflinePipelines().process(article_from_page(page, FROZEN_NOW)))
    return item, page.evidence


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants=st.integers(min_value=0, max_value=2**32))
def test_any_rendering_gives_the_ground_truth_exactly(variants: int) -> None:
    site = build_site(ARTICLES, 5, variants=variants)
    for article in site.articles:
        item, _ = item_of(site, article.path)
        truth = article.truth()
        assert {k: item[k] for k in truth} == truth, article.path


def test_the_variants_really_vary_the_evidence() -> None:
    # Not hollow: over a few seeds each field is read from several kinds of evidence.
    used: dict[str, Counter[str]] = {}
    for variants in range(4):
        site = build_site(ARTICLES, 5, variants=variants)
        for article in site.articles:
            _, evidence = item_of(site, article.path)
            for name, source in evidence.items():
                used.setdefault(name, Counter())[source] += 1
    assert len(used["node_id"]) >= 4, used["node_id"]
    assert len(used["published"]) >= 3, used["published"]
    assert len(used["body"]) >= 2, used["body"]
    assert {"date-field", "submitted", "time"} <= set(used["published"])


def test_a_page_is_rendered_the_same_way_each_time_and_differently_by_seed() -> None:
    path = build_site(ARTICLES, 5).articles[3].path
    first = route(build_site(ARTICLES, 5, variants=1), path)[2]
    assert route(build_site(ARTICLES, 5, variants=1), path)[2] == first
    assert any(route(build_site(ARTICLES, 5, variants=v), path)[2] != first
               for v in range(2, 6))


def test_the_default_replica_is_untouched_by_the_variants_mode() -> None:
    site = build_site(ARTICLES, 5)
    assert site.variants is None
    assert 'class="node node-news node-full clearfix"' in route(
        site, next(a.path for a in site.articles if a.era == "A"))[2]


@pytest.mark.parametrize("variants", [1, 7, 42])
def test_every_listing_page_gives_its_articles_dates_and_next_page(variants: int) -> None:
    site = build_site(ARTICLES * 2, 5, variants=variants)
    shapes = set()
    for lang, path, size, front in [("ru", "/ru/news", NEWS_PAGE_SIZE, False),
                                    ("be", "/be/news", NEWS_PAGE_SIZE, False),
                                    ("en", "/en/news", NEWS_PAGE_SIZE, False),
                                    ("ru", "/", FRONT_PAGE_SIZE, True)]:
        listed = site.listed(lang)
        pages = -(-len(listed) // size)
        for n in range(pages):
            target = path + (f"?page={n}" if n else "")
            url = "https://mpt.gov.by" + target
            body = route(site, target)[2]
            shapes |= {marker for marker in ("<table", "item-list", "node-teaser",
                                             "node--view-mode-teaser", "views-field-title",
                                             'rel="next"', "pager-next", "pager__item--next")
                       if marker in body}
            listing = parse_listing(parse_html(body), url)
            on_site = [e for e in listing.entries if canonical_url(e.href, url)]
            expected = listed[n * size:(n + 1) * size]
            # The front page links some teasers by their node path (a twin to collapse).
            want = ["https://mpt.gov.by" + (a.node_path if front and i % 5 == 2 else a.path)
                    for i, a in enumerate(expected, n * size)]
            assert [canonical_url(e.href, url) for e in on_site] == want, target
            for entry, article in zip(on_site, expected, strict=True):
                value = parse_date(entry.date_raw or "", lang)
                day = value.date() if isinstance(value, dt.datetime) else value
                assert day == article.day, (target, entry.date_raw)
            next_url = canonical_url(listing.next_href, url) if listing.next_href else None
            assert next_url == (f"https://mpt.gov.by{path}?page={n + 1}" if n < pages - 1
                                else None), target
    assert len(shapes) >= 5, shapes  # not hollow: tables, lists, teasers, pagers of D7 and D8
