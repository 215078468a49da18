from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

from mptcrawler.exporters import MarkdownDocumentExporter, attribution_markdown, markdown_document
from mptcrawler.items import EXPORT_FIELDS, Article
from mptcrawler.replica.__main__ import scrapy_command

from .conftest import Replica


def test_attribution_forms() -> None:
    assert attribution_markdown({"name": "belta.by", "url": "http://www.belta.by",
                                 "raw": "Использована информация с сайта: http://www.belta.by"}) \
        == "Использована информация с сайта: <http://www.belta.by>"
    assert attribution_markdown({"name": "БЕЛТА", "url": "https://belta.by/x",
                                 "raw": "Источник: БЕЛТА"}) == "Источник: [БЕЛТА](https://belta.by/x)"
    assert attribution_markdown({"name": "mpt.gov.by", "url": "https://mpt.gov.by/ru/news",
                                 "raw": "Подробности тут"}) == \
        "[Подробности тут](https://mpt.gov.by/ru/news)"
    assert attribution_markdown({"name": "x", "url": None, "raw": "По информации x."}) == \
        "По информации x."


def test_document_layout() -> None:
    item = Article(url="https://mpt.gov.by/a", node_id=1, lang="ru", title="Заголовок",
                   markdown="Абзац один.\n\nАбзац два.", source=None)
    assert markdown_document(item) == ("## Заголовок\n\nАбзац один.\n\nАбзац два.\n\n---\n\n"
                                       "### **Source URL:**\n\n<https://mpt.gov.by/a>")


def test_document_with_dateline_attribution_and_photo_credit() -> None:
    """The dateline opens the body, the attribution follows it with its link, the photo credit
    comes last; an Article and the same fields as a dict (what a feed of another spider would
    give the exporter) make the same document."""
    fields = {"url": "https://mpt.gov.by/ru/a", "node_id": 7, "lang": "ru", "title": "Заголовок",
              "markdown": "Текст новости.",
              "sources": [{"name": "БЕЛТА", "url": None, "raw": "МИНСК, 1 марта (БЕЛТА) –",
                           "kind": "dateline"},
                          {"name": "БЕЛТА", "url": "https://belta.by/x", "raw": "Источник: БЕЛТА",
                           "kind": "attribution"}],
              "photo_credit": {"name": "И. Иванов", "raw": "Фото: И. Иванов"}}
    expected = ("## Заголовок\n\nМИНСК, 1 марта (БЕЛТА) – Текст новости.\n\n"
                "Источник: [БЕЛТА](https://belta.by/x)\n\nФото: И. Иванов\n\n---\n\n"
                "### **Source URL:**\n\n<https://mpt.gov.by/ru/a>")
    assert markdown_document(Article(**fields)) == expected
    assert markdown_document(fields) == expected


def test_exporter_writes_utf8_documents() -> None:
    stream = io.BytesIO()
    exporter = MarkdownDocumentExporter(stream)
    exporter.start_exporting()
    for n in (1, 2):
        exporter.export_item(Article(url=f"https://mpt.gov.by/{n}", node_id=n, lang="ru",
                                     title=f"Т{n}", markdown="текст"))
    exporter.finish_exporting()
    text = stream.getvalue().decode("utf-8")
    assert text.count("## Т") == 2 and not text.endswith("\n")


def test_an_ad_hoc_csv_has_nested_fields_as_json(replica: Replica, tmp_path: Path) -> None:
    """`scrapy crawl mpt -O news.csv`: every nested cell is JSON text equal to the JSONL's
    value (written by the same run), never a Python repr; null is an empty cell. `-O news.md`,
    as the README writes it (the format taken from the extension), is the items' Markdown
    documents in export order, a blank line apart."""
    done = subprocess.run(
        scrapy_command(replica.base_url, "-a", "lang=all", "-a", "max_pages=1",
                       "-O", "news.csv", "-O", "news.jsonl", "-O", "news.md"),
        cwd=tmp_path, env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"),
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    items = [json.loads(line) for line in
             (tmp_path / "news.jsonl").read_text(encoding="utf-8").splitlines()]
    with (tmp_path / "news.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(items) > 0
    assert list(rows[0]) == EXPORT_FIELDS
    assert {row["schema_version"] for row in rows} == {"1.0.0"}
    nested = [name for name in EXPORT_FIELDS
              if any(isinstance(item[name], dict | list) for item in items)]
    assert {"source", "sources", "images", "dates_mentioned"} <= set(nested)
    for row, item in zip(rows, items, strict=True):
        for name in nested:
            assert (json.loads(row[name]) if row[name] else None) == item[name], name
    assert "{'" not in (tmp_path / "news.csv").read_text(encoding="utf-8")
    documents = (tmp_path / "news.md").read_text(encoding="utf-8")
    # the layout itself is test_document_layout's; here: the format `md` is the Markdown one
    assert documents == "\n\n".join(markdown_document(item) for item in items)
    assert documents.startswith(f"## {items[0]['title']}\n")
