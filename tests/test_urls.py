from __future__ import annotations

import pytest

from mptcrawler.urls import (
    PageKind,
    canonical_from_fetched,
    canonical_url,
    classify,
    fetch_url,
    language_of,
)

ARTICLE = "/ru/news/01-11-2022-8143"


@pytest.mark.parametrize("href", [
    "http://mpt.gov.by" + ARTICLE,
    "https://www.mpt.gov.by" + ARTICLE,
    "http://www.mpt.gov.by" + ARTICLE + "#comments",
    "https://минсвязи.бел" + ARTICLE,
    "http://www.минсвязи.бел" + ARTICLE,
    "https://xn--b1akbcqh2a7i.xn--90ais" + ARTICLE,
    "https://%D0%BC%D0%B8%D0%BD%D1%81%D0%B2%D1%8F%D0%B7%D0%B8.%D0%B1%D0%B5%D0%BB" + ARTICLE,
    "HTTPS://MPT.GOV.BY" + ARTICLE,
    ARTICLE,
    "../news/01-11-2022-8143",
])
def test_every_host_variant_has_one_canonical_form(href: str) -> None:
    assert canonical_url(href, "https://mpt.gov.by/ru/news/x") == "https://mpt.gov.by" + ARTICLE


@pytest.mark.parametrize("href", [
    "https://www.belta.by/society/view/1/", "mailto:mpt@mpt.gov.by", "javascript:void(0)",
    "https://mpt.gov.by.evil.example/ru/news", "ftp://mpt.gov.by/x", "https://evilmpt.gov.by/",
])
def test_other_hosts_and_schemes_are_not_the_site(href: str) -> None:
    assert canonical_url(href, "https://mpt.gov.by/") is None


def test_query_is_kept_for_listings() -> None:
    assert canonical_url("/ru/news?page=3", "https://mpt.gov.by/") == \
        "https://mpt.gov.by/ru/news?page=3"


def test_cyrillic_paths_have_one_encoding() -> None:
    a = canonical_url("https://mpt.gov.by/ru/новости")
    b = canonical_url("https://mpt.gov.by/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8")
    assert a == b == "https://mpt.gov.by/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"


def test_fetch_from_the_base_url_and_back() -> None:
    base = "http://127.0.0.1:8800"
    fetched = fetch_url("https://mpt.gov.by/ru/news?page=2", base)
    assert fetched == "http://127.0.0.1:8800/ru/news?page=2"
    assert canonical_from_fetched(fetched, base) == "https://mpt.gov.by/ru/news?page=2"
    assert canonical_from_fetched(base, base) == "https://mpt.gov.by/"


@pytest.mark.parametrize(("path", "kind", "lang", "nid"), [
    ("/ru/news/01-11-2022-8143", PageKind.NEWS_ARTICLE, "ru", 8143),
    ("/ru/node/9339", PageKind.NODE, "ru", 9339),
    ("/node/1400", PageKind.NODE, "ru", 1400),
    ("/ru/node/9339/printable/print", PageKind.PRINT, "ru", None),
    ("/ru/print/1785", PageKind.PRINT, "ru", None),
    ("/print/1785", PageKind.PRINT, "ru", None),
    ("/ru/news", PageKind.NEWS_LISTING, "ru", None),
    ("/", PageKind.FRONT_LISTING, "ru", None),
    ("/rss.xml", PageKind.FEED, "ru", None),
    ("/ru/glava-minsvyazi-pozdravlyaet-so-vsemirnym-dnem-pochty", PageKind.SLUG, "ru", None),
    ("/segodnya-26-aprelya-v-minsvyazi", PageKind.SLUG, "ru", None),
    ("/be/some-slug-0", PageKind.SLUG, "be", None),
    ("/sites/default/files/doc.pdf", PageKind.FILE, None, None),
    ("/user/login", PageKind.OTHER, None, None),
    ("/ru", PageKind.OTHER, None, None),
])
def test_classify(path: str, kind: PageKind, lang: str | None, nid: int | None) -> None:
    result = classify("https://mpt.gov.by" + path)
    assert (result.kind, result.node_id) == (kind, nid)
    if lang is not None:
        assert result.lang == lang


def test_url_date_of_era_b() -> None:
    assert classify("https://mpt.gov.by/ru/news/01-11-2022-8143").url_date == "2022-11-01"


def test_language_comes_from_the_prefix_only() -> None:
    assert language_of("https://mpt.gov.by/be/node/7670") == "be"
    assert language_of("https://mpt.gov.by/segodnya-26-aprelya") == "ru"
