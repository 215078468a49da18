"""The state database on its own: staging, commit, recovery of killed runs, reset."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from mptcrawler.state import CrawlState, Known

SITE = "http://127.0.0.1:8800"


def stage(state: CrawlState, run: str, url: str, digest: str = "h1", revision: int = 1) -> None:
    state.stage(run, url, 1, digest, revision, "2024-01-02", '"e"', None, exported=True)


def test_nothing_is_known_before_the_commit(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(tmp_path / "r1.jsonl"))
    stage(state, "r1", "https://mpt.gov.by/a")
    assert state.known("https://mpt.gov.by/a") is None
    assert state.commit_run("r1", seen=1) == 1
    known = state.known("https://mpt.gov.by/a")
    assert known is not None and (known.revision, known.etag) == (1, '"e"')


def test_killed_after_the_rename_is_committed_at_the_next_start(tmp_path: Path) -> None:
    file = tmp_path / "r1.jsonl"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(file))
    stage(state, "r1", "https://mpt.gov.by/a")
    state.flush()  # as IncrementalRuns.before_delivery does, before the JSONL's rename
    file.write_text("{}\n")  # the rename happened, then the process died
    state.close()
    again = CrawlState(tmp_path / "s.sqlite", SITE)
    assert again.recover() == [("r1", f"committed: {file} is complete")]
    assert again.known("https://mpt.gov.by/a") is not None


def test_staged_rows_are_committed_in_batches_and_by_flush(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(tmp_path / "r1.jsonl"))
    reader = sqlite3.connect(tmp_path / "s.sqlite")

    def durable() -> int:
        return int(reader.execute("SELECT count(*) FROM pending").fetchone()[0])

    for i in range(CrawlState.STAGE_BATCH + 3):
        stage(state, "r1", f"https://mpt.gov.by/a{i}")
    assert durable() == CrawlState.STAGE_BATCH  # one full batch committed, 3 rows open
    state.flush()
    assert durable() == CrawlState.STAGE_BATCH + 3
    reader.close()


def test_queued_writes_are_made_in_the_order_they_came(tmp_path: Path) -> None:
    """The run's writes wait and are made together, a statement's consecutive writes in one
    executemany: the order between statements still holds. A listing page walked after its
    entries leaves them; one added again after it was walked stays (a carried page asked for
    anew)."""
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.frontier_add("r1", "/ru/news", "news", "ru", 0)
    state.frontier_add("r1", "https://mpt.gov.by/ru/a", "article", "ru")
    state.frontier_walked("/ru/news")
    state.frontier_add("r1", "/ru/news?page=1", "news", "ru", 1)
    state.frontier_walked("/ru/news?page=1")
    state.frontier_add("r1", "/ru/news?page=1", "news", "ru", 1)
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    state.flush()
    reader = sqlite3.connect(tmp_path / "s.sqlite")
    assert sorted(r[0] for r in reader.execute("SELECT url FROM frontier")) == [
        "/ru/news?page=1", "https://mpt.gov.by/ru/a"]
    assert reader.execute("SELECT url FROM pending").fetchall() == [("https://mpt.gov.by/ru/a",)]
    reader.close()


def test_reads_of_the_frontier_and_the_staged_rows_see_the_queued_writes(
        tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.frontier_add("r1", "/ru/news", "news", "ru", 0)
    state.frontier_add("r1", "https://mpt.gov.by/ru/a", "article", "ru", None, "01.02.2024")
    assert state.frontier() == [("/ru/news", "news", "ru", 0, None),
                                ("https://mpt.gov.by/ru/a", "article", "ru", None, "01.02.2024")]
    state.frontier_walked("/ru/news")
    assert state.frontier_counts() == (0, 1)
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    assert state.staged_urls("r1") == {"https://mpt.gov.by/ru/a"}


class FailingWrites:
    """The state's connection, with its executemany failing while ``failing`` is set (a disk
    that fills up, an I/O error)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.failing = False

    def executemany(self, sql: str, rows: list[tuple[object, ...]]) -> sqlite3.Cursor:
        if self.failing:
            raise sqlite3.OperationalError("disk I/O error")
        return self.db.executemany(sql, rows)

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_a_failed_flush_keeps_every_row_of_its_batch_for_the_next(tmp_path: Path) -> None:
    """A batch that cannot be written: nothing of it is in the table, the write that found
    the batch full is not made (its caller raises: an item then dropped is neither exported
    nor staged), and the next flush writes the whole batch, the rows a read had written into
    the undone transaction included."""
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    n = CrawlState.STAGE_BATCH
    for i in range(n - 1):
        stage(state, "r1", f"https://mpt.gov.by/ru/{i}")
        if i == n // 2:
            assert state.frontier() == []  # a read: the rows so far are written, not committed
    assert state.frontier() == []  # another: the rows since then too, in the same transaction
    stage(state, "r1", f"https://mpt.gov.by/ru/{n - 1}")
    failing = FailingWrites(state.db)
    state.db = failing  # type: ignore[assignment]
    reader = sqlite3.connect(tmp_path / "s.sqlite")

    def durable() -> int:
        return int(reader.execute("SELECT count(*) FROM pending").fetchone()[0])

    failing.failing = True
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        stage(state, "r1", "https://mpt.gov.by/ru/late")  # the batch is full: flushed first
    assert durable() == 0
    with pytest.raises(sqlite3.OperationalError):
        state.flush()  # still failing: still nothing, nothing lost
    failing.failing = False
    state.flush()
    assert durable() == n
    assert state.staged_urls("r1") == {f"https://mpt.gov.by/ru/{i}" for i in range(n)}
    reader.close()


