"""Copies of the last good state: after every cron run that committed, once the state just
committed has passed its integrity check, a consistent copy is taken with SQLite's online backup
API and rotated, the newest as ``<state>.1`` (``data/mpt-state.sqlite.1``), the oldest dropped
after ``keep``.

A copy of the file with ``cp`` is not a copy of the database: in WAL mode the last commits may
still be in ``-wal``, and a copy taken during a write is torn. The README says how to restore.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def backup_path(state: Path, n: int) -> Path:
    return state.with_name(f"{state.name}.{n}")


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
    fd = os.open(part, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    backup_path(state, keep).unlink(missing_ok=True)
    for n in range(keep - 1, 0, -1):
        if backup_path(state, n).exists():
            os.replace(backup_path(state, n), backup_path(state, n + 1))
    os.replace(part, backup_path(state, 1))
    return backup_path(state, 1)
