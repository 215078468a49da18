"""Copies of the last good state: after every cron run that committed, once the state just
committed has passed its integrity check, a consistent copy is taken with SQLite's online backup
API and rotated, the newest as ``<state>.1`` (``data/mpt-state.sqlite.1``), the oldest dropped
after ``keep``.

A copy of the file with ``cp`` is not a copy of the database: in WAL mode the last commits may
still be in ``-wal``, and a copy taken during a write is torn. The README says how to restore.

The newest copy must know every run the state has committed: restored, a copy without a
delivered run's commit would have the next run export that run's articles again. A run killed
after its commit and before its copy (or committed by the next run's recovery) leaves the
copies without it, so each run checks this as it opens (:func:`runs_missing_from_copy`).
"""

from __future__ import annotations

import glob
import os
import sqlite3
from pathlib import Path


def backup_path(state: Path, n: int) -> Path:
    return state.with_name(f"{state.name}.{n}")


def copy_number(state: Path, copy: Path) -> int | None:
    """N of a copy ``<state>.N`` (the ``--copy N`` of ``scrapy restorestate``), else None."""
    suffix = copy.name[len(state.name) + 1:]
    return int(suffix) if suffix.isdigit() else None


def copies(state: Path) -> list[Path]:
    """The copies ``<state>.N`` beside the state, newest (``.1``) first."""
    found = [p for p in state.parent.glob(f"{glob.escape(state.name)}.*")
             if copy_number(state, p) is not None and p.is_file()]
    return sorted(found, key=lambda p: copy_number(state, p) or 0)


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (a rename in it), to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def runs_missing_from_copy(db: sqlite3.Connection, state: Path) -> list[str]:
    """The run ids the state open as ``db`` has committed (status 'done', of any site: the copy
    is of the whole file) and its newest copy ``<state>.1`` does not have committed, in run
    order; all of them when there is no copy. The copy is opened read-only: reading it changes
    no byte of it (it is a rollback-journal database, so no ``-wal`` or ``-shm`` is made).
    Raises sqlite3.Error when the copy cannot be read."""
    done = db.execute("SELECT site, run_id FROM runs WHERE status = 'done' "
                      "ORDER BY run_id, site").fetchall()
    newest = backup_path(state, 1)
    if not done or not newest.exists():
        return [run_id for _, run_id in done]
    copy = sqlite3.connect(f"{newest.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copied = set(copy.execute("SELECT site, run_id FROM runs WHERE status = 'done'"))
    finally:
        copy.close()
    return [run_id for site, run_id in done if (site, run_id) not in copied]


def keep_copy(db: sqlite3.Connection, state: Path, keep: int) -> Path | None:
    """Copy the database open as ``db`` (the state at ``state``) to ``<state>.1``, shifting
    older copies up to ``<state>.<keep>``; returns the new copy, or None if ``keep`` is 0."""
    if keep <= 0:
        return None
    part = state.with_name(f"{state.name}.backup.part")
    part.unlink(missing_ok=True)  # a copy torn by a killed run
    copy = sqlite3.connect(part)
    try:
        db.backup(copy)
        # A single self-contained file: the copy must not depend on a -wal of its own.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    fsync_path(part)
    backup_path(state, keep).unlink(missing_ok=True)
    for n in range(keep - 1, 0, -1):
        if backup_path(state, n).exists():
            os.replace(backup_path(state, n), backup_path(state, n + 1))
    os.replace(part, backup_path(state, 1))
    return backup_path(state, 1)
