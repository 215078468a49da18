"""What earlier runs exported, in SQLite: the memory of incremental runs.

One database file may hold several sites: every row carries ``site`` (:func:`site_key` of the
base URL), so runs against the replica and against the live site never share state. The data
folder it belongs to records the base URL of its first run (table ``folder``): a run against
another site is refused unless the operator allows it (mptcrawler/cron/site.py).

Changes of a run are staged in ``pending`` while it runs and applied only once its JSONL file is
in place under its final name (:meth:`CrawlState.commit_run`). A run killed before that leaves
its ``pending`` rows and a ``runs`` row in status ``running``; :meth:`CrawlState.recover` at the
next start applies them if the file made it to its final name, and drops them otherwise, so the
next run exports again whatever was lost.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .stamps import utc_second
from .urls import language_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER, content_hash TEXT NOT NULL,
    revision INTEGER NOT NULL, published TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL, etag TEXT, last_modified TEXT,
    withdrawn TEXT, withdrawn_status INTEGER, previous_urls TEXT,
    PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS changes (
    site TEXT NOT NULL, url TEXT NOT NULL, revision INTEGER NOT NULL, run_id TEXT NOT NULL,
    changed_at TEXT NOT NULL, old_hash TEXT, new_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    site TEXT NOT NULL, run_id TEXT NOT NULL, file TEXT, status TEXT NOT NULL,
    started TEXT NOT NULL, finished TEXT, exported INTEGER, seen INTEGER,
    mode TEXT, complete INTEGER,
    PRIMARY KEY (site, run_id)
);
CREATE TABLE IF NOT EXISTS failures (
    site TEXT NOT NULL, url TEXT NOT NULL, reason TEXT NOT NULL, run_id TEXT NOT NULL,
    listed_date TEXT,
    PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS fallback_pages (
    site TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER, shows TEXT, seen TEXT NOT NULL,
    PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS folder (
    key TEXT PRIMARY KEY, value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    site TEXT NOT NULL, run_id TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER,
    content_hash TEXT NOT NULL, revision INTEGER NOT NULL, published TEXT, seen_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, exported INTEGER NOT NULL, previous_url TEXT,
    PRIMARY KEY (site, run_id, url)
);
"""


# A staged row into the articles table (commit_run): a new article, or the next state of a
# known one, whose first_seen (and previous_urls, unless the row brings them) stay.
_UPSERT_ARTICLE = (
    "INSERT INTO articles (site, url, node_id, content_hash, revision, published, first_seen, "
    "last_seen, last_changed, etag, last_modified, previous_urls) ")
_ON_CONFLICT_ARTICLE = (
    " ON CONFLICT (site, url) DO UPDATE SET node_id = excluded.node_id, "
    "content_hash = excluded.content_hash, revision = excluded.revision, "
    "published = excluded.published, last_seen = excluded.last_seen, "
    "last_changed = CASE WHEN articles.content_hash = excluded.content_hash "
    "THEN articles.last_changed ELSE excluded.last_changed END, "
    "etag = excluded.etag, last_modified = excluded.last_modified, "
    "withdrawn = NULL, withdrawn_status = NULL, "
    "previous_urls = coalesce(excluded.previous_urls, articles.previous_urls)")

LOOPBACK_HOSTS = ("localhost", "::1")


