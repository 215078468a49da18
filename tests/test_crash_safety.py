"""SIGKILL at random moments: no torn file under a final name, nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from pydispatch import dispatcher
from scrapy import signals
from scrapy.utils.test import get_crawler

from mptcrawler import settings as project
from mptcrawler.pipelines import validation_errors
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider

from .conftest import run_cron
from .test_recovery import crawler_settings

ARTICLES, SEED, SPAN = 120, 5, 60
MID_WRITE_KILLS, ANYTIME_KILLS = 12, 8
# One request at a time, 5 ms apart, so that a full run writes its items over a second or two.
SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "DOWNLOAD_DELAY": "0.005",
        "RANDOMIZE_DOWNLOAD_DELAY": "False"}


def part_bytes(data: Path, stale: set[Path]) -> int:
    """Bytes of this run's .part file (earlier killed runs' are removed by its recovery)."""
    if not data.exists():
        return 0
    return sum(p.stat().st_size for p in data.glob("*.jsonl.part") if p not in stale)


def test_killed_runs_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    proc, base = start_server(ARTICLES, SEED, tmp_path, extra=("--span-days", str(SPAN)))
    rng = random.Random(20261125)  # fixed, so that a failure can be replayed
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-a", "lang=all",
           "-s", f"MPT_BASE_URL={base}"]
    for name, value in {**REPLICA_SETTINGS, **SLOW}.items():
        cmd += ["-s", f"{name}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
    data = tmp_path / "data"
    kills = []
    try:
        for n in range(MID_WRITE_KILLS + ANYTIME_KILLS):
            stale = set(data.glob("*.jsonl.part")) if data.exists() else set()
            run = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            if n < MID_WRITE_KILLS:
                # A killed run commits nothing, so each of these is a full crawl: kill it once
                # a random amount of its items is on disk, whatever the machine's speed.
                threshold = rng.randint(1, 250_000)  # a full run writes ~300 KB
                deadline = time.monotonic() + 60
                while part_bytes(data, stale) < threshold and run.poll() is None:
                    assert time.monotonic() < deadline, "the run wrote nothing for a minute"
                    time.sleep(0.01)
                kills.append(f"after {part_bytes(data, stale)} bytes")
            else:
                moment = rng.uniform(0.2, 3.0)  # start-up, crawl, or after a clean end
                time.sleep(moment)
                kills.append(f"at {moment:.2f} s")
            run.send_signal(signal.SIGKILL)
            run.wait()
        final = run_cron(base, tmp_path, None, "lang=all")
        assert final.returncode == 0, final.stderr_tail
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    db = sqlite3.connect(data / "mpt-state.sqlite")
    abandoned = db.execute("SELECT count(*) FROM runs WHERE status = 'abandoned'").fetchone()[0]
    assert abandoned >= MID_WRITE_KILLS, kills
    assert not list(data.rglob("*.part"))  # recovery removed them: feeds, archive, documents
    seen: Counter[tuple[str, int]] = Counter()
    for path in sorted(data.glob("mpt-*Z.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            item = json.loads(line)  # a torn line would raise here
            assert validation_errors(item) == [], f"{path.name}:{number}"
            seen[(item["url"], item["revision"])] += 1
    urls = {a.url for a in build_site(ARTICLES, SEED, span_days=SPAN).articles}
    assert {url for url, _ in seen} == urls, kills
    assert [k for k, n in seen.items() if n > 1] == [], kills
    assert {rev for _, rev in seen} == {1}
    # Markdown documents only of runs that delivered their JSONL, one per item exported.
    records = [json.loads(line) for line in
               (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    complete = {record["run_id"] for record in records}
    # A consumer follows the manifest: every delivered JSONL is named in it, also of a run
    # killed between its state commit and its manifest record (recorded by a later run).
    delivered = {p.name for p in data.glob("mpt-*Z.jsonl") if p.stat().st_size}
    assert delivered <= {record.get("file") for record in records}, kills
    folders = {p.name.removeprefix("mpt-") for p in (data / "markdown").iterdir()}
    assert folders <= complete, kills
    assert sum(1 for _ in (data / "markdown").rglob("*.md")) == sum(seen.values())


def test_the_run_is_in_the_state_before_any_of_its_outputs_opens(tmp_path: Path) -> None:
    # A run killed after an output opened its `.part` must be one the state knows (status
    # running), or no later run removes that `.part`: IncrementalRuns' spider_opened
    # (start_run) comes before every handler that opens a file. Once, at priority 100, the
    # archive's and FeedExporter's came first, and the test above found a `.part` left over.
    settings = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    crawler = get_crawler(MptSpider, {**settings, **crawler_settings(tmp_path),
                                      "MPT_INCREMENTAL": True})
    try:
        names = [getattr(r, "__qualname__", "") for r in dispatcher.liveReceivers(
            dispatcher.getAllReceivers(crawler.signals.sender, signals.spider_opened))]
        # (MarkdownDocuments makes its folder at the first document, after start_run anyway)
        openers = ["WarcArchive.spider_opened", "FeedExporter.open_spider"]
        assert set(openers) <= set(names), names
        assert all(names.index("IncrementalRuns.spider_opened") < names.index(opener)
                   for opener in openers), names
    finally:
        for extension in crawler.extensions.middlewares:
            if isinstance(extension, IncrementalRuns) and extension.lock is not None:
                if extension.state is not None:
                    extension.state.close()
                extension.lock.release()
