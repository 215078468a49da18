"""CPU time of chosen methods inside a real crawl, per call: where a cron run's own work goes.

    python bench/call_times.py [--articles 3000] [--run cron|adhoc|none] [--out FILE]
                               [--also module.Class,module:function,...] [--keep]

One crawl of a replica served on loopback (politeness off, as bench/crawl_benchmark.py), with
an extension that wraps every method of the cron machinery's classes (CrawlState, Frontier,
IncrementalRuns, TrackRevisions, WarcArchive, MarkdownDocuments, AtomicFileFeedStorage,
Scrapy's FeedExporter and the pipeline steps) and takes the thread's CPU time
(``time.thread_time_ns``) around each call. The table: total milliseconds, calls, and the mean
microseconds of the first and the last fifth of the calls (a cost growing with the crawl
shows there), and the garbage collector's time by generation. ``--run none``: a cron run
without the Markdown documents, the archive and the Parquet file.

Why not a profiler: cProfile's own cost per call is larger than the calls measured here, and
a sampling profiler counts wall time in all threads. Why not a microbenchmark: code that runs
once per article between the crawl's own work runs 2-4 times slower than the same code in a
loop (content_hash: ~127 us a call in the crawl, ~39 us for the same 3,000 items one after
another; BENCHMARKS.md, "Issue 16, eleventh session"). Each wrapped call costs ~1-2 us more.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import gc
import inspect
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ("mptcrawler.state.CrawlState", "mptcrawler.cron.frontier.Frontier",
           "mptcrawler.runs.IncrementalRuns", "mptcrawler.pipelines.TrackRevisions",
           "mptcrawler.archive.WarcArchive", "mptcrawler.documents.MarkdownDocuments",
           "mptcrawler.feedstorage.AtomicFileFeedStorage",
           "scrapy.extensions.feedexport.FeedExporter",
           "mptcrawler.pipelines.ExtractAttribution", "mptcrawler.pipelines.StripMarkup",
           "mptcrawler.pipelines.NormalisePublished",
           "mptcrawler.pipelines.CollectDatesMentioned", "mptcrawler.pipelines.ValidateItem")
_calls: dict[str, list[int]] = defaultdict(list)
_gc_started = 0


def _gc_timed(phase: str, info: dict[str, Any]) -> None:
    # The collector's own time, by generation: it runs inside whichever call allocates when a
    # threshold is reached, so the methods' times above include it.
    global _gc_started
    if phase == "start":
        _gc_started = time.thread_time_ns()
    else:
        _calls[f"gc: generation {info['generation']}"].append(time.thread_time_ns() - _gc_started)


def _timed(key: str, fn: Any) -> Any:
    params = inspect.signature(fn).parameters
    # Scrapy's signal dispatch passes a handler only the named arguments it accepts: the
    # wrapper takes **kwargs, so it hands on only those of the wrapped function.
    any_keyword = any(p.kind is p.VAR_KEYWORD for p in params.values())

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if not any_keyword:
            kwargs = {name: value for name, value in kwargs.items() if name in params}
        start = time.thread_time_ns()
        try:
            return fn(*args, **kwargs)
        finally:
            _calls[key].append(time.thread_time_ns() - start)
    return timed


def _wrap(target: str) -> None:
    if ":" in target:  # module:function, replaced in the module that calls it
        module_name, _, name = target.partition(":")
        module = __import__(module_name, fromlist=[name])
        setattr(module, name, _timed(name, getattr(module, name)))
        return
    module_name, _, name = target.rpartition(".")
    cls = getattr(__import__(module_name, fromlist=[name]), name)
    for attr, fn in list(vars(cls).items()):
        if (attr.startswith("__") or not inspect.isfunction(fn)
                or inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn)):
            continue
        setattr(cls, attr, _timed(f"{name}.{attr}", fn))


def _report() -> None:
    lines = [f"process CPU {time.process_time():.3f} s\n",
             "| ms | calls | first fifth, us/call | last fifth, us/call | method |\n",
             "|---|---|---|---|---|\n"]
    for key, times in sorted(_calls.items(), key=lambda kv: -sum(kv[1])):
        fifth = max(len(times) // 5, 1)
        lines.append(f"| {sum(times) / 1e6:.1f} | {len(times)} | "
                     f"{sum(times[:fifth]) / fifth / 1e3:.1f} | "
                     f"{sum(times[-fifth:]) / fifth / 1e3:.1f} | {key} |\n")
    Path(os.environ["CALL_TIMES_OUT"]).write_text("".join(lines))


class CallTimes:
    """The extension (bench/call_times_settings.py makes it the first one built, so that the
    others connect their wrapped methods)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> CallTimes:
        for target in [*CLASSES, *filter(None, os.environ.get("CALL_TIMES_ALSO", "").split(","))]:
            _wrap(target)
        gc.callbacks.append(_gc_timed)
        atexit.register(_report)
        return cls()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--run", choices=("cron", "adhoc", "none"), default="cron")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--also", default="", help="more classes or module:function")
    parser.add_argument("--keep", action="store_true",
                        help="keep the crawl's folder (replica, data, log); else removed")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    import crawl_benchmark as bench

    work = Path(tempfile.mkdtemp(prefix="call-times-"))
    server, base = bench.start_server(args.articles, 1, work)
    try:
        outputs_off = {"MPT_MARKDOWN_URI": "", "MPT_WARC_URI": "", "MPT_PARQUET_URI": ""}
        runs = bench.crawlers(base, work, [("none", outputs_off)])
        _, crawl = {"adhoc": runs[0], "cron": runs[1], "none": runs[2]}[args.run]
        out = args.out or work / "call-times.md"
        env = dict(bench.ENV, SCRAPY_SETTINGS_MODULE="call_times_settings",
                   PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
                   CALL_TIMES_OUT=str(out), CALL_TIMES_ALSO=args.also)
        _, log, _ = bench.scrapy(crawl, work, env=env)
        pages = bench.stat(log, "response_received_count")
        if not pages:
            raise RuntimeError(f"no page fetched; log in {work / 'scrapy.log'}:\n{log[-2000:]}")
        print(f"{args.run} run, {pages:,} pages; {out}:")
        print(out.read_text(), end="")
    finally:
        server.terminate()
        server.wait()
        if args.keep:
            print(f"kept: {work}")
        else:  # ~40 MB a 3,000-article cron run
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
