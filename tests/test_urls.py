from __future__ import annotations

import pytest

from mptcrawler.urls import (
    PageKind,
    SitePath,
    as_written,
    canonical_from_fetched,
    canonical_url,
    classify,
    fetch_url,
    host_of,
    language_of,
    site_path,
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


# --- each rule's both sides and boundaries (expected values written by hand) -------------------

@pytest.mark.parametrize(("path", "expected"), [
    # node ids of any length, in every language and without one
    ("/ru/news/05-03-2014-7", SitePath(PageKind.NEWS_ARTICLE, "ru", 7, "2014-03-05")),
    ("/be/news/31-12-2023-12345", SitePath(PageKind.NEWS_ARTICLE, "be", 12345, "2023-12-31")),
    ("/en/news/01-01-2020-100", SitePath(PageKind.NEWS_ARTICLE, "en", 100, "2020-01-01")),
    ("/ru/node/7", SitePath(PageKind.NODE, "ru", 7)),
    ("/en/node/123456", SitePath(PageKind.NODE, "en", 123456)),
    ("/node/12", SitePath(PageKind.NODE, "ru", 12)),
    ("/be/node/10062/printable/print", SitePath(PageKind.PRINT, "be")),
    ("/en/print/5", SitePath(PageKind.PRINT, "en")),
    ("/print/17850", SitePath(PageKind.PRINT, "ru")),
    ("/ru/news/", SitePath(PageKind.NEWS_LISTING, "ru")),
    ("/be/news", SitePath(PageKind.NEWS_LISTING, "be")),
    ("", SitePath(PageKind.FRONT_LISTING, "ru")),
    ("/ru/rss", SitePath(PageKind.FEED, "ru")),
    ("/en/rss", SitePath(PageKind.FEED, "en")),
    ("/be/rss.xml", SitePath(PageKind.FEED, "be")),
    ("/misc/drupal.js", SitePath(PageKind.FILE)),
    ("/files/a.pdf", SitePath(PageKind.FILE)),
    ("/en/some-slug", SitePath(PageKind.SLUG, "en")),
    ("/sites", SitePath(PageKind.SLUG, "ru")),  # the directory alone is no file
    # the refused side: not what the pattern asks for
    ("/ru/news/1-11-2022-8143", SitePath(PageKind.OTHER)),  # one-digit day
    ("/ru/news/01-11-22-8143", SitePath(PageKind.OTHER)),  # two-digit year
    ("/ru/news/01-11-2022-", SitePath(PageKind.OTHER)),
    ("/de/node/1", SitePath(PageKind.OTHER)),
    ("/ru/node/abc", SitePath(PageKind.OTHER)),
    ("/ru/node/12/edit", SitePath(PageKind.OTHER)),
    ("/ru/a/b", SitePath(PageKind.OTHER)),
    ("/be", SitePath(PageKind.OTHER)),
    ("/ru/en", SitePath(PageKind.OTHER, "ru")),
    ("/ru/search", SitePath(PageKind.OTHER, "ru")),
    ("/ru/taxonomy", SitePath(PageKind.OTHER, "ru")),
    ("/contact", SitePath(PageKind.OTHER)),
    ("/ru/news.xml", SitePath(PageKind.OTHER, "ru")),
    ("/robots.txt", SitePath(PageKind.OTHER)),
])
def test_classify_every_field(path: str, expected: SitePath) -> None:
    assert classify("https://mpt.gov.by" + path) == expected
    assert classify("https://mpt.gov.by" + path + "?page=2") == expected  # the query is no path


@pytest.mark.parametrize(("href", "expected"), [
    ("https://mpt.gov.by", "https://mpt.gov.by/"),
    ("https://mpt.gov.by//", "https://mpt.gov.by/"),
    ("https://mpt.gov.by/ru/news/", "https://mpt.gov.by/ru/news"),
    ("https://mpt.gov.by/ru/news//", "https://mpt.gov.by/ru/news"),
    ("https://mpt.gov.by/ru/a b", "https://mpt.gov.by/ru/a%20b"),
    ("https://mpt.gov.by/ru/%d0%bd", "https://mpt.gov.by/ru/%D0%BD"),
    # the characters a path may hold as they are (RFC 3986 pchar) stay unencoded
    ("https://mpt.gov.by/ru/a-b_c.d~e!$&'()*+,;=:@", "https://mpt.gov.by/ru/a-b_c.d~e!$&'()*+,;=:@"),
    ("  https://mpt.gov.by/ru/x  ", "https://mpt.gov.by/ru/x"),
    ("https://mpt.gov.by/ru/FAX/", "https://mpt.gov.by/ru/FAX"),  # only slashes go at the end
    ("https://mpt.gov.by/ru/x?page=2#top", "https://mpt.gov.by/ru/x?page=2"),
])
def test_canonical_path_form(href: str, expected: str) -> None:
    assert canonical_url(href) == expected


def test_a_relative_link_without_a_base_is_not_the_site() -> None:
    assert canonical_url("/ru/news") is None
    assert canonical_url(" /ru/news ", "https://mpt.gov.by/x") == "https://mpt.gov.by/ru/news"


def test_host_of() -> None:
    assert host_of(" HTTPS://WWW.MPT.GOV.BY/ru ") == "www.mpt.gov.by"
    assert host_of("https://%D0%B1%D0%B5%D0%BB.by/x") == "бел.by"
    assert host_of("/ru/news") == ""
    assert host_of("mailto:a@b.by") == ""


def test_as_written_undoes_only_the_host_encoding() -> None:
    assert as_written(" https://%D0%B1%D0%B5%D0%BB.by/a%20b ") == "https://бел.by/a%20b"
    assert as_written(" https://belta.by/a%20b?q=%D0%B1 ") == "https://belta.by/a%20b?q=%D0%B1"
    assert as_written("https://%D0%B1.by:8080/x?y=1#z") == "https://б.by:8080/x?y=1#z"


@pytest.mark.parametrize(("canonical", "base", "expected"), [
    ("https://mpt.gov.by/ru/node/1", "http://127.0.0.1:8800", "http://127.0.0.1:8800/ru/node/1"),
    ("https://mpt.gov.by/ru/node/1", "http://127.0.0.1:8800/", "http://127.0.0.1:8800/ru/node/1"),
    ("https://mpt.gov.by/", "https://mpt.gov.by", "https://mpt.gov.by/"),
    ("https://mpt.gov.by/?page=3", "http://h:1//", "http://h:1/?page=3"),
    ("https://mpt.gov.by/ru/x", "http://BOX/", "http://BOX/ru/x"),
])
def test_fetch_url(canonical: str, base: str, expected: str) -> None:
    assert fetch_url(canonical, base) == expected


def test_site_path() -> None:
    assert site_path("https://mpt.gov.by/ru/news?page=2") == "/ru/news?page=2"
    assert site_path("https://mpt.gov.by/ru/news") == "/ru/news"
    assert site_path("https://mpt.gov.by/ru/news?") == "/ru/news"


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("http://127.0.0.1:8800/ru/news", "http://127.0.0.1:8800/", "https://mpt.gov.by/ru/news"),
    ("http://127.0.0.1:8800?page=2", "http://127.0.0.1:8800/", "https://mpt.gov.by/?page=2"),
    ("http://127.0.0.1:8800", "http://127.0.0.1:8800", "https://mpt.gov.by/"),
    ("http://BOX/ru/x", "http://BOX/", "https://mpt.gov.by/ru/x"),
    # another port is another server, not the base
    ("http://127.0.0.1:88001/ru/news", "http://127.0.0.1:8800", None),
    # a page fetched from the site itself (a redirect off the replica) keeps its own URL
    ("https://www.mpt.gov.by/ru/news/", "http://127.0.0.1:8800", "https://mpt.gov.by/ru/news"),
    ("https://belta.by/ru/news", "http://127.0.0.1:8800", None),
])
def test_canonical_from_fetched(url: str, base: str, expected: str | None) -> None:
    assert canonical_from_fetched(url, base) == expected


@pytest.mark.parametrize(("path", "lang"), [
    ("/be/node/7670", "be"), ("/en", "en"), ("/ru/", "ru"), ("/de/node/1", "ru"), ("", "ru"),
    ("/node/be", "ru"), ("/benefits", "ru"),
])
def test_language_of(path: str, lang: str) -> None:
    assert language_of("https://mpt.gov.by" + path) == lang