def site_key(base_url: str) -> str:
    """What the state and the data folder know a site by: its base URL, but on a loopback host
    without the port (``http://127.0.0.1:*``). A replica is served on loopback, on whatever port
    was free (``--port 0``, the demo), so each start is another port of the same site; the live
    site is never on loopback."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        shown = f"[{host}]" if ":" in host else host
        return f"{parts.scheme}://{shown}:*"
    return base_url


class LaterValue(Protocol):
    """A value of a staged row worked out when SQLite writes the row, if not before
    (pipelines.LaterDigest)."""

    def __conform__(self, protocol: Any) -> str: ...


@dataclass(frozen=True)
class Known:
    url: str
    node_id: int | None
    content_hash: str
    revision: int
    published: str | None
    etag: str | None
    last_modified: str | None
    withdrawn: str | None = None  # when it answered 404/410 (UTC), None while it is live
    previous_urls: tuple[str, ...] = ()  # its earlier addresses, oldest first

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Known:
        url, node_id, digest, revision, published, etag, modified, withdrawn, previous = row
        return cls(url, node_id, digest, revision, published, etag, modified, withdrawn,
                   tuple(json.loads(previous)) if previous else ())


def upgrade(db: sqlite3.Connection) -> None:
    """Make every table, column and index of this release in the database open as ``db``,
    nothing removed: what a run does as it opens a state, and the restore (mptcrawler/restore.py)
    to a copy kept by an earlier release before it carries rows of this one into it."""
    db.executescript(_SCHEMA)
    for table, column, kind in CrawlState._ADDED:
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    db.execute(CrawlState._FRONTIER)
    for index in CrawlState._INDEXES:
        db.execute(index)


def folder_base_url(db: sqlite3.Connection) -> str | None:
    """The base URL of the data folder whose state ``db`` is: its first run's (``None`` before
    any run). A state from before it was recorded: the newest run's base URL, else its site.
    Also read by the crawl command's look before Scrapy starts (cron/site.py)."""
    row = db.execute("SELECT value FROM folder WHERE key = 'base_url'").fetchone()
    if row is None:
        row = db.execute("SELECT COALESCE(base_url, site) FROM runs "
                         "ORDER BY started DESC LIMIT 1").fetchone()
    return str(row[0]) if row is not None else None


_KNOWN = ("SELECT url, node_id, content_hash, revision, published, etag, last_modified, "
          "withdrawn, previous_urls FROM articles ")


