"""Raw archive and re-extraction: crawl the replica, change a parser detail, rebuild the
dataset from the WARC with the network off, and read what changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from parsel import Selector

from mptcrawler import parsers, reextract
from mptcrawler.parquet import SCHEMA
from mptcrawler.parsers import era_b
from mptcrawler.parsers.common import ArticlePage
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron

ARTICLES = 60


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("archive")
    proc, base = start_server(ARTICLES, 1, tmp)
    try:
        run = run_cron(base, tmp, None, "lang=all")
    finally:
        proc.terminate()  # from here on, no server: re-extraction is offline
        proc.wait(timeout=10)
    assert run.returncode == 0 and len(run.items) == ARTICLES
    return tmp


def files(tmp: Path) -> tuple[Path, Path]:
    warc = next((tmp / "data").glob("mpt-*.warc.gz"))
    jsonl = next((tmp / "data").glob("mpt-*Z.jsonl"))
    return warc, jsonl


def test_every_article_response_is_archived(crawled: Path) -> None:
    warc, _ = files(crawled)
    pages = list(reextract.archived_pages([warc]))
    assert len({canonical for canonical, *_ in pages}) >= ARTICLES
    assert not list((crawled / "data").glob("*.warc.gz.part"))


def test_unchanged_parsers_rebuild_the_same_dataset(crawled: Path, tmp_path: Path) -> None:
    warc, jsonl = files(crawled)
    assert reextract.main([str(warc), "--out", str(tmp_path / "new.jsonl"), "--compare",
                           str(jsonl), "--report", str(tmp_path / "report.json"),
                           "--parquet", str(tmp_path / "new.parquet")]) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == ARTICLES
    assert report["changed_fields"] == {}
    assert report["only_in_new"] == report["only_in_old"] == []
    rebuilt = [json.loads(line) for line in
               (tmp_path / "new.jsonl").read_text(encoding="utf-8").splitlines()]
    table = pq.read_table(tmp_path / "new.parquet")
    assert table.schema.equals(SCHEMA) and table.column("url").to_pylist() == [
        i["url"] for i in rebuilt]
    assert {i["schema_version"] for i in rebuilt} == {"1.0.0"}
    meta = pq.ParquetFile(tmp_path / "new.parquet").metadata.metadata
    assert meta[b"mptcrawler.schema_version"] == b"1.0.0"


def test_a_parser_change_shows_in_the_report(crawled: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    original = era_b.parse

    def louder_titles(page: Selector, url: str) -> ArticlePage:
        parsed = original(page, url)
        return ArticlePage(**{**parsed.__dict__, "title": parsed.title.upper()})

    monkeypatch.setitem(parsers._PARSERS, "B", louder_titles)
    warc, jsonl = files(crawled)
    reextract.main([str(warc), "--out", str(tmp_path / "new.jsonl"), "--compare", str(jsonl),
                    "--report", str(tmp_path / "report.json")])
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    old = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    era_b_titles = sum(1 for i in old if i["era"] == "B" and i["title"] != i["title"].upper())
    assert report["changed_fields"] == {"title": era_b_titles}
    new = [json.loads(line) for line in (tmp_path / "new.jsonl").read_text("utf-8").splitlines()]
    assert all(i["title"] == i["title"].upper() for i in new if i["era"] == "B")


def test_any_number_of_jobs_writes_the_same_bytes(crawled: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    warc, _ = files(crawled)
    # Small batches: the records cross many batch and chunk boundaries between the workers,
    # and /node/NID twins land in other batches than their alias (dropped in order all the same).
    monkeypatch.setattr(reextract, "BATCH", 7)
    outputs = []
    for jobs in (1, 2, 3):
        out = tmp_path / f"jobs{jobs}.jsonl"
        assert reextract.main([str(warc), "--out", str(out), "--jobs", str(jobs)]) == 0
        outputs.append(out.read_bytes())
    assert len(outputs[0].splitlines()) == ARTICLES
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]


def reextract_command(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mptcrawler.reextract", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_latest_names_the_newest_run_without_a_run_id(crawled: Path, tmp_path: Path) -> None:
    done = reextract_command(crawled, "--latest", "data", "--out", str(tmp_path / "new.jsonl"),
                             "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"rebuilt {ARTICLES} articles into {tmp_path / 'new.jsonl'}")
    assert lines[1] == "changed fields: none"  # compared with the latest run's own JSONL


@pytest.mark.parametrize(("args", "line"), [
    (["data/mpt-20261130T060032.458408Z.warc.gz", "--out", "x.jsonl"],
     "data/mpt-20261130T060032.458408Z.warc.gz does not exist (a run id copied from "
     "elsewhere? --latest DATA names the newest run)"),
    (["--latest", "data", "--compare", "data/mpt-20261130T060032.458408Z.jsonl", "--out",
      "x.jsonl"], "data/mpt-20261130T060032.458408Z.jsonl does not exist (a run id copied "
     "from elsewhere? --latest DATA names the newest run)"),
    (["--latest", "elsewhere", "--out", "x.jsonl"],
     "elsewhere/latest.json does not exist: no healthy run with output in elsewhere/ yet"),
    (["--out", "x.jsonl"], "name the WARC files to re-extract, or --latest DATA"),
    (["--latest", "data"], "the following arguments are required: --out"),
])
def test_a_wrong_run_id_or_folder_is_one_line_and_status_2(args: list[str], line: str,
                                                           crawled: Path) -> None:
    done = reextract_command(crawled, *args)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"mptcrawler-reextract: usage error: {line}"]
    assert not (crawled / "x.jsonl").exists()
