"""``scrapy restorestate`` (mptcrawler/restore.py): the state restored from a checked copy under
the run lock, with what the copy lacks carried from the broken state, so that the next run
neither exports a delivered run's articles again nor leaves a killed run's files behind."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from mptcrawler.cron.exits import RunRefused
from mptcrawler.cron.lock import RunLock
from mptcrawler.replica.__main__ import start_server
from mptcrawler.restore import restore
from mptcrawler.runs import IncrementalRuns
from mptcrawler.state import CrawlState, Known

from .conftest import run_cron
from .test_recovery import (
    KILLED,
    REAL_ADDED,
    REAL_ARTICLES,
    REAL_SEED,
    SITE,
    committed_in,
    crawl_killed_at,
    crawler_settings,
    delivered_run,
    killed_run,
    manifest_records,
    open_next_run,
)


def damage_an_index(state: Path) -> None:
    """The state fails ``PRAGMA quick_check`` while its tables can still be read: the root page
    of the index on node ids (articles_node) gets a page type SQLite does not know, as a bad
    sector would leave it. Checkpointed first, so that no newer copy of the page is in -wal."""
    db = sqlite3.connect(state)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_node'"
                          ).fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    finally:
        db.close()
    with state.open("r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\x77")
    problems = sqlite3.connect(f"{state.resolve().as_uri()}?mode=ro&immutable=1",
                               uri=True).execute("PRAGMA quick_check").fetchall()
    assert problems != [("ok",)]


def dataset(tmp: Path) -> str:
    return str(crawler_settings(tmp)["MPT_DATASET_URI"])


def deliver_lines(data: Path, run_id: str, paths: tuple[str, ...]) -> None:
    """The run's JSONL as the crawl writes it, for the fields the restore reads (url,
    revision): delivered_run writes placeholder lines."""
    (data / f"mpt-{run_id}.jsonl").write_text(
        "".join(json.dumps({"url": f"{SITE}{p}", "revision": 1}) + "\n" for p in paths),
        encoding="utf-8")


def test_a_committed_run_the_copy_lacks_is_carried_and_not_exported_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True, kill_at="keep_copy")
    deliver_lines(data, killed, ("/ru/b",))
    with monkeypatch.context() as earlier_release:  # whose openings kept no missing copy
        earlier_release.setattr(IncrementalRuns, "copy_if_missed", lambda self: None)
        second = delivered_run(tmp_path, ("/ru/c",), kill_before_manifest=True,
                               kill_at="keep_copy")
    deliver_lines(data, second, ("/ru/c",))
    assert committed_in(data / "mpt-state.sqlite.1") == {first}  # the duplicate window
    damage_an_index(state)
    broken = state.read_bytes()
    done = restore(state, 1, dataset(tmp_path))
    assert (done.again, done.why_again) == ([], "")
    assert done.lines[1] == (f"carried from the broken state the runs the copy lacks "
                             f"({killed}, {second}): 2 articles the next run does not export "
                             "again")
    asides = [p for p in data.iterdir() if p.name.startswith("mpt-state.sqlite.broken-")]
    assert len(asides) == 1 and asides[0].read_bytes() == broken  # kept, byte for byte
    assert done.lines[0] == (f"restored {state} from mpt-state.sqlite.1, checked; the broken "
                             f"state is kept as {asides[0]}")
    assert committed_in(state) == {first, killed, second}
    runs = open_next_run(tmp_path)
    assert runs.state is not None
    # The articles of the killed runs as they committed them (delivered_run: node n, hash hn).
    assert [(k.url, k.node_id, k.content_hash, k.revision) for k in
            map(runs.state.known, (f"{SITE}/ru/a", f"{SITE}/ru/b", f"{SITE}/ru/c"))
            if k is not None] == [(f"{SITE}/ru/a", 1, "h1", 1), (f"{SITE}/ru/b", 1, "h1", 1),
                                  (f"{SITE}/ru/c", 1, "h1", 1)]
    # Its opening recorded the killed runs (they are in the state now) and kept a copy.
    assert [r["run_id"] for r in manifest_records(data)] == [first, killed, second]
    assert committed_in(data / "mpt-state.sqlite.1") == {first, killed, second}
    assert runs.fault is None


def test_the_failures_frontier_withdrawals_and_history_of_the_run_are_carried_too(
        tmp_path: Path) -> None:
    """Articles carried as known stop an incremental walk: what the killed run left to do (its
    failures, its frontier) must come with them, or the articles below would never be asked
    for. Its withdrawals, fallback pages and revision history come along too."""
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True,
                           kill_at="keep_copy")
    deliver_lines(data, killed, ("/ru/b",))
    db = sqlite3.connect(state)
    with db:
        db.execute("INSERT INTO failures VALUES (?, ?, 'http_500', ?, '2024-01-01')",
                   (SITE, f"{SITE}/ru/f", killed))
        db.execute("INSERT INTO frontier VALUES (?, '/ru/news?page=3', 'listing', 'ru', 3, NULL, "
                   "?, '2026-12-02T00:00:00Z')", (SITE, killed))
        db.execute("INSERT INTO fallback_pages VALUES (?, ?, 5, 'ru', '2026-12-02T00:00:00Z')",
                   (SITE, f"{SITE}/be/node/5"))
        db.execute("UPDATE articles SET withdrawn = '2026-12-02T00:00:00Z', withdrawn_status = 410 "
                   "WHERE url = ?", (f"{SITE}/ru/a",))
    db.close()
    damage_an_index(state)
    copy = sqlite3.connect(data / "mpt-state.sqlite.1")
    copied = set(copy.execute("SELECT url, kind, lang, page, listed_date FROM frontier"))
    copy.close()
    assert copied  # a union, not the broken state's frontier alone
    restore(state, 1, dataset(tmp_path))
    restored = CrawlState(state, SITE)
    try:
        assert restored.failed_urls() == [(f"{SITE}/ru/f", "2024-01-01")]
        # Added to the copy's own frontier (the starting points these test runs never walked).
        assert set(restored.frontier()) == copied | {("/ru/news?page=3", "listing", "ru", 3,
                                                      None)}
        assert restored.is_fallback(f"{SITE}/be/node/5")
        gone = restored.withdrawn_articles()
        assert [(g["url"], g["withdrawn"], g["status"]) for g in gone] == [
            (f"{SITE}/ru/a", "2026-12-02T00:00:00Z", 410)]
        assert restored.db.execute("SELECT url, revision, run_id FROM changes WHERE run_id = ?",
                                   (killed,)).fetchall() == [(f"{SITE}/ru/b", 1, killed)]
        assert restored.run_info(killed)["status"] == "done"
    finally:
        restored.close()


def test_an_article_no_jsonl_proves_delivered_is_not_carried_and_the_run_is_named(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b", "/ru/c", "/ru/d"), kill_before_manifest=True,
                           kill_at="keep_copy")
    deliver_lines(data, killed, ("/ru/b",))  # no line of /ru/c, /ru/d (a torn copy, an edit)
    damage_an_index(state)
    done = restore(state, 1, dataset(tmp_path))
    assert (done.again, done.why_again) == (
        [killed], f"no JSONL beside the manifest proves them delivered: 2 articles of {killed}")
    runs = open_next_run(tmp_path)
    assert runs.state is not None
    assert runs.state.known(f"{SITE}/ru/b") is not None
    assert runs.state.known(f"{SITE}/ru/c") is None  # exported again: a duplicate, not a loss


@pytest.mark.parametrize("jsonl_final", [False, True])
def test_a_killed_run_of_the_broken_state_is_finished_by_the_next_opening(
        tmp_path: Path, jsonl_final: bool) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    copy = (data / "mpt-state.sqlite.1").read_bytes()
    state.rename(tmp_path / "kept")  # the run after the copy was killed...
    killed_run(tmp_path, jsonl_final)  # ...as killed_run makes one, in a state of its own
    # Its rows, into the state that has the first run: then the state's index is damaged.
    db = sqlite3.connect(tmp_path / "kept")
    db.execute(f"ATTACH '{state}' AS k")
    db.execute("INSERT INTO runs (site, run_id, file, status, started, mode) "
               "SELECT site, run_id, file, status, started, mode FROM k.runs")
    db.execute("INSERT INTO pending SELECT * FROM k.pending")
    db.commit()
    db.close()
    state.unlink()
    (tmp_path / "kept").rename(state)
    damage_an_index(state)
    done = restore(state, 1, dataset(tmp_path))
    assert done.lines[1:] == [f"killed runs {KILLED}: the next run finishes or removes them as "
                              "it opens"]
    assert (data / "mpt-state.sqlite.1").read_bytes() == copy
    runs = open_next_run(tmp_path)
    assert runs.state is not None
    if jsonl_final:  # delivered: committed with the article it staged, and recorded
        assert committed_in(state) == {first, KILLED}
        assert runs.state.known(f"{SITE}/a") == Known(f"{SITE}/a", 1, "h", 1, None, None, None)
        assert [r["run_id"] for r in manifest_records(data)] == [first, KILLED]
    else:  # never delivered: every file of it removed, as the opening removes a killed run's
        assert sorted(str(p.relative_to(data)) for p in data.rglob("*")
                      if KILLED in str(p)) == []
        assert committed_in(state) == {first}


def test_a_state_that_cannot_be_read_names_the_runs_exported_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True, kill_at="keep_copy")
    state.write_bytes(b"")  # empty: nothing of it can be read
    done = restore(state, 1, dataset(tmp_path))
    # Not in the manifest (killed before its record), but its JSONL is final in the folder.
    assert (done.again, done.why_again) == ([killed], f"{state} cannot be read for them "
                                                      "(no such table: runs)")
    assert committed_in(state) == {first}


def test_rows_the_copy_refuses_are_not_carried_and_their_runs_are_named(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    killed = delivered_run(tmp_path, ("/ru/b",), kill_before_manifest=True, kill_at="keep_copy")
    deliver_lines(data, killed, ("/ru/b",))
    damage_an_index(state)
    copy = sqlite3.connect(data / "mpt-state.sqlite.1")  # a copy that refuses one more article
    copy.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN "
                 "SELECT RAISE(ABORT, 'refused'); END")
    copy.commit()
    copy.close()
    done = restore(state, 1, dataset(tmp_path))
    assert (done.again, done.why_again) == (
        [killed], "what the broken state has of them cannot be carried (refused)")
    assert done.lines[1:] == []
    assert committed_in(state) == {first}  # rolled back whole: not the run without its articles


def test_with_no_state_the_manifest_and_the_final_jsonl_name_the_runs_exported_again(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    recorded = delivered_run(tmp_path, ("/ru/b",))  # in the manifest, its JSONL since removed
    (data / f"mpt-{recorded}.jsonl").unlink()
    unrecorded = delivered_run(tmp_path, ("/ru/c",), kill_before_manifest=True)
    assert committed_in(data / "mpt-state.sqlite.3") == {first}
    state.unlink()
    done = restore(state, 3, dataset(tmp_path))
    assert (done.again, done.why_again) == ([recorded, unrecorded], f"{state} is missing")
    assert committed_in(state) == {first}
    (data / "manifest.jsonl").write_text("not json\n", encoding="utf-8")
    state.unlink()
    done = restore(state, 3, dataset(tmp_path))
    assert done.again == ["(unknown: the manifest cannot be read)", unrecorded]


def test_the_other_copies_are_named_newest_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for n in (10, 2, 1):
        (data / f"mpt-state.sqlite.{n}").write_bytes(b"")
    (data / "mpt-state.sqlite.1x").write_bytes(b"")  # not a copy
    with pytest.raises(RunRefused) as refused:
        restore(data / "mpt-state.sqlite", 3, dataset(tmp_path))
    assert refused.value.line == (
        f"state fault: there is no copy {data}/mpt-state.sqlite.3 to restore (other copies: "
        "mpt-state.sqlite.1, mpt-state.sqlite.2, mpt-state.sqlite.10); nothing was changed")


def test_a_missing_state_is_restored_and_the_copy_is_all_there_is(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    Path(f"{state}-wal").write_bytes(b"x" * 40)  # of no database: would be applied to the copy
    state.unlink()
    done = restore(state, 1, dataset(tmp_path))
    assert (done.lines, done.again) == ([f"restored {state} from mpt-state.sqlite.1, checked"],
                                        [])
    assert committed_in(state) == {first}
    assert sorted(p.name for p in data.glob("mpt-state.sqlite*")) == [
        "mpt-state.sqlite", "mpt-state.sqlite.1", "mpt-state.sqlite.lock"]


def test_a_run_killed_before_it_delivered_is_handed_to_the_next_opening_by_its_part_files(
        tmp_path: Path) -> None:
    """The state cannot be read, so nothing says a run was killed after the copy: its .part
    files do. Only a run without its JSONL under its final name: one with it delivered."""
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    (data / f"mpt-{KILLED}.warc.gz.part").write_bytes(b"w")
    (data / "markdown" / f"mpt-{KILLED}").mkdir(parents=True)
    (data / "markdown" / f"mpt-{KILLED}" / "1-ru.md").write_text("## x", encoding="utf-8")
    delivered = "20261124T070000Z"  # its archive still .part, its JSONL final: delivered
    (data / f"mpt-{delivered}.parquet.part").write_bytes(b"p")
    (data / f"mpt-{delivered}.jsonl").write_text("{}\n", encoding="utf-8")
    state.write_bytes(b"\x00" * 50)
    settings = crawler_settings(tmp_path)
    done = restore(state, 1, dataset(tmp_path),
                   others=(settings["MPT_PARQUET_URI"], settings["MPT_WARC_URI"]))
    assert done.lines[1:] == [f"runs killed before they delivered ({KILLED}): the next run "
                              "removes their files as it opens"]
    assert (done.again, done.why_again) == (
        [delivered], f"{state} cannot be read for them (file is not a database)")
    db = sqlite3.connect(state)
    assert db.execute("SELECT site, run_id, file, status FROM runs WHERE run_id = ?",
                      (KILLED,)).fetchall() == [
        ("https://mpt.gov.by", KILLED, str(data / f"mpt-{KILLED}.jsonl"), "running")]
    db.close()
    open_next_run(tmp_path)
    assert [p.name for p in data.rglob("*") if KILLED in p.name] == []
    assert (data / f"mpt-{delivered}.jsonl").exists()
    assert committed_in(state) >= {first}


def test_part_files_are_left_alone_when_the_copy_records_no_site(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    state = data / "mpt-state.sqlite"
    CrawlState(data / "mpt-state.sqlite.1", SITE).close()  # a copy of a state with no run yet
    (data / f"mpt-{KILLED}.jsonl.part").write_bytes(b"{}")
    done = restore(state, 1, dataset(tmp_path))
    assert done.lines == [f"restored {state} from mpt-state.sqlite.1, checked",
                          "runs killed before they delivered, their files left as they are "
                          f"(the copy records no site): {KILLED}"]
    assert (data / f"mpt-{KILLED}.jsonl.part").exists()


def test_the_files_sqlite_keeps_beside_the_broken_state_go_aside_with_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    first = delivered_run(tmp_path, ("/ru/a",))
    damage_an_index(state)
    for suffix, text in (("-shm", b"s"), ("-journal", b"j")):
        Path(f"{state}{suffix}").write_bytes(text)
    restore(state, 1, dataset(tmp_path))
    aside = next(p for p in data.iterdir() if p.name.startswith("mpt-state.sqlite.broken-")
                 and p.name.endswith("Z"))
    assert Path(f"{aside}-shm").read_bytes() == b"s"
    assert Path(f"{aside}-journal").read_bytes() == b"j"
    assert sorted(p.name for p in data.glob("mpt-state.sqlite*") if "broken" not in p.name) == [
        "mpt-state.sqlite", "mpt-state.sqlite.1", "mpt-state.sqlite.lock"]
    assert committed_in(state) == {first}
    # A second restore keeps a second broken state, never over the first.
    state.write_bytes(b"")
    restore(state, 1, dataset(tmp_path))
    assert len([p for p in data.iterdir() if p.name.startswith("mpt-state.sqlite.broken-")
                and not p.name.endswith(("-shm", "-journal"))]) == 2


def test_refusals_change_nothing_and_say_why_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    delivered_run(tmp_path, ("/ru/a",))
    healthy = state.read_bytes()
    with pytest.raises(RunRefused) as refused:
        restore(state, 1, dataset(tmp_path))
    assert (refused.value.status, refused.value.line) == (2, (
        f"usage error: {state} passes its integrity check: nothing to restore (--force "
        "restores the copy anyway; the state is kept aside)"))
    with pytest.raises(RunRefused) as refused:
        restore(state, 3, dataset(tmp_path), force=True)
    assert (refused.value.status, refused.value.line) == (5, (
        f"state fault: there is no copy {data}/mpt-state.sqlite.3 to restore (other copies: "
        "mpt-state.sqlite.1); nothing was changed"))
    (data / "mpt-state.sqlite.2").write_bytes(b"x" * 200)
    with pytest.raises(RunRefused) as refused:
        restore(state, 2, dataset(tmp_path), force=True)
    assert (refused.value.status, refused.value.line) == (5, (
        f"state fault: the copy {data}/mpt-state.sqlite.2 failed its integrity check (cannot "
        "be read: file is not a database); nothing was changed: restore another copy with "
        "--copy N (other copies: mpt-state.sqlite.1)"))
    lock = RunLock(data / "mpt-state.sqlite.lock")
    lock.acquire({"pid": 7, "started": "2026-12-02T01:00:00Z"})
    try:
        with pytest.raises(RunRefused) as refused:
            restore(state, 1, dataset(tmp_path), force=True)
    finally:
        lock.release()
    assert (refused.value.status, refused.value.line) == (75, (
        f"locked: a run holds {state} (pid 7, started 2026-12-02T01:00:00Z); restore once it "
        "has ended: nothing was changed"))
    assert state.read_bytes() == healthy
    assert not [p for p in data.iterdir() if "broken" in p.name or p.name.endswith(".part")]
    with pytest.raises(RunRefused) as refused:
        restore(tmp_path / "nowhere" / "mpt-state.sqlite", 1, dataset(tmp_path))
    assert refused.value.status == 5
    # Forced, the healthy state is restored all the same, and kept aside.
    done = restore(state, 1, dataset(tmp_path), force=True)
    assert done.lines[0].startswith(f"restored {state} from mpt-state.sqlite.1, checked; the "
                                    f"broken state is kept as {state}.broken-")


# --- the command, as the operator runs it -----------------------------------------------------


def restorestate(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
    return subprocess.run([sys.executable, "-m", "scrapy", "restorestate", *args], cwd=workdir,
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_restore_while_a_run_holds_the_lock_is_refused_and_changes_nothing(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mpt-state.sqlite").write_bytes(b"")
    (data / "mpt-state.sqlite.1").write_bytes(b"y")
    lock = RunLock(data / "mpt-state.sqlite.lock")
    lock.acquire({"pid": 4242, "host": "h", "started": "2026-12-02T01:00:00Z",
                  "run_id": "20261202T010000.000000Z", "mode": "full"})
    try:
        done = restorestate(tmp_path)
    finally:
        lock.release()
    assert done.returncode == 75
    assert done.stderr == ("mptcrawler: locked: a run holds data/mpt-state.sqlite (pid 4242 on "
                           "h, started 2026-12-02T01:00:00Z, full run 20261202T010000.000000Z); "
                           "restore once it has ended: nothing was changed\n")
    assert sorted(p.name for p in data.iterdir()) == [
        "mpt-state.sqlite", "mpt-state.sqlite.1", "mpt-state.sqlite.lock"]
    assert (data / "mpt-state.sqlite").read_bytes() == b""


def test_a_copy_that_fails_its_check_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data" / "replica"
    data.mkdir(parents=True)
    (data / "mpt-state.sqlite").write_bytes(b"")
    (data / "mpt-state.sqlite.1").write_bytes(b"not a database" * 100)
    (data / "mpt-state.sqlite.2").write_bytes(b"")
    done = restorestate(tmp_path, "--data", "data/replica")
    assert done.returncode == 5
    assert done.stderr == (
        "mptcrawler: state fault: the copy data/replica/mpt-state.sqlite.1 failed its integrity "
        "check (cannot be read: file is not a database); nothing was changed: restore another "
        "copy with --copy N (other copies: mpt-state.sqlite.2)\n")
    assert (data / "mpt-state.sqlite").read_bytes() == b""
    assert not [p for p in data.iterdir() if "broken" in p.name or "part" in p.name]


def test_a_healthy_state_is_left_alone_without_force(tmp_path: Path) -> None:
    delivered_run(tmp_path, ("/ru/a",))
    state = tmp_path / "data" / "mpt-state.sqlite"
    before = state.read_bytes()
    done = restorestate(tmp_path)
    assert (done.returncode, done.stderr) == (2, (
        "mptcrawler: usage error: data/mpt-state.sqlite passes its integrity check: nothing to "
        "restore (--force restores the copy anyway; the state is kept aside)\n"))
    assert state.read_bytes() == before
    assert restorestate(tmp_path, "--force").returncode == 0


# --- for real: SIGKILLed runs of the replica ----------------------------------------------------


def test_a_real_kill_in_the_duplicate_window_then_a_restore_exports_nothing_twice(
        tmp_path: Path) -> None:
    """Day 1 a full run; day 2, REAL_ADDED new articles, the run SIGKILLed after its state
    commit where it keeps its copy: the copy lacks day 2 and no run opens before the state is
    found damaged (day 3 stops with status 5). The README's shell recipe restored that copy and
    day 4 exported day 2's articles again; restorestate carries them."""
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    proc, base = start_server(REAL_ARTICLES, REAL_SEED, tmp_path)
    try:
        assert run_cron(base, tmp_path, None, "lang=all").returncode == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, base = start_server(REAL_ARTICLES, REAL_SEED, tmp_path,
                              extra=("--added", str(REAL_ADDED)))
    try:
        assert crawl_killed_at("keep_copy", base, tmp_path) == -signal.SIGKILL
        day2 = sorted(p.name for p in data.glob("mpt-*Z.jsonl"))[-1][4:-6]
        assert day2 not in committed_in(data / "mpt-state.sqlite.1")
        damage_an_index(state)
        day3 = run_cron(base, tmp_path, None, "lang=all")
        assert day3.returncode == 5, day3.stderr_tail
        done = restorestate(tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        assert f"carried from the broken state the runs the copy lacks ({day2}): " \
               f"{REAL_ADDED} articles the next run does not export again" in done.stdout
        day4 = run_cron(base, tmp_path, None, "lang=all")
        assert day4.returncode == 0, day4.stderr_tail
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert day4.items == []  # nothing new since day 2, and day 2's articles not again
    seen = Counter(json.loads(line)["url"] for path in data.glob("mpt-*Z.jsonl")
                   for line in path.read_text(encoding="utf-8").splitlines())
    assert len(seen) == REAL_ARTICLES + REAL_ADDED  # nothing lost
    assert max(seen.values()) == 1  # nothing twice
    assert [r["run_id"] for r in manifest_records(data)][1] == day2  # recorded by day 4


def test_a_real_kill_mid_run_then_an_unreadable_state_leaves_no_part_file(
        tmp_path: Path) -> None:
    """A run SIGKILLed while it writes its items (after its first item is staged), then its
    state found empty: the copy knows nothing of the run, so the README's recipe left its
    JSONL .part and archive .part for good. restorestate hands the run to the next opening,
    which removes them as it removes any killed run's files."""
    data = tmp_path / "data"
    state = data / "mpt-state.sqlite"
    proc, base = start_server(REAL_ARTICLES, REAL_SEED, tmp_path,
                              extra=("--added", str(REAL_ADDED)))
    try:
        assert run_cron(base, tmp_path, None, "lang=all", "max_pages=1").returncode == 0
        assert crawl_killed_at("stage", base, tmp_path) == -signal.SIGKILL
        parts = sorted(p.name for p in data.glob("*.part"))
        killed = parts[0].removeprefix("mpt-").removesuffix(".warc.gz.part")
        # Killed at its first item: only its archive was open (a feed opens at its first item).
        assert parts == [f"mpt-{killed}.warc.gz.part"]
        state.write_bytes(b"")
        Path(f"{state}-wal").unlink(missing_ok=True)
        done = restorestate(tmp_path)
        assert done.returncode == 0, done.stderr
        assert f"runs killed before they delivered ({killed}): the next run removes their " \
               "files as it opens" in done.stdout
        after = run_cron(base, tmp_path, None, "lang=all", "max_pages=1")
        assert after.returncode == 0, after.stderr_tail
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert [p.name for p in data.rglob("*") if killed in p.name] == []
    assert not list(data.glob("*.part"))


def test_the_holder_of_a_restore_is_named_to_a_refused_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a crawl refused during a restore reads in the lock file: the restore's pid and host.
    data = tmp_path / "data"
    first = delivered_run(tmp_path, ("/ru/a",))
    state = data / "mpt-state.sqlite"
    state.write_bytes(b"")
    seen: dict[str, object] = {}
    original = RunLock.release

    def release(self: RunLock) -> None:
        seen.update(json.loads(self.path.read_text(encoding="utf-8")))
        original(self)

    monkeypatch.setattr(RunLock, "release", release)
    restore(state, 1, dataset(tmp_path))
    assert (seen["pid"], seen["host"], seen["mode"]) == (os.getpid(), socket.gethostname(),
                                                         "restore")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(seen["started"]))
    assert committed_in(state) == {first}
