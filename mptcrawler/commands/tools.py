"""Scrapy's debugging tools (``parse``, ``shell``, ``fetch``, ``check``) that never touch the
dataset: without this, ``scrapy parse --spider=mpt URL`` ran as a cron run would (issue 17,
item 4) and recorded a run in the manifest, the state and ``latest.json``.

Each of them runs as an ad-hoc run without feeds (FEEDS={} at the command line's priority):
then mptcrawler.runs.IncrementalRuns, the WARC archive and the Markdown documents stay off, as
for ``scrapy crawl mpt -O out.jsonl``, and the failures file is off too. Their own output (the
page, the shell, the items printed by ``parse``) is unchanged.

``parse``, ``shell`` and ``fetch`` also take the site to fetch from the URL they are given,
unless ``-s MPT_BASE_URL=…`` says otherwise: ``scrapy parse --spider=mpt -c parse_article
http://127.0.0.1:8800/ru/news/…`` works on a replica as it does on the live site.
"""

from __future__ import annotations

import argparse
import contextlib
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings, Settings

from ..arguments import UsageProblem, base_url


def leave_the_dataset_alone(settings: BaseSettings, args: list[str]) -> None:
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    if (settings.getpriority("FEEDS") or 0) < cmdline:
        settings.set("FEEDS", {}, priority="cmdline")
    if (settings.getpriority("MPT_FAILURES_URI") or 0) < cmdline:
        settings.set("MPT_FAILURES_URI", "", priority="cmdline")
    url = next((a for a in args if a.startswith(("http://", "https://"))), None)
    if url is not None and (settings.getpriority("MPT_BASE_URL") or 0) < cmdline:
        parts = urlsplit(url)
        # A URL the crawl could not use as its base: the project's default stays.
        with contextlib.suppress(UsageProblem):
            settings.set("MPT_BASE_URL", base_url(f"{parts.scheme}://{parts.netloc}"),
                         priority="cmdline")


class LeavesTheDatasetAlone:
    """Mixed into a Scrapy command: run as a debugging tool (see the module's docstring)."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # type: ignore[misc]
        settings: Settings | None = getattr(self, "settings", None)  # ScrapyCommand's
        assert settings is not None
        leave_the_dataset_alone(settings, args)
