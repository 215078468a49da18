"""A menu page (/ru/kontakty) has the URL shape of an era-C article but is not news."""

from __future__ import annotations

import pytest

from mptcrawler.parsers import NotAnArticle, parse_article

from .conftest import fixture_page

STEM = "static_page"


def test_is_not_an_article() -> None:
    # A Drupal node page like any article (node--type-page, a body field), but it shows no
    # date of any kind: no news.
    page = fixture_page(STEM)
    with pytest.raises(NotAnArticle, match="kontakty"):
        parse_article(page, "https://mpt.gov.by/ru/kontakty")
