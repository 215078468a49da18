"""The checks before a cron run's first request (cron/preflight.py), by direct calls on state
databases and folders built in tmp_path: each refusal's line word for word, its exit status,
and the side of each rule that lets the run go on. Expected lines are written by hand."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from mptcrawler.cron import preflight
from mptcrawler.cron.exits import STATE_FAULT, RunRefused
from mptcrawler.cron.preflight import (
    check_not_lost,
    check_state,
    check_state_writable,
    check_writable,
    make_folder,
)

RESTORE = ("restore a copy (scrapy restorestate; README: Restoring the state) or move it "
           "away to start over")


def refusal(call: object, *args: object) -> str:
    """The one line a refused check gives; its status must be the state fault's (5)."""
    with pytest.raises(RunRefused) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.status == STATE_FAULT == 5
    assert str(caught.value) == caught.value.line
    return caught.value.line


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def healthy(path: Path, wal: bool = False) -> Path:
    db = sqlite3.connect(path)
    if wal:
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t(a)")
    db.execute("INSERT INTO t VALUES (1)")
    db.commit()
    db.close()
    return path


def null_in_not_null(db: sqlite3.Connection) -> None:
    """Two rows that break the NOT NULLs the schema claims: ``PRAGMA quick_check`` gives one
    line per row, in their order, without the ``*** in database main ***`` heading."""
    db.execute("CREATE TABLE t(a, b)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(1, None), (1, 1), (None, 1)])
    db.commit()
    db.execute("PRAGMA writable_schema=1")
    db.execute("UPDATE sqlite_schema SET sql='CREATE TABLE t(a NOT NULL, b NOT NULL)' "
               "WHERE name='t'")
    db.commit()


# --- check_state -----------------------------------------------------------------------------

def test_no_state_file_is_a_first_run_and_nothing_is_created(tmp_path: Path) -> None:
    check_state(tmp_path / "state.db")
    assert files(tmp_path) == []


def test_a_healthy_state_passes_and_the_check_leaves_no_file_beside_it(tmp_path: Path) -> None:
    path = healthy(tmp_path / "state.db")
    before = path.read_bytes()
    check_state(path)
    assert files(tmp_path) == ["state.db"]
    assert path.read_bytes() == before


@pytest.mark.parametrize("folder", ["data?run=1", "data#2", "da ta%20"])
def test_a_state_in_a_folder_whose_name_a_uri_would_misread_is_checked(tmp_path: Path,
                                                                        folder: str) -> None:
    # A "file:" URI made by pasting the path would take "?" for its query, "#" for its
    # fragment and "%20" for a space: another file, or none.
    (tmp_path / folder).mkdir()
    path = healthy(tmp_path / folder / "state.db")
    check_state(path)
    assert files(tmp_path / folder) == ["state.db"]
    path.write_bytes(path.read_bytes()[:4096] + b"\0" * 4096)
    assert refusal(check_state, path).startswith(f"state fault: {path} ")


def test_a_state_in_wal_mode_closed_cleanly_passes_without_wal_or_shm_files(
        tmp_path: Path) -> None:
    path = healthy(tmp_path / "state.db", wal=True)
    assert files(tmp_path) == ["state.db"]
    check_state(path)
    assert files(tmp_path) == ["state.db"]


def test_a_fault_only_in_the_wal_of_a_run_that_died_is_found(tmp_path: Path) -> None:
    """The WAL's frames are the database's newest pages: a state whose last run died before
    its checkpoint is checked with them, not as its main file alone."""
    live = tmp_path / "live"
    live.mkdir()
    db = sqlite3.connect(live / "state.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    null_in_not_null(db)
    # copied while the writer is still open, as a killed run leaves them: main file + WAL
    path = tmp_path / "state.db"
    shutil.copyfile(live / "state.db", path)
    shutil.copyfile(live / "state.db-wal", tmp_path / "state.db-wal")
    db.close()
    assert refusal(check_state, path) == (
        f"state fault: {path} failed its integrity check (2 problems, first: NULL value in t.b): "
        f"{RESTORE}")


def test_a_dangling_link_in_place_of_the_state_is_not_a_first_run(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.symlink_to(tmp_path / "gone.db")
    assert refusal(check_state, path) == f"state fault: {path} is not a regular file"


def test_a_folder_in_place_of_the_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.mkdir()
    assert refusal(check_state, path) == f"state fault: {path} is not a regular file"


def test_an_empty_state_is_refused_not_taken_for_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"")
    assert refusal(check_state, path) == f"state fault: {path} is empty (0 bytes): {RESTORE}"
    assert path.read_bytes() == b""
    assert files(tmp_path) == ["state.db"]


@pytest.mark.parametrize("size", [1, 2, 99])
def test_a_state_shorter_than_an_sqlite_header_is_refused(tmp_path: Path, size: int) -> None:
    """SQLite itself takes a one-byte file for a new database (as an empty one): every
    article would be exported again, with revisions from 1."""
    path = tmp_path / "state.db"
    path.write_bytes(b"x" * size)
    assert refusal(check_state, path) == (
        f"state fault: {path} is truncated ({size} bytes, shorter than an SQLite header): "
        f"{RESTORE}")
    assert path.read_bytes() == b"x" * size


def test_a_state_of_a_full_header_of_garbage_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"x" * 100)
    assert refusal(check_state, path) == (
        f"state fault: {path} (100 bytes) cannot be read: file is not a database; {RESTORE}")


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    garbage = b"this is not an SQLite database, it is a text file\n" * 100
    path.write_bytes(garbage)
    assert refusal(check_state, path) == (
        f"state fault: {path} (5000 bytes) cannot be read: file is not a database; {RESTORE}")
    assert path.read_bytes() == garbage
    assert files(tmp_path) == ["state.db"]


def test_an_integrity_fault_names_the_count_and_the_first_problem(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    db = sqlite3.connect(path)
    null_in_not_null(db)
    db.close()
    before = path.read_bytes()
    assert refusal(check_state, path) == (
        f"state fault: {path} failed its integrity check (2 problems, first: NULL value in t.b): "
        f"{RESTORE}")
    assert path.read_bytes() == before
    assert files(tmp_path) == ["state.db"]


def test_the_heading_of_a_page_fault_is_not_taken_for_the_first_problem(tmp_path: Path) -> None:
    """Two pages past the tables that no tree uses: SQLite heads the lines with the database's
    name, which says nothing; the first problem is the line after it."""
    path = healthy(tmp_path / "state.db")
    data = bytearray(path.read_bytes())
    assert len(data) == 8192  # two pages of 4096: the schema and the table
    data += bytes(8192)
    data[28:32] = (4).to_bytes(4, "big")  # the header's page count
    path.write_bytes(bytes(data))
    assert refusal(check_state, path) == (
        f"state fault: {path} failed its integrity check (3 problems, first: Page 3 is never "
        f"used): {RESTORE}")


# --- check_not_lost --------------------------------------------------------------------------

def test_no_state_and_no_copies_is_a_first_run(tmp_path: Path) -> None:
    (tmp_path / "other.db.1").write_bytes(b"copy of another state")
    check_not_lost(tmp_path / "state.db", False)


def test_no_state_but_its_copies_beside_it_is_a_lost_state(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    for name in ("state.db.10", "state.db.2"):
        (tmp_path / name).write_bytes(b"copy")
    assert refusal(check_not_lost, path, False) == (
        f"state fault: {path} is missing but copies of it are beside it (state.db.2, "
        "state.db.10): restore state.db.2 (scrapy restorestate --copy 2; README: Restoring the "
        "state), or to start over remove the copies or run with -a reset=1")


def test_only_numbered_files_count_as_copies(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    (tmp_path / "state.db.bak").write_bytes(b"not a rotated copy")
    (tmp_path / "state.db.1-wal").write_bytes(b"a WAL, not a copy")
    (tmp_path / "state.db.3").mkdir()  # a folder, not a copy
    check_not_lost(path, False)
    (tmp_path / "state.db.1").write_bytes(b"copy")
    assert refusal(check_not_lost, path, False) == (
        f"state fault: {path} is missing but copies of it are beside it (state.db.1): restore "
        "state.db.1 (scrapy restorestate; README: Restoring the state), or to start over "
        "remove the copies or run with -a reset=1")


def test_a_state_name_with_glob_characters_finds_its_own_copies(tmp_path: Path) -> None:
    path = tmp_path / "st[a]te.db"
    (tmp_path / "st[a]te.db.1").write_bytes(b"copy")
    assert refusal(check_not_lost, path, False).startswith(
        f"state fault: {path} is missing but copies of it are beside it (st[a]te.db.1): ")
    other = tmp_path / "s[ab]te.db"  # as a pattern it would match "state.db.1" too
    (tmp_path / "state.db.1").write_bytes(b"copy of another state")
    check_not_lost(other, False)


def test_starting_over_on_purpose_or_a_present_state_is_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    (tmp_path / "state.db.1").write_bytes(b"copy")
    check_not_lost(path, True)
    path.write_bytes(b"")
    check_not_lost(path, False)
    path.unlink()
    path.symlink_to(tmp_path / "gone.db")  # check_state names a dangling link
    check_not_lost(path, False)


# --- check_writable and make_folder ----------------------------------------------------------

def test_missing_output_folders_are_created_with_their_parents(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    check_writable([deep, tmp_path, deep])
    assert deep.is_dir()
    assert files(deep) == []  # the probe is gone
    assert files(tmp_path) == ["a"]
    check_writable([deep])  # an existing folder is fine


def test_a_file_in_place_of_the_output_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.write_text("a file")
    assert refusal(check_writable, [folder]) == (
        f"state fault: cannot create the output folder {folder}: File exists")


def test_a_dangling_link_in_place_of_a_folder_is_named_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.symlink_to(tmp_path / "unmounted" / "out")
    assert refusal(make_folder, folder, "state") == (
        f"state fault: cannot create the state folder {folder} (a dangling symbolic link?): "
        "File exists")


def test_an_error_without_strerror_is_named_by_its_text(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("quota of folders reached")
    monkeypatch.setattr(Path, "mkdir", refuse)
    folder = tmp_path / "out"
    assert refusal(make_folder, folder, "output") == (
        f"state fault: cannot create the output folder {folder}: quota of folders reached")


def test_a_folder_that_takes_no_file_is_refused_and_the_probe_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, permission bits do not stop a write: a read-only mount is played by os.write
    failing as it would there."""
    def read_only(fd: int, data: bytes) -> int:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    monkeypatch.setattr(preflight.os, "write", read_only)
    folder = tmp_path / "out"
    assert refusal(check_writable, [tmp_path, folder]) == (
        f"state fault: the output folder {tmp_path} is not writable: Read-only file system")
    assert files(tmp_path) == []
    assert not folder.exists()  # refused at the first folder


def test_a_probe_that_cannot_be_created_names_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    opened: list[tuple[str, int, int]] = []

    def record(path: str | Path, flags: int, mode: int = 0o777) -> int:
        opened.append((str(path), flags, mode))
        return real_open(path, flags, mode)
    monkeypatch.setattr(preflight.os, "open", record)
    check_writable([tmp_path])
    # the probe is this process's own, created afresh (never someone's file truncated)
    # and readable by no one else
    assert opened == [(f"{tmp_path}/.mpt-write-probe-{os.getpid()}",
                       os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)]
    assert files(tmp_path) == []

    def no_space(path: str | Path, flags: int, mode: int = 0o777) -> int:
        raise OSError("no inode left")
    monkeypatch.setattr(preflight.os, "open", no_space)
    assert refusal(check_writable, [tmp_path]) == (
        f"state fault: the output folder {tmp_path} is not writable: no inode left")


def test_a_probe_whose_sync_fails_is_refused(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(preflight.os, "fsync", full)
    assert refusal(check_writable, [tmp_path]) == (
        f"state fault: the output folder {tmp_path} is not writable: No space left on device")
    assert files(tmp_path) == []


def test_the_probe_holds_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A probe of no bytes would not find a full disk."""
    real_write = os.write
    written: list[bytes] = []

    def record(fd: int, data: bytes) -> int:
        written.append(data)
        return real_write(fd, data)
    monkeypatch.setattr(preflight.os, "write", record)
    check_writable([tmp_path])
    assert written == [b"probe"]


# --- check_state_writable --------------------------------------------------------------------

def test_a_writable_state_passes_unchanged_with_no_transaction_left_open(
        tmp_path: Path) -> None:
    path = healthy(tmp_path / "state.db")
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 7")
    db.commit()
    check_state_writable(db, path)
    assert not db.in_transaction
    assert db.execute("PRAGMA user_version").fetchone() == (7,)
    db.close()


def test_a_read_only_state_is_refused_at_the_start(tmp_path: Path) -> None:
    path = healthy(tmp_path / "state.db")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert refusal(check_state_writable, db, path) == (
        f"state fault: {path} is not writable: attempt to write a readonly database")
    assert not db.in_transaction
    db.close()
