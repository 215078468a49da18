"""The replica's card listings (``serve --card-rows``, replica/cards.py): ``/{lang}/news`` rows
rendered as one card wrapped in the node's link, in Views rows and grids. Whatever the
template and layout, the listing parser must give every listed article, its day, its title
and the next page.

The expected values come from the replica's model (``site.listed``), never from the parser.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import html as lxml_html

from mptcrawler.dates import parse_date
from mptcrawler.parsers import parse_html
from mptcrawler.parsers.listing import parse_listing
from mptcrawler.replica import ReplicaSite, build_site
from mptcrawler.replica.cards import LAYOUTS, TEMPLATES, style
from mptcrawler.replica.pages import NEWS_PAGE_SIZE, OFFSITE_EVERY
from mptcrawler.replica.server import route
from mptcrawler.urls import canonical_url

ARTICLES, SEED = 300, 1


def card_site(articles: int = ARTICLES, seed: int = SEED) -> ReplicaSite:
    site = build_site(articles, seed)
    site.cards = True
    return site


def listing_paths(site: ReplicaSite, lang: str) -> list[str]:
    pages = -(-len(site.listed(lang)) // NEWS_PAGE_SIZE)
    return [f"/{lang}/news" + (f"?page={n}" if n else "") for n in range(pages)]


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
def test_every_card_gives_its_article_day_title_and_the_next_page(lang: str) -> None:
    site = card_site()
    listed = site.listed(lang)
    paths = listing_paths(site, lang)
    for n, path in enumerate(paths):
        url = "https://mpt.gov.by" + path
        listing = parse_listing(parse_html(route(site, path)[2]), url)
        on_site = [e for e in listing.entries if canonical_url(e.href, url)]
        expected = listed[n * NEWS_PAGE_SIZE:(n + 1) * NEWS_PAGE_SIZE]
        assert [canonical_url(e.href, url) for e in on_site] == [a.url for a in expected], path
        for entry, article in zip(on_site, expected, strict=True):
            value = parse_date(entry.date_raw or "", lang)
            day = value.date() if isinstance(value, dt.datetime) else value
            assert (day, entry.title) == (article.day, article.title), (path, entry)
        # Off-site cards (an editor's link to the news agency) are dated, so they are entries.
        off_site = [e for e in listing.entries if canonical_url(e.href, url) is None]
        assert len(off_site) == sum(1 for i in range(n * NEWS_PAGE_SIZE, n * NEWS_PAGE_SIZE
                                                     + len(expected))
                                    if i % OFFSITE_EVERY == OFFSITE_EVERY - 1), path
        next_url = canonical_url(listing.next_href, url) if listing.next_href else None
        assert next_url == (f"https://mpt.gov.by/{lang}/news?page={n + 1}"
                            if n < len(paths) - 1 else None), path


def text_outside_links(view: lxml_html.HtmlElement) -> str:
    parts = []
    for el in view.iter():
        if not isinstance(el.tag, str):
            continue
        in_link = any(x.tag == "a" for x in el.iterancestors())
        if el.text and not (in_link or el.tag == "a"):
            parts.append(el.text)
        if el.tail and not in_link:
            parts.append(el.tail)
    return "".join(parts)


def test_the_cards_are_really_wrapped_in_their_links_and_vary() -> None:
    # Not hollow: on every page each article link holds its card's one heading, nothing is
    # written outside the links (no date, no title), and every template and layout is drawn.
    site = card_site()
    drawn = set()
    for lang in ("ru", "be", "en"):
        for n, path in enumerate(listing_paths(site, lang)):
            drawn.add(style(site, lang, n)[:2])
            view = lxml_html.fromstring(route(site, path)[2]).find_class("view-content")[0]
            links = list(view.iter("a"))
            assert links and all(len(a.findall(".//h3")) == 1 for a in links), path
            assert text_outside_links(view).strip() == "", path
    assert drawn == {(t, lay) for t in TEMPLATES for lay in LAYOUTS}


def test_card_rows_change_the_news_listings_only() -> None:
    plain, cards = build_site(40, 2), build_site(40, 2)
    cards.cards = True
    assert plain.cards is False
    assert route(plain, "/ru/news")[2] != route(cards, "/ru/news")[2]
    assert 'class="news-item views-row"' in route(plain, "/ru/news")[2]
    # every other page is the same with card rows as without
    for path in ["/", "/rss.xml", plain.articles[0].path, plain.articles[-1].path,
                 "/ru/kontakty", "/robots.txt"]:
        assert route(plain, path) == route(cards, path), path
