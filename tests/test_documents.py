"""The Markdown documents: one file per article, named after it, in the seed's layout, written
by documents.MarkdownDocuments (not a Scrapy feed batched by item)."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import default_settings
from scrapy.utils.test import get_crawler

from mptcrawler import settings as project
from mptcrawler.documents import DOCUMENT_BATCH, MarkdownDocuments, document_name
from mptcrawler.exporters import markdown_document
from mptcrawler.items import Article
from mptcrawler.spiders.mpt import MptSpider

from .conftest import TwoDays
from .test_recovery import KILLED, killed_run, open_next_run


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
    """The documents are no Scrapy feed: the run stores one feed (the JSONL, its Parquet file
    converted from it), not one plus one per article (the cost measured in BENCHMARKS.md,
    "Cron-run overhead")."""
    for run in two_days.runs:
        stored = re.findall(r"'feedexport/success_count/AtomicFileFeedStorage': (\d+)", run.log)
        assert stored == ["1"], stored


def test_the_documents_are_final_only_when_the_run_ends(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Written under their own names into ``<folder>.part``, DOCUMENT_BATCH at a time, which
    gets its final name at the end of the run, before Scrapy's FeedExporter stores the JSONL
    (the commit point); the documents still waiting are written before that."""
    monkeypatch.chdir(tmp_path)
    crawler = get_crawler(MptSpider, {"MPT_MARKDOWN_URI": "md/%(name)s-%(run_id)s"})
    documents = MarkdownDocuments.from_crawler(crawler)
    spider = MptSpider.from_crawler(crawler)
    spider.run_id = "R"
    items = [article(f"https://mpt.gov.by/ru/news/{n}", n) for n in range(DOCUMENT_BATCH)]
    items.append(article("https://mpt.gov.by/be/x", 1, "be"))
    for item in items:
        documents.item_scraped(item, spider)
    ru = [f"{n}-ru.md" for n in range(DOCUMENT_BATCH)]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == sorted(
        ["md", "md/mpt-R.part", *(f"md/mpt-R.part/{name}" for name in ru)])  # 1-be waits
    documents.spider_closed(spider)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == sorted(
        ["md", "md/mpt-R", "md/mpt-R/1-be.md", *(f"md/mpt-R/{name}" for name in ru)])
    assert (tmp_path / "md/mpt-R/1-be.md").read_text(encoding="utf-8") == \
        markdown_document(items[-1])
    assert (tmp_path / "md/mpt-R/7-ru.md").read_text(encoding="utf-8") == \
        markdown_document(items[7])
    assert project.EXTENSIONS["mptcrawler.documents.MarkdownDocuments"] < \
        default_settings.EXTENSIONS_BASE["scrapy.extensions.feedexport.FeedExporter"]


def test_a_document_that_cannot_be_written_is_dropped_whole(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """A full disk on the second of three documents: its file is removed (never left half
    written), the other two are written and the folder still gets its final name, and the run
    is unhealthy through the stats a feed not stored sets."""
    monkeypatch.chdir(tmp_path)
    crawler = get_crawler(MptSpider, {"MPT_MARKDOWN_URI": "md/%(name)s-%(run_id)s"})
    assert crawler.stats is not None
    crawler.stats.open_spider()
    documents = MarkdownDocuments.from_crawler(crawler)
    spider = MptSpider.from_crawler(crawler)
    spider.run_id = "R"
    real_write = os.write
    calls = []

    def write(fd: int, data: Any) -> int:
        calls.append(fd)
        if len(calls) == 2:
            real_write(fd, bytes(data)[:3])  # a part written, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    for n in (1, 2, 3):
        documents.item_scraped(article(f"https://mpt.gov.by/ru/news/{n}", n), spider)
    documents.spider_closed(spider)  # writes the three waiting documents, then renames
    monkeypatch.setattr(os, "write", real_write)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "md", "md/mpt-R", "md/mpt-R/1-ru.md", "md/mpt-R/3-ru.md"]
    assert crawler.stats.get_value("feedexport/failed_count/MarkdownDocuments") == 1
    assert crawler.stats.get_value(f"mpt/not_stored/{tmp_path / 'md' / 'mpt-R'}") == \
        os.strerror(errno.ENOSPC)


def test_a_killed_runs_unfinished_folder_goes(tmp_path: Path) -> None:
    data = killed_run(tmp_path, jsonl_final=False)
    folder = data / "markdown" / f"mpt-{KILLED}"
    folder.rename(f"{folder}.part")
    open_next_run(tmp_path)
    assert list((data / "markdown").iterdir()) == []
