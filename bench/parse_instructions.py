"""The parse + pipelines path over saved replica pages, for instruction counts under callgrind:
counts do not change with the machine's load, so they confirm a cut that CPU times on a shared
machine cannot.

    python bench/parse_instructions.py save PAGES.pickle [--articles 70] [--weight live]
    valgrind --tool=callgrind --callgrind-out-file=OUT \\
        python bench/parse_instructions.py run PAGES.pickle --articles N [--checkout DIR]

``run`` imports ``DIR``'s ``mptcrawler`` (default: this checkout) and takes the first N saved
pages through what the spider and the pipelines do with an article: an ``HtmlResponse`` with the
replica's headers, ``parse_response`` (``parse_html(response.text)`` for checkouts without it),
``parse_article``, ``article_from_page``, the steps after dedupe and, with ``--exports``, the
JSONL, Parquet and Markdown-document exports. Run it for two N (e.g. 10 and 70) and divide the
difference of the two totals by the difference of N: imports and first-call costs cancel out.
"""

from __future__ import annotations

import argparse
import io
import logging
import pickle
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Content-Type": "text/html; charset=utf-8"}  # the replica's (server.py)


def save(path: Path, articles: int, weight: str, variants: int | None) -> None:
    sys.path.insert(0, str(ROOT))
    from mptcrawler.replica import build_site
    from mptcrawler.replica.server import route

    site = build_site(articles, 1, weight=weight, variants=variants)
    pages = [(a.url, route(site, a.path)[2].encode()) for a in site.articles]
    path.write_bytes(pickle.dumps(pages))


def run(path: Path, articles: int, checkout: Path, exports: bool) -> None:
    sys.path.insert(0, str(checkout))
    from scrapy.exporters import JsonLinesItemExporter
    from scrapy.http import HtmlResponse

    from mptcrawler import exporters as exporters_module
    from mptcrawler import items, parsers, pipelines

    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    pages = pickle.loads(path.read_bytes())[:articles]
    parse = getattr(parsers, "parse_response", None) or (
        lambda r: parsers.parse_html(r.text))
    steps = [pipelines.ExtractAttribution(), pipelines.StripMarkup(),
             pipelines.NormalisePublished(), pipelines.CollectDatesMentioned(),
             pipelines.ValidateItem()]
    feeds = [JsonLinesItemExporter(io.BytesIO(), fields_to_export=items.EXPORT_FIELDS,
                                   encoding="utf-8"),
             exporters_module.ParquetItemExporter(io.BytesIO()),
             exporters_module.MarkdownDocumentExporter(io.BytesIO())] if exports else []
    for feed in feeds:
        feed.start_exporting()
    for url, html in pages:
        page = parse(HtmlResponse(url, body=html, headers=HEADERS))
        item = items.article_from_page(parsers.parse_article(page, url), "2026-01-01T00:00:00Z")
        for step in steps:
            item = step.process_item(item)
        for feed in feeds:
            feed.export_item(item)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["save", "run"])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--articles", type=int, default=70)
    parser.add_argument("--weight", choices=["small", "live"], default="live")
    parser.add_argument("--variants", type=int, metavar="SEED")
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--exports", action="store_true")
    args = parser.parse_args()
    if args.action == "save":
        save(args.pages, args.articles, args.weight, args.variants)
    else:
        run(args.pages, args.articles, args.checkout.resolve(), args.exports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
