"""Rebuild the dataset from WARC archives with the current parsers and pipelines, offline.

    mptcrawler-reextract data/mpt-*.warc.gz --out data/reextracted.jsonl \\
        --compare data/mpt-20261125T010203.123456Z.jsonl --report data/reextract-report.json
    mptcrawler-reextract --latest data --out data/reextracted.jsonl   # the newest run's

``--latest DATA`` names the newest healthy run of a data folder (its ``latest.json``): its
archive is re-extracted and compared with its JSONL, no run id to copy. A missing archive,
export or data folder is one line on stderr and exit status 2.

After a parser fix or a schema change: every archived article response is parsed again exactly
as the crawl would (same parsers, same pipelines, no network, no state), written as JSONL in the
export format, and compared field by field with an earlier export. Two fields are not
compared: ``revision``, null in a rebuilt item (no state), and ``crawled_at``, which is the
archive record's ``WARC-Date`` to the second (taken apart from the crawl's own clock
reading: a demo crawl had 40 of 300 items a second apart).

``--jobs N`` parses on N processes (default: every core); the output is byte for byte the one
of a single job, in archive order. The archive is cut into parts at record boundaries
(warc_ranges.py); each worker reads its parts itself, parses them, runs the pipeline steps that
look at one item only and exports their JSON lines; this process only drops duplicates (which
need every earlier item), in order, and copies the lines. One job does the same in this
process, each file read whole.

A record the parsers or pipelines fail on with an unexpected exception (a bug, not a page that
is no article), an archive that cannot be read, or a worker that dies: one line on stderr
naming the file, the byte and the URL, and exit status 1; Ctrl-C: one line and status 130.
The output is written as ``OUT.part`` and renamed when complete: after a failure there is no
``OUT`` (an earlier one is left as it was).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import IO, Any, NoReturn

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from . import settings as project_settings
from .cli import HelpFormatter, add_version
from .items import EXPORT_FIELDS, Article, article_from_page, exported
from .parsers import NotAnArticle, ParseError, parse_article, parse_response
from .pipelines import DropDuplicates, DuplicateArticle, OfflinePipelines
from .warc_ranges import UnreadableArchive, is_gzip, members, ranges_cut_at

# Fields that differ between two extractions of the same page for reasons that are not the
# parsers': when it was fetched, and which run first exported it.
NOT_COMPARED = ("crawled_at", "revision")


# One archived response: (canonical URL, listed URL, listed date, fetch time, fetched URL,
# body, HTTP headers).
Record = tuple[str, str, str | None, str, str, bytes, list[tuple[str, str]]]


def _records(stream: IO[bytes]) -> Iterator[Record]:
    """Each archived response in ``stream`` (a WARC, gzipped or not), in archive order."""
    for record in ArchiveIterator(stream):
        if record.rec_type != "response":
            continue
        headers = record.rec_headers
        target = headers.get_header("WARC-Target-URI")
        canonical = headers.get_header("MPT-Canonical-URL") or target
        body = record.content_stream().read()
        http = [(k, v) for k, v in (record.http_headers.headers
                                    if record.http_headers else [])]
        yield (canonical, headers.get_header("MPT-Listed-URL") or canonical,
               headers.get_header("MPT-Listed-Date"), headers.get_header("WARC-Date")[:19] + "Z",
               target, body, http)


def _records_in(stream: IO[bytes], start: int, end: int) -> Iterator[tuple[int, Record]]:
    """(offset, record) of each archived response in bytes ``start``–``end``, in order: gzip
    member by member in a .warc.gz, else (an uncompressed WARC, always one range) with warcio
    alone."""
    if not is_gzip(stream, start):
        stream.seek(start)
        for record in _records(LimitReader(stream, end - start)):
            yield start, record
        return
    for offset, member in members(stream, start, end):
        try:
            records = list(_records(io.BytesIO(member)))  # one, as the crawl writes them
        except Exception as exc:
            raise UnreadableArchive(f"the record at byte {offset} cannot be read "
                                    f"({_one_line(exc)})") from exc
        for record in records:
            yield offset, record


def archived_records(paths: list[Path]) -> Iterator[Record]:
    """Each archived response as plain data, in archive order: each file read whole, the way
    ``--jobs 1`` reads it."""
    for path in paths:
        with path.open("rb") as stream:
            size = stream.seek(0, io.SEEK_END)
            for _offset, record in _records_in(stream, 0, size):
                yield record


# The pipeline steps after DropDuplicates: each item on its own, so any process can run them.
# DropDuplicates remembers every earlier item and runs in the parent, in archive order.
_steps: list[Any] | None = None


def _independent_steps() -> list[Any]:
    global _steps
    if _steps is None:
        _steps = [s for s in OfflinePipelines().steps if not isinstance(s, DropDuplicates)]
    return _steps


# The line of an item as the crawl's feed writes it: Scrapy's JsonLinesItemExporter with
# FEED_EXPORT_ENCODING utf-8 and FEED_EXPORT_FIELDS = EXPORT_FIELDS, i.e. exported(item) through
# ScrapyJSONEncoder(ensure_ascii=False), a newline, UTF-8. Written here with json alone because
# importing scrapy.exporters imports itemadapter, which imports pydantic wherever it is
# installed (the dev extras' moto server brings it): ~10 % of the start-up instructions, paid
# once per run whatever the jobs. ScrapyJSONEncoder differs from json's only for values a
# valid item never holds (sets, dates, Decimals, Scrapy objects: ValidateItem has checked
# every field's JSON type before an item is written); tests/test_reextract.py compares these
# lines with Scrapy's exporter on every rebuilt item.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def json_line(item: Article) -> bytes:
    """The item's line in the export, newline included."""
    return (_ENCODER.encode(exported(item)) + "\n").encode("utf-8")


