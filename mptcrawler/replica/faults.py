"""Fault mode of the replica: the server misbehaves at given rates, deterministically.

    mptcrawler-replica serve --faults "5xx=0.10,timeout=0.05,reset=0.05,truncate=0.02"

Whether a request fails is drawn from a hash of (seed, path, how many times this path was asked
for): a retry gets a fresh draw, and a rerun of the same crawl sees the same faults.
robots.txt never fails.

- ``5xx``: 500, 502 or 503 (a 503 sometimes with ``Retry-After: 1``);
- ``timeout``: no answer for ``stall`` seconds, then the page;
- ``reset``: headers with the full ``Content-Length``, half the body, then the connection drops;
- ``truncate``: the page cut at 60 %, with a ``Content-Length`` that matches the cut (a page
  truncated at the source: only its missing ``</html>`` tells).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

KINDS = ("5xx", "timeout", "reset", "truncate")


@dataclass
class Faults:
    rates: dict[str, float]
    seed: int = 0
    stall: float = 30.0
    asked: Counter[str] = field(default_factory=Counter)

    @classmethod
    def parse(cls, spec: str, seed: int = 0, stall: float = 30.0) -> Faults:
        rates = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            kind, _, rate = part.partition("=")
            if kind not in KINDS:
                raise ValueError(f"unknown fault {kind!r}; known: {', '.join(KINDS)}")
            rates[kind] = float(rate)
        if sum(rates.values()) > 1:
            raise ValueError("fault rates add up to more than 1")
        return cls(rates, seed, stall)

    def draw(self, path: str) -> tuple[str | None, float]:
        """The fault for this request of ``path`` (or None), and a second uniform number."""
        if path == "/robots.txt" or not self.rates:
            return None, 0.0
        self.asked[path] += 1
        digest = hashlib.sha256(f"{self.seed}|{path}|{self.asked[path]}".encode()).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        v = int.from_bytes(digest[8:16], "big") / 2**64
        edge = 0.0
        for kind in KINDS:
            edge += self.rates.get(kind, 0.0)
            if u < edge:
                return kind, v
        return None, v


# Hostile pages: each kind is given to one article (the n-th, in path order), or to the feed.
HOSTILE_KINDS = ("404", "offsite_redirect", "redirect_loop", "cp1251_header", "cp1251_meta",
                 "garbage", "gzip_bomb", "huge", "feed_entity_bomb", "too_many_requests",
                 "redirect_chain", "content_length_short", "robots_disallow_print", "redesign")
# "redesign": the article in a template that leaves no Drupal evidence of its body field (no
# field-name-body class, no text-with-summary type, no RDF content:encoded), as after a site
# redesign; its other metadata is intact, so the fallback extractor reads it.
REDESIGN = (("field-name-body", "field-body"), ("field--name-body", "body"),
            ("field-type-text-with-summary", "rich"), ("field--type-text-with-summary", "rich"),
            ('property="content:encoded"', ""), ("date-display-single", "date"),
            ("page-title", "heading"), ("node--type-news", "node--type-story"))
# Kinds that are not one article's: the feed, robots.txt.
SITE_KINDS = {"feed_entity_bomb": "/rss.xml", "robots_disallow_print": "/robots.txt"}
ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    "<link>https://mpt.gov.by/ru/news</link></item></channel></rss>"
)


def hostile_plan(kinds: list[str], article_paths: list[str],
                 twins: dict[str, str] | None = None) -> dict[str, str]:
    """Path → hostile kind; article kinds go to every 7th article, in path order, under its
    alias and its ``/node/NID`` twin (``twins``: alias → node path) alike."""
    unknown = [k for k in kinds if k not in HOSTILE_KINDS]
    if unknown:
        raise ValueError(f"unknown hostile input {unknown}; known: {', '.join(HOSTILE_KINDS)}")
    plan: dict[str, str] = {}
    paths = sorted(article_paths)
    russian = [p for p in paths if not p.startswith(("/be/", "/en/"))]  # where cp1251 shows
    for i, kind in enumerate(k for k in kinds if k not in SITE_KINDS):
        pool = russian if kind.startswith("cp1251") else paths
        n = i * 7 + 3
        while pool[n % len(pool)] in plan:
            n += 1
        plan[pool[n % len(pool)]] = kind
    for path, kind in list(plan.items()):
        if twins and path in twins:
            plan[twins[path]] = kind
    for kind, path in SITE_KINDS.items():
        if kind in kinds:
            plan[path] = kind
    return plan