def test_killed_before_the_rename_is_abandoned_and_its_part_removed(tmp_path: Path) -> None:
    file = tmp_path / "r1.jsonl"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(file))
    stage(state, "r1", "https://mpt.gov.by/a")
    Path(f"{file}.part").write_text('{"torn": ')
    state.close()
    again = CrawlState(tmp_path / "s.sqlite", SITE)
    assert again.recover()[0][1].startswith("abandoned")
    assert again.known("https://mpt.gov.by/a") is None
    assert not Path(f"{file}.part").exists()


def test_a_killed_runs_files_go_before_it_is_recorded_as_abandoned(tmp_path: Path) -> None:
    """The recovery removes a dropped run's files first (``before_abandoning``), then records it
    as abandoned: a process killed while removing them (here: the callback raises) leaves the
    run "running", and the next recovery removes them again."""
    file = tmp_path / "r1.jsonl"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(file))
    Path(f"{file}.part").write_text("{}\n")
    state.close()

    class Killed(Exception):
        pass

    def killed(run_id: str) -> None:
        raise Killed(run_id)

    again = CrawlState(tmp_path / "s.sqlite", SITE)
    with pytest.raises(Killed):
        again.recover(before_abandoning=killed)
    assert again.run_info("r1")["status"] == "running"
    removed: list[str] = []
    assert again.recover(before_abandoning=removed.append)[0][1].startswith("abandoned")
    assert removed == ["r1"]
    assert again.run_info("r1")["status"] == "abandoned"
    assert not Path(f"{file}.part").exists()
    assert again.recover(before_abandoning=removed.append) == [] and removed == ["r1"]


