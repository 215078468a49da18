"""One base URL per data folder: the state records the base URL of the folder's first run, and
a run against another site is refused before its first request (exit status 2, usage) unless
``MPT_ALLOW_BASE_URL_CHANGE`` is set. Without it, replica runs and live runs mixed in one folder
(the demo wrote into ``data/`` with real-looking URLs; issue 17, item 1).

Sites are compared by :func:`mptcrawler.state.site_key`: a replica on a loopback host is the
same site on any port.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..state import folder_base_url, site_key
from .exits import USAGE, RunRefused


def mismatch(state: Path, recorded: str | None, base_url: str, allowed: bool
             ) -> RunRefused | None:
    """The refusal of a run of ``base_url`` into the data folder of ``state``, or None."""
    if recorded is None or allowed or site_key(recorded) == site_key(base_url):
        return None
    return RunRefused(USAGE, (
        f"usage error: {state.parent}/ holds the data of {recorded} (its first run's base "
        f"URL), not of {base_url}: give this site a data folder of its own (the MPT_*_URI and "
        "MPT_STATE_PATH settings; mptcrawler-replica crawl --data), or set "
        "MPT_ALLOW_BASE_URL_CHANGE=True to keep both in this one"))


def recorded_base_url(state: Path) -> str | None:
    """A look at the state's recorded base URL, read-only, for the crawl command's check before
    Scrapy starts (runs.IncrementalRuns decides, under the run lock). None if there is no state
    or it cannot be read: the run's own checks then say what is wrong."""
    if not state.is_file():
        return None
    try:
        # immutable: a plain read-only open of a WAL database creates its -wal and -shm files;
        # a look may miss what sits in a live run's WAL, the run's own check will not.
        db = sqlite3.connect(f"{state.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        return folder_base_url(db)
    except sqlite3.Error:
        return None
    finally:
        db.close()
