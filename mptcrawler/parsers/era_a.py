"""Era A (to 2016): Drupal 7, URL ``/<slug>`` with no language prefix.

Example: https://mpt.gov.by/segodnya-26-aprelya-v-minsvyazi-prokhodit-belorussko-koreyskiy-forum-v-oblasti-elektronnogo
The date is written in Russian words with a time (``Вторник, 26 апреля 2016 - 10:15``), in
Drupal 7's Russian locale sometimes with the month in the nominative (``26 Апрель 2016``); the
sidebar of latest news carries the same date markup, which is why dates are read inside the
node only (drupal.py).
"""

from __future__ import annotations

from .common import ArticlePage, read_article
from .drupal import NodePage


def parse(node: NodePage, url: str) -> ArticlePage:
    return read_article(node, url, "A")