def test_reset_forgets_writes_still_queued_too(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    state.frontier_add("r1", "/ru/news", "news", "ru", 0)
    state.reset()
    state.flush()
    assert state.db.execute("SELECT count(*) FROM pending").fetchone() == (0,)
    assert state.frontier() == []


def test_sites_never_share_rows_and_reset_forgets_one(tmp_path: Path) -> None:
    replica = CrawlState(tmp_path / "s.sqlite", SITE)
    live = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    for state in (replica, live):
        state.start_run("r1", None)
        stage(state, "r1", "https://mpt.gov.by/a")
        state.commit_run("r1", seen=1)
    assert replica.reset() == 1
    assert replica.known("https://mpt.gov.by/a") is None
    assert live.known("https://mpt.gov.by/a") is not None


def test_recent_is_relative_to_the_newest_article(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    for day, url in (("2020-01-20", "a"), ("2020-01-14", "b"), ("2020-01-12", "c")):
        state.stage("r1", url, None, "h", 1, day, None, None, exported=True)
    state.commit_run("r1", seen=3)
    assert [k.url for k in state.recent(7)] == ["a", "b"]


def test_a_failed_article_keeps_the_date_its_listing_showed(tmp_path: Path) -> None:
    # Asked for again by the next run without its listing, the article still has that date
    # (a page that shows none of its own is then not lost as "not an article").
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    a, b = "https://mpt.gov.by/ru/a", "https://mpt.gov.by/ru/b"
    state.start_run("r1", None)
    state.commit_run("r1", 0, failures={a: "http_503", b: "http_503"},
                     listed_dates={a: "15.03.2019"})
    assert state.failed_urls() == [(a, "15.03.2019"), (b, None)]
    state.start_run("r2", None)  # failed again, asked for without a listing date this time
    state.commit_run("r2", 0, failures={a: "http_500"}, listed_dates={})
    assert state.failed_urls() == [(a, "15.03.2019"), (b, None)]
    state.start_run("r3", None)
    stage(state, "r3", a)
    state.commit_run("r3", 1)
    assert state.failed_urls() == [(b, None)]


def test_a_state_of_the_previous_release_gains_the_listed_date_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE failures (site TEXT NOT NULL, url TEXT NOT NULL, "
               "reason TEXT NOT NULL, run_id TEXT NOT NULL, PRIMARY KEY (site, url))")
    db.execute("INSERT INTO failures VALUES (?, 'https://mpt.gov.by/ru/a', 'http_503', 'r0')",
               (SITE,))
    db.commit()
    db.close()
    state = CrawlState(path, SITE)
    assert state.failed_urls() == [("https://mpt.gov.by/ru/a", None)]


def a_and_b_known(tmp_path: Path) -> CrawlState:
    """A state that knows /ru/a and /ru/b (run r1), with run r2 started."""
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    for url in ("https://mpt.gov.by/ru/a", "https://mpt.gov.by/ru/b"):
        stage(state, "r1", url)
    state.commit_run("r1", 2)
    state.start_run("r2", None)
    return state


def test_withdrawn_articles_are_recorded_and_no_longer_rechecked(tmp_path: Path) -> None:
    state = a_and_b_known(tmp_path)
    state.commit_run("r2", 0, failures={"https://mpt.gov.by/ru/a": "http_404"},
                     withdrawn={"https://mpt.gov.by/ru/a": 404})
    gone = state.withdrawn_articles()
    assert [(g["url"], g["status"], g["lang"], g["last_revision"]) for g in gone] == [
        ("https://mpt.gov.by/ru/a", 404, "ru", 1)]
    assert state.failed_urls() == []  # a withdrawal is no failure to retry
    assert [k.url for k in state.recent(7)] == ["https://mpt.gov.by/ru/b"]
    # It comes back: live again, no longer in the record.
    state.start_run("r3", None)
    stage(state, "r3", "https://mpt.gov.by/ru/a")
    state.commit_run("r3", 1)
    assert state.withdrawn_articles() == []


def test_a_moved_article_keeps_its_history_under_the_new_address(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    old, new, newer = ("https://mpt.gov.by/ru/slug", "https://mpt.gov.by/ru/slug-new",
                       "https://mpt.gov.by/ru/slug-newer")
    state.start_run("r1", None)
    state.stage("r1", old, 9339, "h1", 1, "2024-04-15", None, None, True)
    state.stage("r1", "https://mpt.gov.by/be/slug-be", 9339, "h9", 1, "2024-04-15", None, None,
                True)  # the Belarusian translation: same node id, another language
    state.commit_run("r1", 2)
    found = state.known_elsewhere(9339, "ru", new)
    assert found is not None and found.url == old
    assert state.known_elsewhere(9339, "en", new) is None
    state.start_run("r2", None)
    state.stage("r2", new, 9339, "h2", 2, "2024-04-15", None, None, True, previous_url=old)
    state.commit_run("r2", 1)
    assert state.known(old) is None
    moved = state.known(new)
    assert moved is not None and (moved.revision, moved.previous_urls) == (2, (old,))
    state.start_run("r3", None)
    state.stage("r3", newer, 9339, "h3", 3, "2024-04-15", None, None, True, previous_url=new)
    state.commit_run("r3", 1)
    again = state.known(newer)
    assert again is not None and again.previous_urls == (old, new)
    assert state.known("https://mpt.gov.by/be/slug-be") is not None
    # edited later at the same address: a new revision that keeps the addresses it had
    state.start_run("r4", None)
    state.stage("r4", newer, 9339, "h4", 4, "2024-04-15", None, None, True)
    state.commit_run("r4", 1)
    edited = state.known(newer)
    assert edited is not None and (edited.revision, edited.previous_urls) == (4, (old, new))
    # each move exported a revision of the article it moved: its changes row has the hash
    # the article had at its previous address
    assert state.db.execute("SELECT url, revision, old_hash, new_hash FROM changes WHERE "
                            "url != 'https://mpt.gov.by/be/slug-be' ORDER BY revision"
                            ).fetchall() == [(old, 1, None, "h1"), (new, 2, "h1", "h2"),
                                             (newer, 3, "h2", "h3"), (newer, 4, "h3", "h4")]


def test_the_commit_counts_moved_and_other_exported_articles(tmp_path: Path) -> None:
    state = a_and_b_known(tmp_path)
    state.stage("r2", "https://mpt.gov.by/ru/a2", 1, "h2", 2, None, None, None, True,
                previous_url="https://mpt.gov.by/ru/a")
    state.stage("r2", "https://mpt.gov.by/ru/b", 1, "h1", 1, None, None, None, False)
    # moved from an address the state does not know (not from TrackRevisions; the state's
    # API allows it): a first revision of sorts, with no old hash
    state.stage("r2", "https://mpt.gov.by/ru/e2", 1, "h5", 1, None, None, None, True,
                previous_url="https://mpt.gov.by/ru/gone")
    stage(state, "r2", "https://mpt.gov.by/ru/c")
    stage(state, "r2", "https://mpt.gov.by/ru/d")
    assert state.commit_run("r2", 5) == 4  # a2 and e2 (moved), c and d; b was seen unchanged
    assert state.db.execute("SELECT url, old_hash FROM changes WHERE run_id = 'r2' ORDER BY url"
                            ).fetchall() == [("https://mpt.gov.by/ru/a2", "h1"),
                                             ("https://mpt.gov.by/ru/c", None),
                                             ("https://mpt.gov.by/ru/d", None),
                                             ("https://mpt.gov.by/ru/e2", None)]


# --- each query and each rule on both sides --------------------------------------------------

UTC_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def committed(tmp_path: Path, urls: list[str], run: str = "r1") -> CrawlState:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run(run, None)
    for url in urls:
        stage(state, run, url)
    state.commit_run(run, seen=len(urls))
    return state


def set_column(state: CrawlState, column: str, values: dict[str, str | None]) -> None:
    for url, value in values.items():
        state.db.execute(f"UPDATE articles SET {column} = ? WHERE url = ?", (value, url))


def test_a_new_state_is_made_in_a_new_folder_durably(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "deep" / "er" / "s.sqlite", SITE)
    assert state.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert state.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert state.staged == 0
    assert (state.count(), state.count_live(), state.failed_urls(), state.history()) == (
        0, 0, [], [])


def test_a_state_of_the_first_release_gains_every_added_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE articles (site TEXT NOT NULL, url TEXT NOT NULL, node_id INTEGER, "
        "content_hash TEXT NOT NULL, revision INTEGER NOT NULL, published TEXT, "
        "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, last_changed TEXT NOT NULL, "
        "etag TEXT, last_modified TEXT, PRIMARY KEY (site, url));"
        "CREATE TABLE pending (site TEXT NOT NULL, run_id TEXT NOT NULL, url TEXT NOT NULL, "
        "node_id INTEGER, content_hash TEXT NOT NULL, revision INTEGER NOT NULL, "
        "published TEXT, seen_at TEXT NOT NULL, etag TEXT, last_modified TEXT, "
        "exported INTEGER NOT NULL, PRIMARY KEY (site, run_id, url));")
    db.execute("INSERT INTO articles VALUES (?, 'https://mpt.gov.by/ru/a', 7, 'h', 1, "
               "'2024-01-02', 'x', 'x', 'x', NULL, NULL)", (SITE,))
    db.commit()
    db.close()
    state = CrawlState(path, SITE)
    for table, column in (("articles", "withdrawn"), ("articles", "withdrawn_status"),
                          ("articles", "previous_urls"), ("pending", "previous_url"),
                          ("failures", "listed_date")):
        assert column in {r[1] for r in state.db.execute(f"PRAGMA table_info({table})")}
    known = state.known("https://mpt.gov.by/ru/a")
    assert known is not None and (known.node_id, known.withdrawn, known.previous_urls) == (
        7, None, ())
    CrawlState(path, SITE).close()  # a second opening adds nothing twice


def test_known_reads_every_column(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.stage("r1", "https://mpt.gov.by/ru/a", 12, "h1", 3, "2024-01-02T10:15:00+03:00",
                '"etag"', "Tue, 02 Jan 2024 07:15:00 GMT", True)
    state.commit_run("r1", 1)
    assert state.known("https://mpt.gov.by/ru/a") == Known(
        "https://mpt.gov.by/ru/a", 12, "h1", 3, "2024-01-02T10:15:00+03:00", '"etag"',
        "Tue, 02 Jan 2024 07:15:00 GMT", None, ())
    assert state.known("https://mpt.gov.by/ru/b") is None


def test_the_newest_of_several_old_addresses_is_the_one_known_elsewhere(tmp_path: Path
                                                                        ) -> None:
    a, b, c = (f"https://mpt.gov.by/ru/{x}" for x in "abc")
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    for url in (a, b, c):
        state.stage("r1", url, 9, "h", 1, None, None, None, True)
    state.commit_run("r1", 3)
    set_column(state, "last_seen", {a: "2024-01-01T00:00:00Z", b: "2024-03-01T00:00:00Z",
                                    c: "2024-02-01T00:00:00Z"})
    found = state.known_elsewhere(9, "ru", "https://mpt.gov.by/ru/new")
    assert found is not None and found.url == b
    found = state.known_elsewhere(9, "ru", b)  # not the address asked about itself
    assert found is not None and found.url == c
    assert state.known_elsewhere(10, "ru", "https://mpt.gov.by/ru/new") is None


def test_stalest_are_the_live_ones_verified_longest_ago(tmp_path: Path) -> None:
    a, b, c, d, e = (f"https://mpt.gov.by/ru/{x}" for x in "abcde")
    state = committed(tmp_path, [a, b, c, d, e])
    set_column(state, "last_seen", {a: "2024-01-05T00:00:00Z", b: "2024-01-01T00:00:00Z",
                                    c: "2024-01-03T00:00:00Z", d: "2024-01-02T00:00:00Z",
                                    e: "2024-01-04T00:00:00Z"})
    assert [k.url for k in state.stalest(2, set())] == [b, d]
    assert [k.url for k in state.stalest(2, {b})] == [d, c]
    assert [k.url for k in state.stalest(3, {b, d})] == [c, e, a]
    set_column(state, "withdrawn", {d: "2024-01-06T00:00:00Z"})
    assert [k.url for k in state.stalest(2, set())] == [b, c]
    assert state.stalest(0, set()) == []


def test_counts_tell_live_from_withdrawn(tmp_path: Path) -> None:
    a, b, c = (f"https://mpt.gov.by/ru/{x}" for x in "abc")
    state = committed(tmp_path, [a, b, c])
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={b: 410})
    assert (state.count(), state.count_live()) == (3, 2)
    other = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    assert (other.count(), other.count_live()) == (0, 0)


def test_withdrawn_articles_are_listed_whole_in_order(tmp_path: Path) -> None:
    a, b, c = ("https://mpt.gov.by/ru/z", "https://mpt.gov.by/be/y", "https://mpt.gov.by/en/x")
    state = committed(tmp_path, [a, b, c])
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={a: 404, b: 410, c: 404})
    set_column(state, "withdrawn", {a: "2024-02-01T00:00:00Z", b: "2024-02-01T00:00:00Z",
                                    c: "2024-01-01T00:00:00Z"})
    set_column(state, "last_seen", {a: "2024-01-09T00:00:00Z", b: "2024-01-08T00:00:00Z",
                                    c: "2023-12-31T00:00:00Z"})
    assert state.withdrawn_articles() == [
        {"url": c, "node_id": 1, "lang": "en", "last_seen": "2023-12-31T00:00:00Z",
         "withdrawn": "2024-01-01T00:00:00Z", "status": 404, "last_revision": 1},
        {"url": b, "node_id": 1, "lang": "be", "last_seen": "2024-01-08T00:00:00Z",
         "withdrawn": "2024-02-01T00:00:00Z", "status": 410, "last_revision": 1},
        {"url": a, "node_id": 1, "lang": "ru", "last_seen": "2024-01-09T00:00:00Z",
         "withdrawn": "2024-02-01T00:00:00Z", "status": 404, "last_revision": 1},
    ]


def test_a_withdrawal_keeps_its_first_date(tmp_path: Path) -> None:
    a = "https://mpt.gov.by/ru/a"
    state = committed(tmp_path, [a])
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={a: 404})
    set_column(state, "withdrawn", {a: "2024-01-01T00:00:00Z"})
    state.start_run("r3", None)
    state.commit_run("r3", 0, withdrawn={a: 410})
    assert [(g["withdrawn"], g["status"]) for g in state.withdrawn_articles()] == [
        ("2024-01-01T00:00:00Z", 404)]


def test_a_new_withdrawal_is_stamped_now(tmp_path: Path) -> None:
    a = "https://mpt.gov.by/ru/a"
    state = committed(tmp_path, [a])
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={a: 404})
    (gone,) = state.withdrawn_articles()
    assert UTC_STAMP.match(gone["withdrawn"]) and UTC_STAMP.match(gone["last_seen"])


