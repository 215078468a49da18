"""The files beside a cron run's output that record the runs: ``manifest.jsonl`` (one record
per delivered run), ``withdrawn.jsonl``, and the atomic replacement they are written with (also
``latest.json`` and the summary, mptcrawler/runs.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` whole or not at all: a crash leaves the old file or the
    new one, never a mix, and the rename itself is synced (the folder)."""
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class DamagedManifest(ValueError):
    def __init__(self, path: Path, line: int, why: str) -> None:
        super().__init__(f"{path} line {line} is damaged ({why})")
        self.path, self.line = path, line


def read_manifest(path: Path) -> str:
    """The text of ``manifest.jsonl`` ("" if there is none), every line checked to be one run's
    record (a JSON object with its run_id): a damaged line raises :class:`DamagedManifest`
    naming the file and the line, so a record is never added to a file nobody can read."""
    data = path.read_bytes() if path.exists() else b""
    for n, raw in enumerate(data.splitlines(), 1):
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise DamagedManifest(path, n, "not UTF-8") from None
        except ValueError as exc:
            raise DamagedManifest(path, n, f"not JSON: {exc}") from None
        if not isinstance(record, dict) or not record.get("run_id"):
            raise DamagedManifest(path, n, "not a run's record: no run_id")
    return data.decode("utf-8")


def run_ids(text: str) -> set[str]:
    """The run ids of the records in ``text``, a manifest's text :func:`read_manifest` returned
    (so every line is a record with its run_id)."""
    # Split as read_manifest splits, on bytes: str.splitlines would also split at a U+2028
    # inside a record's string (written by hand; json.dumps escapes it).
    return {json.loads(raw)["run_id"] for raw in text.encode("utf-8").splitlines()}


def write_withdrawn(path: Path, records: list[dict[str, Any]]) -> None:
    """``withdrawn.jsonl``: every article of this data folder's site found gone (404/410), one
    JSON line each, written from the state as a run opens and after its commit
    (docs/operations.md: Deletions and renames). A file that already says it is left alone:
    most runs change nothing in it, and replacing it costs two syncs."""
    if not records and not path.exists():
        return
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass  # missing or unreadable: written again, and a folder that refuses it says why
    write_atomically(path, text)