class CrawlState:
    def __init__(self, path: str | Path, site: str) -> None:
        self.path = Path(path)
        self.site = site
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut
        upgrade(self.db)
        self.staged = 0  # staged and frontier rows since the last commit
        # The run's writes not made yet (see _queue), and those made in the open transaction.
        self._queued: list[tuple[str, tuple[Any, ...]]] = []
        self._written: list[tuple[str, tuple[Any, ...]]] = []
        self._fallbacks: set[str] = set()  # URLs of fallback pages noted, not yet committed
        # The articles table's URLs and node ids while a run holds them (hold_known), else None.
        self._held: tuple[frozenset[str], frozenset[int]] | None = None

    # Columns added since the first state database (tables added since are made by _SCHEMA),
    # added to an existing database in place: a run's mode and whether it was complete (a
    # run recorded without them counts as no complete full run, so the next run is full); a
    # failed article's listing date (asked for again without its listing, a page that shows
    # no date of its own still gets one); withdrawn articles (404/410) and renamed ones.
    _ADDED = (("runs", "mode", "TEXT"), ("runs", "complete", "INTEGER"),
              ("failures", "listed_date", "TEXT"), ("articles", "withdrawn", "TEXT"),
              ("articles", "withdrawn_status", "INTEGER"), ("articles", "previous_urls", "TEXT"),
              ("pending", "previous_url", "TEXT"), ("runs", "frontier", "INTEGER"),
              ("runs", "base_url", "TEXT"))

    # Work a stopped or limited run left (mptcrawler/cron/frontier.py): listing pages not yet
    # walked (kind: the listing's, url: its path) and articles listed but not yet delivered
    # (kind "article", url: the article's). Added by the upgrade like the columns above: a
    # state file of an earlier release gets it in place, everything else kept.
    _FRONTIER = """
    CREATE TABLE IF NOT EXISTS frontier (
        site TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, lang TEXT, page INTEGER,
        listed_date TEXT, run_id TEXT NOT NULL, added TEXT NOT NULL,
        PRIMARY KEY (site, url)
    )"""

    # Indexes added since the first state database, made by the upgrade like the frontier
    # table (IF NOT EXISTS: a second opening changes nothing): an article unknown by its URL
    # is looked for by its node id (known_node, known_elsewhere: a renamed alias, a /node/NID
    # twin), which without this index reads the whole articles table.
    _INDEXES = ("CREATE INDEX IF NOT EXISTS articles_node ON articles (site, node_id)",)

    def close(self) -> None:
        self.db.close()  # uncommitted staged rows are dropped: the run did not finish
        self._queued, self._written = [], []

    # --- reading ---------------------------------------------------------------------------

    def hold_known(self) -> None:
        """Keep the URLs and node ids of the site's articles in memory until this object next
        writes the articles table (commit_run, reset). A run, under its lock, changes that table
        only in its commit_run: while it crawls, a URL or node id not among these is unknown
        without a statement. A full crawl asks for every new article three times (the frontier's
        known, TrackRevisions' known and known_elsewhere), ~6-9 us each (timeit, 3,000 rows).
        Nothing else may write the table meanwhile (another connection's writes would not be
        seen): runs.IncrementalRuns calls this once the run has started, under its lock."""
        rows = self.db.execute("SELECT url, node_id FROM articles WHERE site = ?",
                               (self.site,)).fetchall()
        self._held = (frozenset(url for url, _ in rows),
                      frozenset(nid for _, nid in rows if nid is not None))

    def known(self, url: str) -> Known | None:
        if self._held is not None and url not in self._held[0]:
            return None
        row = self.db.execute(_KNOWN + "WHERE site = ? AND url = ?", (self.site, url)).fetchone()
        return Known.of(row) if row else None

    def known_elsewhere(self, node_id: int, lang: str, url: str) -> Known | None:
        """The same article (node id and section language: era-C translations share a node
        id) known at another address: its alias changed. The newest seen, if several."""
        if self._held is not None and node_id not in self._held[1]:
            return None
        rows = self.db.execute(_KNOWN + "WHERE site = ? AND node_id = ? AND url != ? "
                               "ORDER BY last_seen DESC", (self.site, node_id, url)).fetchall()
        return next((Known.of(r) for r in rows if language_of(r[0]) == lang), None)

    def stalest(self, n: int, exclude: set[str]) -> list[Known]:
        """The ``n`` live articles verified (fetched or answered 304) longest ago, not counting
        ``exclude``."""
        rows = self.db.execute(_KNOWN + "WHERE site = ? AND withdrawn IS NULL "
                               "ORDER BY last_seen, url LIMIT ?",
                               (self.site, n + len(exclude))).fetchall()
        return [k for k in map(Known.of, rows) if k.url not in exclude][:n]

    def verified(self) -> list[tuple[Known, dt.datetime]]:
        """Every live article with the moment it was last verified (fetched or answered 304),
        the longest ago first."""
        rows = self.db.execute(
            "SELECT url, node_id, content_hash, revision, published, etag, last_modified, "
            "withdrawn, previous_urls, last_seen FROM articles WHERE site = ? AND withdrawn IS "
            "NULL ORDER BY last_seen, url", (self.site,)).fetchall()
        return [(Known.of(row[:9]), dt.datetime.fromisoformat(row[9])) for row in rows]

    def count_live(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles WHERE site = ? AND "
                                   "withdrawn IS NULL", (self.site,)).fetchone()[0])

    def withdrawn_articles(self) -> list[dict[str, Any]]:
        """Every article found gone (404/410), for analysts to join on url or node_id."""
        rows = self.db.execute(
            "SELECT url, node_id, last_seen, withdrawn, withdrawn_status, revision FROM articles "
            "WHERE site = ? AND withdrawn IS NOT NULL ORDER BY withdrawn, url",
            (self.site,)).fetchall()
        return [{"url": url, "node_id": nid, "lang": language_of(url), "last_seen": seen,
                 "withdrawn": gone, "status": status, "last_revision": revision}
                for url, nid, seen, gone, status, revision in rows]

    def known_node(self, node_id: int, lang: str | None = None) -> bool:
        """A live article of this node (in section language ``lang``, when given: Drupal 8+
        translations share the node id and are separate articles)."""
        if self._held is not None and node_id not in self._held[1]:
            return False
        rows = self.db.execute("SELECT url FROM articles WHERE site = ? AND node_id = ? AND "
                               "withdrawn IS NULL", (self.site, node_id)).fetchall()
        return any(lang is None or language_of(url) == lang for (url,) in rows)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles WHERE site = ?",
                                   (self.site,)).fetchone()[0])

    def recent(self, days: int) -> list[Known]:
        """Articles published within ``days`` before the newest one known: on a live site, the
        last ``days`` days; on a frozen replica, its last ``days`` days just the same."""
        newest = self.db.execute("SELECT max(published) FROM articles WHERE site = ?",
                                 (self.site,)).fetchone()[0]
        if newest is None:
            return []
        since = (dt.date.fromisoformat(newest[:10]) - dt.timedelta(days=days)).isoformat()
        rows = self.db.execute(
            _KNOWN + "WHERE site = ? AND substr(published, 1, 10) >= ? AND withdrawn IS NULL "
            "ORDER BY published DESC", (self.site, since)).fetchall()
        return [Known.of(row) for row in rows]

    def has_complete_full_run(self) -> bool:
        """A full crawl finished with every listing page read: incremental runs may rely on
        the state knowing the whole site."""
        row = self.db.execute("SELECT 1 FROM runs WHERE site = ? AND status = 'done' AND "
                              "mode = 'full' AND complete = 1", (self.site,)).fetchone()
        return row is not None

    def why_full(self) -> str | None:
        """Why the next run must walk every listing (None: an incremental run may rely on the
        state and its frontier): no full crawl of this site has begun with its frontier kept
        (a run of this release) nor ended complete, or a run of an earlier release, which kept
        no frontier, did not end complete since the last complete one and may have left
        articles unseen below the pages an incremental walk stops at. A stopped or limited run
        of this release leaves its unwalked work in the frontier instead, which the next run
        finishes whatever its mode. Runs are ordered by id, their start."""
        last = self.db.execute("SELECT max(run_id) FROM runs WHERE site = ? AND status = 'done' "
                               "AND mode = 'full' AND complete = 1", (self.site,)).fetchone()[0]
        begun = self.db.execute("SELECT min(run_id) FROM runs WHERE site = ? AND mode = 'full' "
                                "AND frontier = 1 AND status IN ('done', 'abandoned')",
                                (self.site,)).fetchone()[0]
        if last is None and begun is None:
            return "no complete full crawl of this site yet"
        since = last or begun
        row = self.db.execute("SELECT run_id, mode FROM runs WHERE site = ? AND status = 'done' "
                              "AND NOT complete AND frontier IS NULL AND run_id > ? "
                              "ORDER BY run_id LIMIT 1", (self.site, since)).fetchone()
        if row is not None:
            return f"{row[1]} run {row[0]} did not end complete"
        return None

    def has_run(self, run_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM runs WHERE site = ? AND run_id = ?",
                               (self.site, run_id)).fetchone() is not None

    def failed_urls(self) -> list[tuple[str, str | None]]:
        """Articles that failed in earlier runs and have not been seen since, with the date
        their listing showed (None when none did)."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT url, listed_date FROM failures WHERE site = ? ORDER BY url",
            (self.site,)).fetchall()]

    def history(self, limit: int = 10) -> list[int]:
        """Articles seen by the last complete runs, newest first (for the health check: a
        stopped run's few articles must not lower what counts as usual)."""
        rows = self.db.execute(
            "SELECT seen FROM runs WHERE site = ? AND status = 'done' AND seen IS NOT NULL "
            "AND complete ORDER BY run_id DESC LIMIT ?", (self.site, limit)).fetchall()
        return [int(r[0]) for r in rows]

    # --- a run -----------------------------------------------------------------------------

    def start_run(self, run_id: str, file: str | None, mode: str = "full",
                  base_url: str | None = None) -> None:
        """A run begins; ``frontier = 1``: it keeps its frontier (why_full)."""
        self.db.execute("INSERT OR REPLACE INTO runs (site, run_id, file, status, started, "
                        "mode, frontier, base_url) VALUES (?, ?, ?, 'running', ?, ?, 1, ?)",
                        (self.site, run_id, file, utc_second(), mode, base_url))

    # --- the data folder's site ------------------------------------------------------------

    def folder_base_url(self) -> str | None:
        return folder_base_url(self.db)

    def record_folder_base_url(self, base_url: str) -> None:
        """Record ``base_url`` as this data folder's, unless one is recorded already."""
        self.db.execute("INSERT OR IGNORE INTO folder (key, value) VALUES ('base_url', ?)",
                        (base_url,))

    # Staged rows are written in transactions of this many: one commit (a WAL fsync) per row
    # cost 0.45 ms an article, a quarter of the parse path. They must be durable before the
    # run's JSONL gets its final name (recover() commits a renamed run's staged rows), so the
    # owner calls flush() before the feeds are stored.
    STAGE_BATCH = 500

    def stage(self, run_id: str, url: str, node_id: int | None, content_hash: str | LaterValue,
              revision: int, published: str | None, etag: str | None,
              last_modified: str | None, exported: bool, previous_url: str | None = None
              ) -> None:
        """Record what this run saw of an article; applied by commit_run only, durable after
        flush(). ``content_hash`` may be worked out when the row is written (LaterValue)."""
        self._queue(
            "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.site, run_id, url, node_id, content_hash, revision, published, utc_second(), etag,
             last_modified, int(exported), previous_url), counts=True)

    def note_fallback(self, url: str, node_id: int | None, shows: str) -> None:
        """A language-fallback page (its section has no translation of the node; it shows
        ``shows``): no article, but known, so that an incremental run does not walk past it
        as news. Written with the staged rows (durable after flush())."""
        self._queue("INSERT OR REPLACE INTO fallback_pages VALUES (?, ?, ?, ?, ?)",
                    (self.site, url, node_id, shows, utc_second()))
        self._fallbacks.add(url)

    def is_fallback(self, url: str) -> bool:
        if url in self._fallbacks:  # noted by this run, perhaps not written yet
            return True
        return self.db.execute("SELECT 1 FROM fallback_pages WHERE site = ? AND url = ?",
                               (self.site, url)).fetchone() is not None

    # --- the frontier (mptcrawler/cron/frontier.py decides what goes in and out) ------------

    def _queue(self, sql: str, params: tuple[Any, ...], counts: bool = False) -> None:
        """One of the run's writes (staged rows, the frontier, fallback pages), kept in order
        and made with the others at the next flush() (or before a read of what they change),
        one executemany per run of the same statement. Made one statement each as they came,
        they cost 30-110 us of CPU apiece inside a crawl, against 10-14 us outside one (timed;
        SQLite's code and pages cold between the crawl's own work): ~0.1 ms a page of a cron
        run (BENCHMARKS.md, "Issue 16, eleventh session"). Durable at the same points as before
        (flush(), every STAGE_BATCH ``counts`` rows): a SIGKILL loses what the open
        transaction held, as it always did.

        A full batch is committed before this write is queued: should that fail, the caller
        raises with its own write not made (an item then dropped is neither exported nor
        staged), and the batch stays queued for the next flush."""
        if counts:
            if self.staged >= self.STAGE_BATCH:
                self.flush()
            self.staged += 1
        self._queued.append((sql, params))

    def _write_queued(self) -> None:
        """Make the queued writes in the open transaction (opened if need be)."""
        if not self._queued:
            return
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        try:
            for sql, writes in groupby(self._queued, key=itemgetter(0)):
                self.db.executemany(sql, [params for _, params in writes])
        except BaseException:
            self._roll_back()
            raise
        self._written += self._queued
        self._queued = []

    def _roll_back(self) -> None:
        """The open transaction undone; every write it held queued again, in order."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self._queued = self._written + self._queued
        self._written = []

    def frontier_add(self, run_id: str, url: str, kind: str, lang: str | None = None,
                     page: int | None = None, listed_date: str | None = None) -> None:
        """Work to be done, written with the staged rows (durable after flush()). A row already
        there keeps what it knew of the listing date when this one has none."""
        self._queue(
            "INSERT INTO frontier VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, url) DO "
            "UPDATE SET listed_date = coalesce(excluded.listed_date, frontier.listed_date)",
            (self.site, url, kind, lang, page, listed_date, run_id, utc_second()), counts=True)

    def frontier_walked(self, url: str) -> None:
        """A listing page walked: its entries and its next page are in the frontier already
        (written before this, in the same or an earlier transaction)."""
        self._queue("DELETE FROM frontier WHERE site = ? AND url = ? AND kind != 'article'",
                    (self.site, url))

    def frontier_incomplete(self, run_id: str) -> None:
        """The run gave up work its frontier does not hold (a listing stopped at a bound):
        it no longer counts as keeping its frontier, so the next run walks every listing
        (why_full). Written with the staged rows."""
        self._queue("UPDATE runs SET frontier = NULL WHERE site = ? AND run_id = ?",
                    (self.site, run_id))

    def frontier(self) -> list[tuple[str, str, str | None, int | None, str | None]]:
        """``(url, kind, lang, page, listed_date)`` of every frontier row, listing pages first,
        each kind in the order it was added."""
        self._write_queued()
        return [tuple(r) for r in self.db.execute(
            "SELECT url, kind, lang, page, listed_date FROM frontier WHERE site = ? "
            "ORDER BY kind = 'article', added, rowid", (self.site,)).fetchall()]

    def frontier_counts(self) -> tuple[int, int]:
        """How many listing pages and articles the frontier holds."""
        self._write_queued()
        row = self.db.execute("SELECT count(*) FILTER (WHERE kind != 'article'), count(*) FILTER "
                              "(WHERE kind = 'article') FROM frontier WHERE site = ?",
                              (self.site,)).fetchone()
        return int(row[0]), int(row[1])

    def flush(self) -> None:
        """Commit the rows staged so far. Should that fail, nothing of them is kept in the
        database and all stay queued, for the next flush to try again."""
        self._write_queued()
        if self.db.in_transaction:
            try:
                self.db.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise
        self._written = []
        self._fallbacks = set()
        self.staged = 0

    def commit_run(self, run_id: str, seen: int, complete: bool = True,
                   failures: dict[str, str] | None = None,
                   listed_dates: dict[str, str] | None = None,
                   withdrawn: dict[str, int] | None = None,
                   settled: set[str] | None = None) -> int:
        """Apply the run's staged changes in one transaction; returns how many were exported.
        ``failures``: article URL → reason, to be tried again by the next run;
        ``listed_dates``: article URL → the date its listing showed, kept with the failure
        (a date stored by an earlier run stays when this run had none); ``withdrawn``: known
        article URL → the status (404, 410) it answered: no longer re-checked. A staged row
        with a ``previous_url`` moves that article to its new address, the old one kept in
        ``previous_urls``. ``settled``: frontier articles that leave the frontier in the same
        transaction (cron/frontier.py decides which)."""
        self._held = None
        self.flush()
        now = utc_second()
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            # A staged row whose article moved (its alias changed; rare) takes over the old
            # address's row: one at a time, before the others.
            moved = cur.execute(
                "SELECT url, node_id, content_hash, revision, published, seen_at, etag, "
                "last_modified, exported, previous_url FROM pending WHERE site = ? AND "
                "run_id = ? AND previous_url IS NOT NULL ORDER BY url",
                (self.site, run_id)).fetchall()
            exported = 0
            for (url, nid, digest, revision, published, seen_at, etag, modified, sent,
                 previous_url) in moved:
                first_seen, previous_urls = seen_at, None
                # The changes row's old hash is the one the article had at that address (the
                # new address has no row: TrackRevisions finds a move only for an unknown URL).
                row = cur.execute(
                    "SELECT first_seen, previous_urls, content_hash FROM articles WHERE "
                    "site = ? AND url = ?", (self.site, previous_url)).fetchone()
                old_hash = None
                if row is not None:
                    first_seen, old_hash = row[0], row[2]
                    previous_urls = json.dumps([*json.loads(row[1] or "[]"), previous_url],
                                               ensure_ascii=False)
                    cur.execute("DELETE FROM articles WHERE site = ? AND url = ?",
                                (self.site, previous_url))
                if sent:
                    exported += 1
                    cur.execute("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (self.site, url, revision, run_id, seen_at, old_hash, digest))
                cur.execute(_UPSERT_ARTICLE + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + _ON_CONFLICT_ARTICLE,
                            (self.site, url, nid, digest, revision, published, first_seen,
                             seen_at, seen_at, etag, modified, previous_urls))
                cur.execute("DELETE FROM failures WHERE site = ? AND url = ?", (self.site, url))
            # Every other staged row: the same statements over all of them at once. One row at a
            # time (four statements from Python, and one for its frontier row), a commit of a
            # full crawl's 5,000 articles took 121 ms of CPU against 46 (a state in /dev/shm,
            # best of three); inside a crawl's process ~0.12 s for 3,000 (bench/call_times.py).
            run = (self.site, run_id)
            cur.execute(
                "INSERT INTO changes SELECT p.site, p.url, p.revision, p.run_id, p.seen_at, "
                "a.content_hash, p.content_hash FROM pending AS p LEFT JOIN articles AS a "
                "ON a.site = p.site AND a.url = p.url WHERE p.site = ? AND p.run_id = ? AND "
                "p.previous_url IS NULL AND p.exported ORDER BY p.url", run)
            exported += cur.rowcount
            cur.execute(_UPSERT_ARTICLE + "SELECT site, url, node_id, content_hash, revision, "
                        "published, seen_at, seen_at, seen_at, etag, last_modified, NULL "
                        "FROM pending WHERE site = ? AND run_id = ? AND previous_url IS NULL "
                        "ORDER BY url" + _ON_CONFLICT_ARTICLE, run)
            cur.execute("DELETE FROM failures WHERE site = ? AND url IN (SELECT url FROM pending "
                        "WHERE site = ? AND run_id = ? AND previous_url IS NULL)",
                        (self.site, *run))
            cur.executemany(
                "INSERT INTO failures (site, url, reason, run_id, listed_date) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (site, url) DO UPDATE SET "
                "reason = excluded.reason, run_id = excluded.run_id, "
                "listed_date = coalesce(excluded.listed_date, failures.listed_date)",
                [(self.site, url, reason, run_id, (listed_dates or {}).get(url))
                 for url, reason in (failures or {}).items()])
            for url, status in (withdrawn or {}).items():
                cur.execute("UPDATE articles SET withdrawn = ?, withdrawn_status = ? WHERE "
                            "site = ? AND url = ? AND withdrawn IS NULL",
                            (now, status, self.site, url))
                cur.execute("DELETE FROM failures WHERE site = ? AND url = ?", (self.site, url))
            cur.executemany("DELETE FROM frontier WHERE site = ? AND url = ? AND "
                            "kind = 'article'", [(self.site, url) for url in settled or ()])
            cur.execute("DELETE FROM pending WHERE site = ? AND run_id = ?", (self.site, run_id))
            cur.execute("UPDATE runs SET status = 'done', finished = ?, exported = ?, seen = ?, "
                        "complete = ? WHERE site = ? AND run_id = ?",
                        (now, exported, seen, int(complete), self.site, run_id))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return exported

    def staged_urls(self, run_id: str) -> set[str]:
        """The URLs of the articles a run has staged (delivered once it commits)."""
        self.flush()
        return self._staged(run_id)

    def _staged(self, run_id: str) -> set[str]:
        # Called after a flush (staged_urls) or before the run's first write (recover).
        return {r[0] for r in self.db.execute(
            "SELECT url FROM pending WHERE site = ? AND run_id = ?", (self.site, run_id))}

    def run_info(self, run_id: str) -> dict[str, Any]:
        """What the state knows of one run: file, status, mode, started, finished, exported,
        base_url, and complete (True/False once committed; None before, or for a run of a
        release that did not record it)."""
        row = self.db.execute("SELECT file, status, mode, started, finished, exported, base_url, "
                              "complete FROM runs WHERE site = ? AND run_id = ?",
                              (self.site, run_id)).fetchone()
        if row is None:
            raise KeyError(run_id)
        info = dict(zip(("file", "status", "mode", "started", "finished", "exported",
                         "base_url"), row[:7], strict=True))
        info["complete"] = None if row[7] is None else bool(row[7])
        return info

    def finished_runs(self) -> list[tuple[str, str | None]]:
        """``(run_id, file)`` of every run of this site the state has committed (status
        'done'), in run order: what the next run checks the manifest against (runs.py)."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT run_id, file FROM runs WHERE site = ? AND status = 'done' ORDER BY run_id",
            (self.site,)).fetchall()]

    def abandon_run(self, run_id: str) -> None:
        self.flush()
        self.db.execute("DELETE FROM pending WHERE site = ? AND run_id = ?", (self.site, run_id))
        self.db.execute("UPDATE runs SET status = 'abandoned', finished = ? "
                        "WHERE site = ? AND run_id = ?", (utc_second(), self.site, run_id))

    def recover(self, before_abandoning: Callable[[str], Any] | None = None
                ) -> list[tuple[str, str]]:
        """Finish or drop runs that were killed; returns ``(run_id, what was done)``.
        ``before_abandoning(run_id)``: removes a dropped run's other files, called before the
        run is recorded as abandoned: a process killed in between leaves the run "running",
        and the next recovery removes them then (recorded first, a kill in between left them
        for good: tests/test_crash_safety.py found a Markdown folder so)."""
        done = []
        rows = self.db.execute("SELECT run_id, file FROM runs WHERE site = ? AND "
                               "status = 'running'", (self.site,)).fetchall()
        for run_id, file in rows:
            if file and Path(file).exists():
                # Killed after its file was renamed into place, before the state commit.
                # Not complete: whether it had walked every listing before it died is unknown.
                # Of its frontier articles only those it delivered leave: which listed URL gave
                # which article died with it (cron/frontier.py; the others are asked again).
                delivered = self._staged(run_id)  # one row a URL: the pending table's key
                self.commit_run(run_id, len(delivered), complete=False, settled=delivered)
                done.append((run_id, f"committed: {file} is complete"))
            else:
                part = Path(f"{file}.part") if file else None
                if part is not None and part.exists():
                    part.unlink()  # items of a killed run: never delivered, exported again
                if before_abandoning is not None:
                    before_abandoning(run_id)
                self.abandon_run(run_id)
                done.append((run_id, "abandoned: its file never reached its final name"))
        return done

    def reset(self) -> int:
        """Forget everything about this site; returns how many articles were forgotten."""
        self.flush()
        n = self.count()
        self._held = None
        for table in ("articles", "changes", "runs", "pending", "failures", "fallback_pages",
                      "frontier"):
            self.db.execute(f"DELETE FROM {table} WHERE site = ?", (self.site,))
        return n
