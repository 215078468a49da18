"""The frontier's rules (mptcrawler/cron/frontier.py) and its rows in the state: what must leave
and what must stay, across commits, a kill and an upgrade from a state file of the release
before it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mptcrawler.cron.frontier import Frontier, keeps_next_page, leaves
from mptcrawler.state import CrawlState

SITE = "http://127.0.0.1:8800"
A, B = "https://mpt.gov.by/ru/news/a", "https://mpt.gov.by/ru/news/b"
NODE = "https://mpt.gov.by/node/7"

# The schema of the release before the frontier (state.py at 1f5ac56), verbatim.
OLD_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS pending (
    site TEXT NOT NULL, run_id TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER,
    content_hash TEXT NOT NULL, revision INTEGER NOT NULL, published TEXT, seen_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, exported INTEGER NOT NULL, previous_url TEXT,
    PRIMARY KEY (site, run_id, url)
);
"""


@pytest.mark.parametrize(("why", "url", "delivered", "failed", "withdrawn", "answered"), [
    ("delivered under its own URL", A, {A}, set(), set(), {}),
    ("recorded as a failure", A, set(), {A}, set(), {}),
    ("recorded as withdrawn", A, set(), set(), {A}, {}),
    ("a twin or a fallback page: nothing to deliver", NODE, set(), set(), set(), {NODE: None}),
    ("delivered under its canonical URL", NODE, {A}, set(), set(), {NODE: A}),
    ("failed under its canonical URL", NODE, set(), {A}, set(), {NODE: A}),
])
def test_an_entry_leaves_when_its_article_is_settled(
        why: str, url: str, delivered: set[str], failed: set[str], withdrawn: set[str],
        answered: dict[str, str | None]) -> None:
    assert leaves(url, delivered, failed, withdrawn, answered), why


@pytest.mark.parametrize(("why", "url", "delivered", "answered"), [
    ("never answered: in flight when the run stopped", A, {B}, {}),
    ("answered, its item dropped (invalid): delivered nowhere", NODE, {B}, {NODE: A}),
    ("another article delivered under this URL's neighbour", A, {B}, {B: B}),
])
def test_an_entry_stays_until_its_article_is_settled(
        why: str, url: str, delivered: set[str], answered: dict[str, str | None]) -> None:
    assert not leaves(url, delivered, set(), set(), answered), why


def test_the_next_page_is_kept_for_limits_not_for_the_walks_own_stops() -> None:
    assert keeps_next_page("max_pages") and keeps_next_page("since")
    assert not keeps_next_page("known") and not keeps_next_page("bound")


def rows(state: CrawlState) -> list[tuple[str, str]]:
    return sorted((url, kind) for url, kind, *_ in state.frontier())


def test_rows_leave_only_with_the_commit_of_a_run_that_settled_them(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    first = Frontier(state, "r1")
    first.listing("/ru/news?page=1", "news", "ru", 1)
    first.article(A, "ru", "01.02.2024")
    first.article(B, "ru", None)
    first.walked("/ru/news?page=1")
    # r1 stops: nothing delivered, nothing leaves.
    state.commit_run("r1", seen=-1, complete=False,
                     settled=first.settled(state.staged_urls("r1"), {}, {}))
    assert rows(state) == [(A, "article"), (B, "article")]

    state.start_run("r2", None)
    second = Frontier(state, "r2")
    assert [e.url for e in second.load({"ru"})] == [A, B]
    assert second.load({"be"}) == []  # another language's run leaves them alone
    state.stage("r2", A, 1, "h", 1, None, None, None, exported=True)
    second.answer(A, A)
    second.answer(B, "https://mpt.gov.by/ru/news/b-renamed")  # its item was dropped
    state.commit_run("r2", seen=1, settled=second.settled(state.staged_urls("r2"), {}, {}))
    assert rows(state) == [(B, "article")]
    assert state.frontier_counts() == (0, 1)


def test_a_kill_loses_a_listing_pages_removal_with_its_entries(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    frontier = Frontier(state, "r1")
    frontier.begin(full=True, langs=("ru", "be"))  # committed at once
    frontier.article(A, "ru", None)
    frontier.walked("/ru/news")
    state.db.close()  # killed: the open batch is lost, the removal with it
    again = CrawlState(tmp_path / "s.sqlite", SITE)
    assert rows(again) == [("/", "front"), ("/be/news", "news"), ("/rss.xml", "feed"),
                           ("/ru/news", "news")]


def test_why_full_relies_on_a_kept_frontier_not_on_a_bounded_run(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    assert state.why_full() == "no complete full crawl of this site yet"
    state.start_run("r1", None, "full")
    state.commit_run("r1", seen=-1, complete=False)  # interrupted, its frontier kept
    assert state.why_full() is None
    state.start_run("r2", None, "incremental")
    state.frontier_incomplete("r2")  # a listing stopped at a bound: past it is in no frontier
    state.commit_run("r2", seen=-1, complete=False)
    assert state.why_full() == "incremental run r2 did not end complete"


def test_a_state_file_of_the_release_before_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO articles (site, url, node_id, content_hash, revision, first_seen, "
               "last_seen, last_changed) VALUES (?, ?, 7, 'h', 3, 'x', 'x', 'x')", (SITE, A))
    # A full run of that release, stopped: it kept no frontier.
    db.execute("INSERT INTO runs (site, run_id, status, started, mode, complete) "
               "VALUES (?, 'r0', 'done', 'x', 'full', 1), (?, 'r1', 'done', 'x', 'full', 0)",
               (SITE, SITE))
    db.commit()
    db.close()
    state = CrawlState(path, SITE)
    columns = {r[1] for r in state.db.execute("PRAGMA table_info(runs)")}
    assert "frontier" in columns
    assert state.frontier() == [] and state.frontier_counts() == (0, 0)
    known = state.known(A)
    assert known is not None and (known.node_id, known.revision) == (7, 3)
    # Its stopped run left no frontier to finish: the next run walks everything, as before.
    assert state.why_full() == "full run r1 did not end complete"
    Frontier(state, "r2").article(B, "ru", None)
    state.flush()
    assert rows(state) == [(B, "article")]
