"""Era C (2023–): newer Drupal, URL ``/{lang}/<slug>`` (``-0``, ``-1`` for repeated titles), e.g.
https://mpt.gov.by/ru/glava-minsvyazi-pozdravlyaet-so-vsemirnym-dnem-pochty

The date field is ``time[datetime]`` in UTC with the visible text ``DD.MM.YYYY``. The visible
text is the publication date: the attribute is a UTC instant whose calendar day can differ from
Minsk's (00:30 in Minsk is 21:30 UTC the day before); it is kept for a cross-check.
"""

from __future__ import annotations

from parsel import Selector

from ..urls import language_of
from .common import (
    ArticlePage,
    attachment,
    attribute,
    canonical_page_url,
    drop_widgets,
    images,
    inner_html,
    require,
    visible_text,
)


def parse(page: Selector, url: str) -> ArticlePage:
    canonical = canonical_page_url(page, url)
    node = page.css("article.node--type-news")[:1]
    nid = attribute(node, "data-history-node-id") or ""
    date = node.css("div.field--name-field-date time")
    body = node.css("div.field--name-body")
    drop_widgets(body)
    files = (attachment(item.css("a")[0], canonical, visible_text(item.css(".file__size")))
             for item in node.css("div.field--name-field-files .field__item") if item.css("a"))
    return ArticlePage(
        url=canonical,
        node_id=int(nid) if nid.isdigit() else None,
        lang=language_of(canonical),
        era="C",
        title=require(visible_text(page.css("h1.page-title")), "title (h1.page-title)", url),
        published_raw=require(visible_text(date), "date (field--name-field-date)", url),
        body_html=require(inner_html(body), "body (field--name-body)", url),
        images=images(node.css("div.field--name-field-image, div.field--name-body"), canonical),
        attachments=[f for f in files if f],
        structured_date=attribute(date, "datetime"),
    )
