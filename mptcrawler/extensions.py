"""Extensions: the failure log (every article found ends as an item or a failure), a quiet
log for a one-file-per-article Markdown feed given with ``-o``/``-O``, the requests counted by
kind, the crawl's own peak memory, and the prompt stop on SIGTERM or Ctrl-C. (The run's state,
summary, archive, Markdown documents and progress line have modules of their own: runs.py,
archive.py, documents.py, progress.py.)"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from .middlewares import StoppedBeforeFetch
from .runs import run_file
from .signals import page_failed

logger = logging.getLogger(__name__)


class FailureLog:
    """Writes one JSON line per failed page:
    ``{"url", "kind", "reason", "detail", "attempts", "time"}`` (attempts: requests made, null
    when the page was fetched but could not be read).

    Sources: the spider's ``page_failed`` signal (download errors, unparseable pages) and items
    dropped by a pipeline for a reason other than being a duplicate. The file
    (``MPT_FAILURES_URI``) is created on the first failure only; counts go to the stats as
    ``mpt/failures/<reason>``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.uri_template: str = crawler.settings.get("MPT_FAILURES_URI", "")
        self.file: IO[str] | None = None
        self.path: Path | None = None
        crawler.signals.connect(self.page_failed, signal=page_failed)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureLog:
        return cls(crawler)

    def page_failed(self, url: str, kind: str, reason: str, detail: str,
                    attempts: int | None = None, listed_date: str | None = None) -> None:
        self.record({"url": url, "kind": kind, "reason": reason, "detail": detail,
                     "attempts": attempts})

    def item_dropped(self, item: Any, response: Any, exception: DropItem, spider: Spider) -> None:
        from .pipelines import DuplicateArticle, UnchangedArticle

        if isinstance(exception, DuplicateArticle | UnchangedArticle):
            return
        url = getattr(item, "url", None) or getattr(response, "url", "")
        self.record({"url": url, "kind": "article", "reason": "invalid_item",
                     "detail": str(exception), "attempts": None})

    def record(self, failure: dict[str, Any]) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("mpt/failures")
            stats.inc_value(f"mpt/failures/{failure['reason']}")
        if not self.uri_template:
            return
        if self.file is None:
            self.path = run_file(self.uri_template, self.crawler.spider)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("a", encoding="utf-8")
        failure["time"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
        self.file.write(json.dumps(failure, ensure_ascii=False) + "\n")
        self.file.flush()

    def spider_closed(self, spider: Spider) -> None:
        if self.file is not None:
            self.file.close()
            spider.logger.warning("failures of this run are in %s", self.path)


class _PerDocumentFeedLogFilter(logging.Filter):
    """Drops Scrapy's "Stored markdown feed (1 items) in: …" line, one per article."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        return not (record.msg == "Stored %s" and isinstance(args, tuple) and args
                    and str(args[0]).startswith("markdown feed ("))


class MarkdownFeedSummary:
    """One log line for the Markdown documents of a run instead of one line per article
    (5,000 lines on a full crawl of the live site); errors storing a document still show."""

    def __init__(self, crawler: Crawler) -> None:
        self.documents = 0
        self.folders: set[str] = set()
        self.filter = _PerDocumentFeedLogFilter()
        self.logger = logging.getLogger("scrapy.extensions.feedexport")
        self.logger.addFilter(self.filter)
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkdownFeedSummary:
        return cls(crawler)

    def feed_slot_closed(self, slot: Any) -> None:
        if slot.format == "markdown" and slot.itemcount:
            self.documents += slot.itemcount
            self.folders.add(str(Path(slot.uri.removeprefix("file://")).parent))

    def spider_closed(self, spider: Spider) -> None:
        self.logger.removeFilter(self.filter)
        if self.documents:
            spider.logger.info("Stored %d markdown documents in: %s", self.documents,
                               ", ".join(sorted(self.folders)))


class RequestKinds:
    """Counts the requests sent, by kind (``mpt/requests/<kind>``): ``listing``, ``feed``,
    ``article``, ``recheck`` (conditional re-checks and revalidation), ``robots``,
    ``sitemap`` (the sitemap robots.txt announces and its chunks); retries count again. The
    spider counts ``twin``: an article request that turned out to be a ``/node/NID`` copy of a
    page already read. On the live site every request costs at least a second, so these
    numbers are the crawl's speed (docs/operations.md: Politeness)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        crawler.signals.connect(self.request_reached, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestKinds:
        return cls(crawler)

    def request_reached(self, request: Any, spider: Spider) -> None:
        kind = request.meta.get("mpt_kind") or (
            "robots" if request.url.endswith("/robots.txt") else "other")
        if self.stats is not None:
            self.stats.inc_value(f"mpt/requests/{kind}")


class PeakMemory:
    """The crawl's own peak resident memory, ``mpt/memory/peak`` in bytes (Linux: VmHWM of
    /proc/self/status). Scrapy's ``memusage/max`` is ``ru_maxrss``, which Linux carries over
    a fork and exec: a crawl started by a large process (a test runner, a scheduler) reports
    its parent's peak, not its own."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PeakMemory:
        return cls(crawler)

    def spider_closed(self, spider: Spider) -> None:
        try:
            status = Path("/proc/self/status").read_text(encoding="ascii")
        except OSError:
            return  # not Linux: Scrapy's memusage/max is all there is
        for line in status.splitlines():
            if line.startswith("VmHWM:") and self.stats is not None:
                self.stats.set_value("mpt/memory/peak", int(line.split()[1]) * 1024)


class StopPromptly:
    """Stops a run within a second or so of SIGTERM or Ctrl-C (see drop_queued_when_stopping);
    not a job run with JOBDIR (see from_crawler)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.watch = LoopingCall(self.drop_queued_when_stopping)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopPromptly:
        if crawler.settings.get("JOBDIR"):
            # A job to be resumed: the waiting requests have left its disk queue and are in
            # its requests.seen, so dropped they would be lost to the resumed job. Scrapy
            # fetches them before it stops, as it always did.
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self) -> None:
        self.watch.start(0.5, now=False)

    def spider_closed(self) -> None:
        if self.watch.running:
            self.watch.stop()

    def drop_queued_when_stopping(self) -> None:
        """Once the run is asked to stop (SIGTERM, Ctrl-C), the requests waiting in the download
        slots are dropped, not fetched: Scrapy waits for every one of them before it closes,
        each after the slot's delay, which with Drupal's Crawl-delay of 10 s made a SIGTERM take
        2 min 36 s (16 queued requests; measured). They fail as StoppedBeforeFetch, which the
        spider does not count as a failure: a stopped run is not complete, and what they would
        have fetched is in its frontier (listing pages and listed articles are, from the moment
        they are asked for), which the next run finishes first."""
        try:
            engine = self.crawler.engine
        except RuntimeError:
            return
        if engine is None or engine.running:
            return
        dropped = 0
        for slot in list(engine.downloader.slots.values()):
            while slot.queue:
                request, waiting = slot.queue.popleft()
                waiting.errback(Failure(StoppedBeforeFetch(f"{request.url}: the run is "
                                                           "stopping")))
                dropped += 1
        if dropped:
            logger.info("the run is stopping: %d requests waiting for their turn dropped",
                        dropped)


