"""Fallback for layout drift: when a page has no Drupal body field (a redesign), read the body
with a generic main-content extractor (trafilatura) and everything else from the same Drupal
evidence as always (shortlink, RDF, ``time``, metatag: drupal.py), then the listing's date.

The item is marked ``extraction: "fallback"`` and counted in the crawl stats, so a redesign shows
up as a rising count instead of silently empty items. Exactness is not promised for the body:
it is what a generic extractor sees.
"""

from __future__ import annotations

import lxml.html

from ..text import normalise_inline
from ..urls import classify, language_of
from .common import ArticlePage, NotAnArticle, ParseError, images, selection
from .drupal import NodePage


def parse(node: NodePage, url: str, error: ParseError | None = None) -> ArticlePage:
    """``url`` is the page's canonical URL; ``error`` why the Drupal reading failed."""
    import trafilatura  # imported on first use: most runs never need it

    title = node.title()
    if not title:
        raise error or ParseError(f"fallback: no title on {url}")
    visible, structured = node.date()  # the listing's date last (NodePage.listed_date)
    published = visible or structured
    if not published:
        raise NotAnArticle(f"no date of any kind (page, metadata or listing) on {url}")
    body = trafilatura.extract(node.page.get(), output_format="html", include_tables=True,
                               include_images=False, include_links=True, favor_precision=True,
                               deduplicate=False)
    if not body:
        raise ParseError(f"fallback: no main content on {url}")
    node.evidence.use("body", "trafilatura")
    root = lxml.html.fromstring(body)
    container = root.find("body") if root.find("body") is not None else root
    for heading in container.findall("h1"):
        if normalise_inline(heading.text_content()) == title:
            heading.drop_tree()  # trafilatura repeats the title as the body's first heading
    if not container.text_content().strip():
        # trafilatura can find nothing but the title heading (a redesigned page whose body it
        # does not see): that is no main content, not an article with an empty body.
        raise ParseError(f"fallback: no main content on {url}")
    body_html = "".join(lxml.html.tostring(child, encoding="unicode") for child in container)
    scope = node.scope
    return ArticlePage(
        url=url,
        node_id=node.node_id(classify(url).node_id),
        lang=language_of(url),
        era="fallback",
        title=title,
        published_raw=published,
        body_html=body_html,
        images=images(selection([scope] if scope is not None else []), url),
        structured_date=structured,
        extraction="fallback",
        evidence=dict(node.evidence.sources),
        conflicts=list(node.evidence.conflicts),
    )