def _rebuild(record: Record) -> tuple[Article | None, str | None]:
    """(the item, or None when the page is no article; the name of the exception that
    dropped it, if any). The item is returned even when dropped: its URL and node id still
    count for the duplicates of later records, as in a crawl."""
    canonical, _listed, listed_date, fetched, target, body, http = record
    response = HtmlResponse(url=target, body=body, headers=http)
    try:
        page = parse_article(parse_response(response), canonical, listed_date=listed_date)
    except (NotAnArticle, ParseError) as exc:
        return None, type(exc).__name__
    if page.language_fallback:
        return None, "language_fallback"  # another language's text here: the spider exports none
    item = article_from_page(page, fetched)
    try:
        for step in _independent_steps():
            item = step.process_item(item)
    except DropItem as exc:
        return item, type(exc).__name__
    return item, None


def _one_line(exc: Exception) -> str:
    """The exception's name and message, on one line whatever it says."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


class RecordFailed(Exception):
    """A record the parsers or pipelines fail on with an unexpected exception, or an archive
    that cannot be read; the message is one line naming the file, the byte and the URL."""


# What a part of an archive gives back for each of its responses, in order: (why it is not
# exported, or None; its URL, node id and language for the duplicates, URL None when the page
# is no article; the length of its line in the part's JSON lines, 0 when it has none).
Entry = tuple[str | None, str | None, int | None, str | None, int]


def _rebuilt(path: str, start: int, end: int, every: int | None = None
             ) -> Iterator[tuple[list[Entry], bytes]]:
    """Every response archived in bytes ``start``–``end`` of ``path`` rebuilt: an entry each,
    and the JSON lines of those that are exported unless they are duplicates of earlier ones
    (which only the parent, reading the parts in order, knows); given every ``every`` records,
    else once at the end."""
    lines = io.BytesIO()
    entries: list[Entry] = []
    at, url = start, None  # the record being rebuilt, named in the error if any
    try:
        with open(path, "rb") as stream:
            for found_at, record in _records_in(stream, start, end):
                at, url = found_at, record[4]
                item, problem = _rebuild(record)
                written = lines.tell()
                if item is not None and problem is None:
                    lines.write(json_line(item))
                entries.append((problem, None, None, None, 0) if item is None else
                               (problem, item.url, item.node_id, item.lang,
                                lines.tell() - written))
                url = None
                if len(entries) == every:
                    yield entries, lines.getvalue()
                    entries = []
                    lines.seek(0)
                    lines.truncate()
    except UnreadableArchive as exc:
        raise RecordFailed(f"{path}: {exc}") from exc
    except Exception as exc:
        if url is None:  # reading (an uncompressed WARC), not rebuilding
            raise RecordFailed(f"{path} cannot be read after byte {at} ({_one_line(exc)})"
                               ) from exc
        raise RecordFailed(f"{_one_line(exc)} on {url} (the record at byte {at} of {path})"
                           ) from exc
    yield entries, lines.getvalue()


def rebuild_range(task: tuple[str, int, int]) -> tuple[list[Entry], bytes]:
    """What a worker does with one part of an archive: ``_rebuilt`` of it, at once."""
    [rebuilt] = _rebuilt(*task)
    return rebuilt


# Compressed bytes of archive per part handed to a worker (~16 live-weight pages, a few tens of
# ms of parsing): small enough that the last parts leave no core idle for long, large enough
# that handing out parts costs nothing next to parsing them.
PART_BYTES = 256 * 1024
# The parts handed out last decide when the run ends: the worker that takes the last one
# works on alone, up to a whole part's parsing while the other cores wait. The last archive's
# final stretch of two parts per job is handed out in parts of a quarter of that size.
TAIL_SPLIT = 4


def _cut_offsets(size: int, jobs: int, last: bool) -> list[int]:
    """Where to cut an archive of ``size`` bytes for ``jobs`` workers (the next record boundary
    at or after each offset): every ~PART_BYTES, at least ``jobs`` parts; the ``last`` archive's
    final 2 * jobs * PART_BYTES (or the whole of a smaller one) into TAIL_SPLIT times as many."""
    parts = max(jobs, -(-size // PART_BYTES))
    offsets = [size * i // parts for i in range(1, parts)]
    if not last:
        return offsets
    stretch = min(size, 2 * jobs * PART_BYTES)
    begin, small = size - stretch, 2 * jobs * TAIL_SPLIT
    return ([offset for offset in offsets if offset < begin]
            + [begin + stretch * i // small for i in range(small)])


# Records rebuilt between two writes of one job: its memory holds that many lines, not a
# whole archive's.
SERIAL_BATCH = 64


def _leave_interrupts_to_the_parent() -> None:
    # Ctrl-C reaches every process of the terminal's group: the workers finish the part at hand
    # and the parent, which alone knows what to remove, says it in one line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_the_parent()


def _end_with_the_parent() -> None:
    """A worker ends as soon as its parent does. A parent killed outright (SIGKILL, the OOM
    killer) cannot stop its workers, and they would wait for parts for ever: nothing else
    closes the queue they read. The parent's sentinel (a pipe only the parent and the workers
    forked after this one hold open) reads end-of-file once they are all gone; the last worker
    forked sees it first and the others follow it. The worker writes nothing but its answers
    to the dead parent, so it leaves at once."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while the workers are forked: an executor interrupted half started
    leaves workers waiting forever (and the parent's pipes open); it is raised right after."""
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


def _rebuilt_parts(paths: list[Path], jobs: int) -> Iterator[tuple[list[Entry], bytes]]:
    """The entries and lines of the archives' records, in archive order, on ``jobs``
    processes; one job: in this process, each file read whole, without cuts."""
    _independent_steps()  # built (and the schema loaded) once, before the workers fork
    if jobs == 1:
        for path in paths:
            yield from _rebuilt(str(path), 0, path.stat().st_size, every=SERIAL_BATCH)
        return
    # The dates patterns are compiled on first use (dates.py), so each worker compiles those it
    # needs, at the same time as the others. Compiled here before the fork, all 14 (0.77 G
    # instructions) were on the serial path where the workers compile 0.62 G each in parallel
    # (5 are never used by the replica's 3,000 articles): callgrind of two jobs on 800
    # articles, the run's longest process 9.52 G that way against 9.32 G this way, for 0.47 G
    # less CPU in all.
    tasks = [(str(path), start, end) for n, path in enumerate(paths, 1) for start, end in
             ranges_cut_at(path, _cut_offsets(path.stat().st_size, jobs, n == len(paths)))]
    # fork: the workers start at once with everything imported and built, and run the parsers
    # as this process has them (tests/test_reextract.py changes one in memory). Unlike
    # multiprocessing.Pool, the executor raises BrokenProcessPool when a worker is killed.
    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_leave_interrupts_to_the_parent)
    try:
        with _interrupts_held():
            results = executor.map(rebuild_range, tasks)  # forks every worker, submits all
        yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def reextract(paths: list[Path], out: Path, jobs: int = 1) -> tuple[int, Counter[str]]:
    """How many items were rebuilt from the archives into ``out``, and what could not be
    rebuilt. ``jobs`` processes parse; the output is the same for any number, in archive
    order. ``out`` is written whole or not at all (``RecordFailed`` then)."""
    dedupe = DropDuplicates()
    problems: Counter[str] = Counter()
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    try:
        with part.open("wb") as stream:
            for entries, lines in _rebuilt_parts(paths, jobs):
                view, position = memoryview(lines), 0
                for problem, url, node_id, lang, length in entries:
                    line = view[position:position + length]
                    position += length
                    if url is not None:
                        try:  # first, as in ITEM_PIPELINES
                            dedupe.process_item(Article(url=url, node_id=node_id,
                                                        lang=lang or "", title=""))
                        except DuplicateArticle as exc:
                            problems[type(exc).__name__] += 1
                            continue
                    if problem is not None:
                        problems[problem] += 1
                        continue
                    stream.write(line)
                    written += 1
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    return written, problems


