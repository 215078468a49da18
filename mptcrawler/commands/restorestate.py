"""``scrapy restorestate [--copy N] [--data FOLDER] [--force]``: the state restored from one of
its copies after a run stopped with exit status 5 over it (mptcrawler/restore.py; README:
Restoring the state). It reads the crawl's own settings (MPT_STATE_PATH, MPT_DATASET_URI, and
``-s`` as ``scrapy crawl mpt`` takes them); ``--data data/replica`` places them in a replica's
data folder as ``mptcrawler-replica crawl --data`` does. Exit statuses are the crawl's
(mptcrawler/cron/exits.py): 0 restored, 2 usage error or a healthy state without ``--force``,
5 no usable copy, 75 a run holds the lock; a refusal is one line on stderr and changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.settings import SETTINGS_PRIORITIES

from ..cron.exits import USAGE, RunRefused
from ..restore import restore
from .crawl import refuse

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCommand):
    requires_project = True
    # Nothing is crawled: no reactor, no Scrapy start-up lines before the one line.
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--copy N] [--data FOLDER] [--force]"

    def short_desc(self) -> str:
        return "Restore the state from a checked copy after a run stopped with status 5"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--copy", type=int, default=1, metavar="N",
                            help="restore <state>.N (default 1, the newest)")
        parser.add_argument("--data", metavar="FOLDER",
                            help="the data folder whose state to restore, e.g. data/replica "
                                 "(default: the settings' MPT_STATE_PATH)")
        parser.add_argument("--force", action="store_true",
                            help="restore even though the state passes its integrity check")
        parser.error = lambda message: refuse(USAGE, f"usage error: {message}")  # type: ignore[method-assign]

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args:
            refuse(USAGE, f"usage error: unexpected argument {args[0]}")
        if opts.copy < 1:
            refuse(USAGE, f"usage error: --copy {opts.copy}: the copies are numbered from 1")
        if opts.data:
            # Here, not at the top: Scrapy imports every command to list them, and the replica's
            # command line (its report, its site model) cost every `scrapy crawl` ~0.16 s.
            from ..replica.__main__ import data_settings

            assert self.settings is not None
            for name, value in data_settings(opts.data).items():
                # A setting given with -s stays the operator's.
                if (self.settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
                    self.settings.set(name, value, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            done = restore(Path(self.settings.get("MPT_STATE_PATH")), opts.copy,
                           self.settings.get("MPT_DATASET_URI"), force=opts.force,
                           others=tuple(t for name in ("MPT_PARQUET_URI", "MPT_WARC_URI")
                                        if (t := self.settings.get(name))))
        except RunRefused as refused:
            print(f"mptcrawler: {refused.line}", file=sys.stderr)
            self.exitcode = refused.status
            return
        for line in done.lines:
            print(line)
        if done.again:
            print(f"mptcrawler: the next run exports again the articles of runs "
                  f"{', '.join(done.again)}: {done.why_again} (duplicates, never a loss)",
                  file=sys.stderr)
