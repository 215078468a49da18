"""Crash-safe local feed files.

Scrapy's FileFeedStorage writes the final file in place, so a killed run leaves a truncated last
line under the name downstream jobs read. Here a feed is written to ``<path>.part`` and renamed
to ``<path>`` (``os.replace``: atomic on one file system) once Scrapy stores it at the clean end
of a run; a killed run leaves only the ``.part`` file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage


class AtomicFileFeedStorage(FileFeedStorage):
    """Feed option ``fsync`` (default True) flushes the file to disk before the rename."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.fsync = bool((feed_options or {}).get("fsync", True))

    @property
    def part_path(self) -> Path:
        return Path(self.path + ".part")

    def open(self, spider: Spider) -> IO[bytes]:
        final = Path(self.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and final.exists():
            shutil.copyfile(final, self.part_path)  # `-o` appends: to a copy, renamed back
        return self.part_path.open(self.write_mode)

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        if self.fsync:
            os.fsync(file.fileno())
        file.close()
        os.replace(self.part_path, self.path)
