"""`-s JOBDIR=…` pause and resume, as documented in the README."""

from __future__ import annotations

from pathlib import Path

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron


def test_a_stopped_job_resumes_where_it_stopped(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(150, 2, tmp_path, log)
    job = {"JOBDIR": str(tmp_path / "job")}
    try:
        first = run_cron(base, tmp_path, log, "lang=all",
                         settings={**job, "CLOSESPIDER_PAGECOUNT": "40"})
        second = run_cron(base, tmp_path, log, "lang=all", settings=job)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert first.returncode == 0 and second.returncode == 0, second.stderr_tail
    assert "closespider_pagecount" in first.log
    assert 0 < len(first.items) < 150
    urls = [i["url"] for i in first.items + second.items]
    assert sorted(urls) == sorted(a.url for a in build_site(150, 2).articles)
    # the second run did not start over: pages fetched by the first were not fetched again
    assert not (set(first.requests) - {"/robots.txt"}) & set(second.requests)
