"""A SIGTERM stops a crawl within seconds even under robots.txt's Crawl-delay (issue 17, item 6):
the replica served as by hand (its robots.txt asks for Drupal's 10 s), the real `scrapy crawl
mpt` obeying it, stopped once requests wait in the download slot. Before, Scrapy fetched every
waiting request first, one every 10 s: 2 min 36 s for 16 of them. No duration is asserted; the
subprocess timeout is far below that."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mptcrawler.cron.exits import INTERRUPTED
from mptcrawler.replica.__main__ import start_server


def test_a_sigterm_under_crawl_delay_stops_the_run_in_seconds(tmp_path: Path) -> None:
    proc, base = start_server(60, 1, tmp_path)  # serve's default: Crawl-delay 10
    log = tmp_path / "crawl.log"
    crawl = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "mpt", "-s", f"MPT_BASE_URL={base}",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", f"LOG_FILE={log}",
         "-s", "LOG_LEVEL=DEBUG"],  # for the "Crawled" line of the listing page
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))
    try:
        deadline = time.monotonic() + 60
        # The first listing page has been parsed: its ten article requests wait for their turn.
        while "Crawled (200) <GET " + base + "/ru/news>" not in (
                log.read_text(encoding="utf-8") if log.exists() else ""):
            assert crawl.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(1)
        crawl.send_signal(signal.SIGTERM)
        _, stderr = crawl.communicate(timeout=30)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()
        proc.terminate()
        proc.wait(timeout=10)
    assert crawl.returncode == INTERRUPTED, stderr
    text = log.read_text(encoding="utf-8")
    assert "requests waiting for their turn dropped" in text
    assert "Traceback" not in text
    # Dropped, not failed: no article is recorded as a failure of this run.
    assert not list((tmp_path / "data").glob("*-failures.jsonl"))
