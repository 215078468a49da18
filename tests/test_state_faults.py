"""A state database or an output folder that cannot be used stops a cron run before its first
request, with exit status 5, one line, and nothing changed (mptcrawler/cron/preflight.py); the
rotated copies of the state restore it as the README says. Real `scrapy crawl mpt` runs."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mptcrawler.cron.exits import STATE_FAULT
from mptcrawler.replica.__main__ import start_server

from .conftest import PROJECT, CronRun, run_cron

ARTICLES, SEED = 60, 7


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    workdir = tmp_path_factory.mktemp("faults-site")
    log = workdir / "access.log"
    proc, base = start_server(ARTICLES, SEED, workdir, log)
    try:
        yield base, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def good_state(site: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of one complete run."""
    workdir = tmp_path_factory.mktemp("good-state")
    run = run_cron(site[0], workdir, None, "lang=all")
    assert run.returncode == 0 and len(run.items) == ARTICLES, run.stderr_tail
    return workdir / "data"


def our_lines(run: CronRun) -> list[str]:
    return [line for line in run.log.splitlines() if line.startswith("mptcrawler:")]


def refused(site: tuple[str, Path], workdir: Path) -> CronRun:
    base, log = site
    run = run_cron(base, workdir, log, "lang=all")
    assert run.returncode == STATE_FAULT == 5, run.stderr_tail
    assert log.read_text(encoding="utf-8") == ""  # not one request
    assert "Spider opened" not in run.log and "Traceback" not in run.log
    return run


