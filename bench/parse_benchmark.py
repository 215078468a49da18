"""Parse cost: CPU per article of the whole parse + pipelines path, by stage, without network,
over saved replica pages; trafilatura.extract on the same pages for comparison.

    python bench/parse_benchmark.py [--articles 2000] [--weight small|live|both] [--variants SEED]

CPU time (time.process_time) per stage, per article; medians and means over all pages.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapy.exporters import JsonLinesItemExporter  # noqa: E402

from mptcrawler.exporters import MarkdownDocumentExporter, ParquetItemExporter  # noqa: E402
from mptcrawler.items import EXPORT_FIELDS, article_from_page  # noqa: E402
from mptcrawler.parsers import parse_article, parse_html  # noqa: E402
from mptcrawler.pipelines import (  # noqa: E402
    CollectDatesMentioned,
    DropDuplicates,
    ExtractAttribution,
    NormalisePublished,
    StripMarkup,
    ValidateItem,
)
from mptcrawler.replica import build_site  # noqa: E402
from mptcrawler.replica.server import route  # noqa: E402

warnings.filterwarnings("ignore")
STAGES = ["HTML parse", "selectors (Drupal evidence)", "dedupe", "attribution", "markup stripping",
          "publication date", "dates mentioned", "validation", "export (JSONL)",
          "export (Parquet)", "export (Markdown document)"]


def measure(pages: list[tuple[str, str]], title: str, trafilatura_too: bool) -> None:
    """Print the table of one set of pages."""
    steps = [("dedupe", DropDuplicates()), ("attribution", ExtractAttribution()),
             ("markup stripping", StripMarkup()), ("publication date", NormalisePublished()),
             ("dates mentioned", CollectDatesMentioned()), ("validation", ValidateItem())]
    exporter = JsonLinesItemExporter(io.BytesIO(), fields_to_export=EXPORT_FIELDS,
                                     encoding="utf-8")
    # A cron run writes all three feeds; the Parquet rows are written in groups of 250, so
    # one item in 250 carries a group's cost (in the mean, not the median).
    exporters = [("export (JSONL)", exporter), ("export (Parquet)", ParquetItemExporter(
        io.BytesIO())), ("export (Markdown document)", MarkdownDocumentExporter(io.BytesIO()))]
    for _, each in exporters:
        each.start_exporting()
    costs: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    for url, html in pages:
        clock = time.process_time
        t0 = clock()
        page = parse_html(html)
        t1 = clock()
        item = article_from_page(parse_article(page, url), "2026-01-01T00:00:00Z")
        t2 = clock()
        costs["HTML parse"].append(t1 - t0)
        costs["selectors (Drupal evidence)"].append(t2 - t1)
        for name, step in steps:
            t = clock()
            item = step.process_item(item)
            costs[name].append(clock() - t)
        for name, each in exporters:
            t = clock()
            each.export_item(item)
            costs[name].append(clock() - t)
        totals.append(clock() - t0)
    n = len(pages)
    kb = sum(len(h.encode()) for _, h in pages) / n / 1024
    print(f"## Parse + pipelines cost ({n} replica pages{title}, {kb:.0f} KB each on average)\n")
    print("| stage | median ms/article | mean ms/article | share |")
    print("|---|---|---|---|")
    total_mean = statistics.fmean(totals)
    for stage in STAGES:
        values = costs[stage]
        share = statistics.fmean(values) / total_mean
        print(f"| {stage} | {statistics.median(values) * 1000:.3f} | "
              f"{statistics.fmean(values) * 1000:.3f} | {share:.0%} |")
    print(f"| **whole path** | **{statistics.median(totals) * 1000:.3f}** | "
          f"**{total_mean * 1000:.3f}** | 100% |")
    if trafilatura_too:
        import trafilatura

        trafilatura.extract(pages[0][1])
        spent = []
        for _, html in pages:
            t = time.process_time()
            trafilatura.extract(html, include_tables=True)
            spent.append(time.process_time() - t)
        print(f"| trafilatura.extract, same pages (text only) | "
              f"{statistics.median(spent) * 1000:.3f} | {statistics.fmean(spent) * 1000:.3f} | |")
    print()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--variants", type=int, metavar="SEED",
                        help="pages of the replica's variants mode (many Drupal renderings)")
    parser.add_argument("--weight", choices=["small", "live", "both"], default="both",
                        help="page chrome of the replica (`serve --weight`): small (~9 KB "
                             "pages), live (~60 KB, like the live site's), or both, one after "
                             "the other in this run (default)")
    args = parser.parse_args()
    for weight in (["small", "live"] if args.weight == "both" else [args.weight]):
        site = build_site(args.articles, 1, variants=args.variants, weight=weight)
        pages = [(a.url, route(site, a.path)[2]) for a in site.articles]
        mode = f", variants {args.variants}" if args.variants is not None else ""
        measure(pages, f"{mode}, {weight} weight", not args.no_trafilatura)
    return 0


if __name__ == "__main__":
    sys.exit(main())
