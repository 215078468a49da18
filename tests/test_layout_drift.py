"""A redesign: when an era's selectors find nothing, the fallback still yields a valid item,
marked as such, with the chrome kept out (trafilatura-style must-stay / must-go)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import (
    ArticlePage,
    NotAnArticle,
    ParseError,
    fallback,
    parse_article,
    parse_html,
)
from mptcrawler.parsers.drupal import NodePage
from mptcrawler.pipelines import process_offline, validation_errors

from .article_checks import CHROME, without_body_evidence
from .conftest import FROZEN_NOW, fixture_text, snapshot

# What a redesign does to each era besides removing every evidence of the body field: other
# classes of the node, date and title go too.
BREAKS = {
    "era_a_article": [("date-display-single", "date")],
    "era_b_article": [("field-name-field-date", "field-when")],
    "era_c_article": [("node--type-news", "node--type-story")],
    "era_c_node_path_article": [("page-title", "heading")],
}


@pytest.mark.parametrize("stem", sorted(BREAKS))
def test_fallback_item_is_valid_marked_and_clean(stem: str) -> None:
    html = without_body_evidence(fixture_text(f"{stem}.html"))
    for old, new in BREAKS[stem]:
        html = html.replace(old, new)
    expected = snapshot(stem)["item"]
    url = expected["url"]
    page = parse_article(parse_html(html), url, listed_date=expected["published_raw"])
    item = exported(process_offline(article_from_page(page, FROZEN_NOW)))
    assert validation_errors(item) == []
    assert (item["extraction"], item["era"]) == ("fallback", None)
    assert (item["url"], item["node_id"], item["title"]) == (url, expected["node_id"],
                                                             expected["title"])
    assert item["published"][:10] == expected["published"][:10]
    first_sentence = expected["text"].split(". ")[0]
    assert first_sentence in item["text"]
    for chrome in CHROME:
        assert chrome not in item["text"], chrome


def test_without_news_markup_or_any_date_it_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle):
        parse_article(parse_html(fixture_text("static_page.html")),
                      "https://mpt.gov.by/ru/kontakty")


# A redesigned page written by hand: no Drupal node or body field, a listing's date only. What
# a reader must get from it is typed out below.
_LONG = ("Министерство связи и информатизации провело заседание коллегии, на котором были "
         "рассмотрены итоги работы отрасли за год.")
_REDESIGN = f"""<html><head><title>Коллегия Минсвязи | Министерство связи</title></head><body>
<header><nav><a href="/ru">Главная</a></nav></header>
<main><article class="story">
<h1>Коллегия Минсвязи подвела итоги года</h1>
<div class="story-text">
<p>{_LONG}</p>
<h1>Основные направления</h1>
<p>Второй абзац: <a href="/ru/node/12">постановление № 5</a> принято, подробности на сайте.</p>
<table><tr><td>Показатель работы отрасли</td><td>12,5 %</td></tr></table>
<p><img src="/sites/default/files/a.jpg" alt=" Министр "></p>
<p>{_LONG}</p>
</div></article></main></body></html>"""
_REDESIGN_BODY = (
    f"<p>{_LONG}</p>"
    "<h1>Основные направления</h1>"
    '<p>Второй абзац: <a href="/ru/node/12">постановление № 5</a> принято, подробности на '
    "сайте.</p>"
    "<table><tr><td>Показатель работы отрасли</td><td>12,5 %</td></tr></table>"
    f"<p>{_LONG}</p>")
_NODE_URL = "https://mpt.gov.by/ru/node/77"


def _fallback(html: str, listed_date: str | None = "30.10.2019",
              error: ParseError | None = None) -> ArticlePage:
    return fallback.parse(NodePage(parse_html(html), listed_date), _NODE_URL, error)


def _between_tags(html: str) -> str:
    # trafilatura indents its output; the white space between tags is not the article's
    return re.sub(r">\s+<", "><", html).strip()


def test_the_fallback_reads_a_redesigned_page_whole() -> None:
    page = _fallback(_REDESIGN)
    assert _between_tags(page.body_html) == _REDESIGN_BODY
    assert dataclasses.replace(page, body_html="") == ArticlePage(
        url=_NODE_URL, node_id=77, lang="ru", era="fallback",
        title="Коллегия Минсвязи подвела итоги года", published_raw="30.10.2019", body_html="",
        images=[{"url": "https://mpt.gov.by/sites/default/files/a.jpg", "alt": "Министр",
                 "caption": None}],
        extraction="fallback",
        evidence={"title": "h1", "published": "listing", "body": "trafilatura",
                  "node_id": "url"})


def test_the_fallback_body_does_not_depend_on_pages_read_before() -> None:
    # trafilatura's deduplication remembers long paragraphs across calls in the process and
    # drops one seen too often: a crawl reads many pages with the same stock sentences
    bodies = {_between_tags(_fallback(_REDESIGN).body_html) for _ in range(4)}
    assert bodies == {_REDESIGN_BODY}


def test_the_fallback_keeps_the_structured_date_and_the_node_conflicts() -> None:
    html = _REDESIGN.replace(
        "<article ", '<article data-history-node-id="78" ').replace(
        "<h1>Коллегия", '<time datetime="2019-10-30T09:00:00Z"></time><h1>Коллегия', 1)
    page = _fallback(html, listed_date=None)
    assert (page.node_id, page.published_raw, page.structured_date, page.conflicts) == (
        78, "2019-10-30T09:00:00Z", "2019-10-30T09:00:00Z",
        ["node_id: data-history-node-id says 78, url says 77"])


def test_without_a_title_the_fallback_raises_the_era_parsers_error_or_its_own() -> None:
    html = f"<html><head></head><body><main><p>{_LONG}</p></main></body></html>"
    error = ParseError("no body field")
    with pytest.raises(ParseError) as raised:
        _fallback(html, error=error)
    assert raised.value is error
    with pytest.raises(ParseError, match=r"^fallback: no title on https://mpt\.gov\.by/ru/node/77$"):
        _fallback(html)


def test_without_any_date_the_page_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle) as raised:
        _fallback(_REDESIGN, listed_date=None)
    assert str(raised.value) == (
        f"no date of any kind (page, metadata or listing) on {_NODE_URL}")


def test_a_page_with_nothing_to_extract_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as raised:
        _fallback("<html><head><title>Коллегия</title></head><body></body></html>")
    assert str(raised.value) == f"fallback: no main content on {_NODE_URL}"


@pytest.mark.parametrize("main", ["<h1>Коллегия</h1>", "<h1>Коллегия</h1><p> </p>"])
def test_a_page_whose_only_content_is_its_title_is_a_parse_error(main: str) -> None:
    # Before: an item with body_html "" or "<p></p>…", refused later by validation as an
    # invalid item instead of named here for what it is.
    with pytest.raises(ParseError) as raised:
        _fallback(f"<html><head><title>Коллегия</title></head><body><main>{main}</main></body>"
                  "</html>")
    assert str(raised.value) == f"fallback: no main content on {_NODE_URL}"
