"""Restoring the state from one of its copies (``scrapy restorestate``; README: Restoring the
state), after a run stopped with exit status 5 over a state that is corrupt, empty or lost.

Under the run lock (a run holding it refuses the restore, exit status 75), the chosen copy
``<state>.N`` is checked (``PRAGMA quick_check``) and written to ``<state>.restore.part`` with
SQLite's backup API; the broken state is moved aside with its ``-wal`` (its last commits may be
there), ``-shm`` and ``-journal`` as ``<state>.broken-<UTC time>`` (never deleted, never
overwritten: a second restore keeps a second one), and the new file takes its name. A
``-journal`` or ``-wal`` left beside the restored file would be applied to it: none is.

What the copy lacks (cron/backup.py: a run killed between its state commit and its copy, when
no run opened since) is carried from the broken state when it can still be read, so that the
next run does not export those runs' articles again:

- the committed runs the copy lacks, their ``changes`` and their failures (retried next run);
- of their articles, only those their JSONL beside the manifest holds at that revision: the
  JSONL is the proof the article was delivered, and an article carried as known is never
  fetched as new again, so a row without that proof would risk a loss;
- the frontier and the language-fallback pages, added to the copy's (a union: more work for
  the next run, never less), and withdrawals the copy lacks (a withdrawn article listed again
  is fetched again, so marking one never hides it);
- runs the broken state has still ``running`` (killed) with their staged rows, and runs whose
  JSONL ``.part`` lies in the data folder with no row at all: the next run's opening finishes
  or removes them (runs.IncrementalRuns: recover), as it would have without the restore, so
  their ``.part`` files, WARC and Markdown documents do not stay behind.

All of it is read before anything is written, and carried in one transaction or not at all: a
frontier not carried beside articles carried as known would let an incremental walk stop above
articles nobody delivered. When the broken state cannot be read, nothing is carried and the
runs the manifest records and the copy lacks are named: the next run exports their articles
again. Duplicates, never a loss.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cron.backup import backup_path, copies, fsync_path
from .cron.exits import LOCKED, USAGE, RunRefused
from .cron.lock import Locked, RunLock, describe
from .cron.manifest import DamagedManifest, read_manifest, run_ids
from .cron.preflight import check_state, integrity_problems, open_read_only, state_fault
from .stamps import utc_second
from .state import site_key, upgrade

# The files SQLite keeps beside a database: they belong to the broken state, not to the copy.
BESIDE = ("-wal", "-shm", "-journal")


@dataclass
class Restored:
    """What a restore did: ``lines`` to print, ``again`` the runs whose articles the next run
    exports again (and why), for one line on stderr."""

    lines: list[str] = field(default_factory=list)
    again: list[str] = field(default_factory=list)
    why_again: str = ""


@dataclass
class Carry:
    """Rows read from the broken state, to be written into the restored one."""

    committed: list[tuple[str, str]] = field(default_factory=list)  # (site, run_id)
    killed: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)
    withdrawn: list[tuple[Any, ...]] = field(default_factory=list)
    articles: int = 0
    not_proved: dict[str, int] = field(default_factory=dict)  # run id → articles left out


def check_copy(copy: Path, state: Path) -> None:
    """The copy exists and passes ``PRAGMA quick_check``; read without changing a byte of it
    (open_read_only: immutable, as a copy has no WAL beside it)."""
    others = ", ".join(p.name for p in copies(state) if p != copy) or "none"
    if not copy.is_file():
        raise state_fault(f"there is no copy {copy} to restore (other copies: {others}); "
                          "nothing was changed")
    try:
        problems = integrity_problems(copy)
    except sqlite3.Error as exc:
        problems = [f"cannot be read: {exc}"]
    if problems != ["ok"]:
        raise state_fault(f"the copy {copy} failed its integrity check ({problems[0]}); nothing "
                          f"was changed: restore another copy with --copy N (other copies: "
                          f"{others})")


def _rows(db: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()
          ) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = db.execute(sql, args)
    return [d[0] for d in cur.description], cur.fetchall()


def _jsonl_revisions(folder: Path, file: str | None) -> set[tuple[str, int]] | None:
    """``(url, revision)`` of every line of a run's JSONL, found by its name in ``folder``
    (where the manifest is: the state keeps the absolute path the run had); None if it cannot
    be read whole."""
    if not file:
        return None
    try:
        text = (folder / Path(file).name).read_text(encoding="utf-8")
        return {(item["url"], int(item["revision"])) for item in map(json.loads, text.splitlines())}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_carry(state: Path, copy: Path, folder: Path) -> Carry:
    """Everything the broken ``state`` has that the restored ``copy`` needs (see the module's
    docstring); raises sqlite3.Error when the broken state cannot be read for it."""
    carry = Carry()
    copied = open_read_only(copy)
    try:
        known = {(s, r): status for s, r, status in
                 copied.execute("SELECT site, run_id, status FROM runs")}
    finally:
        copied.close()
    # A -shm the open may make is moved aside with the broken state.
    db = open_read_only(state)
    try:
        runs_columns, runs = _rows(db, "SELECT * FROM runs ORDER BY run_id, site")
        at = {name: n for n, name in enumerate(runs_columns)}
        for row in runs:
            key = (row[at["site"]], row[at["run_id"]])
            if row[at["status"]] == "done" and known.get(key) != "done":
                carry.committed.append(key)
            elif row[at["status"]] == "running" and key not in known:
                carry.killed.append(key)
        wanted = set(carry.committed) | set(carry.killed)
        carry.tables["runs"] = (runs_columns, [r for r in runs
                                               if (r[at["site"]], r[at["run_id"]]) in wanted])
        done = set(carry.committed)
        for table in ("changes", "failures"):
            columns, rows = _rows(db, f"SELECT * FROM {table}")
            s, r = columns.index("site"), columns.index("run_id")
            carry.tables[table] = (columns, [row for row in rows if (row[s], row[r]) in done])
        columns, rows = _rows(db, "SELECT * FROM pending")
        s, r = columns.index("site"), columns.index("run_id")
        carry.tables["pending"] = (columns, [row for row in rows
                                             if (row[s], row[r]) in set(carry.killed)])
        for table in ("frontier", "fallback_pages", "folder"):
            carry.tables[table] = _rows(db, f"SELECT * FROM {table}")
        # Delivered, by the runs' own JSONL: (site, url, revision) each line proves.
        proved: set[tuple[str, str, int]] = set()
        for site, run_id in carry.committed:
            row = next(r for r in runs if (r[at["site"]], r[at["run_id"]]) == (site, run_id))
            lines = _jsonl_revisions(folder, row[at["file"]]) or set()
            proved |= {(site, url, revision) for url, revision in lines}
        columns, rows = _rows(db, "SELECT * FROM articles")
        s, u, v = (columns.index(c) for c in ("site", "url", "revision"))
        w, ws = columns.index("withdrawn"), columns.index("withdrawn_status")
        chosen = [row for row in rows if (row[s], row[u], row[v]) in proved]
        carry.tables["articles"] = (columns, chosen)
        carry.articles = len(chosen)
        carry.withdrawn = [(row[w], row[ws], row[s], row[u]) for row in rows
                           if row[w] is not None]
        # What each run exported that is not carried: the next run exports it again.
        carried = {(row[s], row[u]) for row in chosen}
        changes_columns, changes = carry.tables["changes"]
        cs, cu, cr = (changes_columns.index(c) for c in ("site", "url", "run_id"))
        for change in changes:
            if (change[cs], change[cu]) not in carried:
                run_id = change[cr]
                carry.not_proved[run_id] = carry.not_proved.get(run_id, 0) + 1
    finally:
        db.close()
    return carry


def write_carry(db: sqlite3.Connection, carry: Carry) -> None:
    """The carried rows into the restored database ``db``, in one transaction: a row of the
    broken state replaces the copy's of the same key (it is newer), so the frontier and the
    fallback pages are the union of both; columns the copy's release lacks were added by
    :func:`upgrade` first."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for table, (columns, rows) in carry.tables.items():
            if not rows:
                continue
            names = ", ".join(columns)
            marks = ", ".join("?" * len(columns))
            db.executemany(f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})", rows)
        db.executemany("UPDATE articles SET withdrawn = ?, withdrawn_status = ? WHERE site = ? "
                       "AND url = ? AND withdrawn IS NULL", carry.withdrawn)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _runs_in_folder(template: str, suffix: str) -> list[tuple[str, Path]]:
    """``(run_id, path)`` of each file of a run named by ``template`` (MPT_DATASET_URI,
    MPT_WARC_URI…) in its folder, followed by ``suffix`` ("" or ".part")."""
    folder, _, leaf = template.rpartition("/")
    pattern = re.compile(re.escape(leaf).replace(re.escape("%(name)s"), "mpt").replace(
        re.escape("%(run_id)s"), r"(?P<run>[^/]+)") + re.escape(suffix))
    place = Path(folder or ".")
    return [(match["run"], path) for path in (sorted(place.iterdir()) if place.is_dir() else [])
            if (match := pattern.fullmatch(path.name))]


