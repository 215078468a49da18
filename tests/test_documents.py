"""The Markdown documents: one file per article, named after it, in the seed's layout, written
by documents.MarkdownDocuments (not a Scrapy feed batched by item)."""

from __future__ import annotations

import json
import re

from mptcrawler.documents import document_name
from mptcrawler.exporters import markdown_document
from mptcrawler.items import Article

from .conftest import TwoDays


def article(url: str, node_id: int | None, lang: str = "ru") -> Article:
    return Article(url=url, node_id=node_id, lang=lang, title="Заголовок", markdown="текст")


def test_named_by_node_id_and_language_else_by_the_slug() -> None:
    assert document_name(article("https://mpt.gov.by/be/news/x", 7670, "be")) == "7670-be"
    assert document_name(article("https://mpt.gov.by/ru/news/25-11-2026-novosti/", None)) == \
        "25-11-2026-novosti"
    # percent-escapes decoded, anything unsafe in a file name replaced, never a path
    assert document_name(article("https://mpt.gov.by/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82"
                                 "%D0%B8%20%2F..%2Fx", None)) == "новости-..-x"
    assert document_name(article("https://mpt.gov.by/", None)) == "index"
    assert len(document_name(article("https://mpt.gov.by/ru/" + "я" * 300, None))) == 100


def test_a_cron_run_writes_one_named_seed_format_document_per_article(two_days: TwoDays) -> None:
    """Both cron runs of the shared fixture: every exported item has exactly its document,
    byte for byte what markdown_document() makes of it, and nothing is left as .part."""
    data = two_days.data
    records = [json.loads(line) for line in
               (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    for record in records:
        items = [json.loads(line) for line in
                 (data / record["file"]).read_text(encoding="utf-8").splitlines()]
        folder = data / "markdown" / f"mpt-{record['run_id']}"
        files = {p.name: p for p in folder.iterdir()}
        assert sorted(files) == sorted(f"{i['node_id']}-{i['lang']}.md" for i in items)
        for item in items:
            text = files[f"{item['node_id']}-{item['lang']}.md"].read_text(encoding="utf-8")
            assert text == markdown_document(Article(**item))
    assert not list(data.rglob("*.part"))
    assert all("Stored markdown feed" not in run.log for run in two_days.runs)
    assert all("markdown documents in: data/markdown/mpt-" in run.log for run in two_days.runs)


def test_writing_a_document_costs_no_feed_slot(two_days: TwoDays) -> None:
    """The documents are no Scrapy feed: the run stores two feeds (JSONL and Parquet), not
    two plus one per article (the cost measured in BENCHMARKS.md, "Cron-run overhead")."""
    for run in two_days.runs:
        stored = re.findall(r"'feedexport/success_count/AtomicFileFeedStorage': (\d+)", run.log)
        assert stored == ["2"], stored
