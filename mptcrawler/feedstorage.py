"""Crash-safe local feed files.

Scrapy's FileFeedStorage writes the final file in place, so a killed run leaves a truncated last
line under the name downstream jobs read. Here a feed is written to ``<path>.part`` and renamed
to ``<path>`` (``os.replace``: atomic on one file system) once Scrapy stores it at the clean end
of a run; a killed run leaves only the ``.part`` file.

A feed may carry its Parquet twin (feed option ``parquet``): the run's JSONL converted once it is
complete, written and renamed before the JSONL gets its final name, so that a run is never
delivered without it.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage

from .runs import run_file


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
    ``mpt/not_stored/<absolute path>`` for the run's one-line reason (runs.IncrementalRuns).

    Feed option ``parquet``: the path (``%(name)s``, ``%(run_id)s`` as in MPT_PARQUET_URI) of
    the same items as Parquet, converted from this JSON-lines feed when it is stored
    (parquet.jsonl_to_parquet); none for an empty feed. If it cannot be written the feed is not
    renamed either."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.fsync = bool((feed_options or {}).get("fsync", True))
        self.crawler = crawler
        template = (feed_options or {}).get("parquet")
        self.parquet = run_file(template, getattr(crawler, "spider", None)) if template else None

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
            runs = getattr(self.crawler, "mpt_runs", None)  # runs.IncrementalRuns, cron runs
            if runs is not None:
                runs.before_delivery(self.path)
            if self.parquet is not None and self.part_path.stat().st_size:
                self.store_parquet(self.parquet)
            os.replace(self.part_path, self.path)
        except OSError as exc:
            self.not_stored(self.path, exc.strerror or str(exc))
            raise

    def store_parquet(self, final: Path) -> None:
        """The finished ``.part`` of this feed as Parquet, under ``<final>.part`` and renamed:
        anything that fails (a full disk, a line Arrow refuses) is an OSError that keeps the
        feed from its final name."""
        from .parquet import jsonl_to_parquet  # pyarrow (44 MB of RSS) only when one is written

        part = Path(f"{final}.part")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            jsonl_to_parquet(self.part_path, part)
            if self.fsync:
                fd = os.open(part, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            os.replace(part, final)
        except Exception as exc:  # pyarrow's errors are ValueErrors as well as OSErrors
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
            why = getattr(exc, "strerror", None) or str(exc)
            self.not_stored(str(final), why)
            raise OSError(f"its Parquet file {final}: {why}") from exc

    def not_stored(self, path: str, why: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(f"mpt/not_stored/{os.path.abspath(path)}", why)