def unfinished_parts(dataset: str, others: tuple[str, ...], db: sqlite3.Connection
                     ) -> list[tuple[str, Path]]:
    """``(run_id, final JSONL)`` of each run that left a ``.part`` file (its JSONL's, its
    Parquet file's or its archive's: a run killed before its first item has only the archive)
    and whose JSONL is not under its final name, that the restored state ``db`` has no row
    of: killed before it delivered anything, after the copy was kept."""
    rows = {r for (r,) in db.execute("SELECT run_id FROM runs")}
    found: dict[str, Path] = {}
    for template in (dataset, *others):
        for run_id, _ in _runs_in_folder(template, ".part"):
            final = Path(dataset % {"name": "mpt", "run_id": run_id})
            if run_id not in rows and not final.exists():
                found[run_id] = final
    return sorted(found.items())


def _stamp() -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"


def restore(state: Path, n: int, dataset: str, force: bool = False,
            others: tuple[str, ...] = ()) -> Restored:
    """Restore ``<state>.n`` as ``state`` (see the module's docstring). ``dataset``: the
    MPT_DATASET_URI template, which places the manifest and the runs' JSONL; ``others``: the
    templates of the runs' other files (MPT_PARQUET_URI, MPT_WARC_URI). Raises
    RunRefused (nothing changed) when a run holds the lock, the copy fails its check, or the
    state is healthy and ``force`` is not given."""
    copy = backup_path(state, n)
    lock = RunLock(f"{state}.lock")
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": utc_second(), "mode": "restore"}
    if not state.parent.is_dir():
        raise state_fault(f"the folder of {state} does not exist: nothing to restore there")
    try:
        lock.acquire(holder)
    except Locked as exc:
        raise RunRefused(LOCKED, f"locked: a run holds {state} ({describe(exc.holder)}); "
                                 "restore once it has ended: nothing was changed") from None
    except OSError as exc:
        raise state_fault(f"cannot open the lock file {lock.path}: {exc.strerror or exc}") \
            from None
    try:
        return _restore(state, copy, dataset, force, others)
    finally:
        lock.release()


