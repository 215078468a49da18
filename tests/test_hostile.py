"""Hostile input over real HTTP (replica --hostile): each ends as an exported item or as a
recorded failure with its reason; nothing off-site is requested; memory stays bounded."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server
from mptcrawler.replica.faults import HOSTILE_KINDS, hostile_plan

from .conftest import CronRun, run_cron

ARTICLES = 200
REASONS = {  # what each hostile page must end as
    "404": "http_404",
    "offsite_redirect": "no_response",
    "redirect_loop": "no_response",
    "garbage": "truncated_html",  # binary bytes have no </html>: retried, then failed
    "gzip_bomb": "IgnoreRequest",  # decompression stopped at DOWNLOAD_MAXSIZE
    "huge": "DownloadCancelledError",  # 50 MB announced, over DOWNLOAD_MAXSIZE
    # The client reads only the announced bytes: a page without its end, every time.
    "content_length_short": "truncated_html",
}
EXPORTED = ["cp1251_header", "cp1251_meta", "too_many_requests", "redirect_chain"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[CronRun, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    log = tmp / "access.log"
    proc, base = start_server(ARTICLES, 1, tmp, log, extra=("--hostile", ",".join(HOSTILE_KINDS)))
    try:
        return run_cron(base, tmp, log, "lang=all"), tmp
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def plan() -> dict[str, str]:
    site = build_site(ARTICLES, 1)
    return hostile_plan(list(HOSTILE_KINDS), [a.path for a in site.articles])


def failures(tmp: Path) -> dict[str, dict[str, Any]]:
    return {json.loads(line)["url"]: json.loads(line)
            for f in (tmp / "data").glob("*-failures.jsonl")
            for line in f.read_text(encoding="utf-8").splitlines()}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_hostile_page_is_a_failure_with_its_reason(crawl: tuple[CronRun, Path],
                                                  kind: str) -> None:
    run, tmp = crawl
    path = next(p for p, k in plan().items() if k == kind)
    failure = failures(tmp).get("https://mpt.gov.by" + path)
    assert failure is not None, f"{kind}: {path} neither exported nor recorded"
    assert failure["reason"] == REASONS[kind], failure
    assert "https://mpt.gov.by" + path not in {i["url"] for i in run.items}


@pytest.mark.parametrize("kind", EXPORTED)
def test_pages_that_end_well_are_read_exactly(crawl: tuple[CronRun, Path], kind: str) -> None:
    # windows-1251 with and without a charset header; a 429 with Retry-After, then the page;
    # four 301 hops, then the page (the item keeps the canonical URL, not ?hop=4)
    run, _ = crawl
    path = next(p for p, k in plan().items() if k == kind)
    truth = next(a.truth() for a in build_site(ARTICLES, 1).articles if a.path == path)
    item = next(i for i in run.items if i["url"] == truth["url"])
    assert (item["title"], item["text"]) == (truth["title"], truth["text"])


def test_a_redesigned_page_is_read_by_the_fallback_and_marked(crawl: tuple[CronRun, Path]) -> None:
    run, _ = crawl
    path = next(p for p, k in plan().items() if k == "redesign")
    truth = next(a.truth() for a in build_site(ARTICLES, 1).articles if a.path == path)
    item = next(i for i in run.items if i["url"] == truth["url"])
    assert (item["extraction"], item["era"]) == ("fallback", None)
    assert (item["title"], item["node_id"]) == (truth["title"], truth["node_id"])
    assert truth["text"].split("\n")[0] in item["text"]
    assert "'mpt/extraction/fallback': 1," in run.log


def test_everything_else_is_exported_and_accounted_for(crawl: tuple[CronRun, Path]) -> None:
    run, tmp = crawl
    every = {a.url for a in build_site(ARTICLES, 1).articles}
    exported = {i["url"] for i in run.items}
    failed = set(failures(tmp)) & every
    assert exported | failed == every and not exported & failed
    assert len(failed) == len(REASONS)


def test_feed_entity_bomb_and_memory(crawl: tuple[CronRun, Path]) -> None:
    run, _ = crawl
    assert run.returncode in (0, 3), run.stderr_tail
    # The crawl's own peak (VmHWM), not memusage/max: that one carries over the test
    # runner's peak through fork and exec (extensions.PeakMemory).
    peak = int(re.search(r"'mpt/memory/peak': (\d+)", run.log).group(1))  # type: ignore[union-attr]
    assert peak < 300 * 1024 * 1024


def test_nothing_is_requested_off_site(crawl: tuple[CronRun, Path]) -> None:
    _, tmp = crawl
    hosts = {line.split(" ")[1] for line in (tmp / "access.log").read_text().splitlines()}
    assert hosts == {"127.0.0.1"}  # the off-site redirect pointed at "localhost"


def test_retry_after_is_obeyed(crawl: tuple[CronRun, Path]) -> None:
    _, tmp = crawl
    path = next(p for p, k in plan().items() if k == "too_many_requests")
    times = [float(line.split(" ")[3]) for line in (tmp / "access.log").read_text().splitlines()
             if line.split(" ")[2] == path]
    assert len(times) == 2 and times[1] - times[0] >= 0.95  # Retry-After: 1


def test_robots_txt_disallowing_print_pages_changes_nothing(crawl: tuple[CronRun, Path]) -> None:
    run, tmp = crawl
    assert "Disallow: /print/" in plan_robots()
    requested = [line.split(" ")[2] for line in (tmp / "access.log").read_text().splitlines()]
    assert not [p for p in requested if "print" in p]
    assert len(run.items) == ARTICLES - len(REASONS)


def plan_robots() -> str:
    from mptcrawler.replica.server import ReplicaResource

    return ReplicaResource(build_site(1, 1), hostile={"/robots.txt": "robots_disallow_print"}
                           ).hostile_response(_FakeRequest(), "robots_disallow_print",
                                              "/robots.txt").decode()


class _FakeRequest:
    def getHost(self) -> object:
        return type("Host", (), {"port": 0})()

    def setHeader(self, name: bytes, value: bytes) -> None:
        pass
