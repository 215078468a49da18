"""A redesign: when an era's selectors find nothing, the fallback still yields a valid item,
marked as such, with the chrome kept out (trafilatura-style must-stay / must-go)."""

from __future__ import annotations

import pytest

from mptcrawler.items import article_from_page, exported
from mptcrawler.parsers import NotAnArticle, parse_article, parse_html
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
