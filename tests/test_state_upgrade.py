"""An existing state database is upgraded in place by a newer version (docs/operations.md:
Upgrading): the first state database ever written, from the commit that introduced it
(7d3d941, "Incremental, crash-safe cron runs …", 2026-11-25), copied here as it was, opened by
today's code, has every column a new database has, keeps its rows, and works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mptcrawler.state import CrawlState

SITE = "https://mpt.gov.by"
FIRST_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER, content_hash TEXT NOT NULL,
    revision INTEGER NOT NULL, published TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL, etag TEXT, last_modified TEXT,
    PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS changes (
    site TEXT NOT NULL, url TEXT NOT NULL, revision INTEGER NOT NULL, run_id TEXT NOT NULL,
    changed_at TEXT NOT NULL, old_hash TEXT, new_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    site TEXT NOT NULL, run_id TEXT NOT NULL, file TEXT, status TEXT NOT NULL,
    started TEXT NOT NULL, finished TEXT, exported INTEGER, seen INTEGER,
    PRIMARY KEY (site, run_id)
);
CREATE TABLE IF NOT EXISTS pending (
    site TEXT NOT NULL, run_id TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER,
    content_hash TEXT NOT NULL, revision INTEGER NOT NULL, published TEXT, seen_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, exported INTEGER NOT NULL,
    PRIMARY KEY (site, run_id, url)
);
"""


def columns(path: Path) -> dict[str, list[str]]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "ORDER BY name")]
    found = {t: sorted(r[1] for r in db.execute(f"PRAGMA table_info({t})")) for t in tables}
    db.close()
    return found


def first_state(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(FIRST_SCHEMA)
    db.execute("INSERT INTO articles VALUES (?, ?, 7670, 'h', 2, '2016-04-26', "
               "'2026-11-25T06:17:00Z', '2026-11-25T06:17:00Z', '2026-11-25T06:17:00Z', "
               "'\"e\"', NULL)", (SITE, f"{SITE}/a"))
    db.execute("INSERT INTO runs VALUES (?, 'r1', 'mpt-r1.jsonl', 'done', "
               "'2026-11-25T06:17:00Z', '2026-11-25T06:20:00Z', 1, 1)", (SITE,))
    db.commit()
    db.close()


def test_the_first_state_database_gets_every_column_of_a_new_one(tmp_path: Path) -> None:
    CrawlState(tmp_path / "new.sqlite", SITE).close()
    old = tmp_path / "old.sqlite"
    first_state(old)
    CrawlState(old, SITE).close()
    assert columns(old) == columns(tmp_path / "new.sqlite")
    CrawlState(old, SITE).close()  # a second opening changes nothing
    assert columns(old) == columns(tmp_path / "new.sqlite")


def indexes(path: Path) -> list[tuple[str, str, list[str]]]:
    """The indexes made by CREATE INDEX (not those SQLite makes for a primary key)."""
    db = sqlite3.connect(path)
    found = [(name, table, [r[2] for r in db.execute(f"PRAGMA index_info({name})")])
             for name, table in db.execute("SELECT name, tbl_name FROM sqlite_master WHERE "
                                           "type = 'index' AND sql IS NOT NULL ORDER BY name")]
    db.close()
    return found


def test_the_first_state_database_gets_the_node_id_index(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    first_state(old)
    assert indexes(old) == []
    CrawlState(old, SITE).close()
    assert indexes(old) == [("articles_node", "articles", ["site", "node_id"])]
    CrawlState(old, SITE).close()  # a second opening changes nothing
    assert indexes(old) == [("articles_node", "articles", ["site", "node_id"])]
    CrawlState(tmp_path / "new.sqlite", SITE).close()
    assert indexes(tmp_path / "new.sqlite") == indexes(old)


def test_an_article_unknown_by_its_url_is_looked_for_through_the_node_id_index(
        tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    first_state(old)
    state = CrawlState(old, SITE)
    asked: list[str] = []
    state.db.set_trace_callback(asked.append)  # the statements as run, values in place
    assert state.known_node(7670)
    elsewhere = state.known_elsewhere(7670, "ru", f"{SITE}/ru/b")  # /a: Russian, no prefix
    assert elsewhere is not None and elsewhere.url == f"{SITE}/a"
    state.db.set_trace_callback(None)
    assert len(asked) == 2
    for sql in asked:
        plan = [row[3] for row in state.db.execute("EXPLAIN QUERY PLAN " + sql)]
        assert plan[0] == "SEARCH articles USING INDEX articles_node (site=? AND node_id=?)", sql
    state.close()


def test_an_upgraded_state_keeps_its_rows_and_runs_on(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    first_state(old)
    state = CrawlState(old, SITE)
    known = state.known(f"{SITE}/a")
    assert known is not None
    assert (known.node_id, known.content_hash, known.revision, known.etag) == (7670, "h", 2, '"e"')
    assert (known.withdrawn, known.previous_urls) == (None, ())  # the added columns read null
    # a run recorded without mode and completeness is no complete full run: the next is full
    assert state.why_full() == "no complete full crawl of this site yet"
    state.start_run("r2", str(tmp_path / "mpt-r2.jsonl"), "full")
    assert state.commit_run("r2", seen=1, complete=True) == 0
    assert state.why_full() is None
    state.close()
