"""A cron run's Parquet file, converted from its finished JSONL (parquet.jsonl_to_parquet): the
same table the item-by-item writer makes of the same items, in row groups of 250, whatever
the read's block size; and a run whose conversion fails is not delivered."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest
from scrapy.utils.test import get_crawler

from mptcrawler import parquet
from mptcrawler import settings as project
from mptcrawler.cron.exits import NOT_DELIVERED
from mptcrawler.items import EXPORT_FIELDS
from mptcrawler.parquet import SCHEMA, ParquetWriter, jsonl_to_parquet
from mptcrawler.replica.__main__ import start_server
from mptcrawler.runs import IncrementalRuns
from mptcrawler.spiders.mpt import MptSpider

from .conftest import run_cron, snapshot
from .test_completeness import delivered
from .test_parquet import SNAPSHOTS
from .test_recovery import KILLED, crawler_settings, killed_run

# Every shape the schema's pattern allows, with the days each covers, worked out by hand.
MENTIONS = [
    ("2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("2019-02", dt.date(2019, 2, 1), dt.date(2019, 2, 28)),
    ("2019-12", dt.date(2019, 12, 1), dt.date(2019, 12, 31)),
    ("2021-04", dt.date(2021, 4, 1), dt.date(2021, 4, 30)),
    ("2020-03-05", dt.date(2020, 3, 5), dt.date(2020, 3, 5)),
    ("2021/2025", dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
    ("2020-02/2021-12", dt.date(2020, 2, 1), dt.date(2021, 12, 31)),
    ("2019-11-30/2020-02", dt.date(2019, 11, 30), dt.date(2020, 2, 29)),
    ("1999-12-31/2000-01-01", dt.date(1999, 12, 31), dt.date(2000, 1, 1)),
]
MINSK = ZoneInfo("Europe/Minsk")


def items_of_every_shape() -> list[dict[str, Any]]:
    mentions = [{"text": f"в {date}", "date": date, "kind": "range" if "/" in date else "date",
                 "start": 0, "end": 2 + len(date)} for date, _, _ in MENTIONS]
    items = []
    for n, stem in enumerate(SNAPSHOTS):
        item = {name: snapshot(stem)["item"].get(name) for name in EXPORT_FIELDS}
        for published, found in ((None, []), ("2019-10-30", None),
                                 ("2019-10-30T09:15:00+03:00", mentions),
                                 ("2019-10-30T23:59:59-05:00", mentions[n:])):
            items.append({**item, "url": f"{item['url']}?{len(items)}", "published": published,
                          "dates_mentioned": found if found is not None else
                          item["dates_mentioned"]})
    return items


def write_jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items),
                    encoding="utf-8")


def by_writer(items: list[dict[str, Any]], path: Path) -> Path:
    writer = ParquetWriter(str(path))
    for item in items:
        writer.write(item)
    writer.close()
    return path


def test_the_days_of_every_mention_shape_and_the_published_time(tmp_path: Path) -> None:
    items = items_of_every_shape()
    write_jsonl(tmp_path / "run.jsonl", items)
    assert jsonl_to_parquet(tmp_path / "run.jsonl", tmp_path / "run.parquet") == len(items)
    rows = pq.read_table(tmp_path / "run.parquet").to_pylist()
    assert [(m["date"], m["first_day"], m["last_day"]) for m in rows[2]["dates_mentioned"]] == \
        MENTIONS
    assert [(row["published"], row["published_at"]) for row in rows[:4]] == [
        (None, None), (dt.date(2019, 10, 30), None),
        (dt.date(2019, 10, 30), dt.datetime(2019, 10, 30, 9, 15, tzinfo=MINSK)),
        # the day as the page shows it; the moment in Minsk, where it is the next morning
        (dt.date(2019, 10, 30), dt.datetime(2019, 10, 31, 7, 59, 59, tzinfo=MINSK))]
    assert rows[0]["dates_mentioned"] == []


def test_the_same_table_as_the_item_by_item_writer(tmp_path: Path) -> None:
    items = items_of_every_shape()
    write_jsonl(tmp_path / "run.jsonl", items)
    jsonl_to_parquet(tmp_path / "run.jsonl", tmp_path / "run.parquet")
    converted = pq.read_table(tmp_path / "run.parquet")
    written = pq.read_table(by_writer(items, tmp_path / "writer.parquet"))
    assert converted.schema.equals(SCHEMA, check_metadata=True)
    assert converted.equals(written, check_metadata=True)


def test_free_text_has_neither_dictionary_nor_statistics(tmp_path: Path) -> None:
    """Both writers: ``text`` and ``markdown`` plain (no dictionary tried, no min/max of whole
    texts); the other columns as pyarrow's defaults (a dictionary, statistics)."""
    items = items_of_every_shape()
    write_jsonl(tmp_path / "run.jsonl", items)
    jsonl_to_parquet(tmp_path / "run.jsonl", tmp_path / "run.parquet")
    for path in (tmp_path / "run.parquet", by_writer(items, tmp_path / "writer.parquet")):
        group = pq.ParquetFile(path).metadata.row_group(0)
        columns = {group.column(i).path_in_schema: group.column(i)
                   for i in range(group.num_columns)}
        for name in ("text", "markdown"):
            assert not columns[name].is_stats_set, (path.name, name)
            assert not columns[name].has_dictionary_page, (path.name, name)
        for name in ("url", "title", "lang", "published"):
            assert columns[name].is_stats_set, (path.name, name)
            assert columns[name].has_dictionary_page, (path.name, name)


