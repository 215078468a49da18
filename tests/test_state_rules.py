"""The state's smaller rules, by direct calls: the site key of a loopback replica, the data
folder's base URL, the verified articles the sitemap plan reads, a run's staged URLs, the
frontier's rows and counts, and the frontier articles a recovered run settles. Expected values
are written by hand."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from mptcrawler.state import CrawlState, site_key

SITE = "http://127.0.0.1:8800"
A, B, C = ("https://mpt.gov.by/ru/news/a", "https://mpt.gov.by/ru/news/b",
           "https://mpt.gov.by/ru/news/c")


@pytest.mark.parametrize(("base_url", "key"), [
    ("http://127.0.0.1:8800", "http://127.0.0.1:*"),
    ("http://127.4.5.6:9", "http://127.4.5.6:*"),  # all of 127.0.0.0/8 is loopback
    ("https://localhost:8443", "https://localhost:*"),
    ("http://[::1]:8800", "http://[::1]:*"),  # an IPv6 host keeps its brackets
    ("http://128.0.0.1:8800", "http://128.0.0.1:8800"),  # not loopback: the port is kept
    ("http://10.127.0.1:8800", "http://10.127.0.1:8800"),  # 127 not at the start
    ("https://mpt.gov.by", "https://mpt.gov.by"),
    ("http://mpt.gov.by:8080", "http://mpt.gov.by:8080"),
    ("mpt.gov.by", "mpt.gov.by"),  # no host part at all: as given
])
def test_the_site_key_drops_the_port_of_a_loopback_host_only(base_url: str, key: str) -> None:
    assert site_key(base_url) == key


def started(state: CrawlState, run_id: str, when: str) -> None:
    state.db.execute("UPDATE runs SET started = ? WHERE run_id = ?", (when, run_id))


def test_the_folder_base_url_is_the_first_recorded_else_the_newest_runs_site(
        tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    assert state.folder_base_url() is None  # no run, nothing recorded
    # A state from before the folder's URL was recorded: the newest run's base URL, or its
    # site when the run did not record one.
    state.start_run("r1", None, base_url="http://127.0.0.1:8801")
    state.start_run("r2", None)
    started(state, "r1", "2026-01-01T00:00:00Z")
    started(state, "r2", "2026-01-02T00:00:00Z")
    assert state.folder_base_url() == SITE
    started(state, "r1", "2026-01-03T00:00:00Z")
    assert state.folder_base_url() == "http://127.0.0.1:8801"
    state.record_folder_base_url("https://mpt.gov.by")
    state.record_folder_base_url("http://example.org")  # the first one recorded stays
    assert state.folder_base_url() == "https://mpt.gov.by"


def commit(state: CrawlState, run: str, *urls: str) -> None:
    state.start_run(run, None)
    for url in urls:
        state.stage(run, url, 1, "h", 1, None, None, None, exported=True)
    state.commit_run(run, seen=len(urls))


def test_verified_gives_the_live_articles_with_their_last_verification_oldest_first(
        tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    commit(state, "r1", A, B, C)
    for url, seen in ((A, "2026-03-02T10:00:00Z"), (B, "2026-03-01T09:30:00Z"),
                      (C, "2026-03-01T08:00:00Z")):
        state.db.execute("UPDATE articles SET last_seen = ? WHERE url = ?", (seen, url))
    state.db.execute("UPDATE articles SET withdrawn = '2026-03-02T00:00:00Z' WHERE url = ?", (C,))
    other = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")  # another site's article
    commit(other, "o1", A)
    got = state.verified()
    assert [(k.url, k.content_hash, k.withdrawn, seen) for k, seen in got] == [
        (B, "h", None, dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)),
        (A, "h", None, dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)),
    ]
    assert got[0][0].previous_urls == ()


def test_staged_urls_are_this_runs_and_durable(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.start_run("r2", None)
    state.stage("r1", A, 1, "h", 1, None, None, None, exported=True)
    state.stage("r1", B, 2, "h", 1, None, None, None, exported=False)
    state.stage("r2", C, 3, "h", 1, None, None, None, exported=True)
    assert state.staged_urls("r1") == {A, B}
    # flushed: another connection sees them
    seen = sqlite3.connect(tmp_path / "s.sqlite").execute(
        "SELECT url FROM pending WHERE run_id = 'r1' ORDER BY url").fetchall()
    assert seen == [(A,), (B,)]


def test_the_frontier_rows_listing_pages_first_and_their_counts(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.frontier_add("r1", A, "article", "ru", None, "01.02.2024")
    state.frontier_add("r1", "/ru/news?page=3", "news", "ru", 3)
    state.frontier_add("r1", B, "article", "ru")
    state.frontier_add("r1", "/", "front", "ru", 0)
    state.frontier_add("r1", A, "article", "ru", None, None)  # no date: the known one stays
    state.flush()
    other = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")  # another site's row
    other.frontier_add("o", C, "article")
    other.flush()
    assert state.frontier() == [
        ("/ru/news?page=3", "news", "ru", 3, None),
        ("/", "front", "ru", 0, None),
        (A, "article", "ru", None, "01.02.2024"),
        (B, "article", "ru", None, None),
    ]
    assert state.frontier_counts() == (2, 2)
    state.frontier_walked("/ru/news?page=3")
    state.frontier_walked(A)  # an article does not leave by a walk
    state.flush()
    assert state.frontier_counts() == (1, 2)
    assert [row[0] for row in state.frontier()] == ["/", A, B]


def test_frontier_incomplete_marks_that_run_only(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.start_run("r2", None)
    state.frontier_incomplete("r2")
    state.flush()
    assert state.db.execute("SELECT run_id, frontier FROM runs ORDER BY run_id").fetchall() == [
        ("r1", 1), ("r2", None)]


def test_a_recovered_run_settles_the_frontier_articles_it_delivered(tmp_path: Path) -> None:
    file = tmp_path / "r1.jsonl"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(file))
    state.frontier_add("r1", A, "article", "ru")
    state.frontier_add("r1", B, "article", "ru")
    state.stage("r1", A, 1, "h", 1, None, None, None, exported=True)
    state.flush()
    file.write_text("{}\n")  # renamed into place, then killed before the state commit
    state.close()
    again = CrawlState(tmp_path / "s.sqlite", SITE)
    assert again.recover() == [("r1", f"committed: {file} is complete")]
    assert [row[0] for row in again.frontier()] == [B]


def test_run_info_names_every_column(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", "out.jsonl", "incremental", "https://mpt.gov.by")
    info = state.run_info("r1")
    assert set(info) == {"file", "status", "mode", "started", "finished", "exported",
                         "base_url", "complete"}
    assert (info["file"], info["status"], info["mode"], info["finished"], info["exported"],
            info["base_url"], info["complete"]) == ("out.jsonl", "running", "incremental", None,
                                                    None, "https://mpt.gov.by", None)
