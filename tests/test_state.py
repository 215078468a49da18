"""The state database on its own: staging, commit, recovery of killed runs, reset."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mptcrawler.state import CrawlState

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
    state.flush()  # as TrackRevisions.close_spider does, before Scrapy stores the feeds
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


def test_withdrawn_articles_are_recorded_and_no_longer_rechecked(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite", SITE)
    state.start_run("r1", None)
    for url in ("https://mpt.gov.by/ru/a", "https://mpt.gov.by/ru/b"):
        stage(state, "r1", url)
    state.commit_run("r1", 2)
    state.start_run("r2", None)
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
