"""``scrapy crawl`` that exits non-zero with a one-line reason when a cron job must act.

Scrapy's own crawl command exits 0 whatever happened during the crawl; a cron job needs to know.
The statuses are in mptcrawler/cron/exits.py and the README's table: 0 healthy, 1 could not
start, 2 usage error (Scrapy's own and ours: mptcrawler/arguments.py), 3 unhealthy
(mptcrawler/runs.py), 4 interrupted, 5 state fault, 6 not delivered (the JSONL could not be
written), 69 site unreachable (its name does not resolve or it refuses connections, before it
answered anything), 75 locked (another run holds the state).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from ..arguments import UsageProblem, base_url, check_paths, check_settings, parse_arguments
from ..cron.exits import (
    INTERRUPTED,
    LOCKED,
    NOT_DELIVERED,
    SITE_UNREACHABLE,
    STATE_FAULT,
    UNHEALTHY,
    USAGE,
    RunRefused,
    interrupted,
)
from ..cron.lock import Locked, check_free, locked_line
from ..cron.preflight import check_not_lost, check_state
from ..cron.site import mismatch, recorded_base_url
from ..runs import keeps_state

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider


def _quietly_refused(outcome: Any, crawler: Crawler) -> None:
    """A refused run raised RunRefused while Scrapy built it: the one line says why, so the
    exception is taken here instead of being logged with its traceback (asyncio logs a task's
    exception that nobody retrieved, Twisted a Deferred's). Any other error Scrapy reports as
    it would have."""
    if isinstance(outcome, Deferred):
        def trap(failure: Failure) -> None:
            failure.trap(RunRefused)

        outcome.addErrback(trap)
    elif isinstance(outcome, asyncio.Future):
        def retrieve(task: asyncio.Future[Any]) -> None:
            if getattr(crawler, "mpt_refused", None) is not None and not task.cancelled():
                task.exception()  # retrieved: asyncio stays quiet

        outcome.add_done_callback(retrieve)


def refuse(status: int, line: str) -> NoReturn:
    """One line on stderr and the exit status, before Scrapy has started anything."""
    print(f"mptcrawler: {line}", file=sys.stderr)
    sys.exit(status)


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def short_desc(self) -> str:
        return "Run a spider; exit non-zero with a one-line reason when a cron job must act"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        # argparse's errors (an option without its value) and Scrapy's UsageError (``-a full``
        # without ``=``), which Scrapy hands to parser.error, print the whole usage block
        # before their reason: one line instead, as for our own usage errors.
        parser.error = lambda message: refuse(USAGE, f"usage error: {message}")  # type: ignore[method-assign]

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's options, then ours, checked before Scrapy builds anything (so before its
        start-up lines): a bad ``-a`` argument or setting is one line and exit status 2."""
        super().process_options(args, opts)
        # Scrapy parses with parse_known_args: an unknown option is left among the spider
        # names, and used to be refused only after Scrapy's start-up lines.
        unknown = [a for a in args if a.startswith("-")]
        if unknown:
            refuse(USAGE, f"usage error: unknown option {unknown[0]} (scrapy crawl -h lists "
                          "them)")
        if len(args) > 1:
            refuse(USAGE, "usage error: running 'scrapy crawl' with more than one spider is "
                          "not supported")
        if args[:1] != ["mpt"]:
            return
        try:
            arguments = parse_arguments(opts.spargs)
            assert self.settings is not None
            check_settings(self.settings)
            check_paths(self.settings)
        except UsageProblem as problem:
            refuse(USAGE, f"usage error: {problem}")
        if keeps_state(self.settings):
            # A run that another holds the lock against, or whose state is lost or broken, is
            # refused here, before Scrapy prints its start-up lines. The lock itself is taken
            # later, and these read-only checks made again under it (runs.IncrementalRuns).
            state = self.settings.get("MPT_STATE_PATH")
            try:
                check_free(f"{state}.lock")
            except Locked as exc:
                refuse(LOCKED, locked_line(state, exc.holder))
            try:
                check_not_lost(Path(state), starting_over=arguments.reset)
                check_state(Path(state))
            except RunRefused as refused:
                refuse(refused.status, refused.line)
            # The same look at the data folder's site (cron/site.py), before the start-up lines;
            # after the state checks, which it relies on (it reads the state).
            mismatched = mismatch(Path(state), recorded_base_url(Path(state)),
                                  base_url(self.settings.get("MPT_BASE_URL")),
                                  self.settings.getbool("MPT_ALLOW_BASE_URL_CHANGE"))
            if mismatched is not None:
                refuse(mismatched.status, mismatched.line)

    def _create_crawler(self, spname: str | type[Spider]) -> Crawler:
        self.crawler = super()._create_crawler(spname)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Scrapy's own run(), plus the hold on the crawl's outcome that _quietly_refused needs.
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        _quietly_refused(self.crawler_process.crawl(crawler, **opts.spargs), crawler)
        self.crawler_process.start()
        refused: RunRefused | None = getattr(crawler, "mpt_refused", None)
        if refused is not None:
            print(f"mptcrawler: {refused.line}", file=sys.stderr)
            self.exitcode = refused.status
            return
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        if self.exitcode or crawler.stats is None:
            return
        stats = crawler.stats
        reason = stats.get_value("finish_reason")
        if stats.get_value("mpt/fault"):
            print(f"mptcrawler: state fault: {stats.get_value('mpt/fault')}", file=sys.stderr)
            self.exitcode = STATE_FAULT
        elif stats.get_value("mpt/not_delivered"):
            print(f"mptcrawler: {stats.get_value('mpt/not_delivered')}", file=sys.stderr)
            self.exitcode = NOT_DELIVERED
        elif reason == "site_unreachable":
            print(f"mptcrawler: {stats.get_value('mpt/unreachable')}; nothing was fetched "
                  "(exit status 69: try again later)", file=sys.stderr)
            self.exitcode = SITE_UNREACHABLE
        elif interrupted(reason):
            runs = getattr(crawler, "mpt_runs", None)
            print(interrupted_line(reason, stats.get_value("item_scraped_count", 0), runs),
                  file=sys.stderr)
            self.exitcode = INTERRUPTED
        elif stats.get_value("mpt/health") == "unhealthy":
            reason = stats.get_value("mpt/health/reason", "see the log")
            print(f"mptcrawler: unhealthy run: {reason}", file=sys.stderr)
            self.exitcode = UNHEALTHY


def interrupted_line(reason: str, items: int, runs: Any) -> str:
    """The one stderr line of a stopped run: what happened to its items and what the next run
    does about the rest. ``runs`` is the run's IncrementalRuns (None for an ad-hoc run)."""
    head = f"mptcrawler: interrupted ({reason}) after {items} items: "
    if runs is None:
        return head + "the output holds what was fetched before the stop"
    left = runs.frontier_left
    if left is None:  # the commit did not happen: its own line said why
        return head + "they are delivered"
    if runs.bounded:
        # What lies past a bound is in no frontier (runs.page_failed): saying "finishes the
        # frontier" would promise a short next run that walks every listing instead.
        return (head + "they are delivered; a listing stopped at a bound, so the next run walks "
                "every listing again")
    return (head + "they are delivered; the next run finishes first the frontier left "
            f"({left['listing_pages']} listing pages, {left['articles']} articles)")
