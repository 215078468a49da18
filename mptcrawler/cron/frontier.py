"""The frontier: the work a stopped or limited cron run left undone, kept in the state so that
the next run, whatever its mode, does it first (issue #13, "complete means complete").

What goes in, written as the spider makes its requests, in the transactions that stage the
run's articles (a SIGKILL loses at most the last batch, and with it no entry: the batch that
removes a listing page holds the rows of its entries too, written before the removal):

- each listing's first page, the front page and the feed when a full run starts (flushed before
  its first request: a full run killed at once still leaves the whole walk to do);
- every listing page the run asks for, and the next page of a listing the run does not ask for
  because of the operator's limits (``max_pages``; ``since``, whose older pages are out of this
  run's scope but not out of the dataset's: the next plain run, incremental or not, walks them);
- every article asked for from a listing, the feed or a language-fallback page, and every listed
  article left out by ``since``/``until``, unless an earlier run delivered it (a full run asks
  for known articles again to catch edits; stopped, it leaves them delivered all the same).

What does not: the page after an incremental walk's all-known page (older pages are known: the
normal stop), the page after a bound (MPT_MAX_*: a pager that never ends is for the operator to
look at, not to resume forever), re-checks of known articles and retries of failed ones (the
state has them already).

What leaves (:func:`leaves`): a listing page once walked; an article only in the commit of a run
that delivered it (a staged row: exported, or unchanged since an earlier export), recorded it as
a failure (retried from the failures table) or as withdrawn, or answered it with nothing to
deliver (a /node/NID twin of an article done, a language-fallback page, another language's
page). An article dropped as invalid stays and is asked for again: nothing leaves unexplained.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import CrawlState

ARTICLE = "article"
# The second phase of a full crawl (mptcrawler/spiders/mpt.py, `idle`): a run that carries
# either does that phase, whatever its mode.
FRONT, FEED, FRONT_PATH, FEED_PATH = "front", "feed", "/", "/rss.xml"


@dataclass(frozen=True)
class Entry:
    """One frontier row: a listing page (``url`` its path, ``kind`` its listing's) or an
    article (``url`` its canonical URL, ``kind`` "article")."""

    url: str
    kind: str
    lang: str | None = None
    page: int | None = None
    listed_date: str | None = None

    @property
    def is_article(self) -> bool:
        return self.kind == ARTICLE

    @property
    def second_phase(self) -> bool:
        return (self.kind, self.page) in ((FRONT, 0), (FEED, 0))


def keeps_next_page(stop: str) -> bool:
    """Whether the next page of a listing goes in the frontier when the walk stops at this one
    for ``stop``: the operator's limits (``max_pages``, ``since``) leave it for a later run;
    an incremental walk's known page and a bound do not (see the module's docstring)."""
    return stop in ("max_pages", "since")


def leaves(url: str, delivered: Collection[str], failed: Collection[str],
           withdrawn: Collection[str], answered: Mapping[str, str | None]) -> bool:
    """Whether the frontier article ``url`` leaves the frontier with this run's commit:
    ``delivered`` are the URLs of the run's staged articles, ``failed`` and ``withdrawn`` the
    URLs it records so, ``answered`` maps a listed URL the run got an answer for to the URL of
    the article it gave (its canonical address, which may differ) or to None when it gave
    nothing to deliver."""
    if url in delivered or url in failed or url in withdrawn:
        return True
    if url not in answered:
        return False  # never answered: asked for when the run stopped, or never asked
    target = answered[url]
    return target is None or target in delivered or target in failed or target in withdrawn


@dataclass
class Frontier:
    """One cron run's side of the frontier. Without a state (an ad-hoc run) it does nothing."""

    state: CrawlState | None = None
    run_id: str = ""
    carried: list[Entry] = field(default_factory=list)  # what earlier runs left, at the start
    answered: dict[str, str | None] = field(default_factory=dict)

    def load(self, langs: Collection[str]) -> list[Entry]:
        """The entries earlier runs left, of this run's languages (the others stay for a run
        that crawls them), listing pages first; kept as :attr:`carried`."""
        if self.state is None:
            return []
        self.carried = [e for e in (Entry(*row) for row in self.state.frontier())
                        if e.lang is None or e.lang in langs]
        return self.carried

    def begin(self, full: bool, langs: Collection[str]) -> None:
        """A full run's starting points, committed before its first request."""
        if self.state is None or not full:
            return
        for lang in langs:
            self.listing(f"/{lang}/news", "news", lang, 0)
        if "ru" in langs:
            self.listing(FRONT_PATH, FRONT, "ru", 0)
            self.listing(FEED_PATH, FEED, "ru", 0)
        self.state.flush()

    def listing(self, path: str, kind: str, lang: str, page: int) -> None:
        if self.state is not None:
            self.state.frontier_add(self.run_id, path, kind, lang, page)

    def article(self, url: str, lang: str, listed_date: str | None) -> None:
        """A listed article, unless an earlier run delivered it: a full run asks for known
        articles again (edits), but a stop does not make them undelivered."""
        if self.state is None:
            return
        known = self.state.known(url)
        if known is None or known.withdrawn is not None:
            self.state.frontier_add(self.run_id, url, ARTICLE, lang, None, listed_date)

    def walked(self, path: str) -> None:
        """A listing page parsed: called after its entries and next page were added."""
        if self.state is not None:
            self.state.frontier_walked(path)

    def answer(self, listed_url: str, article_url: str | None) -> None:
        self.answered[listed_url] = article_url

    def settled(self, delivered: Collection[str], failed: Collection[str],
                withdrawn: Collection[str]) -> set[str]:
        """The frontier articles this run's commit removes (:func:`leaves`)."""
        if self.state is None:
            return set()
        return {e.url for e in (Entry(*row) for row in self.state.frontier())
                if e.is_article and leaves(e.url, delivered, failed, withdrawn, self.answered)}

    def counts(self, entries: list[Entry]) -> dict[str, int]:
        articles = sum(e.is_article for e in entries)
        return {"listing_pages": len(entries) - articles, "articles": articles}

    def left(self) -> dict[str, int]:
        """What the frontier holds now (all languages)."""
        if self.state is None:
            return {"listing_pages": 0, "articles": 0}
        pages, articles = self.state.frontier_counts()
        return {"listing_pages": pages, "articles": articles}
