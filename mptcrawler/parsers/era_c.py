"""Era C (2023–): Drupal 8 or later, URL ``/{lang}/<slug>`` (``-0``, ``-1`` for repeated titles)
or ``/{lang}/node/NID``, e.g. https://mpt.gov.by/ru/glava-minsvyazi-pozdravlyaet-so-vsemirnym-dnem-pochty

A date field renders as ``time[datetime]`` in UTC with the visible text ``DD.MM.YYYY``. The
visible text is the publication date: the attribute is a UTC instant whose calendar day can
differ from Minsk's (00:30 in Minsk is 21:30 UTC the day before); it is kept for a cross-check.
"""

from __future__ import annotations

from .common import ArticlePage, read_article
from .drupal import NodePage


def parse(node: NodePage, url: str) -> ArticlePage:
    return read_article(node, url, "C")