class GarbageCollection:
    """Fewer and shorter walks of the cyclic garbage collector, which a crawl hardly needs: a
    crawl of a 3,000-article replica (3,306 pages) made ~3,400 objects of cyclic garbage in all,
    yet the collector ran 1,400 times and walked ~100,000 long-lived objects in each of its
    ten full collections: 1.06 s of an ad-hoc run's CPU, 1.32 s of a cron run's, ~5 % (gc
    callbacks, BENCHMARKS.md, "Issue 16, eighth session"). From the spider's opening:

    - the objects alive then (modules, classes, functions, settings; none ever garbage) are
      frozen (``gc.freeze``): full collections no longer walk them (0.54 and 0.65 s → 0.06);
    - the young generation is collected after 20,000 allocations net instead of 700 (the
      first threshold; the others unchanged): 1,280 collections → 8, 0.68 s → 0.09-0.11, the
      same cyclic garbage collected, later.

    Garbage cycles made before the opening stay (no collection first: it would walk them all
    once more). At the spider's close both are undone, so that a process that goes on after
    the crawl (tests, several crawls in one process) gets back the collector it had: what was
    frozen could otherwise never be collected, crawl after crawl. A freeze made by someone
    else before the opening is left as it was (unfreeze would undo it too)."""

    YOUNG_THRESHOLD = 20_000

    def __init__(self, crawler: Crawler) -> None:
        self.thresholds: tuple[int, int, int] | None = None  # as they were at the opening
        self.froze = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GarbageCollection:
        return cls(crawler)

    def spider_opened(self) -> None:
        self.froze = gc.get_freeze_count() == 0
        if self.froze:
            gc.freeze()
        self.thresholds = gc.get_threshold()
        gc.set_threshold(self.YOUNG_THRESHOLD, *self.thresholds[1:])

    def spider_closed(self) -> None:
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            self.thresholds = None
        if self.froze:
            gc.unfreeze()
            self.froze = False
