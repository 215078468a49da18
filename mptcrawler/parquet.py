"""The dataset as Parquet: the Arrow type of every field, and the conversion of exported items
(JSON lines) to typed rows.

The JSONL keeps ISO strings; here dates are dates and times are timestamps, so that pandas and
DuckDB read them typed without a cast. Every JSONL field is a column of the same name, in the
same order, with these types and one addition:

- ``published`` is a ``date32``: the publication date as the page shows it, in Europe/Minsk;
- ``published_at`` (added, after ``published``) is a ``timestamp[ms, Europe/Minsk]`` when the page
  shows a time, else null — the JSONL's ``published`` holds either, as one string;
- ``crawled_at`` is a ``timestamp[ms, UTC]`` (Parquet has no unit of seconds);
- ``dates_mentioned`` keeps ``date`` as written in the JSONL (``YYYY``, ``YYYY-MM``,
  ``YYYY-MM-DD`` or ``start/end``) and adds ``first_day`` and ``last_day`` (``date32``): the span
  it covers (``2020-03`` → 2020-03-01 … 2020-03-31; a ``year`` mention ``2015`` →
  2015-01-01 … 2015-12-31; ``2021/2025`` → 2021-01-01 … 2025-12-31);
- lists are lists and objects are structs; integers are ``int64`` (``node_id``, attachment
  ``size``) or ``int32`` (offsets, ``revision``).

Each column carries its documentation (the item's field doc) in the Parquet field metadata, and
the file's key-value metadata names the item schema it follows: ``mptcrawler.schema_version``
(e.g. ``1.0.0``, as in every row's ``schema_version``) and ``mptcrawler.schema_id`` (its ``$id``).
"""

from __future__ import annotations

import array
import calendar
import datetime as dt
import functools
import io
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

# pyarrow imports numpy, whose OpenBLAS starts a server thread at load that busy-waits for a
# while: 0.18-0.21 s of user CPU for `import pyarrow` against 0.10-0.15 s with one BLAS thread
# (5 runs each, BENCHMARKS.md, cronover3), once in every cron run (the Parquet conversion) and
# invisible to callgrind, which runs one thread at a time. Nothing here does linear algebra.
# Only when numpy is not loaded yet (OpenBLAS reads it then) and nobody chose otherwise.
if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from .items import EXPORT_FIELDS, FIELD_DOCS, SCHEMA_VERSION

_STRING = pa.string()


def _list(*members: tuple[str, pa.DataType]) -> pa.DataType:
    # Parquet names a list's item "element" (its LIST logical type); so the schema read back
    # from a file equals this one.
    return pa.list_(pa.field("element", pa.struct(list(members))))


_TYPES: dict[str, pa.DataType] = {
    "url": _STRING,
    "node_id": pa.int64(),
    "lang": _STRING,
    "title": _STRING,
    "published": pa.date32(),
    "published_at": pa.timestamp("ms", tz="Europe/Minsk"),
    "published_raw": _STRING,
    "text": _STRING,
    "source": pa.struct([("name", _STRING), ("url", _STRING), ("raw", _STRING)]),
    "dates_mentioned": _list(
        ("text", _STRING), ("date", _STRING), ("kind", _STRING),
        ("start", pa.int32()), ("end", pa.int32()),
        ("first_day", pa.date32()), ("last_day", pa.date32()),
    ),
    "images": _list(("url", _STRING), ("alt", _STRING), ("caption", _STRING)),
    "attachments": _list(("url", _STRING), ("title", _STRING), ("type", _STRING),
                         ("size", pa.int64())),
    "crawled_at": pa.timestamp("ms", tz="UTC"),
    "sources": _list(("name", _STRING), ("url", _STRING), ("raw", _STRING), ("kind", _STRING)),
    "photo_credit": pa.struct([("name", _STRING), ("raw", _STRING)]),
    "revision": pa.int32(),
    "previous_urls": pa.list_(pa.field("element", _STRING)),
    "translation_key": _STRING,
    "translations": _list(("lang", _STRING), ("url", _STRING)),
    "era": _STRING,
    "extraction": _STRING,
    "markdown": _STRING,
    "schema_version": _STRING,
}
_ADDED_DOCS = {
    "published_at": "Publication time when the page shows one, Europe/Minsk; else null "
                    "(`published` then holds the date alone).",
}

COLUMNS: list[str] = [name for field in EXPORT_FIELDS
                      for name in ((field, "published_at") if field == "published" else (field,))]
