"""Parse + pipelines cost of two checkouts in one process, page by page, alternating: a
before/after comparison that holds on a shared, loaded machine.

    python bench/parse_compare.py BEFORE_DIR [AFTER_DIR] [--articles 300] [--rounds 5]
                                  [--weight small|live|both]

BEFORE_DIR and AFTER_DIR are checkouts (``git worktree add`` or ``git archive | tar -x``);
AFTER_DIR defaults to this one. Each one's ``mptcrawler`` package is copied under its own name
into a temporary folder and imported side by side. Every page is parsed by both, in an order
that alternates by page and round, ``--rounds`` times; a page's cost is its minimum over the
rounds (CPU time, ``time.process_time``), so that other processes' load, which only ever adds
time, drifts out of both columns alike. Reported: the median over pages, per stage, in ms. The
path is bench/parse_benchmark.py's: parse (of a fresh HtmlResponse with the replica's headers:
decoding the body counts when the checkout's parser reads ``response.text``), Drupal evidence,
the pipeline steps after dedupe, and the JSONL, Parquet and Markdown-document exports.
Per-page minima are lower than parse_benchmark.py's medians of one
pass: compare the two columns, not with that script.
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Content-Type": "text/html; charset=utf-8"}  # the replica's (server.py)
STAGES = ["HTML parse", "Drupal evidence", "pipelines", "exports", "whole path"]


def loader(package: str) -> Callable[[str, str], list[float]]:
    """The path of one checkout (imported as ``package``): page → CPU seconds per stage."""
    parsers = importlib.import_module(f"{package}.parsers")
    items = importlib.import_module(f"{package}.items")
    pipelines = importlib.import_module(f"{package}.pipelines")
    exporters = importlib.import_module(f"{package}.exporters")
    from parsel import Selector
    from scrapy.exporters import JsonLinesItemExporter
    from scrapy.http import HtmlResponse

    # What the spider hands the parsers: the response (its body decoded only if the parser
    # reads response.text), built fresh for every run so that no run finds the text cached.
    parse_text = getattr(parsers, "parse_html", None) or (lambda text: Selector(text=text))
    parse = getattr(parsers, "parse_response", None) or (lambda r: parse_text(r.text))
    steps = [pipelines.ExtractAttribution(), pipelines.StripMarkup(),
             pipelines.NormalisePublished(), pipelines.CollectDatesMentioned(),
             pipelines.ValidateItem()]
    feeds: list[Any] = [
        JsonLinesItemExporter(io.BytesIO(), fields_to_export=items.EXPORT_FIELDS,
                              encoding="utf-8"),
        exporters.ParquetItemExporter(io.BytesIO()), exporters.MarkdownDocumentExporter(
            io.BytesIO())]
    for feed in feeds:
        feed.start_exporting()

    def run(url: str, html: bytes) -> list[float]:
        response = HtmlResponse(url, body=html, headers=HEADERS)
        clock = time.process_time
        t0 = clock()
        page = parse(response)
        t1 = clock()
        item = items.article_from_page(parsers.parse_article(page, url), "2026-01-01T00:00:00Z")
        t2 = clock()
        for step in steps:
            item = step.process_item(item)
        t3 = clock()
        for feed in feeds:
            feed.export_item(item)
        t4 = clock()
        return [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0]

    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--weight", choices=["small", "live", "both"], default="both")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)  # the parsers' date warnings, once per page and run
    with tempfile.TemporaryDirectory(prefix="parse-compare-") as tmp:
        for name, tree in (("mpt_before", args.before), ("mpt_after", args.after)):
            shutil.copytree(tree / "mptcrawler", Path(tmp) / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        sys.path.insert(0, tmp)
        sys.path.insert(1, str(ROOT))  # the replica generator, from this checkout
        from mptcrawler.replica import build_site
        from mptcrawler.replica.server import route

        runs = {"before": loader("mpt_before"), "after": loader("mpt_after")}
        for weight in (["small", "live"] if args.weight == "both" else [args.weight]):
            site = build_site(args.articles, 1, weight=weight)
            pages = [(a.url, route(site, a.path)[2].encode()) for a in site.articles]
            best = {k: [[float("inf")] * len(STAGES) for _ in pages] for k in runs}
            for r in range(args.rounds):
                for i, (url, html) in enumerate(pages):
                    for k in (("before", "after") if (i + r) % 2 == 0 else ("after", "before")):
                        spent = runs[k](url, html)
                        best[k][i] = [min(a, b) for a, b in zip(best[k][i], spent, strict=True)]
            kb = sum(len(h) for _, h in pages) / len(pages) / 1024
            print(f"## {weight} weight: {len(pages)} pages ({kb:.0f} KB on average), median "
                  f"over pages of each page's minimum of {args.rounds} rounds, ms\n")
            print("| code | " + " | ".join(STAGES) + " |")
            print("|---|" + "---|" * len(STAGES))
            for k in runs:
                cols = [statistics.median(b[j] for b in best[k]) * 1000
                        for j in range(len(STAGES))]
                print(f"| {k} | " + " | ".join(f"{c:.3f}" for c in cols) + " |")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
