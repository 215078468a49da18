"""One run at a time per state database: an exclusive ``flock`` on a lock file beside it
(``data/mpt-state.sqlite.lock``), held for the whole run.

``flock`` belongs to the open file, so the kernel releases it when the process ends however it
ends (SIGKILL, OOM killer, power cut): there is no stale lock to clean up, and the file itself
is never removed (removing a lock file lets a third process lock a new file while the second
still holds the old one). Its content is only a description of the holder — pid, start, mode,
run id — for the refused run's message; whether a run holds the lock is the kernel's answer.
``flock`` is reliable on local file systems only: keep ``data/`` off NFS.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path
from typing import Any


class Locked(Exception):
    """Another process holds the lock; ``holder`` is what it wrote into the lock file."""

    def __init__(self, path: Path, holder: dict[str, Any] | None) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"{path} is held by {describe(holder)}")


def describe(holder: dict[str, Any] | None) -> str:
    """``pid 1234, started 2026-11-25T01:02:03Z, full run 20261125T010203.123456Z``."""
    if not holder:
        # The holder locks first and writes its details just after: a run can see this gap.
        return "a process that has not written its details yet"
    parts = [f"pid {holder.get('pid', '?')}"]
    if holder.get("host"):
        parts[0] += f" on {holder['host']}"
    if holder.get("started"):
        parts.append(f"started {holder['started']}")
    if holder.get("run_id"):
        parts.append(f"{holder.get('mode') or 'starting'} run {holder['run_id']}")
    return ", ".join(parts)


def locked_line(state: str | Path, holder: dict[str, Any] | None) -> str:
    """The one line of a run refused because another holds the lock of ``state``."""
    return (f"locked: another run holds {state} ({describe(holder)}); "
            "try again once it has ended")


def check_free(path: str | Path) -> None:
    """Raise :class:`Locked` if another process holds the lock at ``path`` now; nothing if it
    is free, missing or unreadable. A look only (the crawl command's, before Scrapy starts, so
    that a refused run prints one line): :meth:`RunLock.acquire` decides. It holds a shared
    lock for an instant, which a run acquiring in that instant takes for a holder."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(Path(path), _read(fd)) from None
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class RunLock:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.fd: int | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def acquire(self, holder: dict[str, Any]) -> None:
        """Take the lock at once or raise :class:`Locked`; OSError if the file cannot be
        opened (a missing or read-only folder)."""
        # O_CLOEXEC: a child process (none today) must not keep the run's lock alive.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            found = _read(fd)
            os.close(fd)
            raise Locked(self.path, found) from None
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        self.describe(holder)

    def describe(self, holder: dict[str, Any]) -> None:
        """Write (or update, once the mode is known) the holder's details into the file."""
        if self.fd is None:
            raise RuntimeError("the lock is not held")
        data = (json.dumps(holder) + "\n").encode("utf-8")
        os.pwrite(self.fd, data, 0)
        os.ftruncate(self.fd, len(data))

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _read(fd: int) -> dict[str, Any] | None:
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        if isinstance(found, dict):
            return found
    return None


def read_holder(path: str | Path) -> dict[str, Any] | None:
    """The details the current (or last) holder wrote, for tests and diagnostics."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return _read(fd)
    finally:
        os.close(fd)
