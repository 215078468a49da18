"""Era A (to 2016): the older Drupal 7 theme, URL ``/<slug>`` with no language prefix.

Example: https://mpt.gov.by/segodnya-26-aprelya-v-minsvyazi-prokhodit-belorussko-koreyskiy-forum-v-oblasti-elektronnogo
The date is written in Russian words with a time (``Вторник, 26 апреля 2016 - 10:15``); the
sidebar of latest news carries the same ``span.date-display-single`` markup, so the date is read
inside the node only.
"""

from __future__ import annotations

from parsel import Selector

from ..urls import language_of
from .common import (
    ArticlePage,
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
    return ArticlePage(
        url=canonical,
        node_id=drupal7_node_id(page),
        lang=language_of(canonical),
        era="A",
        title=require(visible_text(page.css("h1.title")), "title (h1.title)", url),
        published_raw=require(
            visible_text(node.css("div.submitted span.date-display-single")), "date", url
        ),
        body_html=require(inner_html(body), "body (div.field-name-body)", url),
        images=images(body, canonical),
    )
