"""The project's own commands on their command line: --version, defaults in the help, the
hostile kinds listed (the real console scripts, in child processes)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mptcrawler import __version__
from mptcrawler.replica.faults import HOSTILE_KINDS

BIN = Path(sys.executable).parent
COMMANDS = ["mptcrawler-replica", "mptcrawler-reextract", "mptcrawler-report"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_version(command: str) -> None:
    done = run(command, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{command} {__version__}\n", "")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_help_shows_defaults_and_the_hostile_kinds() -> None:
    serve = flat(run("mptcrawler-replica", "serve", "--help").stdout)
    assert "number of articles (≥1) (default: 300)" in serve
    assert "random seed of the faults (default: 0)" in serve
    assert "--host HOST address to listen on (default: 127.0.0.1)" in serve
    assert "(default: None)" not in serve and "(default: False)" not in serve
    kinds = serve.split("hostile inputs, a comma list of: ")[1]
    assert all(kind in kinds for kind in HOSTILE_KINDS)
    assert "faults.py" not in serve  # not a pointer into the source
    assert "spider argument lang (default: all)" in flat(
        run("mptcrawler-replica", "crawl", "--help").stdout)
    assert "the crawl's data folder (default: data)" in flat(
        run("mptcrawler-report", "--help").stdout)
    assert "--jobs JOBS processes that parse (default: this machine's cores)" in flat(
        run("mptcrawler-reextract", "--help").stdout)
