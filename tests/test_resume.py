"""`-s JOBDIR=…` pause and resume, as documented in the README."""

from __future__ import annotations

import json
from pathlib import Path

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron


def test_a_stopped_job_resumes_where_it_stopped(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(150, 2, tmp_path, log)
    job = {"JOBDIR": str(tmp_path / "job")}
    try:
        # full=1 as the README has it: the resumed session walks on where the job stopped
        # (a plain run after a stop would be incremental: it re-checks recent articles).
        first = run_cron(base, tmp_path, log, "lang=all", "full=1",
                         settings={**job, "CLOSESPIDER_PAGECOUNT": "40"})
        second = run_cron(base, tmp_path, log, "lang=all", "full=1", settings=job)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert first.returncode == 0 and second.returncode == 0, second.stderr_tail
    assert "closespider_pagecount" in first.log
    assert 0 < len(first.items) < 150
    urls = [i["url"] for i in first.items + second.items]
    assert sorted(urls) == sorted(a.url for a in build_site(150, 2).articles)
    # The second run did not start over: no article the first delivered was fetched again.
    # (Pages the first had in flight when it stopped are fetched again: the job forgot them,
    # its frontier did not; mptcrawler/cron/frontier.py.)
    delivered = {i["url"].removeprefix("https://mpt.gov.by") for i in first.items}
    assert not delivered & set(second.requests)
    assert len(set(first.requests) & set(second.requests)) < 16  # at most those in flight
    # The listing pages the stopped session left are walked (articles it had in flight may
    # stay in the frontier for the next run: the job will not ask for them again).
    summaries = [json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((tmp_path / "data").glob("*-summary.json"))]
    assert summaries[0]["frontier"]["left"]["listing_pages"] > 0
    assert summaries[1]["frontier"]["left"]["listing_pages"] == 0
