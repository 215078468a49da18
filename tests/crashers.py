"""Components that crash on purpose on one article, for tests/test_crashes.py: a stand-in for a
parser or pipeline bug that no test foresaw. Enabled only through that test's settings."""

from __future__ import annotations

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
