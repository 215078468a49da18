"""Checks before a cron run's first request: a state database or an output folder that cannot
be used stops the run with :data:`~.exits.STATE_FAULT` and one line, with nothing changed.

Without them a corrupt state was only logged and the run went on without it: every article
exported again, and the next run's state out of step with the files delivered.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .backup import copies, copy_number
from .exits import STATE_FAULT, RunRefused


def state_fault(line: str) -> RunRefused:
    return RunRefused(STATE_FAULT, f"state fault: {line}")


def make_folder(folder: Path, what: str) -> None:
    """Create ``folder`` (and parents); a missing or dangling folder is a fault, not a
    traceback in the log."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        hint = " (a dangling symbolic link?)" if folder.is_symlink() else ""
        raise state_fault(f"cannot create the {what} folder {folder}{hint}: "
                          f"{exc.strerror or exc}") from None


def check_writable(folders: Iterable[Path]) -> None:
    """Each folder exists (created if need be) and takes a file: probed by writing, syncing
    and removing one, since permission bits say nothing for root or a read-only mount."""
    for folder in dict.fromkeys(folders):
        make_folder(folder, "output")
        probe = folder / f".mpt-write-probe-{os.getpid()}"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, b"probe")
                os.fsync(fd)
            finally:
                os.close(fd)
                probe.unlink(missing_ok=True)
        except OSError as exc:
            raise state_fault(f"the output folder {folder} is not writable: "
                              f"{exc.strerror or exc}") from None


def restore_command(copy: int = 1) -> str:
    """What a refusal over the state tells the operator to run (mptcrawler/restore.py), with
    the crawl's own -s/--data, and where it is explained."""
    option = f" --copy {copy}" if copy != 1 else ""
    return f"scrapy restorestate{option}; README: Restoring the state"


def open_read_only(path: Path) -> sqlite3.Connection:
    """The SQLite database at ``path`` opened to be read without a byte of it changed:
    immutable when no WAL lies beside it, so that no -wal/-shm is made beside a broken
    database; with a WAL (a run died before its checkpoint) its frames are part of the
    database and must be read, so a plain read-only open (which may make a -shm)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA quick_check`` says of the database at ``path`` (read only), a line an
    item: ``["ok"]`` when it is sound. Raises sqlite3.Error when it cannot be read at all."""
    db = open_read_only(path)
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    finally:
        db.close()
    return [line for row in rows for line in str(row[0]).splitlines()]


def check_state(path: Path) -> None:
    """The state database at ``path``, if there is one, is a regular, non-empty SQLite file
    that passes ``PRAGMA quick_check``. Read only: a broken file stays byte for byte as it was,
    for a restore or a post-mortem. (No file at all is a first run.)"""
    if not path.exists() and not path.is_symlink():
        return
    restore = f"restore a copy ({restore_command()}) or move it away to start over"
    if not path.is_file():
        raise state_fault(f"{path} is not a regular file")
    size = path.stat().st_size
    if size == 0:
        # SQLite would take an empty file for a new database: every article exported again,
        # revisions from 1, the site's history gone, silently.
        raise state_fault(f"{path} is empty (0 bytes): {restore}")
    if size < 100:
        # Nor a file shorter than SQLite's 100-byte header: SQLite refuses most as "not a
        # database", but takes one of a single byte for a new database, as it does an empty one.
        raise state_fault(f"{path} is truncated ({size} bytes, shorter than an SQLite "
                          f"header): {restore}")
    try:
        problems = integrity_problems(path)
    except sqlite3.Error as exc:
        raise state_fault(f"{path} ({size} bytes) cannot be read: {exc}; {restore}") from None
    if problems != ["ok"]:
        first = problems[0] if problems[0] != "*** in database main ***" else problems[1]
        raise state_fault(f"{path} failed its integrity check ({len(problems)} problems, "
                          f"first: {first}): {restore}")


def check_not_lost(path: Path, starting_over: bool) -> None:
    """No state file at ``path`` is a first run, unless copies of it (``<state>.1``…, kept by
    :mod:`.backup`) lie beside it: then the state was lost (deleted, moved, a mount missing),
    and starting over would export every article again with revisions from 1. Refused unless
    the operator starts over on purpose (``-a reset=1``, or the copies removed)."""
    if starting_over or path.exists() or path.is_symlink():
        return
    found = copies(path)
    if found:
        names = ", ".join(p.name for p in found)
        newest = found[0]
        raise state_fault(
            f"{path} is missing but copies of it are beside it ({names}): restore "
            f"{newest.name} ({restore_command(copy_number(path, newest) or 1)}), or to start "
            "over remove the copies or run with -a reset=1")


def check_state_writable(db: sqlite3.Connection, path: Path) -> None:
    """A write rolled back at once: a read-only file or mount fails here, at the start, rather
    than at the commit after an hour of crawling. (BEGIN IMMEDIATE alone succeeds on a
    read-only database; writing the header's user_version, unchanged, does not.)"""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise state_fault(f"{path} is not writable: {exc}") from None