SCHEMA_ID = f"https://mpt.gov.by/mptcrawler/schema/article-{SCHEMA_VERSION}.schema.json"
SCHEMA = pa.schema([
    pa.field(name, _TYPES[name], metadata={"doc": FIELD_DOCS.get(name) or _ADDED_DOCS[name]})
    for name in COLUMNS
], metadata={"mptcrawler.schema_version": SCHEMA_VERSION, "mptcrawler.schema_id": SCHEMA_ID})


def iso_span(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of an ISO date, month, year or ``start/end`` range."""
    if not value:
        return None, None
    if "/" in value:
        start, _, end = value.partition("/")
        return iso_span(start)[0], iso_span(end)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


_EPOCH = dt.date(1970, 1, 1)


def _days(day: dt.date | None) -> int | None:
    return None if day is None else (day - _EPOCH).days


# The same few hundred dates are mentioned again and again ("2020", "2021-03", ...): their days
# are worked out once (the mentions' days were half of a conversion's Python time).
@functools.lru_cache(maxsize=1 << 14)
def _span_days(value: str | None) -> tuple[int | None, int | None]:
    first, last = iso_span(value)
    return _days(first), _days(last)


# --- JSON lines of exported items → typed rows: the one derivation of both paths ------------

# The JSONL's own types, as the JSON reader takes its lines: ``published`` the string it is,
# ``dates_mentioned`` without the two days added here.
_MENTION = [("text", _STRING), ("date", _STRING), ("kind", _STRING),
            ("start", pa.int32()), ("end", pa.int32())]
JSONL_SCHEMA = pa.schema([
    pa.field(name, _STRING if name == "published" else
             _list(*_MENTION) if name == "dates_mentioned" else _TYPES[name])
    for name in EXPORT_FIELDS
])
# A run's JSONL is read this much at a time, so memory stays flat however long the run was; a
# line longer than a block (one article of megabytes) makes the file be read whole instead.
JSONL_BLOCK = 4 << 20
_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MS = dt.timedelta(milliseconds=1)


def _integers(values: list[int | None], type_: pa.DataType, code: str) -> pa.Array:
    """Days or milliseconds as an Arrow array of ``type_``, built from its buffers: pa.array()
    imports pandas (see lines_table), and the first call of any pyarrow.compute function costs
    ~0.27 s of CPU (pyarrow 26, measured), more than converting a day's run takes."""
    bitmap = bytearray((len(values) + 7) // 8)
    nulls = 0
    for i, value in enumerate(values):
        if value is None:
            nulls += 1
        else:
            bitmap[i >> 3] |= 1 << (i & 7)
    data = array.array(code, [0 if value is None else value for value in values])
    return pa.Array.from_buffers(type_, len(values),
                                 [pa.py_buffer(bitmap) if nulls else None, pa.py_buffer(data)],
                                 null_count=nulls)


def _moment(published: str) -> int:
    return (dt.datetime.fromisoformat(published) - _UTC_EPOCH) // _MS


def _typed(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A batch of JSONL lines as :data:`SCHEMA`: the columns added or retyped (``published``,
    ``published_at``, the mentions' days), the others as read. The only place they are made,
    for the item-by-item writer (:func:`lines_table`) and the JSONL conversion alike."""
    published = batch.column("published").to_pylist()
    mentions = batch.column("dates_mentioned")
    values = mentions.values
    spans = [_span_days(date) for date in values.field("date").to_pylist()]
    mention_type = _TYPES["dates_mentioned"]
    days = pa.StructArray.from_arrays(
        [values.field(name) for name, _ in _MENTION] + [
            _integers([span[n] for span in spans], pa.date32(), "i") for n in (0, 1)],
        fields=list(mention_type.value_type))
    columns = {name: batch.column(name) for name in EXPORT_FIELDS}
    # The field is the day as the page shows it, or a Minsk time (+03:00) whose first ten
    # characters are that day.
    columns["published"] = _integers(
        [_days(dt.date.fromisoformat(p[:10])) if p else None for p in published], pa.date32(),
        "i")
    columns["published_at"] = _integers(
        [_moment(p) if p and "T" in p else None for p in published], _TYPES["published_at"], "q")
    # A null list is an empty one (an item without mentions has none to span): ListArray.offsets
    # has no nulls.
    columns["dates_mentioned"] = pa.ListArray.from_arrays(mentions.offsets, days,
                                                          type=mention_type)
    return pa.RecordBatch.from_arrays([columns[name] for name in COLUMNS], schema=SCHEMA)


def lines_table(lines: list[bytes]) -> pa.Table:
    """JSON lines in the JSONL's form (one exported item each) as a table of :data:`SCHEMA`:
    the one derivation of the typed columns (:func:`_typed`) that the JSONL conversion uses too.

    Through Arrow's JSON reader, not ``pa.array``/``Table.from_pylist``: converting Python
    objects makes pyarrow import pandas when it is installed (+54 MB of RSS in a crawl), and
    the reader is C++ all the way."""
    if not lines:
        return SCHEMA.empty_table()
    data = b"\n".join(lines)
    read = pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(use_threads=False, block_size=max(len(data), 1 << 20)),
        parse_options=pa_json.ParseOptions(explicit_schema=JSONL_SCHEMA,
                                           unexpected_field_behavior="error"))
    return pa.Table.from_batches([_typed(batch) for batch in read.to_batches()], schema=SCHEMA)


# The article's free text (``text``, ``markdown``: every value distinct, thousands of characters)
# gets neither a dictionary, which the writer tries and gives up on a page at a time, nor
# min/max statistics, which store two whole texts a row group and no query filters by: a run's
# file ~15 % smaller and ~20 % faster to write (3,000 replica articles: 1,157,632 bytes in
# 96 ms of CPU against 982,925 in 76). Every other column as pyarrow's defaults.
_PLAIN = ("text", "markdown")
_WRITER_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "use_dictionary": [name for name in COLUMNS if name not in _PLAIN],
    "write_statistics": [name for name in COLUMNS if name not in _PLAIN],
}

# The writer's memory grows with the row group: writing 30,000 replica items took ~25 MB of
# RSS beyond the import with groups of 250 rows, ~50-65 MB with 1,000 and ~150 MB with 4,000.
ROW_GROUP_SIZE = 250


class ParquetWriter:
    """Writes items (JSONL form, ``items.exported``) to ``file`` in row groups of
    ``row_group_size`` items, so memory stays flat however long the run is. Each item is kept
    as its JSON line until its group is written: the rows are those :func:`jsonl_to_parquet`
    makes of the same items in a JSONL file, by the same code."""

    def __init__(self, file: IO[bytes] | str, row_group_size: int | None = None) -> None:
        self.writer = pq.ParquetWriter(file, SCHEMA, **_WRITER_OPTIONS)
        self.row_group_size = row_group_size or ROW_GROUP_SIZE
        self.pending: list[bytes] = []

    def write(self, item: dict[str, Any]) -> None:
        line = {name: item.get(name) for name in EXPORT_FIELDS}
        self.pending.append(json.dumps(line, ensure_ascii=False).encode("utf-8"))
        if len(self.pending) >= self.row_group_size:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.writer.write_table(lines_table(self.pending))
            self.pending = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def jsonl_to_parquet(source: str | Path, target: str | Path) -> int:
    """Writes a run's JSONL (``source``, as the feed wrote it) as Parquet to ``target``: the
    same rows as :class:`ParquetWriter` given the same items, in row groups of
    :data:`ROW_GROUP_SIZE`. Returns the number of rows.

    Once at the end of a run instead of item by item: the item-by-item feed cost a cron run a
    Scrapy feed slot and a JSON line per article; here Arrow's C++ reader takes the lines the
    JSONL feed wrote, and only the dates are made in Python."""
    try:
        return _convert(source, target, JSONL_BLOCK)
    except pa.ArrowInvalid as exc:
        if "straddl" not in str(exc):
            raise
        return _convert(source, target, os.path.getsize(source) + 1)


def _convert(source: str | Path, target: str | Path, block_size: int) -> int:
    reader = pa_json.open_json(
        source, read_options=pa_json.ReadOptions(use_threads=False, block_size=block_size),
        parse_options=pa_json.ParseOptions(explicit_schema=JSONL_SCHEMA,
                                           unexpected_field_behavior="error"))
    rows = 0
    with pq.ParquetWriter(target, SCHEMA, **_WRITER_OPTIONS) as writer:
        pending: list[pa.RecordBatch] = []
        waiting = 0
        for batch in reader:
            pending.append(_typed(batch))
            waiting += batch.num_rows
            if waiting >= ROW_GROUP_SIZE:
                table = pa.Table.from_batches(pending)
                whole = waiting - waiting % ROW_GROUP_SIZE
                writer.write_table(table.slice(0, whole), row_group_size=ROW_GROUP_SIZE)
                rest = table.slice(whole)
                pending, waiting = rest.to_batches(), rest.num_rows
            rows += batch.num_rows
        if waiting:
            writer.write_table(pa.Table.from_batches(pending, schema=SCHEMA),
                               row_group_size=ROW_GROUP_SIZE)
    return rows
