"""The Parquet export: typed columns that hold exactly the JSONL's items, read by pyarrow,
pandas and DuckDB with the documented types, and the README's DuckDB line as written."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mptcrawler.exporters import ParquetItemExporter
from mptcrawler.items import EXPORT_FIELDS, FIELD_DOCS
from mptcrawler.parquet import COLUMNS, SCHEMA, iso_span
from mptcrawler.replica.__main__ import scrapy_command

from .conftest import FIXTURES, PROJECT, Replica, TwoDays, snapshot

# In-memory files are read with use_threads=False: pyarrow 26 reading a Python file object on
# its thread pool may abort or hang the interpreter at exit (apache/arrow#50482, open); reads
# from a path, as analysts do, and the exporter's writes are not affected (checked: 0 of 10).
SNAPSHOTS = ["era_a_article", "era_b_article", "era_c_article", "era_c_node_path_article"]


def as_jsonl(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row back in the JSONL's form, to compare with the JSONL item."""
    item = {name: row[name] for name in EXPORT_FIELDS}
    if row["published_at"] is not None:
        item["published"] = row["published_at"].isoformat()
    elif row["published"] is not None:
        item["published"] = row["published"].isoformat()
    if row["crawled_at"] is not None:
        item["crawled_at"] = f"{row['crawled_at']:%Y-%m-%dT%H:%M:%SZ}"
    item["dates_mentioned"] = [{k: v for k, v in m.items() if k not in ("first_day", "last_day")}
                               for m in row["dates_mentioned"]]
    return item


