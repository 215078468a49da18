"""Everything the parse path makes of replica pages, written to files, so that a cut meant to be
a pure speed-up can be checked byte for byte (``cmp``) against another checkout's files.

    python bench/parse_outputs.py OUT_DIR [--checkout DIR] [--articles 300]

For each replica (small and live weight; variants none, 1, 2, 3; and, with translations,
variants none and 1: 2,400 + 1,200 pages and their fallback pages at 300 articles) it writes
``OUT_DIR/<replica>.jsonl`` (the JSONL export), ``<replica>.md`` (the Markdown-document
export), ``<replica>.parquet`` and ``<replica>.evidence.jsonl``: per page, the parsed page's
evidence, conflicts, translations, translation key, language fallback, node id and era, or the
exception a page raised (ParseError, NotAnArticle, a pipeline's DropItem). ``DIR`` (default:
this checkout) is the ``mptcrawler`` imported; the replica is always this checkout's, so both
sides parse the same bytes.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Content-Type": "text/html; charset=utf-8"}  # the replica's (server.py)
REPLICAS = [(weight, variants, translations)
            for translations, variant_list in ((False, (None, 1, 2, 3)), (True, (None, 1)))
            for weight in ("small", "live") for variants in variant_list]


def pages_of(articles: int, weight: str, variants: int | None, translations: bool
             ) -> list[tuple[str, bytes]]:
    """(canonical URL, body) of every article and fallback page, from this checkout's replica
    (imported before the checkout under test replaces ``mptcrawler`` in ``sys.modules``)."""
    from mptcrawler.replica import build_site
    from mptcrawler.replica.server import route

    site = build_site(articles, 1, weight=weight, variants=variants, translations=translations)
    return [(a.url, route(site, a.path)[2].encode()) for a in [*site.articles, *site.fallbacks]]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    replicas = {(w, v, t): pages_of(args.articles, w, v, t) for w, v, t in REPLICAS}
    for name in [m for m in sys.modules if m == "mptcrawler" or m.startswith("mptcrawler.")]:
        del sys.modules[name]
    sys.path[0] = str(args.checkout.resolve())

    import io

    from scrapy.exceptions import DropItem
    from scrapy.exporters import JsonLinesItemExporter
    from scrapy.http import HtmlResponse

    from mptcrawler import exporters, items, parsers, pipelines

    assert Path(parsers.__file__).resolve().is_relative_to(args.checkout.resolve())
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    args.out.mkdir(parents=True, exist_ok=True)
    for (weight, variants, translations), pages in replicas.items():
        name = f"{weight}-v{variants or 0}{'-t' if translations else ''}"
        steps = [pipelines.ExtractAttribution(), pipelines.StripMarkup(),
                 pipelines.NormalisePublished(), pipelines.CollectDatesMentioned(),
                 pipelines.ValidateItem()]
        streams = [io.BytesIO() for _ in range(3)]
        feeds = [JsonLinesItemExporter(streams[0], fields_to_export=items.EXPORT_FIELDS,
                                       encoding="utf-8"),
                 exporters.ParquetItemExporter(streams[1]),
                 exporters.MarkdownDocumentExporter(streams[2])]
        for feed in feeds:
            feed.start_exporting()
        evidence = []
        for url, html in pages:
            record: dict[str, object] = {"url": url}
            try:
                page = parsers.parse_article(
                    parsers.parse_response(HtmlResponse(url, body=html, headers=HEADERS)), url)
                record.update(evidence=page.evidence, conflicts=page.conflicts,
                              translations=page.translations,
                              translation_key=page.translation_key,
                              language_fallback=page.language_fallback,
                              node_id=page.node_id, era=page.era, extraction=page.extraction,
                              structured_date=page.structured_date)
                item = items.article_from_page(page, "2026-01-01T00:00:00Z")
                for step in steps:
                    item = step.process_item(item)
            except (ValueError, DropItem) as exc:
                record["error"] = f"{type(exc).__name__}: {exc}"
            else:
                for feed in feeds:
                    feed.export_item(item)
            evidence.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
        for feed in feeds:
            feed.finish_exporting()
        for stream, suffix in zip(streams, ("jsonl", "parquet", "md"), strict=True):
            (args.out / f"{name}.{suffix}").write_bytes(stream.getvalue())
        (args.out / f"{name}.evidence.jsonl").write_text("\n".join(evidence) + "\n", "utf-8")
        print(f"{name}: {len(pages)} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