@pytest.mark.parametrize("block", [64 << 10, 1 << 10])  # many blocks; a line longer than one
def test_row_groups_of_250_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         block: int) -> None:
    monkeypatch.setattr(parquet, "JSONL_BLOCK", block)
    items = [{**item, "url": f"{item['url']}#{n}"}
             for n, item in enumerate(items_of_every_shape() * 38)]
    assert len(items) == 608
    write_jsonl(tmp_path / "run.jsonl", items)
    assert jsonl_to_parquet(tmp_path / "run.jsonl", tmp_path / "run.parquet") == 608
    file = pq.ParquetFile(tmp_path / "run.parquet")
    assert [file.metadata.row_group(i).num_rows for i in range(file.num_row_groups)] == [
        250, 250, 108]
    assert file.read().equals(pq.read_table(by_writer(items, tmp_path / "writer.parquet")),
                              check_metadata=True)


def test_a_run_whose_parquet_cannot_be_written_is_not_delivered(tmp_path: Path) -> None:
    """A folder where the Parquet file goes: the JSONL, complete, keeps its .part name, so
    nothing of the run is kept; the next run exports the same articles, with their Parquet."""
    articles = 12
    proc, base = start_server(articles, 3, tmp_path)
    settings = {"MPT_PARQUET_URI": "data/fixed.parquet"}
    blocker = tmp_path / "data" / "fixed.parquet"
    blocker.mkdir(parents=True)
    try:
        failed = run_cron(base, tmp_path, None, "lang=all", settings=settings)
        left = sorted(p.relative_to(tmp_path / "data").as_posix()
                      for p in (tmp_path / "data").rglob("*") if p.is_file())
        blocker.rmdir()
        after = run_cron(base, tmp_path, None, "lang=all", settings=settings)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert failed.returncode == NOT_DELIVERED, failed.stderr_tail
    ours = [line for line in failed.log.splitlines() if line.startswith("mptcrawler:")]
    assert len(ours) == 1 and re.fullmatch(
        r"mptcrawler: not delivered: data/mpt-(\S+Z)\.jsonl could not be written \(its Parquet "
        r"file data/fixed\.parquet: Is a directory\); nothing of run \1 was kept and the next "
        r"run exports its articles again", ours[0]), ours
    run_id = ours[0].split("nothing of run ")[1].split(" ")[0]
    # Its summary, and its failures: this small replica's Belarusian listing is empty.
    assert [name for name in left if not name.startswith("mpt-state.sqlite")] == [
        f"mpt-{run_id}-failures.jsonl", f"mpt-{run_id}-summary.json"]

    assert after.returncode == 0, after.stderr_tail
    assert sum(delivered(tmp_path / "data").values()) == articles == len(after.items)
    table = pq.read_table(blocker)
    assert table.num_rows == articles
    assert sorted(table.column("url").to_pylist()) == sorted(i["url"] for i in after.items)


@pytest.mark.parametrize("part", [False, True])
def test_a_killed_runs_parquet_goes_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            part: bool) -> None:
    """With the project's own feeds (the Parquet file a twin of the JSONL feed), the next run's
    recovery removes the Parquet file of a run killed before its JSONL was final."""
    data = killed_run(tmp_path, jsonl_final=False)
    if part:
        (data / f"mpt-{KILLED}.parquet").rename(data / f"mpt-{KILLED}.parquet.part")
    settings = {**crawler_settings(tmp_path), "MPT_FEEDS": project.MPT_FEEDS}
    crawler = get_crawler(MptSpider, settings)
    runs = IncrementalRuns(crawler)
    runs.spider_opened(MptSpider.from_crawler(crawler))
    assert crawler.settings.getdict("FEEDS") == {f"{data}/%(name)s-%(run_id)s.jsonl": {
        "format": "jsonlines", "item_classes": ["mptcrawler.items.Article"], "overwrite": True,
        "parquet": f"{data}/%(name)s-%(run_id)s.parquet"}}
    assert sorted(str(p.relative_to(data)) for p in data.rglob("*") if KILLED in str(p)) == []


def test_converting_imports_neither_pandas_nor_arrows_compute_functions(tmp_path: Path) -> None:
    """pa.array() on Python values imports pandas (+54 MB of RSS) when it is installed; the
    first call of a pyarrow.compute function costs ~0.27 s of CPU, a whole day's run."""
    write_jsonl(tmp_path / "run.jsonl", items_of_every_shape())
    script = (
        "import sys\n"
        "from mptcrawler.parquet import jsonl_to_parquet\n"
        f"jsonl_to_parquet({str(tmp_path / 'run.jsonl')!r}, {str(tmp_path / 'x.parquet')!r})\n"
        "print('pandas' in sys.modules, 'pyarrow.compute' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False False"
    assert pq.read_metadata(tmp_path / "x.parquet").num_rows == 16


def test_the_writer_and_the_conversion_derive_the_columns_in_one_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed columns (published, published_at, the mentions' days) are made by one
    function for both paths, so a change of a derived column is made once: every row the
    item-by-item writer and the JSONL conversion write has gone through parquet._typed."""
    typed = parquet._typed
    seen: list[int] = []

    def counting(batch: Any) -> Any:
        seen.append(batch.num_rows)
        return typed(batch)

    monkeypatch.setattr(parquet, "_typed", counting)
    items = items_of_every_shape()  # 16 items
    writer = ParquetWriter(str(tmp_path / "writer.parquet"), 5)
    for item in items:
        writer.write(item)
    writer.close()
    assert seen == [5, 5, 5, 1]  # one batch per row group of 5, written by hand
    seen.clear()
    write_jsonl(tmp_path / "run.jsonl", items)
    jsonl_to_parquet(tmp_path / "run.jsonl", tmp_path / "run.parquet")
    assert seen == [16]
