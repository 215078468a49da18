from __future__ import annotations

import io

from mptcrawler.exporters import MarkdownDocumentExporter, attribution_markdown, markdown_document
from mptcrawler.items import Article


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
