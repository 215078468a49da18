"""``scrapy crawl`` that exits non-zero with a one-line reason when a run is unhealthy.

Scrapy's own crawl command exits 0 whatever happened during the crawl; a cron job needs to know.
Exit status: 0 healthy, 1 could not start (Scrapy's own), 3 unhealthy (see mptcrawler/runs.py).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler

UNHEALTHY = 3


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def short_desc(self) -> str:
        return "Run a spider; exit 3 with a one-line reason when the run is unhealthy"

    def _create_crawler(self, spname: str | type[Spider]) -> Crawler:
        self.crawler = super()._create_crawler(spname)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if self.exitcode or self.crawler is None or self.crawler.stats is None:
            return
        if self.crawler.stats.get_value("mpt/health") == "unhealthy":
            reason = self.crawler.stats.get_value("mpt/health/reason", "see the log")
            print(f"mptcrawler: unhealthy run: {reason}", file=sys.stderr)
            self.exitcode = UNHEALTHY