def damaged(kind: str, good: bytes) -> bytes:
    return {"empty": b"",
            "truncated": good[: len(good) // 2],
            "not a database": b"this is not an SQLite file\n" * 200,
            # the header survives; the pages after it are overwritten
            "overwritten pages": good[:4096] + b"\x7f" * (len(good) - 4096)}[kind]


@pytest.mark.parametrize("kind", ["empty", "truncated", "not a database",
                                  "overwritten pages"])
def test_a_damaged_state_stops_the_run_and_stays_as_it_was(
        kind: str, site: tuple[str, Path], good_state: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    state = data / "mpt-state.sqlite"
    broken = damaged(kind, (good_state / "mpt-state.sqlite").read_bytes())
    state.write_bytes(broken)
    run = refused(site, tmp_path)
    lines = our_lines(run)
    # Refused before Scrapy's start-up lines: stderr is the one line and nothing else.
    assert run.log.splitlines() == lines
    assert len(lines) == 1 and lines[0].startswith("mptcrawler: state fault: "
                                                   "data/mpt-state.sqlite ")
    assert lines[0].endswith(" restore a copy (scrapy restorestate; README: Restoring the "
                             "state) or move it away to start over")
    if not broken:  # not silently taken for a new database
        assert " is empty (0 bytes)" in lines[0]
    assert state.read_bytes() == broken  # byte for byte
    # Nothing else either: no -wal/-shm from the check, no file of the run, no lock file.
    assert sorted(p.name for p in data.iterdir()) == ["mpt-state.sqlite"]


def test_a_data_path_under_a_regular_file_stops_the_run(site: tuple[str, Path],
                                                        tmp_path: Path) -> None:
    # Tests run as root, for whom permission bits do not stop a write: a path whose parent is
    # a regular file cannot be written by anyone.
    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    run = refused(site, tmp_path)
    assert our_lines(run) == ["mptcrawler: state fault: cannot create the state folder data: "
                              "File exists"]
    assert (tmp_path / "data").read_text(encoding="utf-8") == "not a folder"


def test_a_dangling_data_link_stops_the_run(site: tuple[str, Path], tmp_path: Path) -> None:
    (tmp_path / "data").symlink_to(tmp_path / "gone")
    run = refused(site, tmp_path)
    assert our_lines(run) == ["mptcrawler: state fault: cannot create the state folder data "
                              "(a dangling symbolic link?): File exists"]
    assert not (tmp_path / "gone").exists()


def test_an_unwritable_output_folder_stops_the_run(site: tuple[str, Path],
                                                   tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    base, log = site
    run = run_cron(base, tmp_path, log, "lang=all",
                   settings={"MPT_WARC_URI": "out/x/%(name)s-%(run_id)s.warc.gz"})
    assert run.returncode == STATE_FAULT, run.stderr_tail
    assert log.read_text(encoding="utf-8") == ""
    assert our_lines(run) == ["mptcrawler: state fault: cannot create the output folder out/x: "
                              "Not a directory"]


def test_copies_of_the_state_are_kept_and_restore_it(site: tuple[str, Path],
                                                     tmp_path: Path) -> None:
    base, log = site
    first = run_cron(base, tmp_path, log, "lang=all")
    assert first.returncode == 0 and len(first.items) == ARTICLES
    data = tmp_path / "data"
    for _ in range(3):
        assert run_cron(base, tmp_path, log, "lang=all").returncode == 0
    copies = sorted(p.name for p in data.glob("mpt-state.sqlite.*") if p.suffix != ".lock")
    assert copies == ["mpt-state.sqlite.1", "mpt-state.sqlite.2", "mpt-state.sqlite.3"]
    newest = sqlite3.connect(data / "mpt-state.sqlite.1")
    runs = newest.execute("SELECT count(*) FROM runs WHERE status = 'done'").fetchone()[0]
    assert newest.execute("PRAGMA quick_check").fetchone() == ("ok",)
    newest.close()
    assert runs == 4  # the copy is the state after the last run's commit

    (data / "mpt-state.sqlite").write_bytes(b"")  # the state is lost
    refused(site, tmp_path)
    # The README's restore, word for word but for the data folder (the demo's, in the README)
    # and this venv's scrapy.
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Restoring the state", 1)[1]
    script = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert script.startswith(".venv/bin/scrapy restorestate --data data/replica ")
    script = script.replace(".venv/bin/scrapy ", f"{shlex.quote(sys.executable)} -m scrapy ", 1)
    script = script.replace("--data data/replica ", "--data data ", 1)
    subprocess.run(["sh", "-e", "-c", script], check=True, cwd=tmp_path,
                   env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))
    (broken,) = data.glob("mpt-state.sqlite.broken-*")
    assert broken.read_bytes() == b""  # the lost state, kept aside
    again = run_cron(base, tmp_path, log, "lang=all")
    assert again.returncode == 0, again.stderr_tail
    assert again.items == []  # it knows every article: nothing exported twice
    assert "(incremental)" in again.log


def test_a_read_only_state_is_found_at_the_start(good_state: Path, tmp_path: Path) -> None:
    """As root no file is read-only to us, so the probe is shown a read-only connection, as it
    would get on a read-only mount or a file of another user."""
    from mptcrawler.cron.exits import RunRefused
    from mptcrawler.cron.preflight import check_state_writable

    state = tmp_path / "mpt-state.sqlite"
    shutil.copyfile(good_state / "mpt-state.sqlite", state)
    before = state.read_bytes()
    read_only = sqlite3.connect(f"file:{state}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(RunRefused) as refusal:
        check_state_writable(read_only, state)
    read_only.close()
    assert (refusal.value.status, refusal.value.line) == (
        STATE_FAULT, f"state fault: {state} is not writable: attempt to write a readonly "
                     "database")
    writable = sqlite3.connect(state, isolation_level=None)
    check_state_writable(writable, state)  # and a writable one passes, unchanged
    writable.close()
    assert state.read_bytes() == before


def test_a_missing_state_beside_its_copies_stops_the_run(site: tuple[str, Path],
                                                         good_state: Path,
                                                         tmp_path: Path) -> None:
    """The state gone but its copies there (deleted by hand, a mount missing): not a first
    run, which would export every article again from revision 1, unless asked to start over."""
    data = tmp_path / "data"
    shutil.copytree(good_state, data)
    (data / "mpt-state.sqlite").unlink()
    for leftover in ("mpt-state.sqlite-wal", "mpt-state.sqlite-shm"):
        (data / leftover).unlink(missing_ok=True)
    shutil.copyfile(data / "mpt-state.sqlite.1", data / "mpt-state.sqlite.2")
    def files() -> dict[str, bytes]:  # the lock file names the latest holder: not compared
        return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*")
                if p.is_file() and p.suffix != ".lock"}

    before = files()
    run = refused(site, tmp_path)
    assert our_lines(run) == [
        "mptcrawler: state fault: data/mpt-state.sqlite is missing but copies of it are beside "
        "it (mpt-state.sqlite.1, mpt-state.sqlite.2): restore mpt-state.sqlite.1 (scrapy "
        "restorestate; README: Restoring the state), or to start over remove the copies or "
        "run with -a reset=1"]
    assert files() == before

    base, log = site
    again = run_cron(base, tmp_path, log, "lang=all", "reset=1")  # starting over on purpose
    assert again.returncode == 0, again.stderr_tail
    assert len(again.items) == ARTICLES and {i["revision"] for i in again.items} == {1}


def test_a_damaged_manifest_line_is_named_and_nothing_is_added(site: tuple[str, Path],
                                                               good_state: Path,
                                                               tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(good_state, data)
    manifest = data / "manifest.jsonl"
    good = manifest.read_bytes()
    damaged = good + b'{"run_id": "20261125T010203.123456Z", "file": "mpt-2026\n' + good
    manifest.write_bytes(damaged)
    run = refused(site, tmp_path)
    assert our_lines(run) == [
        "mptcrawler: state fault: data/manifest.jsonl line 2 is damaged (not JSON: "
        "Unterminated string starting at: line 1 column 47 (char 46)): repair or remove that "
        "line; the runs' files and the state are intact"]
    assert manifest.read_bytes() == damaged


def test_a_manifest_without_its_last_newline_gets_a_record_of_its_own(
        site: tuple[str, Path], good_state: Path, tmp_path: Path) -> None:
    """Edited by hand and saved without a final newline: the next record is not glued on."""
    data = tmp_path / "data"
    shutil.copytree(good_state, data)
    manifest = data / "manifest.jsonl"
    manifest.write_bytes(manifest.read_bytes().rstrip(b"\n"))
    base, log = site
    again = run_cron(base, tmp_path, log, "lang=all")
    assert again.returncode == 0, again.stderr_tail
    records = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()]
    assert [r["mode"] for r in records] == ["full", "incremental"]
