"""Rebuild the dataset from WARC archives with the current parsers and pipelines, offline.

    mptcrawler-reextract data/mpt-*.warc.gz --out data/reextracted.jsonl \
        --compare data/mpt-20261125T010203.123456Z.jsonl --report data/reextract-report.json

After a parser fix or a schema change: every archived article response is parsed again exactly
as the crawl would (same parsers, same pipelines, no network, no state), written as JSONL in the
export format, and compared field by field with an earlier export.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parsel import Selector
from scrapy.exceptions import DropItem
from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

from .items import EXPORT_FIELDS, article_from_page, exported
from .parsers import NotAnArticle, ParseError, parse_article
from .pipelines import OfflinePipelines

# Fields that differ between two extractions of the same page for reasons that are not the
# parsers': when it was fetched, and which run first exported it.
NOT_COMPARED = ("crawled_at", "revision")


def archived_pages(paths: list[Path]) -> Iterator[tuple[str, str, str | None, str, HtmlResponse]]:
    """(canonical URL, listed URL, listed date, fetch time, response) of each archived page."""
    for path in paths:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response":
                    continue
                headers = record.rec_headers
                target = headers.get_header("WARC-Target-URI")
                canonical = headers.get_header("MPT-Canonical-URL") or target
                body = record.content_stream().read()
                http = [(k, v) for k, v in (record.http_headers.headers
                                            if record.http_headers else [])]
                response = HtmlResponse(url=target, body=body, headers=http)
                yield (canonical, headers.get_header("MPT-Listed-URL") or canonical,
                       headers.get_header("MPT-Listed-Date"),
                       headers.get_header("WARC-Date")[:19] + "Z", response)


def reextract(paths: list[Path], out: Path) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Items rebuilt from the archives (written to ``out``), and what could not be rebuilt."""
    chain = OfflinePipelines()
    items: list[dict[str, Any]] = []
    problems: Counter[str] = Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as stream:
        exporter = JsonLinesItemExporter(stream, fields_to_export=EXPORT_FIELDS,  # type: ignore[arg-type]
                                         encoding="utf-8")
        exporter.start_exporting()
        for canonical, _listed, listed_date, fetched, response in archived_pages(paths):
            try:
                page = parse_article(Selector(text=response.text), canonical,
                                     listed_date=listed_date)
                if page.language_fallback:
                    # another language's text under this section (the spider exports none)
                    problems["language_fallback"] += 1
                    continue
                item = chain.process(article_from_page(page, fetched))
            except (NotAnArticle, ParseError) as exc:
                problems[type(exc).__name__] += 1
                continue
            except DropItem as exc:
                problems[type(exc).__name__] += 1
                continue
            exporter.export_item(item)
            items.append(exported(item))
        exporter.finish_exporting()
    return items, problems


def compare(new: list[dict[str, Any]], old_path: Path) -> dict[str, Any]:
    """Per field, how many articles changed; plus articles only in one of the two."""
    old = {}
    for line in old_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        old[record["url"]] = record
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mptcrawler-reextract", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archives", nargs="+", type=Path, help="WARC files of earlier runs")
    parser.add_argument("--out", type=Path, required=True, help="the rebuilt JSONL")
    parser.add_argument("--compare", type=Path, help="an earlier export to compare with")
    parser.add_argument("--report", type=Path, help="write the comparison here as JSON")
    parser.add_argument("--parquet", type=Path, help="also write the rebuilt items as Parquet")
    ns = parser.parse_args(argv)
    items, problems = reextract(ns.archives, ns.out)
    if ns.parquet:
        from .parquet import ParquetWriter  # pyarrow costs 44 MB of RSS: only if asked

        writer = ParquetWriter(str(ns.parquet))
        for item in items:
            writer.write(item)
        writer.close()
    twins = problems.pop("DuplicateArticle", 0)
    fallbacks = problems.pop("language_fallback", 0)
    print(f"rebuilt {len(items)} articles into {ns.out}"
          + (f"; {twins} duplicate responses (/node/NID twins) skipped" if twins else "")
          + (f"; {fallbacks} language-fallback pages skipped" if fallbacks else "")
          + (f"; not rebuilt: {dict(problems)}" if problems else ""))
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


if __name__ == "__main__":
    sys.exit(main())
