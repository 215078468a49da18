"""Feed exporters beyond Scrapy's own."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter, CsvItemExporter

from .items import EXPORT_FIELDS, Article

if TYPE_CHECKING:
    from .parquet import ParquetWriter


def attribution_markdown(source: dict[str, Any]) -> str:
    """The attribution line with its link, as the seed writes it:
    ``Использована информация с сайта: <http://www.belta.by>``."""
    raw, url, name = source["raw"], source.get("url"), source.get("name") or ""
    if not url:
        return str(raw)
    if url in raw:
        return str(raw.replace(url, f"<{url}>", 1))
    if name and name in raw:
        return str(raw.replace(name, f"[{name}]({url})", 1))
    return f"[{raw}]({url})"


def markdown_document(item: Any) -> str:
    """One article in the seed document's layout: ``## title``, the body, the attribution lines,
    ``---``, ``### **Source URL:**`` and ``<url>``; no trailing newline, as in the seed.

    A dateline opens the body, as on the page; a photo credit comes after the attributions."""
    # An Article's fields are its instance dict (a plain dataclass, every field set by its
    # __init__): read directly, as ItemAdapter would return them. ItemAdapter's construction and
    # its six look-ups were ~4 of the ~5.4 us this function takes per article, and a cron run
    # makes a document of every article (documents.MarkdownDocuments).
    adapter: Mapping[str, Any] = item.__dict__ if type(item) is Article else ItemAdapter(item)
    sources = adapter.get("sources") or ([adapter["source"]] if adapter.get("source") else [])
    body = adapter.get("markdown") or ""
    datelines = [s["raw"] for s in sources if s.get("kind") == "dateline"]
    if datelines and body:
        body = f"{' '.join(datelines)} {body}"
    parts = [f"## {adapter['title']}"]
    if body:
        parts.append(body)
    parts += [attribution_markdown(s) for s in sources if s.get("kind") != "dateline"]
    if adapter.get("photo_credit"):
        parts.append(adapter["photo_credit"]["raw"])
    parts += ["---", "### **Source URL:**", f"<{adapter['url']}>"]
    return "\n\n".join(parts)


class MarkdownDocumentExporter(BaseItemExporter):
    """Writes each item as a Markdown document; with ``batch_item_count: 1`` in FEEDS each
    article gets a file of its own. Documents in one file are separated by a blank line."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.output_encoding: str = self.encoding or "utf-8"
        self.first = True

    def export_item(self, item: Any) -> None:
        document = markdown_document(item)
        self.file.write((("" if self.first else "\n\n") + document).encode(self.output_encoding))
        self.first = False


class ParquetItemExporter(BaseItemExporter):
    """The dataset as Parquet with typed columns (``mptcrawler/parquet.py`` has the types).
    ``row_group_size`` (default ``parquet.ROW_GROUP_SIZE``; in FEEDS through the feed option
    ``item_export_kwargs``): items buffered per row group."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        self.row_group_size = kwargs.pop("row_group_size", None)
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.writer: ParquetWriter | None = None

    def start_exporting(self) -> None:
        # pyarrow only when a Parquet feed is written: importing it costs 44 MB of RSS, and
        # Scrapy imports this module for every run (FEED_EXPORTERS), ad-hoc JSONL ones too.
        from .parquet import ParquetWriter

        self.writer = ParquetWriter(self.file, self.row_group_size)

    def export_item(self, item: Any) -> None:
        assert self.writer is not None, "start_exporting() first"
        # Not ItemAdapter.asdict(): on a dataclass it deep-copies every field (0.12 ms an item).
        adapter = ItemAdapter(item)
        self.writer.write({name: adapter.get(name) for name in EXPORT_FIELDS})

    def finish_exporting(self) -> None:
        if self.writer is not None:
            self.writer.close()


class JsonCellCsvItemExporter(CsvItemExporter):
    """CSV with the nested fields (``source``, ``sources``, ``images``, ``attachments``,
    ``dates_mentioned``) as JSON text in their cells, UTF-8, readable by any JSON parser;
    Scrapy's own writes a dict as its Python repr (``{'name': 'БЕЛТА', …, 'caption': None}``)
    and joins a list of dicts the same way. Null stays an empty cell."""

    def serialize_field(self, field: Mapping[str, Any] | Any, name: str, value: Any) -> Any:
        if isinstance(value, dict | list | tuple):
            return json.dumps(value, ensure_ascii=False)
        return super().serialize_field(field, name, value)
