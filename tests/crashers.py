"""Components that crash on purpose on one article, for tests/test_crashes.py: a stand-in for a
parser or pipeline bug that no test foresaw. Enabled only through that test's settings."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from scrapy.crawler import Crawler


class CrashOnOneArticle:
    """Spider middleware: the callback's output for the article at MPT_TEST_CRASH_PATH raises,
    as a parser bug would."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrashOnOneArticle:
        return cls(crawler.settings.get("MPT_TEST_CRASH_PATH", ""))

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any]
                                    ) -> AsyncIterator[Any]:
        async for output in result:
            if self.path and response.url.endswith(self.path):
                raise RuntimeError("a parser bug")
            yield output


class CrashingPipeline:
    """Item pipeline: raises (not DropItem) for the article at MPT_TEST_PIPELINE_CRASH_PATH."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrashingPipeline:
        return cls(crawler.settings.get("MPT_TEST_PIPELINE_CRASH_PATH", ""))

    def process_item(self, item: Any) -> Any:
        if self.path and item.url.endswith(self.path):
            raise RuntimeError("a pipeline bug")
        return item


class _FailingWrites:
    """A state database that reads but cannot write: every write statement and commit fails as
    on a disk I/O error."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    def executemany(self, sql: str, rows: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            return self._db.execute(sql, *args)
        raise sqlite3.OperationalError("disk I/O error")


class StateFailsAtClose:
    """Item pipeline after TrackRevisions, so closed before it (Scrapy closes pipelines in
    reverse order): from the moment the spider closes, the run's state cannot be written (its
    disk failing after the run's last item)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateFailsAtClose:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        state = self.crawler.mpt_runs.state  # type: ignore[attr-defined]
        state.db = _FailingWrites(state.db)
