"""A menu page (/ru/kontakty) has the URL shape of an era-C article but is not news."""

from __future__ import annotations

import pytest

from mptcrawler.parsers import NotAnArticle, detect_era, parse_article

from .conftest import fixture_page

STEM = "static_page"


def test_is_not_an_article() -> None:
    page = fixture_page(STEM)
    assert detect_era(page) is None
    with pytest.raises(NotAnArticle, match="kontakty"):
        parse_article(page, "https://mpt.gov.by/ru/kontakty")
