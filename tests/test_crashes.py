"""A bug in a parser or a pipeline on one page must not lose that article without a trace: the
real `scrapy crawl mpt`, with a component that crashes on one article, records it as a failure
with its URL and reason and exports every other article."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import scrapy_command

from .conftest import E2E_ARTICLES, E2E_SEED, PROJECT, Replica


def crawl_with(replica: Replica, tmp: Path, settings: dict[str, Any]) -> tuple[
        subprocess.CompletedProcess[str], list[dict[str, Any]], list[dict[str, Any]]]:
    args = ["-a", "lang=all", "-O", str(tmp / "items.jsonl"),
            "-s", f"MPT_FAILURES_URI={tmp / 'failures.jsonl'}"]
    for name, value in settings.items():
        args += ["-s", f"{name}={json.dumps(value) if isinstance(value, dict) else value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings", PYTHONPATH=str(PROJECT))
    done = subprocess.run(scrapy_command(replica.base_url, *args), cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=600)
    read = [[json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
            if f.exists() else [] for f in (tmp / "items.jsonl", tmp / "failures.jsonl")]
    return done, read[0], read[1]


def victim() -> str:
    return next(a.url for a in build_site(E2E_ARTICLES, E2E_SEED).articles if "/ru/" in a.url)


def test_a_crash_in_the_callback_is_a_recorded_failure(replica: Replica, tmp_path: Path) -> None:
    url = victim()
    done, items, failures = crawl_with(replica, tmp_path, {
        "SPIDER_MIDDLEWARES": {"tests.crashers.CrashOnOneArticle": 1},
        "MPT_TEST_CRASH_PATH": url.removeprefix("https://mpt.gov.by")})
    assert "a parser bug" in done.stderr  # Scrapy's own traceback stays in the log
    assert [(f["url"], f["kind"], f["reason"], f["detail"]) for f in failures] == [
        (url, "article", "crash", "RuntimeError: a parser bug")]
    assert len(items) == E2E_ARTICLES - 1 and url not in {i["url"] for i in items}


def test_a_crash_in_a_pipeline_is_a_recorded_failure(replica: Replica, tmp_path: Path) -> None:
    url = victim()
    done, items, failures = crawl_with(replica, tmp_path, {
        "ITEM_PIPELINES": {"tests.crashers.CrashingPipeline": 600},
        "MPT_TEST_PIPELINE_CRASH_PATH": url.removeprefix("https://mpt.gov.by")})
    assert [(f["url"], f["kind"], f["reason"], f["detail"]) for f in failures] == [
        (url, "article", "pipeline_crash", "RuntimeError: a pipeline bug")], done.stderr[-2000:]
    assert len(items) == E2E_ARTICLES - 1 and url not in {i["url"] for i in items}
