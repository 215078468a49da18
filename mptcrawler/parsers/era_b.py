"""Era B (2017–2022): Drupal 7, URL ``/{lang}/news/DD-MM-YYYY-NID``, e.g.
https://mpt.gov.by/ru/news/01-11-2022-8143

The date field holds ``DD.MM.YYYY`` only; the same date is in the URL (the pipelines compare
them). Attachments are ``span.file a`` with the type label after the link text (``… PDF``).
"""

from __future__ import annotations

from parsel import Selector

from ..urls import PageKind, classify, language_of
from .common import (
    ArticlePage,
    attachment,
    canonical_page_url,
    drop_widgets,
    drupal7_node_id,
    images,
    inner_html,
    require,
    visible_text,
)


def parse(page: Selector, url: str) -> ArticlePage:
    canonical = canonical_page_url(page, url)
    node = page.css("div.node-news")[:1]
    body = node.css("div.field-name-body .field-item")
    drop_widgets(body)
    path = classify(canonical)
    node_id = drupal7_node_id(page)
    if node_id is None and path.kind is PageKind.NEWS_ARTICLE:
        node_id = path.node_id
    files = (attachment(a, canonical) for a in node.css("div.field-name-field-files span.file a"))
    return ArticlePage(
        url=canonical,
        node_id=node_id,
        lang=language_of(canonical),
        era="B",
        title=require(visible_text(page.css("h1.title")), "title (h1.title)", url),
        published_raw=require(
            visible_text(node.css("div.field-name-field-date .field-item")), "date", url
        ),
        body_html=require(inner_html(body), "body (div.field-name-body)", url),
        images=images(body, canonical),
        attachments=[f for f in files if f],
        url_date=path.url_date,
    )