def manifest(two_days: TwoDays) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            (two_days.data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_columns_are_the_jsonl_fields_plus_published_at_each_documented() -> None:
    expected = list(EXPORT_FIELDS)
    expected.insert(expected.index("published") + 1, "published_at")
    assert COLUMNS == expected == SCHEMA.names
    # every column is documented: the item's field doc, or (the one added column) its own
    assert [f.name for f in SCHEMA if f.name not in FIELD_DOCS] == ["published_at"]
    for f in SCHEMA:
        if f.name in FIELD_DOCS:
            assert f.metadata[b"doc"].decode() == FIELD_DOCS[f.name]
    assert "Europe/Minsk" in SCHEMA.field("published_at").metadata[b"doc"].decode()
    assert all(FIELD_DOCS[name].strip() for name in EXPORT_FIELDS)
    assert SCHEMA.field("published").type == pa.date32()
    assert SCHEMA.field("published_at").type == pa.timestamp("ms", tz="Europe/Minsk")
    assert SCHEMA.field("crawled_at").type == pa.timestamp("ms", tz="UTC")
    assert pa.types.is_list(SCHEMA.field("sources").type)


@pytest.mark.parametrize(("value", "first", "last"), [
    ("2020-03-12", "2020-03-12", "2020-03-12"),
    ("2020-02", "2020-02-01", "2020-02-29"),  # leap year
    ("2021", "2021-01-01", "2021-12-31"),
    ("2021/2025", "2021-01-01", "2025-12-31"),
    ("2021-03-01/2021-03-05", "2021-03-01", "2021-03-05"),
    ("2019-11/2020-01", "2019-11-01", "2020-01-31"),
])
def test_iso_span(value: str, first: str, last: str) -> None:
    assert iso_span(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_iso_span_of_nothing() -> None:
    assert iso_span(None) == (None, None)


@pytest.mark.parametrize("row_group_size", [1, 3, 1000])
def test_exporter_round_trips_every_snapshot_item(row_group_size: int) -> None:
    items = [snapshot(stem)["item"] for stem in SNAPSHOTS]
    items[0] = {**items[0], "crawled_at": "2026-11-25T00:00:00Z", "revision": 2}
    buffer = io.BytesIO()
    exporter = ParquetItemExporter(buffer, row_group_size=row_group_size)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    parquet = pq.ParquetFile(io.BytesIO(buffer.getvalue()))
    assert parquet.metadata.num_row_groups == -(-len(items) // row_group_size)
    table = parquet.read(use_threads=False)
    assert table.schema.equals(SCHEMA, check_metadata=True)
    assert [as_jsonl(row) for row in table.to_pylist()] == [
        {name: item.get(name) for name in EXPORT_FIELDS} for item in items]


def test_an_empty_run_writes_a_valid_empty_file() -> None:
    buffer = io.BytesIO()
    exporter = ParquetItemExporter(buffer)
    exporter.start_exporting()
    exporter.finish_exporting()
    table = pq.read_table(io.BytesIO(buffer.getvalue()), use_threads=False)
    assert table.num_rows == 0 and table.schema.equals(SCHEMA)


def test_each_run_writes_parquet_beside_its_jsonl_with_the_same_items(two_days: TwoDays) -> None:
    records = manifest(two_days)
    assert len(records) == 2 and all("parquet" in r for r in records)
    for record in records:
        items = jsonl(two_days.data / record["file"])
        table = pq.read_table(two_days.data / record["parquet"])
        assert table.schema.equals(SCHEMA, check_metadata=True)
        assert [as_jsonl(row) for row in table.to_pylist()] == items
    assert not list(two_days.data.glob("*.part"))


def test_each_run_names_the_schema_version_in_its_items_and_parquet_metadata(
        two_days: TwoDays) -> None:
    for record in manifest(two_days):
        assert {i["schema_version"] for i in jsonl(two_days.data / record["file"])} == {"1.0.0"}
        meta = pq.ParquetFile(two_days.data / record["parquet"]).metadata.metadata
        assert meta[b"mptcrawler.schema_version"] == b"1.0.0"
        assert meta[b"mptcrawler.schema_id"] == (
            b"https://mpt.gov.by/mptcrawler/schema/article-1.0.0.schema.json")
        column = pq.read_table(two_days.data / record["parquet"]).column("schema_version")
        assert set(column.to_pylist()) == {"1.0.0"}


def test_duckdb_reads_the_documented_types(two_days: TwoDays) -> None:
    glob = str(two_days.data / "mpt-*.parquet")
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()[i][:2]
                 for i in range(len(COLUMNS)))
    assert types["published"] == "DATE"
    assert types["published_at"] == types["crawled_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["node_id"] == "BIGINT" and types["revision"] == "INTEGER"
    assert types["sources"] == ('STRUCT("name" VARCHAR, url VARCHAR, raw VARCHAR, '
                                'kind VARCHAR)[]')
    assert types["dates_mentioned"].startswith('STRUCT("text" VARCHAR, date VARCHAR')
    assert types["dates_mentioned"].endswith("first_day DATE, last_day DATE)[]")
    # a month mention covers its whole month
    spans = duckdb.sql(f"""SELECT m.date, m.first_day, m.last_day FROM
        (SELECT unnest(dates_mentioned) AS m FROM read_parquet('{glob}'))
        WHERE m.kind = 'month' LIMIT 1""").fetchall()
    assert spans and spans[0][1:] == iso_span(spans[0][0])


def test_pandas_reads_the_documented_types(two_days: TwoDays) -> None:
    path = two_days.data / manifest(two_days)[0]["parquet"]
    frame = pd.read_parquet(path)
    assert str(frame["published_at"].dtype) == "datetime64[ms, Europe/Minsk]"
    assert str(frame["crawled_at"].dtype) == "datetime64[ms, UTC]"
    assert {type(v) for v in frame["published"].dropna()} == {dt.date}
    # a list of records per row (not a string, not a JSON text): the JSONL's sources, one by one
    items = jsonl(two_days.data / manifest(two_days)[0]["file"])
    assert [[dict(s) for s in v] for v in frame["sources"]] == [i["sources"] for i in items]
    assert any(i["sources"] for i in items)
    typed = pd.read_parquet(path, dtype_backend="pyarrow")
    assert str(typed["published"].dtype) == "date32[day][pyarrow]"
    assert str(typed["revision"].dtype) == "int32[pyarrow]"
    with_time = [i for i in items if i["published"] and "T" in i["published"]]
    assert int(frame["published_at"].notna().sum()) == len(with_time) > 0


def readme_duckdb_line(marker: str = "GROUP BY lang") -> str:
    """The README's DuckDB command line that contains ``marker`` (the articles by language by
    default; the parallel corpus is another)."""
    lines = [line for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()
             if line.startswith(".venv/bin/duckdb ") and marker in line]
    assert len(lines) == 1, f"the README shows one DuckDB line with {marker!r}"
    # Written for the demo's data folder, data/replica/; the runs of these tests write into data/.
    assert "data/replica/" in lines[0]
    return lines[0].replace("data/replica/", "data/")


def test_readme_duckdb_line_loads_every_run_as_written(two_days: TwoDays) -> None:
    # The newest revision of every article, from the JSONL files, without DuckDB.
    newest: dict[str, dict[str, Any]] = {}
    for record in manifest(two_days):
        for item in jsonl(two_days.data / record["file"]):
            newest[item["url"]] = item
    revised = [i for i in newest.values() if i["revision"] > 1]
    assert revised, "the second day's run saw edited articles"
    expected = {}
    for lang, n in Counter(i["lang"] for i in newest.values()).items():
        days = sorted(i["published"][:10] for i in newest.values()
                      if i["lang"] == lang and i["published"])
        expected[lang] = (n, days[0], days[-1])

    bindir = str(Path(sys.executable).parent) + "/"
    command = readme_duckdb_line().replace(".venv/bin/", bindir, 1)
    done = subprocess.run(["bash", "-c", command], cwd=two_days.workdir, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    shown = {m[0]: (int(m[1]), m[2], m[3]) for m in re.findall(
        r"│\s*(ru|be|en)\s*│\s*(\d+)\s*│\s*([\d-]+)\s*│\s*([\d-]+)\s*│", done.stdout)}
    assert shown == expected, done.stdout

    # The same view in DuckDB from Python: one row per article, its newest revision.
    sql = re.search(r'-c "(CREATE VIEW .*?);', command).group(1)  # type: ignore[union-attr]
    with duckdb.connect() as con, pytest.MonkeyPatch.context() as mp:
        mp.chdir(two_days.workdir)
        con.execute(sql)
        rows = dict(con.execute("SELECT url, revision FROM articles").fetchall())
    assert rows == {url: item["revision"] for url, item in newest.items()}


def test_an_ad_hoc_run_writes_parquet_by_its_extension(replica: Replica, tmp_path: Path) -> None:
    done = subprocess.run(
        scrapy_command(replica.base_url, "-a", "max_pages=1", "-O", "news.parquet"),
        cwd=tmp_path, env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"),
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    table = pq.read_table(tmp_path / "news.parquet")
    assert table.schema.equals(SCHEMA, check_metadata=True)
    scraped = int(re.search(r"'item_scraped_count': (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    assert table.num_rows == scraped > 0
    assert table.column("revision").null_count == table.num_rows  # ad hoc: no state
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.parquet"]


def test_writing_parquet_never_imports_pandas(tmp_path: Path) -> None:
    # pyarrow imports pandas (+54 MB of RSS) when it converts Python objects and pandas is
    # installed, as in the dev extra; the writer goes through Arrow's JSON reader instead.
    script = (
        "import json, sys\n"
        "from mptcrawler.parquet import ParquetWriter\n"
        f"items = [json.loads(open({str(FIXTURES / 'era_b_article.json')!r}).read())['item']]\n"
        f"writer = ParquetWriter({str(tmp_path / 'x.parquet')!r}, 1)\n"
        "for item in items * 3:\n"
        "    writer.write(item)\n"
        "writer.close()\n"
        "print('pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert pq.read_metadata(tmp_path / "x.parquet").num_rows == 3
