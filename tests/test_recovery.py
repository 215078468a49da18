"""What the next run does with the files of a killed run (IncrementalRuns at spider_opened):
killed before its JSONL got its final name, everything of it goes; killed after, it is
delivered and gets its manifest record. The SIGKILL test (test_crash_safety.py) does this for
real; here each case is set up exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.utils.test import get_crawler

from mptcrawler import settings as project
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider
from mptcrawler.state import CrawlState, Known

SITE = "https://mpt.gov.by"
KILLED = "20261124T060000Z"


def crawler_settings(tmp: Path) -> dict[str, Any]:
    data = tmp / "data"
    return {
        "MPT_STATE_PATH": str(data / "mpt-state.sqlite"),
        "MPT_DATASET_URI": f"{data}/%(name)s-%(run_id)s.jsonl",
        "MPT_PARQUET_URI": f"{data}/%(name)s-%(run_id)s.parquet",
        "MPT_WARC_URI": f"{data}/%(name)s-%(run_id)s.warc.gz",
        "MPT_FEEDS": {  # installed as FEEDS by the spider
            f"{data}/%(name)s-%(run_id)s.parquet": {"format": "parquet"},
            f"{data}/%(name)s-%(run_id)s.jsonl": {"format": "jsonlines"},
            "s3://bucket/%(name)s-%(run_id)s.jsonl": {"format": "jsonlines"},
        },
        "MPT_MARKDOWN_URI": f"{data}/markdown/%(name)s-%(run_id)s",
        "MPT_RECHECK_DAYS": project.MPT_RECHECK_DAYS,
    }


def killed_run(tmp: Path, jsonl_final: bool) -> Path:
    """A run killed with its Parquet file and archive final, two Markdown documents written,
    and its JSONL final or still ``.part``; the state has it 'running' with one staged row."""
    data = tmp / "data"
    (data / "markdown" / f"mpt-{KILLED}").mkdir(parents=True)
    for name in ("7670-ru.md", "7670-be.md", "7671-ru.md.part"):
        (data / "markdown" / f"mpt-{KILLED}" / name).write_text("## x", encoding="utf-8")
    for name in (f"mpt-{KILLED}.parquet", f"mpt-{KILLED}.warc.gz"):
        (data / name).write_bytes(b"x")
    jsonl = data / f"mpt-{KILLED}.jsonl"
    (jsonl if jsonl_final else Path(f"{jsonl}.part")).write_text("{}\n", encoding="utf-8")
    state = CrawlState(data / "mpt-state.sqlite", SITE)
    state.start_run(KILLED, str(jsonl), "full")
    state.stage(KILLED, f"{SITE}/a", 1, "h", 1, None, None, None, exported=True)
    state.flush()
    state.close()
    return data


def open_next_run(tmp: Path) -> IncrementalRuns:
    crawler = get_crawler(MptSpider, crawler_settings(tmp))
    runs = IncrementalRuns(crawler)
    spider = MptSpider.from_crawler(crawler)
    runs.spider_opened(spider)
    return runs


def test_a_run_killed_before_its_jsonl_was_final_leaves_nothing(tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=False)
    runs = open_next_run(tmp_path)
    left = sorted(str(p.relative_to(data)) for p in data.rglob("*") if KILLED in str(p))
    assert left == []  # Parquet, archive, JSONL .part, Markdown folder: all gone
    assert runs.state is not None and runs.state.known(f"{SITE}/a") is None
    assert not (data / "manifest.jsonl").exists()


def test_a_run_killed_after_its_jsonl_was_final_is_delivered_and_recorded(
        tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=True)
    runs = open_next_run(tmp_path)
    assert runs.state is not None
    # the staged row of the killed run, committed as it was staged (node 1, hash "h", rev. 1)
    assert runs.state.known(f"{SITE}/a") == Known(f"{SITE}/a", 1, "h", 1, None, None, None)
    records = [json.loads(line) for line in
               (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["run_id"], r["file"], r["parquet"], r["exported"], r["recovered"], r["base_url"])
            for r in records] == [(KILLED, f"mpt-{KILLED}.jsonl", f"mpt-{KILLED}.parquet", 1,
                                   True, SITE)]
    assert json.loads((data / "latest.json").read_text(encoding="utf-8"))["run_id"] == KILLED
    assert (data / "markdown" / f"mpt-{KILLED}" / "7670-ru.md").exists()  # delivered: kept
