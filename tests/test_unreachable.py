"""Fail fast where retrying cannot help (issue 17, item 3): `scrapy crawl mpt` against a host
that does not resolve, or a loopback port where nothing listens, ends at once with one line and
exit status 69 instead of minutes of retries with backoff. The real command, in a child process;
its duration is not asserted, but the subprocess timeout is far below the old 6 minutes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mptcrawler.cron.exits import SITE_UNREACHABLE


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("base", "why"), [
    ("http://nonexistent.invalid", "nonexistent.invalid is unreachable: its name does not "
                                   "resolve (DNS lookup failed"),
    ("http://127.0.0.1:{port}", "127.0.0.1:{port} is unreachable: it refuses connections"),
])
def test_a_site_that_is_not_there_ends_the_run_at_once_with_one_line(
        base: str, why: str, tmp_path: Path) -> None:
    port = closed_port()
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mpt", "-s",
         f"MPT_BASE_URL={base.format(port=port)}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))
    assert done.returncode == SITE_UNREACHABLE == 69
    ours = [line for line in done.stderr.splitlines() if line.startswith("mptcrawler:")]
    assert len(ours) == 1, done.stderr[-2000:]
    assert ours[0].startswith(f"mptcrawler: {why.format(port=port)}")
    assert ours[0].endswith("nothing was fetched (exit status 69: try again later)")
    assert "Traceback" not in done.stderr
    assert "retry " not in done.stderr  # not retried at all
    # The run is on record as one that ended early; nothing stands for it as the latest.
    assert not (tmp_path / "data" / "latest.json").exists()
