"""A misbehaving site (replica fault mode) over real HTTP: nothing lost, nothing twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mptcrawler.pipelines import validation_errors
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron

ARTICLES, SEED = 500, 4
FAULTS = "5xx=0.10,timeout=0.05,reset=0.05,truncate=0.02"
# A stalled answer comes after 3 s; the crawler gives up after 1 s and retries.
FAST_FAILURE = {"DOWNLOAD_TIMEOUT": "1"}


def article_of(site: object, url: str) -> str | None:
    path = url.removeprefix("https://mpt.gov.by")
    found = site.by_path.get(path) or site.by_node_path.get(path)  # type: ignore[attr-defined]
    return found.url if found else None


def test_a_run_and_a_rerun_export_everything_once(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log,
                              extra=("--faults", FAULTS, "--fault-seed", "7", "--stall", "3"))
    try:
        first = run_cron(base, tmp_path, log, "lang=all", settings=FAST_FAILURE)
        first_requests = list(first.requests)
        second = run_cron(base, tmp_path, log, "lang=all", settings=FAST_FAILURE)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    site = build_site(ARTICLES, SEED)
    every = {a.url for a in site.articles}
    exported_first = [i["url"] for i in first.items]
    exported_second = [i["url"] for i in second.items]
    # the faults were there, and retried
    assert "'retry/count': " in first.log and len(first_requests) > len(every) * 1.1
    # nothing twice, nothing invalid, nothing lost
    both = exported_first + exported_second
    assert len(both) == len(set(both))
    assert set(both) == every
    assert all(validation_errors(i) == [] for i in first.items + second.items)
    # the first run's failures file names every article it missed
    missed = every - set(exported_first)
    first_failures = sorted((tmp_path / "data").glob("mpt-*-failures.jsonl"))[0]
    named = {article_of(site, json.loads(line)["url"])
             for line in first_failures.read_text(encoding="utf-8").splitlines()}
    print(f"first run: {len(exported_first)} exported, {len(missed)} missed, "
          f"{len(first_requests)} requests; second run: {len(exported_second)} exported")
    assert missed, "the faults made the first run miss nothing: the test proves little"
    assert missed <= named
    attempts = [json.loads(line)["attempts"]
                for line in first_failures.read_text(encoding="utf-8").splitlines()]
    assert all(a is not None and a >= 3 for a in attempts)  # retried before giving up
    for run in (first, second):
        peak = re.search(r"'mpt/memory/peak': (\d+)", run.log)  # VmHWM: extensions.PeakMemory
        assert peak is not None and int(peak.group(1)) < 300 * 1024 * 1024
