"""Politeness toward the live site, checked against a replica over HTTP."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from mptcrawler import settings as project
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron


@pytest.mark.parametrize("autothrottle", ["False", "True"])
def test_robots_crawl_delay_is_obeyed(tmp_path: Path, autothrottle: str) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(40, 1, tmp_path, log, extra=("--crawl-delay", "0.3"))
    try:
        run = run_cron(base, tmp_path, log, "max_pages=1", settings={
            "MPT_ROBOTS_CRAWL_DELAY": "True", "RANDOMIZE_DOWNLOAD_DELAY": "False",
            "AUTOTHROTTLE_ENABLED": autothrottle, "AUTOTHROTTLE_START_DELAY": "0",
            "MPT_INCREMENTAL": "False"})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert run.returncode == 0, run.stderr_tail
    assert "asks for Crawl-delay: 0.3 s; obeying it" in run.log
    times = [float(line.split(" ")[3]) for line in log.read_text().splitlines()]
    assert len(times) >= 8
    gaps = [b - a for a, b in itertools.pairwise(times[1:])]  # after robots.txt
    assert min(gaps) >= 0.28, gaps


def test_live_defaults_are_polite() -> None:
    assert project.ROBOTSTXT_OBEY and project.MPT_ROBOTS_CRAWL_DELAY
    assert project.DOWNLOAD_DELAY >= 1 and project.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert project.AUTOTHROTTLE_ENABLED
    assert project.USER_AGENT.startswith("mptcrawler/") and "+" in project.USER_AGENT
