"""Every usage error of `scrapy crawl mpt` is one line on stderr and exit status 2, nothing else
(issue 17, item 5): Scrapy's own (an option without its value, ``-a`` without ``=``, an unknown
option or output format), and settings Scrapy itself would fail on with a traceback. And an
ad-hoc ``-O`` run, the normal case, logs no WARNING for the extensions it leaves out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mptcrawler.cron.exits import USAGE
from mptcrawler.replica.__main__ import REPLICA_SETTINGS

from .conftest import Replica

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
CLOSED = "http://127.0.0.1:9"  # never asked: every line below is refused before any request


@pytest.mark.parametrize(("args", "line"), [
    (["-a"], "argument -a: expected one argument"),
    (["-a", "full"], "Invalid -a value, use -a NAME=VALUE"),
    (["-s", "FEEDS"], "Invalid -s value, use -s NAME=VALUE"),
    (["-O"], "argument -O/--overwrite-output: expected one argument"),
    (["--no-such-option"], "unknown option --no-such-option (scrapy crawl -h lists them)"),
    (["other"], "running 'scrapy crawl' with more than one spider is not supported"),
    (["-a", "since=2020-13-01"], "since='2020-13-01': expected an ISO date such as 2022-01-31"),
    (["-a", "lang="], "lang='': expected 'all' or a comma list of ru, be, en"),
    (["-s", "LOG_LEVEL=debug"],
     "LOG_LEVEL='debug': expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    (["-s", "LOG_FILE=missing/crawl.log"],
     "LOG_FILE='missing/crawl.log': its folder {tmp}/missing does not exist or is not "
     "writable"),
    (["-s", "JOBDIR=a-file/job"], "JOBDIR='a-file/job': {tmp}/a-file is not a writable folder"),
    (["-o", "out.nosuchformat"], "Unrecognized output format 'nosuchformat'. Set a supported one "
     "(('json', 'jsonlines', 'jsonl', 'jl', 'csv', 'xml', 'marshal', 'pickle', 'markdown', "
     "'md', 'parquet')) after a colon at the end of the output URI (i.e. -o/-O <URI>:<FORMAT>) or "
     "as a file extension."),
])
def test_a_usage_error_is_one_line_and_status_2(args: list[str], line: str,
                                                tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "mpt", "-s",
                           f"MPT_BASE_URL={CLOSED}", *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env=ENV)
    assert done.returncode == USAGE == 2
    assert done.stderr.splitlines() == [f"mptcrawler: usage error: {line.format(tmp=tmp_path)}"]
    assert not (tmp_path / "data").exists()


def test_an_ad_hoc_run_logs_no_warning_for_what_it_leaves_out(replica: Replica,
                                                              tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-s",
           f"MPT_BASE_URL={replica.base_url}", "-a", "max_pages=1", "-O", "out.jsonl"]
    for name, value in REPLICA_SETTINGS.items():
        cmd += ["-s", f"{name}={value}"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=ENV)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [line for line in done.stderr.splitlines() if "WARNING" in line] == []
    assert "INFO: feeds given on the command line: an ad-hoc run; no state, archive or " \
           "Markdown documents kept" in done.stderr
    assert (tmp_path / "out.jsonl").stat().st_size > 0
