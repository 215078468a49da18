"""Era B (2017–2022): Drupal 7, URL ``/{lang}/news/DD-MM-YYYY-NID``, e.g.
https://mpt.gov.by/ru/news/01-11-2022-8143

The URL carries the node id and a date: the date field holds ``DD.MM.YYYY`` only, and the
pipelines compare it with the URL's date (the field wins; a disagreement is logged).
Attachments are ``span.file a`` with the type label after the link text (``… PDF``).
"""

from __future__ import annotations

from ..urls import classify
from .common import ArticlePage, read_article
from .drupal import NodePage


def parse(node: NodePage, url: str) -> ArticlePage:
    return read_article(node, url, "B", url_date=classify(url).url_date)