def _restore(state: Path, copy: Path, dataset: str, force: bool,
             others: tuple[str, ...]) -> Restored:
    check_copy(copy, state)
    present = state.exists() or state.is_symlink()
    if present and not force:
        try:
            check_state(state)
        except RunRefused:
            pass  # broken: what the restore is for
        else:
            raise RunRefused(USAGE, f"usage error: {state} passes its integrity check: nothing "
                                    "to restore (--force restores the copy anyway; the state "
                                    "is kept aside)")
    folder = Path(dataset % {"name": "mpt", "run_id": "run"}).parent
    done = Restored()
    carry: Carry | None = None
    why = ""
    if present:
        try:
            carry = read_carry(state, copy, folder)
        except (sqlite3.Error, ValueError) as exc:
            # ValueError: a table without a column this release reads (a state last written by
            # an earlier release, broken before a run of this one upgraded it).
            why = f"{state} cannot be read for them ({exc})"
    else:
        why = f"{state} is missing"
    part = state.with_name(f"{state.name}.restore.part")
    part.unlink(missing_ok=True)  # of a restore killed before its end
    source = open_read_only(copy)
    target = sqlite3.connect(part, isolation_level=None)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal of its own yet
        if carry is not None:
            upgrade(target)
            try:
                write_carry(target, carry)
            except sqlite3.Error as exc:
                # Rolled back: the copy as it was, and its runs' articles exported again.
                why = f"what the broken state has of them cannot be carried ({exc})"
                carry = Carry(not_proved={r: 0 for _, r in carry.committed})
        if carry is None:
            copied = {r for (r,) in target.execute("SELECT run_id FROM runs WHERE "
                                                   "status = 'done'")}
            done.again = delivered_runs_lacking(dataset, copied)
        parts = unfinished_parts(dataset, others, target)
        if parts:
            base = target.execute("SELECT value FROM folder WHERE key = 'base_url'").fetchone()
            if base is not None:
                upgrade(target)
                target.executemany(
                    "INSERT INTO runs (site, run_id, file, status, started) "
                    "VALUES (?, ?, ?, 'running', ?)",
                    [(site_key(base[0]), run_id, str(final.resolve()), _stamp())
                     for run_id, final in parts])
            else:
                done.lines.append("runs killed before they delivered, their files left as "
                                  "they are (the copy records no site): "
                                  + ", ".join(r for r, _ in parts))
                parts = []
        problems = target.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise state_fault(f"the restored state failed its integrity check "
                              f"({problems[0][0]}); nothing was changed")
    finally:
        source.close()
        target.close()
    fsync_path(part)
    aside = None
    if present:
        aside = state.with_name(f"{state.name}.broken-{_stamp()}")
        while aside.exists():
            aside = aside.with_name(aside.name + "-")
        os.replace(state, aside)
    for suffix in BESIDE:
        beside = Path(f"{state}{suffix}")
        if beside.exists():
            if aside is not None:
                os.replace(beside, f"{aside}{suffix}")
            else:
                beside.unlink()  # of no database: nothing of it to keep
    os.replace(part, state)
    fsync_path(state.parent)
    kept = f"; the broken state is kept as {aside}" if aside is not None else ""
    done.lines.insert(0, f"restored {state} from {copy.name}, checked{kept}")
    if carry is not None:
        if carry.committed:
            done.lines.append(
                f"carried from the broken state the runs the copy lacks "
                f"({', '.join(r for _, r in carry.committed)}): {carry.articles} articles "
                "the next run does not export again")
        done.again = list(carry.not_proved)
        if carry.not_proved and not why:
            why = ("no JSONL beside the manifest proves them delivered: "
                   + ", ".join(f"{k} articles of {r}" for r, k in carry.not_proved.items()))
        killed = [r for _, r in carry.killed]
        if killed:
            done.lines.append(f"killed runs {', '.join(killed)}: the next run finishes or "
                              "removes them as it opens")
    if parts:
        done.lines.append(f"runs killed before they delivered ({', '.join(r for r, _ in parts)}): "
                          "the next run removes their files as it opens")
    done.why_again = why
    return done


def delivered_runs_lacking(dataset: str, copied: set[str]) -> list[str]:
    """The runs the restored copy has not committed that delivered all the same: recorded in
    ``manifest.jsonl`` or with their JSONL under its final name in the data folder (a run
    killed after its commit, before its record). With no state to read, the only record of
    what the next run exports again."""
    folder = Path(dataset % {"name": "mpt", "run_id": "run"}).parent
    delivered = {run_id for run_id, _ in _runs_in_folder(dataset, "")}
    try:
        delivered |= run_ids(read_manifest(folder / "manifest.jsonl"))
    except (OSError, DamagedManifest):
        delivered.add("(unknown: the manifest cannot be read)")
    return sorted(delivered - copied)
