"""Translations (issue 15): an article is a node in one language. The replica's translations in
both Drupal styles, the evidence read from the page alone (hreflang alternates, the Drupal 7
switcher), language-fallback pages, and the story counts of the report.

Expected values come from the replica's model (``ReplicaArticle.truth()``, its translation
sets), never from the parsers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import parse_article, parse_html
from mptcrawler.pipelines import OfflinePipelines
from mptcrawler.replica import build_site
from mptcrawler.replica.server import route
from mptcrawler.report import language_sets

from .conftest import FROZEN_NOW

ARTICLES = 80


def parsed(site: Any, path: str) -> Any:
    status, _, body = route(site, path)
    assert status == 200, path
    return parse_article(parse_html(body), "https://mpt.gov.by" + path)


def test_the_replica_has_both_styles_single_language_news_and_fallback_pages() -> None:
    site = build_site(300, 1, translations=True)
    sets = [members for members in site.sets.values()]
    sizes = Counter(len(m) for m in sets)
    assert sizes[1] and sizes[2] and sizes[3]  # news in one, two and three languages
    # Drupal 8+: one node id, an alias per language.
    era_c = [m for m in sets if len(m) > 1 and m[0].era == "C"]
    assert era_c and all(len({a.node_id for a in m}) == 1 for m in era_c)
    assert any(len({a.path.split("/")[2] for a in m}) == len(m) and "/node/" not in m[0].path
               for m in era_c)
    # Drupal 7: a node id per language, the set known by its source (the smallest id).
    era_b = [m for m in sets if len(m) > 1 and m[0].era == "B"]
    assert era_b and all(len({a.node_id for a in m}) == len(m) for m in era_b)
    assert all(m[0].translation_key == f"node/{min(a.node_id for a in m)}" for m in era_b)
    # Fallback pages of both eras, each listed in its section and no article.
    assert {f.era for f in site.fallbacks} == {"B", "C"}
    assert all(f.lang not in {m.lang for m in site.members(f)} for f in site.fallbacks)
    assert all(f in site.listed(f.lang) for f in site.fallbacks)
    assert not {f.path for f in site.fallbacks} & {a.path for a in site.articles}
    # The default replica's quirk (English text at /be/node/N) is an English node here.
    assert any(f.lang == "be" and f.shows is not None and f.shows.lang == "en"
               and f.shows.text_lang == "en" and f.era == "C" for f in site.fallbacks)


def test_the_default_replica_has_no_translations_and_its_truth_is_kept() -> None:
    plain = build_site(300, 1)
    assert not plain.translations and not plain.fallbacks
    for article in plain.articles:
        truth = article.truth()
        assert truth["translations"] == []
        assert truth["translation_key"] == f"node/{article.node_id}"
    # the quirk stays a Belarusian article: its page shows no evidence of a fallback
    quirk = next(a for a in plain.articles if a.lang == "be" and a.text_lang == "en")
    page = parsed(plain, quirk.path)
    assert (page.lang, page.language_fallback, page.translations) == ("be", False, [])


def test_translations_mode_keeps_the_originals_as_they_were() -> None:
    original = build_site(120, 2).articles
    plain = {a.url: a.truth() for a in original}
    translated = {a.url: a.truth() for a in build_site(120, 2, translations=True).articles}
    kept = [url for url in plain if url in translated]
    # Only the quirks' addresses change: English nodes, at /en/ with a /be/node/N fallback.
    quirks = {a.url for a in original if a.text_lang not in ("", a.lang)}
    assert quirks and set(plain) - set(kept) == quirks
    fields = ("node_id", "title", "text", "published", "sources", "images", "attachments")
    assert all({k: plain[u][k] for k in fields} == {k: translated[u][k] for k in fields}
               for u in kept)


def check_site(site: Any) -> Counter[str]:
    evidence: Counter[str] = Counter()
    for article in site.articles:
        page = parsed(site, article.path)
        item = exported(OfflinePipelines().process(article_from_page(page, FROZEN_NOW)))
        truth = article.truth()
        assert {k: item[k] for k in truth} == truth, article.path
        assert not page.language_fallback, article.path
        evidence[page.evidence.get("translations", "none")] += 1
    for fallback in site.fallbacks:
        page = parsed(site, fallback.path)
        assert page.language_fallback, fallback.path
        # what it names to fetch instead holds the article it shows
        named = {page.url, *(t["url"] for t in page.translations)}
        assert fallback.shows.url in named, fallback.path
    return evidence


@pytest.mark.parametrize("variants", [None, 1])
def test_every_page_gives_its_translations_and_every_fallback_is_told(
        variants: int | None) -> None:
    evidence = check_site(build_site(ARTICLES * 3, 5, translations=True, variants=variants))
    # Not hollow: both kinds of evidence were read.
    assert evidence["hreflang"] and evidence["language-switcher"], evidence


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants=st.integers(min_value=0, max_value=2**32))
def test_any_rendering_of_translations_gives_the_ground_truth(variants: int) -> None:
    check_site(build_site(ARTICLES, 3, translations=True, variants=variants))


HEAD = ('<html lang="{lang}"><head><link rel="canonical" href="{canonical}" />{extra}</head>'
        '<body><main><h1>Заголовок</h1><article data-history-node-id="9339" '
        'class="node node--type-news"><div class="field field--name-field-date">'
        '<time datetime="2024-04-15T09:00:00Z">15.04.2024</time></div>'
        '<div class="field field--name-body"><p>Текст.</p></div></article></main>'
        "</body></html>")


def page_at(path: str, canonical: str, extra: str = "") -> Any:
    lang = path.split("/")[1]
    body = HEAD.format(lang=lang, canonical=canonical, extra=extra)
    return parse_article(parse_html(body), "https://mpt.gov.by" + path)


ALTERNATES = ('<link rel="alternate" hreflang="ru" href="https://mpt.gov.by/ru/glava" />'
              '<link rel="alternate" hreflang="en" href="https://mpt.gov.by/en/head" />'
              '<link rel="alternate" hreflang="x-default" href="https://mpt.gov.by/ru/glava" />')


def test_hreflang_alternates_are_the_translations_and_one_node_is_one_key() -> None:
    page = page_at("/ru/glava", "https://mpt.gov.by/ru/glava", ALTERNATES)
    assert page.translations == [{"lang": "en", "url": "https://mpt.gov.by/en/head"}]
    assert (page.translation_key, page.language_fallback) == ("node/9339", False)
    assert page.evidence["translations"] == "hreflang"


def test_a_section_missing_from_the_alternates_is_a_fallback() -> None:
    # Drupal 8+ /be/node/9339 of a node without a be translation: the canonical link is in
    # the language shown, the alternates name ru and en only.
    page = page_at("/be/node/9339", "https://mpt.gov.by/ru/glava", ALTERNATES)
    assert page.language_fallback and page.url == "https://mpt.gov.by/ru/glava"
    # the alternates alone tell it too (a canonical that names the page itself)
    assert page_at("/be/node/9339", "/be/node/9339", ALTERNATES).language_fallback


SWITCHER = ('<ul class="language-switcher-locale-url"><li class="ru first active">'
            '<a href="/ru/news/05-01-2017-1790" class="language-link active" xml:lang="ru">'
            'Русский</a></li><li class="be"><span class="language-link locale-untranslated" '
            'xml:lang="be">Беларуская</span></li><li class="en last">'
            '<a href="/en/news/06-01-2017-1791" class="language-link">English</a></li></ul>')
D7 = ('<html><head><link rel="canonical" href="{path}" /></head><body class="page-node-{nid}">'
      '<div id="header">' + SWITCHER + '</div><div id="content"><h1 class="title">Заголовок'
      '</h1><div id="node-{nid}" class="node node-news"><div class="field field-name-field-date">'
      '<div class="field-items"><div class="field-item even">05.01.2017</div></div></div>'
      '<div class="field field-name-body"><div class="field-items"><div class="field-item even">'
      "<p>Текст.</p></div></div></div></div></div></body></html>")


def d7_page(path: str, nid: int) -> Any:
    return parse_article(parse_html(D7.format(path=path, nid=nid)), "https://mpt.gov.by" + path)


def test_the_drupal_7_switcher_links_a_translation_set_known_by_its_source() -> None:
    en = d7_page("/en/news/06-01-2017-1791", 1791)
    assert en.translations == [{"lang": "ru", "url": "https://mpt.gov.by/ru/news/05-01-2017-1790"}]
    assert (en.translation_key, en.language_fallback) == ("node/1790", False)
    assert en.evidence["translations"] == "language-switcher"
    # /be/node/1790: the switcher marks be untranslated, so the page shows another language
    assert d7_page("/be/node/1790", 1790).language_fallback


def test_drupal_8_language_block_alone_is_no_evidence_of_translations() -> None:
    # LanguageBlock links every language, translated or not.
    block = ('<ul class="links">' + "".join(
        f'<li hreflang="{c}" data-drupal-link-system-path="node/9339"><a href="/{c}/node/9339" '
        f'class="language-link" hreflang="{c}" data-drupal-link-system-path="node/9339">{c}</a>'
        "</li>" for c in ("ru", "be", "en")) + "</ul>")
    body = HEAD.format(lang="be", canonical="/be/node/9339", extra="").replace(
        "<main>", f"<header>{block}</header><main>")
    page = parse_article(parse_html(body), "https://mpt.gov.by/be/node/9339")
    assert (page.translations, page.language_fallback) == ([], False)


def test_the_report_counts_stories_by_their_languages() -> None:
    items = [{"url": "a", "lang": "ru", "translation_key": "node/1",
              "translations": [{"lang": "be", "url": "b"}, {"lang": "en", "url": "c"}]},
             {"url": "b", "lang": "be", "translation_key": "node/1", "translations": []},
             {"url": "d", "lang": "ru", "translation_key": "node/4",
              "translations": [{"lang": "en", "url": "e"}]},  # en not crawled: still two
             {"url": "f", "lang": "en", "translation_key": "node/6", "translations": []},
             {"url": "g", "lang": "ru"}]  # an item from before the field
    assert language_sets(items) == Counter({1: 2, 2: 1, 3: 1})