def test_known_node_by_language_and_live_only(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.stage("r1", "https://mpt.gov.by/ru/a", 5, "h", 1, None, None, None, True)
    state.stage("r1", "https://mpt.gov.by/be/b", 6, "h", 1, None, None, None, True)
    state.commit_run("r1", 2)
    assert state.known_node(5) and state.known_node(5, "ru")
    assert not state.known_node(5, "be")
    assert not state.known_node(7)
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={"https://mpt.gov.by/be/b": 404})
    assert not state.known_node(6) and not state.known_node(6, "be")


def test_recent_includes_its_first_day_and_orders_newest_first(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    assert state.recent(7) == []
    state.start_run("r1", None)
    for day, url in (("2020-01-13T23:00:00+03:00", "d"), ("2020-01-20", "a"),
                     ("2020-01-12", "c"), ("2020-01-14", "b"), (None, "e")):
        state.stage("r1", url, None, "h", 1, day, None, None, exported=True)
    state.commit_run("r1", seen=5)
    assert [k.url for k in state.recent(7)] == ["a", "b", "d"]
    assert [k.url for k in state.recent(0)] == ["a"]
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={"b": 404})
    assert [k.url for k in state.recent(7)] == ["a", "d"]


def run(state: CrawlState, run_id: str, mode: str = "full", complete: bool = True,
        seen: int = 0, kept: bool = True) -> None:
    """``kept=False``: a run that kept no frontier (stopped at a bound, or of an earlier
    release, which had none)."""
    state.start_run(run_id, None, mode)
    if not kept:
        state.db.execute("UPDATE runs SET frontier = NULL WHERE run_id = ?", (run_id,))
    state.commit_run(run_id, seen, complete)