def exported_items(path: Path) -> list[dict[str, Any]]:
    """The items of a JSON lines export, as dicts."""
    with path.open("rb") as stream:
        return [json.loads(line) for line in stream]


def default_jobs() -> int:
    """The cores this process may run on (the machine's, unless restricted)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def compare(new: list[dict[str, Any]], old_path: Path) -> dict[str, Any]:
    """Per field, how many articles changed; plus articles only in one of the two."""
    old = {record["url"]: record for record in exported_items(old_path)}
    changed: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for item in new:
        before = old.get(item["url"])
        if before is None:
            continue
        for field in EXPORT_FIELDS:
            if field not in NOT_COMPARED and item.get(field) != before.get(field):
                changed[field] += 1
                examples.setdefault(field, item["url"])
    new_urls = {i["url"] for i in new}
    return {
        "compared_with": str(old_path),
        "articles": len(new),
        "changed_fields": dict(changed.most_common()),
        "example_url_per_field": examples,
        "only_in_new": sorted(new_urls - set(old)),
        "only_in_old": sorted(set(old) - new_urls),
    }


def usage_error(line: str) -> NoReturn:
    """One line on stderr and exit status 2 (argparse's own errors print its usage first)."""
    print(f"mptcrawler-reextract: usage error: {line}", file=sys.stderr)
    sys.exit(2)


def failed(line: str) -> int:
    """One line on stderr; exit status 1."""
    print(f"mptcrawler-reextract: error: {line}", file=sys.stderr)
    return 1


def latest_run(data: Path) -> tuple[Path, Path]:
    """The archive and the JSONL of the run ``data/latest.json`` names."""
    latest = data / "latest.json"
    try:
        record = json.loads(latest.read_text(encoding="utf-8"))
        run_id, export = str(record["run_id"]), data / str(record["file"])
    except FileNotFoundError:
        usage_error(f"{latest} does not exist: no healthy run with output in {data}/ yet")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        usage_error(f"{latest} cannot be read ({type(exc).__name__}: {exc})")
    archive = data / (Path(project_settings.MPT_WARC_URI).name
                      % {"name": "mpt", "run_id": run_id})
    return archive, export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mptcrawler-reextract", description=__doc__,
                                     formatter_class=HelpFormatter)
    add_version(parser)
    parser.error = usage_error  # type: ignore[method-assign,assignment]
    parser.add_argument("archives", nargs="*", type=Path, help="WARC files of earlier runs")
    parser.add_argument("--latest", type=Path, metavar="DATA",
                        help="the newest healthy run of this data folder (its latest.json): "
                             "its archive, compared with its JSONL unless --compare is given")
    parser.add_argument("--out", type=Path, required=True, help="the rebuilt JSONL")
    parser.add_argument("--compare", type=Path, help="an earlier export to compare with")
    parser.add_argument("--report", type=Path, help="write the comparison here as JSON")
    parser.add_argument("--parquet", type=Path, help="also write the rebuilt items as Parquet")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="processes that parse (default: this machine's cores); the output "
                             "is the same for any number, in the same order")
    ns = parser.parse_args(argv)
    if ns.jobs < 1:
        parser.error("--jobs must be at least 1")
    if ns.latest is not None:
        archive, export = latest_run(ns.latest)
        ns.archives = [*ns.archives, archive]
        ns.compare = ns.compare or export
    if not ns.archives:
        parser.error("name the WARC files to re-extract, or --latest DATA")
    for path in [*ns.archives, *([ns.compare] if ns.compare else [])]:
        if not path.is_file():
            parser.error(f"{path} does not exist (a run id copied from elsewhere? "
                         "--latest DATA names the newest run)")
    try:
        count, problems = reextract(ns.archives, ns.out, ns.jobs)
    except RecordFailed as exc:
        return failed(f"{exc}; {ns.out} not written")
    except BrokenProcessPool:
        return failed(f"a worker process died (killed? out of memory?); {ns.out} not written")
    except KeyboardInterrupt:
        print(f"mptcrawler-reextract: interrupted; {ns.out} not written", file=sys.stderr)
        return 130  # as a shell reports a command ended by SIGINT
    # Read back only when asked: the parent of the workers does nothing per item otherwise.
    items = exported_items(ns.out) if ns.parquet or ns.compare else []
    if ns.parquet:
        from .parquet import ParquetWriter  # pyarrow costs 44 MB of RSS: only if asked

        writer = ParquetWriter(str(ns.parquet))
        for item in items:
            writer.write(item)
        writer.close()
    twins = problems.pop("DuplicateArticle", 0)
    fallbacks = problems.pop("language_fallback", 0)
    print(f"rebuilt {count} articles into {ns.out}"
          + (f"; {twins} duplicate responses (/node/NID twins) skipped" if twins else "")
          + (f"; {fallbacks} language-fallback pages skipped" if fallbacks else "")
          + ("; not rebuilt: " + ", ".join(f"{why} {n}" for why, n in problems.most_common())
             if problems else ""))
    if ns.compare:
        report = compare(items, ns.compare)
        fields = report["changed_fields"]
        print("changed fields: " + (", ".join(f"{k} ({v})" for k, v in fields.items()) or "none"))
        if report["only_in_new"] or report["only_in_old"]:
            print(f"only in the new export: {len(report['only_in_new'])}; "
                  f"only in the old: {len(report['only_in_old'])}")
        if ns.report:
            ns.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
    return 0


def run() -> NoReturn:
    """The command: ``main()``, then out without the interpreter's teardown (freeing every
    module and object one by one: ~0.15 s of CPU measured after the imports alone, serial in
    every run whatever the jobs). Every file is closed by then; only stdout and stderr wait."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
