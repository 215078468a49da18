"""The exit statuses of ``scrapy crawl mpt`` (the project's crawl command), in one place: the
README's table is written from these, and cron jobs act on them.

Scrapy's own: 0 (its run ended), 1 (it could not start: an import error), 2 (usage error: an
unknown option; ours too for a bad or unknown spider argument or setting, mptcrawler/arguments.py).
Ours add the states of a run that Scrapy does not know.
"""

from __future__ import annotations

HEALTHY = 0
SCRAPY_FAILED = 1  # Scrapy's own: the crawl could not start
USAGE = 2  # bad command line: Scrapy's own, and a bad argument or setting (arguments.py)
UNHEALTHY = 3  # the run ended, but its numbers say something is wrong (mptcrawler.runs)
INTERRUPTED = 4  # stopped before its end (SIGTERM, Ctrl-C): delivered what it had; the next run
#                  finishes its frontier first (cron/frontier.py)
STATE_FAULT = 5  # the state or the output folder is unusable, or the final state commit failed
NOT_DELIVERED = 6  # the run's JSONL could not be written (a full disk): nothing kept, redone next
# EX_UNAVAILABLE (sysexits.h): the site's host does not resolve or refuses connections, before
# it answered anything (mptcrawler/middlewares.py); retrying at once cannot help, a later run may.
SITE_UNREACHABLE = 69
LOCKED = 75  # EX_TEMPFAIL (sysexits.h): another run holds this state database; try later


class RunRefused(Exception):
    """A cron run that must not go on: ``status`` is its exit status, ``line`` the one line
    the crawl command prints on stderr. Raised before the first request, so nothing changed."""

    def __init__(self, status: int, line: str) -> None:
        super().__init__(line)
        self.status = status
        self.line = line


def interrupted(finish_reason: str | None) -> bool:
    """A run stopped before its end: by a signal (``shutdown``), cancelled, or failing to
    start its requests. Not ``closespider_*``: the operator's own limits (CLOSESPIDER_*), which
    make a run incomplete but not failed."""
    return bool(finish_reason) and finish_reason != "finished" and not str(
        finish_reason).startswith("closespider_")
