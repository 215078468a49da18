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

from mptcrawler.pipelines import validation_errors
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server

from .conftest import run_cron

ARTICLES, SEED, SPAN, KILLS = 120, 5, 60, 20
# One request at a time, 5 ms apart: a full run of this replica takes ~2 s, its spider opens
# after ~0.5 s. A killed run commits nothing, so the next one is a full crawl again: the first
# 12 kills (0.6-1.9 s) land inside a full crawl while items are written; the last 8 land
# anywhere (start-up, crawl, after a clean end), including incremental runs.
SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "DOWNLOAD_DELAY": "0.005",
        "RANDOMIZE_DOWNLOAD_DELAY": "False"}


def test_killed_runs_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    proc, base = start_server(ARTICLES, SEED, tmp_path, extra=("--span-days", str(SPAN)))
    rng = random.Random(20261125)  # fixed, so a failure can be replayed
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-a", "lang=all",
           "-s", f"MPT_BASE_URL={base}"]
    for name, value in {**REPLICA_SETTINGS, **SLOW}.items():
        cmd += ["-s", f"{name}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
    try:
        moments = []
        for _ in range(KILLS):
            run = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            moment = rng.uniform(0.6, 1.9) if len(moments) < 12 else rng.uniform(0.3, 3.0)
            moments.append(round(moment, 2))
            time.sleep(moment)
            run.send_signal(signal.SIGKILL)
            run.wait()
            time.sleep(1.05)  # run ids are per second
        final = run_cron(base, tmp_path, None, "lang=all")
        assert final.returncode == 0, final.stderr_tail
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    db = sqlite3.connect(tmp_path / "data" / "mpt-state.sqlite")
    abandoned = db.execute("SELECT count(*) FROM runs WHERE status = 'abandoned'").fetchone()[0]
    assert abandoned >= KILLS // 2, f"only {abandoned} kills landed mid-run: {moments}"
    assert not list((tmp_path / "data").glob("*.jsonl.part"))  # recovery removed them
    finals = sorted((tmp_path / "data").glob("mpt-*Z.jsonl"))
    seen: Counter[tuple[str, int]] = Counter()
    for path in finals:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            item = json.loads(line)  # a torn line would raise here
            assert validation_errors(item) == [], f"{path.name}:{number}"
            seen[(item["url"], item["revision"])] += 1
    urls = {a.url for a in build_site(ARTICLES, SEED, span_days=SPAN).articles}
    assert {url for url, _ in seen} == urls, f"kill moments: {moments}"
    assert [k for k, n in seen.items() if n > 1] == [], f"kill moments: {moments}"
    assert {rev for _, rev in seen} == {1}
