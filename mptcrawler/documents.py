"""Each article of a run as a Markdown document of its own, named after the article:
``data/markdown/mpt-<run>/<node id>-<lang>.md`` (``7670-ru.md``), or the URL's last path
segment when the page shows no node id.

Not a Scrapy feed: a feed with one item per batch (``%(batch_id)05d.md``) costs a feed slot per
article (a new storage, exporter, signals and a log line), which profiling found to be the
largest part of a cron run's overhead (BENCHMARKS.md, "Cron-run overhead"), and a batch's name
cannot depend on its item. Here the documents are written into ``<folder>.part`` under their
own names, and that folder is renamed once when the run ends, before the JSONL gets its final
name: a killed run never leaves half a document where the next run reads, and the next run's
recovery removes the folder (``.part`` or not) of a run killed before its JSONL was final
(runs.IncrementalRuns.local_files/remove_leftovers). One rename a run instead of one a document.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES

from .exporters import markdown_document
from .items import Article
from .runs import ad_hoc_feeds, run_file

logger = logging.getLogger(__name__)

# A name is kept to this many characters (before ".md"): a long Cyrillic slug is ~2 bytes a
# character in UTF-8 and most file systems allow 255 bytes.
MAX_NAME = 100
# Documents are written this many at a time (and at the run's end), not one per article: one
# per article, between the crawl's own work, cost ~70 us of CPU each in a 3,000-article crawl
# (timed in the crawl), its code cold each time, as the archive's records were
# (archive.RECORD_BATCH). Waiting loses nothing: the folder is a `.part` until the run ends,
# removed by the next run if the run was killed before its JSONL got its final name.
DOCUMENT_BATCH = 32
_UNSAFE = re.compile(r"[^\w.-]+")


def document_name(item: Any) -> str:
    """``<node id>-<lang>``, else the URL's last path segment made file-safe (percent-escapes
    decoded, anything but letters, digits, ``.``, ``-`` and ``_`` as ``-``), else ``index``."""
    node_id, lang = getattr(item, "node_id", None), getattr(item, "lang", None) or "ru"
    if node_id is not None:
        return f"{node_id}-{lang}"
    path = urlsplit(getattr(item, "url", "") or "").path
    segment = unquote(path.rstrip("/").rpartition("/")[2])
    slug = _UNSAFE.sub("-", segment).strip(".-")[:MAX_NAME].strip(".-")
    return slug or "index"


class MarkdownDocuments:
    """Writes the documents of a cron run into ``MPT_MARKDOWN_URI`` (a folder; empty: none).
    Not in ad-hoc runs (``-O``), which write only their own feed, unless MPT_MARKDOWN_URI is
    given on the command line too. Two articles with one name in a run (not expected: the
    pipeline drops duplicates) get ``-2``, ``-3``, … rather than overwrite each other."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.template: str = crawler.settings.get("MPT_MARKDOWN_URI")
        self.folder: Path | None = None  # the final one
        self.part: Path | None = None  # where the documents are written until the run ends
        self.torn: list[Path] = []  # documents a failed write left and that could not go
        self.names: set[str] = set()
        self.waiting: list[tuple[str, Any]] = []  # (path, item) of documents not yet written
        self.written = 0
        self.failed = 0
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkdownDocuments:
        settings = crawler.settings
        if not settings.get("MPT_MARKDOWN_URI"):
            raise NotConfigured  # the operator's choice: not worth a WARNING
        if ad_hoc_feeds(crawler) and (settings.getpriority("MPT_MARKDOWN_URI") or 0) < \
                SETTINGS_PRIORITIES["cmdline"]:
            raise NotConfigured  # said once at INFO by IncrementalRuns
        return cls(crawler)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if not isinstance(item, Article):
            return
        if self.folder is None:  # made at the first document: a run without any leaves none
            self.folder = run_file(self.template, spider)
            self.part = Path(f"{self.folder}.part")
            try:
                self.part.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.not_written(self.folder, None, exc)
                return
        assert self.part is not None
        base = name = document_name(item)
        n = 1
        while name in self.names:
            n += 1
            name = f"{base}-{n}"
        self.names.add(name)
        # A str path, not part / name: pathlib's join costs more than the rest of the name
        # handling, once per article; a Path is made only for a failed write.
        self.waiting.append((f"{self.part}{os.sep}{name}.md", item))
        if len(self.waiting) >= DOCUMENT_BATCH:
            self.write_waiting()

    def write_waiting(self) -> None:
        waiting, self.waiting = self.waiting, []
        for path, item in waiting:
            self.write(path, item)

    def write(self, path: str, item: Any) -> None:
        assert self.folder is not None
        data = markdown_document(item).encode("utf-8")
        try:
            # os.open/os.write rather than a Python file object: a document is written in one
            # call and this runs once per article. Not fsynced: the documents are derived from
            # the JSONL, which is.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as exc:
            self.not_written(self.folder, Path(path), exc)
            return
        self.written += 1

    def not_written(self, folder: Path, path: Path | None, exc: OSError) -> None:
        """A full disk: the document is dropped, never left half-written, and the run is
        unhealthy through the same stats key as a feed not stored (RunReport's verdict)."""
        if path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError:  # the disk is what failed: tried again before the folder's rename
                self.torn.append(path)
        self.failed += 1
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("feedexport/failed_count/MarkdownDocuments")
            stats.set_value(f"mpt/not_stored/{os.path.abspath(folder)}",
                            exc.strerror or str(exc))
        if self.failed == 1:  # one line, not one per article on a full disk
            logger.error("could not write the Markdown document %s: %s",
                         folder / path.name if path is not None else folder,
                         exc.strerror or exc)

    def spider_closed(self, spider: Spider) -> None:
        """The folder gets its final name; this runs before Scrapy's FeedExporter stores the
        JSONL (its priority in EXTENSIONS is below the FeedExporter's)."""
        self.write_waiting()
        if self.part is not None and self.folder is not None and self.part.is_dir():
            try:
                for path in self.torn:
                    path.unlink(missing_ok=True)
                os.rename(self.part, self.folder)
            except OSError as exc:
                # Left as .part: the run is unhealthy, and the next run's recovery does not
                # take the folder for a delivered run's.
                self.written = 0
                self.not_written(self.folder, None, exc)
        if self.written:
            logger.info("Stored %d markdown documents in: %s", self.written, self.folder)
        if self.failed:
            logger.error("%d markdown documents could not be written into %s", self.failed,
                         self.folder)
