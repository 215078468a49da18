"""Crash-safe local feed files.

Scrapy's FileFeedStorage writes the final file in place, so a killed run leaves a truncated last
line under the name downstream jobs read. Here a feed is written to ``<path>.part`` and renamed
to ``<path>`` (``os.replace``: atomic on one file system) once Scrapy stores it at the clean end
of a run; a killed run leaves only the ``.part`` file.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage


class _RememberingWriter(io.BufferedWriter):
    """A feed's ``.part`` file that remembers a failed write. Scrapy's FeedExporter writes each
    item from a signal handler, where an error (a full disk) is only logged: the item missing,
    perhaps half a line written. Such a file must never get its final name."""

    error: OSError | None = None

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            self.error = self.error or exc
            raise

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            self.error = self.error or exc
            raise


class AtomicFileFeedStorage(FileFeedStorage):
    """Feed option ``fsync`` (default True) flushes the file to disk before the rename. A file
    that could not be written whole is not renamed; why is kept in the stats as
    ``mpt/not_stored/<absolute path>`` for the run's one-line reason (runs.IncrementalRuns)."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.fsync = bool((feed_options or {}).get("fsync", True))
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    @property
    def part_path(self) -> Path:
        return Path(self.path + ".part")

    def open(self, spider: Spider) -> IO[bytes]:
        final = Path(self.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and final.exists():
            shutil.copyfile(final, self.part_path)  # `-o` appends: to a copy, renamed back
        return _RememberingWriter(io.FileIO(self.part_path, self.write_mode))

    def store(self, file: IO[bytes]) -> None:
        try:
            try:
                file.flush()
                if self.fsync:
                    os.fsync(file.fileno())
            finally:
                file.close()
            if isinstance(file, _RememberingWriter) and file.error is not None:
                raise file.error  # an item was lost on the way: this is not the whole feed
            os.replace(self.part_path, self.path)
        except OSError as exc:
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.set_value(f"mpt/not_stored/{os.path.abspath(self.path)}",
                                             exc.strerror or str(exc))
            raise