def test_a_complete_full_run_is_done_full_and_complete(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    assert not state.has_complete_full_run()
    run(state, "r1", "incremental")
    run(state, "r2", "full", complete=False)
    state.start_run("r3", None, "full")  # running, never committed
    assert not state.has_complete_full_run()
    run(state, "r4", "full")
    assert state.has_complete_full_run()
    assert not CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by").has_complete_full_run()


def test_why_full(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    assert state.why_full() == "no complete full crawl of this site yet"
    run(state, "r1", "full", complete=False, kept=False)
    assert state.why_full() == "no complete full crawl of this site yet"
    run(state, "r2", "full")
    assert state.why_full() is None  # r1 was before it
    run(state, "r3", "incremental")
    state.start_run("r4", None, "incremental")  # still running: not yet a short run
    assert state.why_full() is None
    state.abandon_run("r4")
    assert state.why_full() is None
    run(state, "r5", "incremental", complete=False, kept=False)
    run(state, "r6", "full", complete=False, kept=False)
    assert state.why_full() == "incremental run r5 did not end complete"
    run(state, "r7", "full")
    assert state.why_full() is None
    # A stopped or limited run that kept its frontier: the next run finishes that, in any mode.
    run(state, "r8", "incremental", complete=False)
    assert state.why_full() is None


def test_a_stopped_first_full_run_that_kept_its_frontier_is_enough(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    run(state, "r1", "full", complete=False)
    assert state.why_full() is None
    other = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")  # another site's runs
    assert other.why_full() == "no complete full crawl of this site yet"


def test_has_run(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    assert state.has_run("r1") and not state.has_run("r2")
    assert not CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by").has_run("r1")


def test_finished_runs_are_the_committed_runs_of_this_site_in_run_order(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r3", "/data/mpt-r3.jsonl")
    state.commit_run("r3", seen=1)
    state.start_run("r1", "/data/mpt-r1.jsonl")
    state.commit_run("r1", seen=1)
    state.start_run("r2", "/data/mpt-r2.jsonl")  # killed: still running
    state.start_run("r4", "/data/mpt-r4.jsonl")
    state.abandon_run("r4")  # its JSONL never reached its final name
    state.start_run("r5", None)
    state.commit_run("r5", seen=0)
    other = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    other.start_run("r0", "/data/mpt-r0.jsonl")
    other.commit_run("r0", seen=1)
    assert state.finished_runs() == [("r1", "/data/mpt-r1.jsonl"), ("r3", "/data/mpt-r3.jsonl"),
                                     ("r5", None)]
    assert other.finished_runs() == [("r0", "/data/mpt-r0.jsonl")]


def test_history_is_the_seen_counts_of_complete_runs_newest_first(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    run(state, "r1", seen=100)
    run(state, "r2", seen=5, complete=False)  # stopped early: not usual
    run(state, "r3", "incremental", seen=120)
    state.start_run("r4", None)  # running: no count yet
    run(state, "r5", seen=130)
    assert state.history() == [130, 120, 100]
    assert state.history(2) == [130, 120]
    assert state.history(1) == [130]


def test_a_run_is_recorded_with_its_file_mode_and_times(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", "/data/mpt-r1.jsonl", "incremental")
    info = state.run_info("r1")
    assert (info["file"], info["status"], info["mode"], info["finished"], info["exported"]) == (
        "/data/mpt-r1.jsonl", "running", "incremental", None, None)
    assert UTC_STAMP.match(info["started"])
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    state.stage("r1", "https://mpt.gov.by/ru/b", 2, "h", 1, None, None, None, exported=False)
    assert state.commit_run("r1", seen=2, complete=False) == 1
    info = state.run_info("r1")
    assert (info["status"], info["exported"], info["complete"]) == ("done", 1, False)
    assert UTC_STAMP.match(info["finished"])
    row = state.db.execute("SELECT seen, complete FROM runs WHERE run_id = 'r1'").fetchone()
    assert row == (2, 0)
    with pytest.raises(KeyError):
        state.run_info("r2")
    state.start_run("r2", None)
    assert state.run_info("r2")["mode"] == "full"
    state.commit_run("r2", seen=0)
    assert state.run_info("r2")["complete"] is True
    # a run committed by an earlier release, which did not record completeness
    state.db.execute("UPDATE runs SET complete = NULL WHERE run_id = 'r2'")
    assert state.run_info("r2")["complete"] is None


def test_a_commit_records_changes_and_keeps_first_seen(tmp_path: Path) -> None:
    a = "https://mpt.gov.by/ru/a"
    state = committed(tmp_path, [a])
    state.db.execute("UPDATE articles SET first_seen = 'F', last_changed = 'C'")
    state.start_run("r2", None)
    state.stage("r2", a, 1, "h1", 1, "2024-01-02", '"e2"', "LM", exported=False)
    assert state.commit_run("r2", 1) == 0
    row = state.db.execute("SELECT first_seen, last_changed, etag, last_modified, last_seen "
                           "FROM articles").fetchone()
    assert row[:4] == ("F", "C", '"e2"', "LM")  # same content: last_changed stays
    assert UTC_STAMP.match(row[4])
    state.start_run("r3", None)
    state.stage("r3", a, 1, "h2", 2, "2024-01-02", None, None, exported=True)
    assert state.commit_run("r3", 1) == 1
    row = state.db.execute("SELECT first_seen, last_changed, content_hash, revision "
                           "FROM articles").fetchone()
    assert (row[0], row[2], row[3]) == ("F", "h2", 2) and UTC_STAMP.match(row[1])
    changes = state.db.execute("SELECT url, revision, run_id, old_hash, new_hash FROM changes "
                               "ORDER BY revision").fetchall()
    assert changes == [(a, 1, "r1", None, "h1"), (a, 2, "r3", "h1", "h2")]
    assert state.db.execute("SELECT count(*) FROM pending").fetchone()[0] == 0


def test_a_move_keeps_first_seen_of_the_old_address(tmp_path: Path) -> None:
    old, new = "https://mpt.gov.by/ru/old", "https://mpt.gov.by/ru/new"
    state = committed(tmp_path, [old])
    state.db.execute("UPDATE articles SET first_seen = 'F'")
    state.start_run("r2", None)
    state.stage("r2", new, 1, "h2", 2, None, None, None, True, previous_url=old)
    state.commit_run("r2", 1)
    assert state.db.execute("SELECT url, first_seen, previous_urls FROM articles").fetchall() == [
        (new, "F", json.dumps([old]))]
    # a previous address the state never knew: a new article, nothing moved
    state.start_run("r3", None)
    state.stage("r3", "https://mpt.gov.by/ru/third", 1, "h3", 1, None, None, None, True,
                previous_url="https://mpt.gov.by/ru/unknown")
    state.commit_run("r3", 1)
    third = state.known("https://mpt.gov.by/ru/third")
    assert third is not None and third.previous_urls == ()
    assert state.count() == 2


def test_a_failed_commit_changes_nothing(tmp_path: Path) -> None:
    a = "https://mpt.gov.by/ru/a"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    stage(state, "r1", a)
    with pytest.raises(sqlite3.Error):
        state.commit_run("r1", 1, failures={"https://mpt.gov.by/ru/b": None})  # type: ignore[dict-item]
    assert state.known(a) is None
    assert state.run_info("r1")["status"] == "running"
    assert state.db.execute("SELECT count(*) FROM pending").fetchone()[0] == 1
    assert not state.db.in_transaction


def test_a_failure_is_replaced_by_the_newest_reason(tmp_path: Path) -> None:
    a = "https://mpt.gov.by/ru/a"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.commit_run("r1", 0, failures={a: "http_503"}, listed_dates={a: "01.02.2020"})
    state.start_run("r2", None)
    state.commit_run("r2", 0, failures={a: "http_500"}, listed_dates={a: "02.02.2020"})
    assert state.db.execute("SELECT reason, run_id, listed_date FROM failures").fetchall() == [
        ("http_500", "r2", "02.02.2020")]


def test_fallback_pages_are_known_once_flushed(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    reader = sqlite3.connect(tmp_path / "s.sqlite")
    state.note_fallback("https://mpt.gov.by/be/node/5", 5, "ru")
    assert state.staged == 0  # not a staged row: does not count towards a batch
    assert state.is_fallback("https://mpt.gov.by/be/node/5")
    assert not state.is_fallback("https://mpt.gov.by/be/node/6")
    assert reader.execute("SELECT count(*) FROM fallback_pages").fetchone()[0] == 0
    state.flush()
    assert state.is_fallback("https://mpt.gov.by/be/node/5")  # now read from the table
    row = reader.execute("SELECT site, url, node_id, shows, seen FROM fallback_pages").fetchone()
    assert row[:4] == (SITE, "https://mpt.gov.by/be/node/5", 5, "ru")
    assert UTC_STAMP.match(row[4])
    assert not CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by").is_fallback(
        "https://mpt.gov.by/be/node/5")
    reader.close()


def test_staging_counts_from_the_start_of_each_transaction(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    stage(state, "r1", "https://mpt.gov.by/ru/b")
    assert state.staged == 2
    state.flush()
    assert not state.db.in_transaction
    stage(state, "r1", "https://mpt.gov.by/ru/c")
    assert state.staged == 1
    state.flush()
    row = state.db.execute("SELECT exported, node_id, etag FROM pending WHERE url = ?",
                           ("https://mpt.gov.by/ru/c",)).fetchone()
    assert row == (1, 1, '"e"')


def test_an_abandoned_run_keeps_nothing_staged(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    state.abandon_run("r1")
    info = state.run_info("r1")
    assert info["status"] == "abandoned" and UTC_STAMP.match(info["finished"])
    assert state.db.execute("SELECT count(*) FROM pending").fetchone()[0] == 0
    state.start_run("r2", None)
    state.commit_run("r2", 0)
    assert state.known("https://mpt.gov.by/ru/a") is None


def test_recovery_commits_as_incomplete_with_the_staged_count(tmp_path: Path) -> None:
    file = tmp_path / "r1.jsonl"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", str(file), "full")
    for url in ("https://mpt.gov.by/ru/a", "https://mpt.gov.by/ru/b"):
        stage(state, "r1", url)
    state.flush()
    file.write_text("{}\n{}\n")
    state.close()
    again = CrawlState(tmp_path / "s.sqlite", SITE)
    again.recover()
    row = again.db.execute("SELECT status, seen, complete, exported FROM runs").fetchone()
    assert row == ("done", 2, 0, 2)
    # Not complete, but a run of this release: what it left is in its frontier.
    assert again.why_full() is None
    assert again.recover() == []  # nothing left running


def test_recovery_of_a_run_without_a_file_abandons_it(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    stage(state, "r1", "https://mpt.gov.by/ru/a")
    state.flush()
    state.start_run("r2", str(tmp_path / "r2.jsonl"))  # killed before any file: no .part
    assert state.recover() == [
        ("r1", "abandoned: its file never reached its final name"),
        ("r2", "abandoned: its file never reached its final name")]
    assert [state.run_info(r)["status"] for r in ("r1", "r2")] == ["abandoned", "abandoned"]


def test_reset_forgets_every_table_of_its_site(tmp_path: Path) -> None:
    state = committed(tmp_path, ["https://mpt.gov.by/ru/a", "https://mpt.gov.by/ru/b"])
    state.start_run("r2", None)
    stage(state, "r2", "https://mpt.gov.by/ru/c")
    state.commit_run("r2", 1, failures={"https://mpt.gov.by/ru/d": "http_503"})
    state.start_run("r3", None)
    stage(state, "r3", "https://mpt.gov.by/ru/e")
    state.note_fallback("https://mpt.gov.by/be/node/5", 5, "ru")
    state.flush()
    assert state.reset() == 3
    for table in ("articles", "changes", "runs", "pending", "failures", "fallback_pages"):
        assert state.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_a_commit_is_of_a_complete_run_unless_told_otherwise(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.commit_run("r1", 0)
    assert state.has_complete_full_run()


def test_stamps_are_utc_whatever_the_machines_zone(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")  # UTC+9, no daylight saving
    time.tzset()
    try:
        state = CrawlState(tmp_path / "s.sqlite", SITE)
        state.start_run("r1", None)
        started = dt.datetime.strptime(state.run_info("r1")["started"], "%Y-%m-%dT%H:%M:%SZ")
        utc_now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        # Tokyo's clock is 9 hours ahead: a stamp in local time would be hours off
        assert abs(utc_now - started) < dt.timedelta(hours=1)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_earlier_addresses_are_stored_readable(tmp_path: Path) -> None:
    # An operator reading the state with sqlite3 sees a Cyrillic address as written.
    old, new = "https://mpt.gov.by/ru/старый", "https://mpt.gov.by/ru/новый"
    state = committed(tmp_path, [old])
    state.start_run("r2", None)
    state.stage("r2", new, 1, "h2", 2, None, None, None, True, previous_url=old)
    state.commit_run("r2", 1)
    assert state.db.execute("SELECT previous_urls FROM articles").fetchone()[0] == (
        '["https://mpt.gov.by/ru/старый"]')


def test_known_tells_when_an_article_was_withdrawn(tmp_path: Path) -> None:
    a = "https://mpt.gov.by/ru/a"
    state = committed(tmp_path, [a])
    state.start_run("r2", None)
    state.commit_run("r2", 0, withdrawn={a: 404})
    set_column(state, "withdrawn", {a: "2024-01-01T00:00:00Z"})
    known = state.known(a)
    assert known is not None and known.withdrawn == "2024-01-01T00:00:00Z"


def test_recent_counts_from_the_day_of_a_newest_moment(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.stage("r1", "a", None, "h", 1, "2020-01-20T10:15:00+03:00", None, None, True)
    state.stage("r1", "b", None, "h", 1, "2020-01-13", None, None, True)
    state.stage("r1", "c", None, "h", 1, "2020-01-12", None, None, True)
    state.commit_run("r1", 3)
    assert [k.url for k in state.recent(7)] == ["a", "b"]


def test_an_unknown_run_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="r9"):
        CrawlState(tmp_path / "s.sqlite", SITE).run_info("r9")


def test_history_is_the_last_ten_by_default(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    for n in range(11):
        run(state, f"r{n:02d}", seen=n)
    assert state.history() == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]


def statements(state: CrawlState) -> list[str]:
    """The SQL the state's connection runs from now on."""
    seen: list[str] = []
    state.db.set_trace_callback(seen.append)
    return seen


def test_held_known_answers_unknown_addresses_and_nodes_without_a_statement(tmp_path: Path
                                                                            ) -> None:
    old, new = "https://mpt.gov.by/ru/old", "https://mpt.gov.by/ru/new"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.stage("r1", old, 9, "h1", 2, None, None, None, True)
    state.commit_run("r1", 1)
    state.start_run("r2", None)
    state.hold_known()
    seen = statements(state)
    assert state.known(new) is None
    assert state.known_elsewhere(10, "ru", new) is None
    assert state.known_node(10) is False
    assert seen == []
    # What is held is asked of the table as before: the row, the moved article, the node.
    known = state.known(old)
    assert known is not None and (known.url, known.revision, known.content_hash) == (old, 2, "h1")
    moved = state.known_elsewhere(9, "ru", new)
    assert moved is not None and moved.url == old
    assert state.known_node(9, "ru") and not state.known_node(9, "be")
    assert len(seen) == 4


def test_a_commit_or_a_reset_lets_go_of_what_was_held(tmp_path: Path) -> None:
    url = "https://mpt.gov.by/ru/a"
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    state.hold_known()  # an empty table held
    state.stage("r1", url, 5, "h1", 1, None, None, None, True)
    state.commit_run("r1", 1)
    known = state.known(url)
    assert known is not None and known.node_id == 5
    assert state.known_elsewhere(5, "ru", "https://mpt.gov.by/ru/b") is not None
    assert state.known_node(5)
    state.hold_known()
    state.reset()
    # Written behind the state's back (as only a test does): asked of the table, since the
    # reset let go of what was held.
    other = "https://mpt.gov.by/ru/other"
    state.db.execute("INSERT INTO articles (site, url, node_id, content_hash, revision, "
                     "first_seen, last_seen, last_changed) VALUES (?, ?, 6, 'h', 1, 'x', 'x', "
                     "'x')", (SITE, other))
    assert state.known(url) is None
    assert state.known(other) is not None and state.known_node(6)


def test_frontier_rows_count_towards_the_batch_that_is_committed(tmp_path: Path) -> None:
    """A walk of many listing pages before their articles come: their frontier rows become
    durable every STAGE_BATCH rows, as staged rows do, not only with the next staged one."""
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    n = CrawlState.STAGE_BATCH
    for i in range(n + 1):
        state.frontier_add("r1", f"https://mpt.gov.by/ru/news?page={i}", "listing", "ru", i)
    reader = sqlite3.connect(tmp_path / "s.sqlite")
    assert reader.execute("SELECT count(*) FROM frontier").fetchone() == (n,)
    reader.close()
