"""Cron-grade runs: incremental state, crash-safe hand-over, and a health verdict.

- :class:`IncrementalRuns` owns the state database of a run (``state.py``): before anything of
  the run is opened it takes the run lock and checks the state and the output folders
  (``mptcrawler/cron/``; a refusal stops the run with its exit status); then it recovers killed
  runs, resets on ``-a reset=1``, tells the spider and the TrackRevisions pipeline what is
  known, and commits the run's staged changes only after Scrapy has stored the JSONL under its
  final name, with whether the run was complete. It then records the run in ``manifest.jsonl``
  beside it, and once RunReport has judged it healthy and if it exported anything, in
  ``latest.json``.
- :class:`RunReport` writes a one-screen summary to the log and as JSON beside the output, and
  a verdict that the project's ``crawl`` command turns into a non-zero exit status.

Ad-hoc runs (``scrapy crawl mpt -O out.jsonl``: feeds given on the command line) keep no state:
a test run must never make the daily job skip articles.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import os
import shutil
import socket
import sqlite3
import statistics
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from .cron.backup import backup_path, keep_copy, runs_missing_from_copy
from .cron.exits import LOCKED, RunRefused, interrupted
from .cron.frontier import Frontier
from .cron.lock import Locked, RunLock, locked_line
from .cron.manifest import (
    DamagedManifest,
    read_manifest,
    run_ids,
    write_atomically,
    write_withdrawn,
)
from .cron.preflight import (
    check_not_lost,
    check_state,
    check_state_writable,
    check_writable,
    make_folder,
    state_fault,
)
from .cron.runid import next_run_id
from .cron.site import mismatch
from .items import Article
from .signals import article_gone, page_failed
from .state import CrawlState, Known, LaterValue, site_key

if TYPE_CHECKING:
    from .spiders.mpt import MptSpider

logger = logging.getLogger(__name__)


def _utc(moment: dt.datetime | None = None) -> str:
    return f"{moment or dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"


def manifest_path(dataset: Path) -> Path:
    """``manifest.jsonl``, beside the runs' JSONL files (``dataset``: one of them)."""
    return dataset.parent / "manifest.jsonl"


def run_file(template: str, spider: Any) -> Path:
    """The path of one of a run's files from its setting, e.g. MPT_DATASET_URI
    ``data/%(name)s-%(run_id)s.jsonl`` → ``data/mpt-20261125T010203.123456Z.jsonl``."""
    return Path(template % {"name": getattr(spider, "name", "mpt"),
                            "run_id": getattr(spider, "run_id", "run")})


# Scrapy's settings that end a run early when set (0: off). A run under any of them, or under
# the spider's max_pages/since/until, did not walk every listing: it is never complete.
CLOSESPIDER_LIMITS = ("CLOSESPIDER_TIMEOUT", "CLOSESPIDER_ITEMCOUNT", "CLOSESPIDER_PAGECOUNT",
                      "CLOSESPIDER_ERRORCOUNT", "CLOSESPIDER_TIMEOUT_NO_ITEM",
                      "CLOSESPIDER_PAGECOUNT_NO_ITEM")


def run_limits(spider: Any, settings: Any) -> list[str]:
    """What limits this run to part of the site, e.g. ``["max_pages=1"]``; [] for none."""
    limits = [f"{name}={getattr(spider, name)}" for name in ("max_pages", "since", "until")
              if getattr(spider, name, None) is not None]
    return limits + [f"{name}={settings.get(name)}" for name in CLOSESPIDER_LIMITS
                     if settings.getfloat(name, 0) > 0]


def ad_hoc_feeds(crawler: Crawler) -> bool:
    """Feeds given with -o/-O/-s FEEDS= on the command line: an ad-hoc run."""
    return ad_hoc(crawler.settings)


def ad_hoc(settings: BaseSettings) -> bool:
    return (settings.getpriority("FEEDS") or 0) >= SETTINGS_PRIORITIES["cmdline"]


def keeps_state(settings: BaseSettings) -> bool:
    """A cron run: one that takes the run lock and keeps the state (IncrementalRuns)."""
    return settings.getbool("MPT_INCREMENTAL") and not ad_hoc(settings)


class IncrementalRuns:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state: CrawlState | None = None
        self.mode = "full"
        self.run_id = ""
        self.dataset: Path | None = None
        self.parquet: Path | None = None
        self.committed = False
        self.failures: dict[str, str] = {}  # article URL → reason
        self.listed_dates: dict[str, str] = {}  # failed article URL → its listing's date
        self.withdrawn: dict[str, int] = {}  # known article URL → the 404/410 it answered
        self.listing_failures = 0
        self.bounded: list[str] = []  # listings stopped at a bound (MPT_MAX_*)
        self.lock: RunLock | None = None
        self.limits: list[str] = []
        self.complete: bool | None = None  # known once the run is committed
        self.fault: str | None = None  # the run's state could not be kept (exit status 5)
        self.holder: dict[str, Any] = {}  # what the lock file says of this run
        self.record: dict[str, Any] | None = None  # the run's manifest record, once committed
        self.frontier = Frontier()  # what earlier runs left and this one leaves (cron/frontier)
        self.frontier_left: dict[str, int] | None = None  # known once the run is committed
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.page_failed, signal=page_failed)
        crawler.signals.connect(self.article_gone, signal=article_gone)
        crawler.signals.connect(self.feed_exporter_closed, signal=signals.feed_exporter_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalRuns:
        if not crawler.settings.getbool("MPT_INCREMENTAL"):
            raise NotConfigured  # the operator's choice: not worth a WARNING
        if ad_hoc_feeds(crawler):
            # The normal case of `-O out.jsonl`: said once at INFO. A NotConfigured with a
            # message is logged by Scrapy as a WARNING ("Disabled …"), one per extension.
            logger.info("feeds given on the command line: an ad-hoc run; no state, archive "
                        "or Markdown documents kept")
            raise NotConfigured
        runs = cls(crawler)
        # Here, while Scrapy builds its components: before any of them opens a file of the run
        # (the feeds open theirs at spider_opened). The spider exists already.
        if crawler.spider is not None:
            try:
                runs.prepare(cast("MptSpider", crawler.spider))
            except RunRefused as refused:
                crawler.mpt_refused = refused  # type: ignore[attr-defined]
                raise
        return runs

    def prepare(self, spider: MptSpider) -> None:
        """Take the run lock, check the state and the output folders, open the state, keep a
        copy of it, and make the run id unique; raises RunRefused, with nothing changed but the
        lock file, when the run must not go on."""
        settings = self.crawler.settings
        path = Path(settings.get("MPT_STATE_PATH"))
        make_folder(path.parent, "state")
        self.lock = RunLock(f"{path}.lock")
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": _utc(),
                  "run_id": spider.run_id, "mode": None, "site": spider.base_url}
        try:
            self.lock.acquire(holder)
        except Locked as exc:
            raise RunRefused(LOCKED, locked_line(path, exc.holder)) from None
        except OSError as exc:
            raise state_fault(f"cannot open the lock file {self.lock.path}: "
                              f"{exc.strerror or exc}") from None
        try:
            check_not_lost(path, starting_over=bool(getattr(spider, "reset", False)))
            check_state(path)
            files, folders = self.local_files(spider.name, spider.run_id)
            files += [run_file(settings.get(name), spider) for name in
                      ("MPT_DATASET_URI", "MPT_SUMMARY_URI", "MPT_FAILURES_URI")
                      if settings.get(name)]
            check_writable(p.parent for p in [*files, *folders])
            manifest = manifest_path(run_file(settings.get("MPT_DATASET_URI"), spider))
            try:
                read_manifest(manifest)
            except DamagedManifest as exc:
                raise state_fault(f"{exc}: repair or remove that line; the runs' files and the "
                                  "state are intact") from None
            except OSError as exc:
                raise state_fault(f"cannot read {manifest}: {exc.strerror or exc}") from None
            try:
                self.state = CrawlState(path, site_key(spider.base_url))
            except sqlite3.Error as exc:
                raise state_fault(f"cannot open {path}: {exc}") from None
            check_state_writable(self.state.db, path)
            refused = mismatch(path, self.state.folder_base_url(), spider.base_url,
                               settings.getbool("MPT_ALLOW_BASE_URL_CHANGE"))
            if refused is not None:
                raise refused
            while self.state.has_run(spider.run_id) or run_file(
                    settings.get("MPT_DATASET_URI"), spider).exists():
                spider.run_id = next_run_id(spider.run_id)  # a clock that went back, a copy
            holder["run_id"] = spider.run_id
            self.lock.describe(holder)
            self.holder = holder
        except BaseException:
            if self.state is not None:
                self.state.close()
                self.state = None
            self.lock.release()
            raise

    def spider_opened(self, spider: MptSpider) -> None:
        if self.lock is None or not self.lock.held:
            self.prepare(spider)  # built without from_crawler (tests): the same lock and checks
        assert self.state is not None and self.lock is not None
        # Connected now, so that it runs after RunReport's engine_stopped (handlers run in the
        # order they were connected): the lock covers the run's summary too.
        self.crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        settings = self.crawler.settings
        self.dataset = run_file(settings.get("MPT_DATASET_URI"), spider)
        if settings.get("MPT_PARQUET_URI"):
            self.parquet = run_file(settings.get("MPT_PARQUET_URI"), spider)
        self.limits = run_limits(spider, settings)
        committed = []
        removed: dict[str, list[Path]] = {}

        def remove(run_id: str) -> None:
            removed[run_id] = self.remove_leftovers(spider.name, run_id)

        for run_id, what in self.state.recover(before_abandoning=remove):
            logger.warning("run %s was killed; %s", run_id, what)
            for path in removed.get(run_id, []):
                logger.warning("removed %s of killed run %s", path, run_id)
            if not what.startswith("abandoned"):
                committed.append(run_id)
        self.record_unrecorded(spider.name, committed)
        try:
            # A list an earlier run committed but could not write (its run ended with a fault)
            # is written now, whatever becomes of this run.
            self.write_withdrawn()
        except OSError as exc:
            logger.warning("could not write %s (%s); the run tries again at its end",
                           self.withdrawn_path(), exc)
        # Before this run changes the state (reset, start_run): the copy is of the state as
        # the earlier runs left it.
        self.copy_if_missed()
        if getattr(spider, "reset", False):
            forgotten = self.state.reset()
            logger.warning("reset: forgot %d articles of %s in %s", forgotten, spider.base_url,
                           self.state.path)
        # Incremental only once a full crawl has read every listing page, and no run since
        # ended short of its end: otherwise the state does not know the whole site and stopping
        # at known pages would miss the rest.
        why_full = self.state.why_full()
        self.mode = "full" if getattr(spider, "full", False) or why_full else "incremental"
        if why_full and not getattr(spider, "full", False):
            logger.info("a full run: %s", why_full)
        self.run_id = spider.run_id
        self.holder["mode"] = self.mode
        self.lock.describe(self.holder)
        self.state.start_run(self.run_id, str(self.dataset.resolve()), self.mode,
                             spider.base_url)
        self.state.record_folder_base_url(spider.base_url)  # a no-op after the first run
        self.state.hold_known()  # after recover() and reset(), the last writes before commit
        self.frontier = Frontier(self.state, self.run_id)
        carried = self.frontier.counts(self.frontier.load(spider.langs))
        if self.frontier.carried:
            logger.info("finishing first what earlier runs left: %(listing_pages)d listing "
                        "pages, %(articles)d articles", carried)
        # Not in a job resumed from JOBDIR: its first session walked the starting points, and
        # asked for again they would be dropped as seen, their rows left behind.
        self.frontier.begin(self.mode == "full" and not spider.job_seen, spider.langs)
        self.crawler.mpt_runs = self  # type: ignore[attr-defined]
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("mpt/mode", self.mode)
        logger.info("%s run %s of %s (%d articles known)", self.mode, self.run_id,
                    spider.base_url, self.state.count())

    def local_files(self, name: str, run_id: str) -> tuple[list[Path], list[Path]]:
        """A run's local files (its feeds', its archive's) and its folders: the Markdown
        documents' (MPT_MARKDOWN_URI) and those of batched feeds, from their settings."""
        run = SimpleNamespace(name=name, run_id=run_id)
        feeds = self.crawler.settings.getdict("FEEDS")
        # A feed's Parquet twin (feed option "parquet", feedstorage.AtomicFileFeedStorage).
        templates = [uri.removeprefix("file://") for uri in [
            *feeds, *(str(options.get("parquet") or "") for options in feeds.values())]
            if uri and ("://" not in uri or uri.startswith("file://"))]
        files, folders = [], []
        documents = self.crawler.settings.get("MPT_MARKDOWN_URI") or ""
        if "%(run_id)" in documents:
            folders.append(run_file(documents, run))
        for template in [*templates, self.crawler.settings.get("MPT_WARC_URI") or ""]:
            folder, _, leaf = template.rpartition("/")
            if "%(batch_id)" in leaf:
                if "%(run_id)" in folder:
                    folders.append(run_file(folder, run))
            elif "%(run_id)" in template:
                files.append(run_file(template, run))
        return files, folders

    def remove_leftovers(self, name: str, run_id: str) -> list[Path]:
        """Everything a run killed before its JSONL got its final name left (recover() removes
        the JSONL's ``.part``): its other files, final or ``.part``, and its Markdown documents.
        Its items were never delivered and the next run exports them again: left in place they
        would be there twice."""
        files, folders = self.local_files(name, run_id)
        removed = []
        for path in [*files, *(Path(f"{f}.part") for f in files)]:
            if path.exists():
                path.unlink()
                removed.append(path)
        for folder in [*folders, *(Path(f"{f}.part") for f in folders)]:
            if folder.is_dir():
                shutil.rmtree(folder)
                removed.append(folder)
        return removed

    def recovered_record(self, name: str, run_id: str) -> dict[str, Any]:
        """The manifest record of a committed run that has none: killed after its JSONL got
        its final name and before its record (the state has just committed it, or had), or
        whose record was lost (a manifest removed by hand, a record that could not be written).
        Whether it was complete is the state's (what the run committed, which its summary
        says too; recover() commits a run as not complete; None for a run of a release that
        did not record it). What only the run knew (finish reason, interrupted, limits,
        frontier) comes from its summary file when it wrote one; a run killed before it did
        has finish_reason and frontier null."""
        assert self.state is not None and self.dataset is not None
        info = self.state.run_info(run_id)
        jsonl = self.dataset.parent / Path(info["file"]).name if info["file"] else None
        # The run's own base URL; a run from before it was recorded: the state's key of the site.
        record = {"run_id": run_id, "base_url": info["base_url"] or self.state.site,
                  "file": jsonl.name if jsonl is not None and jsonl.exists() else None,
                  "mode": info["mode"], "exported": info["exported"],
                  "finished": info["finished"], "recovered": True, "health": "recovered",
                  "complete": info["complete"]}
        template = self.crawler.settings.get("MPT_PARQUET_URI")
        parquet = run_file(template, SimpleNamespace(name=name, run_id=run_id)) \
            if template else None
        if parquet is not None and parquet.exists():
            record["parquet"] = parquet.name
        summary = self.run_summary(name, run_id)
        if summary is None:
            record.update(finish_reason=None, frontier=None)
            return record
        # As feed_exporter_closed builds a record: interrupted and limits only when they apply.
        record["finish_reason"] = summary.get("finish_reason")
        if summary.get("interrupted"):
            record["interrupted"] = True
        if summary.get("limits"):
            record["limits"] = summary["limits"]
        record["frontier"] = summary.get("frontier")
        return record

    def run_summary(self, name: str, run_id: str) -> dict[str, Any] | None:
        """The summary file run ``run_id`` wrote (MPT_SUMMARY_URI), or None, logged, when it
        wrote none (killed before its end) or it cannot be read as that run's summary."""
        template = self.crawler.settings.get("MPT_SUMMARY_URI")
        if not template:
            return None
        path = run_file(template, SimpleNamespace(name=name, run_id=run_id))
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            logger.warning("run %s left no summary %s: its record's finish_reason and frontier "
                           "are null", run_id, path)
            return None
        except (OSError, ValueError) as exc:
            logger.warning("the summary %s of run %s cannot be read (%s): its record's "
                           "finish_reason and frontier are null", path, run_id, exc)
            return None
        if not isinstance(summary, dict) or summary.get("run_id") != run_id:
            logger.warning("%s is not the summary of run %s: its record's finish_reason and "
                           "frontier are null", path, run_id)
            return None
        return summary

    def record_unrecorded(self, name: str, committed: list[str]) -> None:
        """Record in ``manifest.jsonl``, in run order and before this run's own record, every
        run of this site the state has committed and the manifest lacks: the runs recover()
        has just committed (``committed``), and a run killed after its own commit, before it
        wrote its record. The state knows that run's articles, so no run exports them again:
        unrecorded, its file would never reach a consumer who follows the manifest. It is
        recorded if its JSONL is beside the manifest and not empty; a run that exported
        nothing delivered nothing to miss, and a JSONL that is gone (removed by hand, or of
        another data folder) has nothing to point a consumer at. Their health was never judged
        (they died before their summary): in the manifest, not in latest.json, which names the
        newest run judged healthy. A manifest that cannot take them is a fault (exit status 5)
        and the next run tries again; the run itself goes on.

        An empty JSONL of such a run that exported nothing (the state says so) is removed, as
        the run would have removed it had it not been killed first: no empty file stands for a
        run (feed_exporter_closed)."""
        assert self.state is not None and self.dataset is not None
        folder = self.dataset.parent
        manifest = self.manifest_path()
        try:
            text = read_manifest(manifest)
            recorded = run_ids(text)
            missing = []
            for run_id, file in self.state.finished_runs():
                if run_id in recorded:
                    continue
                # By its name beside the manifest: the state keeps the absolute path the run
                # had, which a data folder moved as a whole no longer matches.
                jsonl = folder / Path(file).name if file else None
                size = jsonl.stat().st_size if jsonl is not None and jsonl.is_file() else None
                full = size is not None and size > 0
                if jsonl is not None and size == 0 and self.state.run_info(run_id)["exported"] == 0:
                    jsonl.unlink()
                    logger.warning("removed %s: run %s exported nothing and was killed before "
                                   "it removed its empty JSONL", jsonl, run_id)
                if run_id in committed:
                    missing.append(run_id)
                elif full:
                    logger.warning("run %s is committed in the state but has no record in %s; "
                                   "recorded now: %s is complete", run_id, manifest, jsonl)
                    missing.append(run_id)
            if missing:
                self.append_records([self.recovered_record(name, run_id) for run_id in missing],
                                    text)
        except (OSError, DamagedManifest) as exc:
            self.fail(f"could not record in {manifest} the runs committed in the state that it "
                      f"lacks ({exc}); their files and the state are complete: the next run "
                      "records them")

    def record_run(self, record: dict[str, Any], latest: bool = True) -> None:
        """Add a delivered run to ``manifest.jsonl`` and, if ``latest`` and it has a file, name
        it in ``latest.json``."""
        self.append_records([record])
        if latest and record.get("file") and record.get("exported"):
            self.write_latest(record)

    def manifest_path(self) -> Path:
        assert self.dataset is not None
        return manifest_path(self.dataset)

    def append_records(self, records: list[dict[str, Any]], old: str | None = None) -> None:
        """Add runs' records to ``manifest.jsonl``, in one replacement. The manifest is checked
        line by line first (:func:`read_manifest`; ``old``: its text, read and checked so by
        the caller under the same run lock) and replaced whole: a crash never leaves half a
        record, and a last line without its newline (an edit by hand) is not glued to the new
        record."""
        manifest = self.manifest_path()
        if old is None:
            old = read_manifest(manifest)
        if old and not old.endswith("\n"):
            old += "\n"
        write_atomically(manifest, old + "".join(json.dumps(r) + "\n" for r in records))

    def write_latest(self, record: dict[str, Any]) -> None:
        assert self.dataset is not None
        write_atomically(self.dataset.parent / "latest.json", json.dumps(record, indent=2) + "\n")

    # --- what the spider and the pipeline ask -------------------------------------------

    @property
    def incremental(self) -> bool:
        return self.mode == "incremental"

    def recheck(self) -> list[Known]:
        """Recent articles (edits come soon after publication), then the ones verified longest
        ago: 1/MPT_REVALIDATE_DAYS of the archive, so that a daily run verifies all of it within
        that many days."""
        if self.state is None:
            return []
        settings = self.crawler.settings
        days = settings.getint("MPT_RECHECK_DAYS")
        recent = self.state.recent(days) if days > 0 else []
        every = settings.getint("MPT_REVALIDATE_DAYS")
        if every <= 0:
            return recent
        stale = self.state.stalest(math.ceil(self.state.count_live() / every),
                                   {k.url for k in recent})
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("mpt/revalidate/queued", len(stale))
        return recent + stale

    def failed_articles(self) -> list[tuple[str, str | None]]:
        return self.state.failed_urls() if self.state else []

    def page_failed(self, url: str, kind: str, reason: str, detail: str,
                    attempts: int | None = None, listed_date: str | None = None) -> None:
        if kind == "article":
            self.failures[url] = reason
            if listed_date:
                self.listed_dates[url] = listed_date
        elif reason == "listing_bound":
            self.bounded.append(url)
            if self.state is not None:
                # What lies past a bound is in no frontier: the next run walks everything.
                self.state.frontier_incomplete(self.run_id)
        else:
            self.listing_failures += 1

    def is_known(self, url: str, node_id: int | None = None) -> bool:
        """Known and not withdrawn: a withdrawn article listed again is fetched again."""
        assert self.state is not None
        known = self.state.known(url)
        return (known is not None and known.withdrawn is None) or (
            node_id is not None and self.state.known_node(node_id))

    def knows(self, url: str) -> bool:
        """Exported by an earlier run (withdrawn or not): its 404 is a withdrawal."""
        return self.state is not None and self.state.known(url) is not None

    def article_gone(self, url: str, status: int) -> None:
        self.withdrawn[url] = status

    def stage(self, item: Article, digest: str | LaterValue, revision: int, exported: bool,
              previous_url: str | None = None) -> None:
        assert self.state is not None
        self.state.stage(self.run_id, item.url, item.node_id, digest, revision, item.published,
                         item.http_etag, item.http_last_modified, exported, previous_url)

    def stage_not_modified(self, known: Known) -> None:
        """A conditional re-check answered 304: seen, unchanged."""
        assert self.state is not None
        self.state.stage(self.run_id, known.url, known.node_id, known.content_hash,
                         known.revision, known.published, known.etag, known.last_modified, False)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("mpt/articles/unchanged")
            self.crawler.stats.inc_value("mpt/articles/not_modified")

    # --- the hand-over ----------------------------------------------------------------------

    def before_delivery(self, path: str) -> None:
        """Called by a feed's storage before its file takes its final name. For the run's JSONL,
        its commit point, the rows the run staged are made durable first: delivered without
        them, its articles would be unknown to the state, which the next run's recovery would
        commit without them, and the run after would export them again: twice in the dataset
        (tests/test_not_delivered.py). Raises OSError, which keeps the JSONL back: not
        delivered (exit status 6), the next run exports them once."""
        if (self.state is None or self.dataset is None
                or os.path.abspath(path) != os.path.abspath(self.dataset)):
            return
        try:
            self.state.flush()
        except sqlite3.Error as exc:
            raise OSError(f"its articles could not be recorded in {self.state.path}: {exc}"
                          ) from exc

    def feed_exporter_closed(self) -> None:
        assert self.state is not None and self.dataset is not None
        stats = self.crawler.stats
        if not self.dataset.exists():
            self.not_delivered()
            return
        seen = None
        if self.mode == "full" and stats is not None:
            seen = sum(int(stats.get_value(f"mpt/articles/{k}", 0))
                       for k in ("new", "changed", "unchanged"))
        # CoreStats set it at spider_closed, before the FeedExporter stored the feeds.
        reason = str(stats.get_value("finish_reason", "?")) if stats is not None else "?"
        short = [f"it ended early ({reason})"] if reason != "finished" else []
        short += [f"limited by {', '.join(self.limits)}"] if self.limits else []
        short += [f"{self.listing_failures} listing pages failed"] if self.listing_failures else []
        short += [f"{len(self.bounded)} listings stopped at a bound"] if self.bounded else []
        self.complete = not short
        if short:
            # A listing stopped at a bound gives up work no frontier holds (state.why_full).
            logger.warning("run %s is not complete: %s; %s", self.run_id, "; ".join(short),
                           "the next run walks every listing again" if self.bounded else
                           "the next run finishes its frontier first")
        try:
            settled = self.frontier.settled(self.state.staged_urls(self.run_id), self.failures,
                                            self.withdrawn)
            exported = self.state.commit_run(self.run_id, seen if seen is not None else -1,
                                             self.complete, self.failures,
                                             self.listed_dates, self.withdrawn, settled)
            self.frontier_left = self.frontier.left()
        except sqlite3.Error as exc:
            self.fail(f"could not commit run {self.run_id} to {self.state.path} ({exc}); "
                      f"{self.dataset} is complete and the next run records it")
            return
        self.committed = True
        # At once, before the manifest record: a run killed between its commit and its copy
        # leaves the newest copy without it (the next run's opening keeps it then,
        # copy_if_missed); the record and withdrawn.jsonl are not in the state, so they need
        # not be in the copy.
        self.keep_copy()
        try:
            if self.dataset.stat().st_size == 0:
                # Nothing exported (nothing new, or nothing could be fetched): the state and
                # the manifest have the run, no empty file stands for it.
                self.dataset.unlink()
        except OSError as exc:
            logger.error("could not remove the empty %s: %s", self.dataset, exc)
        record: dict[str, Any] = {"run_id": self.run_id,
                                  # the report names each run's site (with
                                  # MPT_ALLOW_BASE_URL_CHANGE a folder may hold several)
                                  "base_url": getattr(self.crawler.spider, "base_url", None),
                                  "file": self.dataset.name if self.dataset.exists() else None,
                                  "mode": self.mode, "exported": exported, "finished": _utc(),
                                  "finish_reason": reason, "complete": self.complete}
        if interrupted(reason):
            record["interrupted"] = True
        if self.limits:
            record["limits"] = self.limits
        if self.parquet is not None and self.parquet.exists():
            record["parquet"] = self.parquet.name
        if self.withdrawn:
            record["withdrawn"] = len(self.withdrawn)
        record["frontier"] = self.frontier_summary()
        try:
            # latest.json once the run is judged healthy (engine_stopped, after RunReport).
            self.record_run(record, latest=False)
            self.record = record
        except (OSError, DamagedManifest) as exc:
            self.fail(f"could not record run {self.run_id} in the manifest beside "
                      f"{self.dataset} ({exc}); the file and the state are complete; its "
                      f"record: {json.dumps(record)}")
        else:
            # The list is the state's, committed above: if it cannot be written, nothing of
            # the run is lost and its record is true; the next run writes it as it opens.
            try:
                self.write_withdrawn()
            except OSError as exc:
                self.fail(f"could not write {self.withdrawn_path()} ({exc}); run {self.run_id} "
                          "is delivered and recorded and its withdrawals are in the state: the "
                          "next run writes the list")
        if stats is not None:
            stats.set_value("mpt/exported", exported)
            stats.set_value("mpt/complete", self.complete)

    def withdrawn_path(self) -> Path:
        assert self.dataset is not None
        return self.dataset.parent / "withdrawn.jsonl"

    def write_withdrawn(self) -> None:
        """``withdrawn.jsonl`` as the state has it (cron/manifest.py); raises OSError."""
        assert self.state is not None
        write_withdrawn(self.withdrawn_path(), self.state.withdrawn_articles())

    def not_delivered(self) -> None:
        """The run's JSONL, its commit point, was not written (a full disk): nothing of the run
        is kept, so its other files go too (left, they would hold its articles a second time)
        and the state forgets its changes; the next run exports the same articles again. The
        crawl command exits with NOT_DELIVERED and this line."""
        assert self.state is not None and self.dataset is not None
        stats = self.crawler.stats
        why = stats.get_value(f"mpt/not_stored/{os.path.abspath(self.dataset)}") \
            if stats is not None else None
        line = (f"not delivered: {self.dataset} could not be written ({why or 'see the log'}); "
                f"nothing of run {self.run_id} was kept and the next run exports its articles "
                "again")
        logger.error(line)
        if stats is not None:
            stats.set_value("mpt/not_delivered", line)
        spider = self.crawler.spider
        try:
            Path(f"{self.dataset}.part").unlink(missing_ok=True)
            for path in self.remove_leftovers(getattr(spider, "name", "mpt"), self.run_id):
                logger.warning("removed %s of run %s, not delivered", path, self.run_id)
        except OSError as exc:
            # Left as it is, the run stays "running" in the state: the next run's recovery
            # removes what remains, as for a killed run.
            logger.error("could not remove the files of run %s: %s", self.run_id, exc)
            return
        try:
            self.state.abandon_run(self.run_id)
        except sqlite3.Error as exc:
            logger.error("could not record run %s as abandoned in %s (%s); the next run's "
                         "recovery does", self.run_id, self.state.path, exc)

    def frontier_summary(self) -> dict[str, Any]:
        """What this run carried over from earlier runs' frontier and what it leaves."""
        return {"carried": self.frontier.counts(self.frontier.carried),
                "left": self.frontier_left}

    def copy_if_missed(self) -> None:
        """Keep a copy of the state now if its newest copy lacks a run the state has committed:
        a run killed after its commit and before its own copy (cron/backup.py), or committed
        just now by recover(). Restored, that copy would have the next run export the run's
        articles again. A copy that cannot be read is replaced the same way (rotated, not
        removed)."""
        assert self.state is not None
        if self.crawler.settings.getint("MPT_STATE_BACKUPS", 3) <= 0:
            return
        newest = backup_path(self.state.path, 1)
        try:
            missing = runs_missing_from_copy(self.state.db, self.state.path)
        except sqlite3.Error as exc:
            logger.warning("could not read the copy %s (%s); a new copy is kept", newest, exc)
            self.keep_copy(after="the opening of this run")
            return
        if not missing:
            return
        if newest.exists():
            logger.warning("the copy %s lacks runs committed since it was kept (killed before "
                           "their own copy): %s; a copy is kept now", newest, ", ".join(missing))
        else:
            logger.warning("no copy of %s is kept though it has committed runs: %s; a copy is "
                           "kept now", self.state.path, ", ".join(missing))
        self.keep_copy(after=f"the commit of run {missing[-1]}")

    def keep_copy(self, after: str | None = None) -> None:
        """A copy of the state just committed, checked first: the newest of the rotated copies
        is the state after the last run that delivered (README: Restoring the state). Failing
        to take it loses nothing of this run, so it is logged, not a fault. ``after``: what
        the state was checked after (this run's commit by default)."""
        assert self.state is not None
        keep = self.crawler.settings.getint("MPT_STATE_BACKUPS", 3)
        try:
            problems = self.state.db.execute("PRAGMA quick_check").fetchall()
            if problems != [("ok",)]:
                self.fail(f"{self.state.path} failed its integrity check after "
                          f"{after or f'the commit of run {self.run_id}'} ({problems[0][0]}); "
                          "no copy of it was kept")
                return
            copy = keep_copy(self.state.db, self.state.path, keep)
        except (sqlite3.Error, OSError) as exc:
            logger.error("could not keep a copy of %s: %s", self.state.path, exc)
            return
        if copy is not None:
            logger.info("kept a copy of the state in %s (%d kept)", copy, keep)

    def fail(self, line: str) -> None:
        """The run's delivery could not be recorded: the crawl command exits with STATE_FAULT."""
        self.fault = line
        logger.error(line)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("mpt/fault", line)

    def engine_stopped(self) -> None:
        # After RunReport's verdict: latest.json names the newest healthy run with output, so
        # that a run that fetched nothing or failed its health check never replaces it.
        stats = self.crawler.stats
        record = self.record
        if record is not None and record["file"] and record["exported"] and stats is not None \
                and stats.get_value("mpt/health") == "ok":
            try:
                self.write_latest({**record, "health": "ok"})
            except OSError as exc:
                self.fail(f"could not name run {self.run_id} in latest.json beside "
                          f"{self.dataset} ({exc}); the run is in the manifest")
        if self.state is not None:
            self.state.close()
        if self.lock is not None:
            self.lock.release()


class RunReport:
    """The end-of-run summary and health verdict (see the module's docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = dt.datetime.now(dt.UTC)
        self.history: list[int] = []
        self.closed: tuple[MptSpider, str] | None = None
        self.bounds: list[str] = []  # "<url>: <why>" of each listing stopped at a bound
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.page_failed, signal=page_failed)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunReport:
        return cls(crawler)

    def spider_opened(self, spider: MptSpider) -> None:
        runs = getattr(self.crawler, "mpt_runs", None)
        if runs is not None and runs.state is not None:
            self.history = [n for n in runs.state.history() if n >= 0]

    def page_failed(self, url: str, kind: str, reason: str, detail: str,
                    attempts: int | None = None, listed_date: str | None = None) -> None:
        if reason == "listing_bound":
            self.bounds.append(f"{detail} at {url}")

    def summary(self, spider: MptSpider, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats
        assert stats is not None
        values: dict[str, Any] = stats.get_stats()
        runs = getattr(self.crawler, "mpt_runs", None)

        def count(prefix: str) -> dict[str, int]:
            return {k[len(prefix):]: int(v) for k, v in sorted(values.items())
                    if k.startswith(prefix) and isinstance(v, int)}

        finished = dt.datetime.now(dt.UTC)
        failures = count("mpt/failures/")
        parsed = sum(count("mpt/articles/era_").values()) + int(
            values.get("mpt/extraction/fallback", 0))
        return {
            "run_id": getattr(spider, "run_id", None),
            "base_url": getattr(spider, "base_url", None),
            "mode": runs.mode if runs else "ad hoc",
            "finish_reason": reason,
            # Stopped before its end (SIGTERM, Ctrl-C): exit status 4.
            "interrupted": interrupted(reason),
            # A cron run that walked every listing to its end, unlimited and without a lost
            # listing page; otherwise the next run is a full one. None: not committed, ad hoc.
            "complete": runs.complete if runs else None,
            "limits": runs.limits if runs else [],
            # Work earlier runs left that this one began with, and what is left after it
            # (listing pages, articles; left: None when the run was not committed).
            "frontier": runs.frontier_summary() if runs else None,
            "started": _utc(self.started),
            "finished": _utc(finished),
            "duration_s": round((finished - self.started).total_seconds(), 1),
            "pages_fetched": int(values.get("downloader/response_count", 0)),
            "listing_pages": sum(count("mpt/listing_pages/").values()),
            # Requests sent by kind; "article" without the /node/NID twins counted apart.
            "requests": {kind: n - (count("mpt/requests/").get("twin", 0)
                                    if kind == "article" else 0)
                         for kind, n in count("mpt/requests/").items()},
            "articles": {
                "parsed": parsed,
                "new": int(values.get("mpt/articles/new", 0)),
                "changed": int(values.get("mpt/articles/changed", 0)),
                "unchanged": int(values.get("mpt/articles/unchanged", 0)),
                "exported": int(values.get("item_scraped_count", 0)),
            },
            "failures": failures,
            # What an incremental run read in the sitemap and did with it (cron/sitemap.py).
            "sitemap": count("mpt/sitemap/"),
            "fallbacks": int(values.get("mpt/extraction/fallback", 0)),
            "invalid": int(values.get("mpt/dropped/invalid", 0)),
            "dates_unparsed": int(values.get("mpt/published/unparsed", 0)),
            "date_disagreements": int(values.get("mpt/published/url_date_mismatch", 0)),
            # Which Drupal evidence each field came from: a redesign shows as a shift here
            # before anything is lost (parsers/drupal.py).
            "evidence": count("mpt/evidence/"),
            "feeds_not_stored": count("feedexport/failed_count/"),
            # Listings stopped at MPT_MAX_LISTING_PAGES or MPT_MAX_LINKS_PER_PAGE.
            "bounds": self.bounds,
            # None also when the run exported nothing (no empty JSONL is kept).
            "file": str(runs.dataset) if runs and runs.committed and runs.dataset.exists()
            else None,
            "fault": runs.fault if runs else None,
        }

    def verdict(self, summary: dict[str, Any]) -> list[str]:
        settings = self.crawler.settings
        reasons = []
        articles = summary["articles"]
        article_failures = sum(v for k, v in summary["failures"].items()
                               if k not in ("empty_listing", "listing_bound"))
        attempted = articles["parsed"] + article_failures - summary["invalid"]
        if summary["listing_pages"] == 0:
            reasons.append("no listing page could be fetched")
        if summary["mode"] == "full" and articles["parsed"] + articles["unchanged"] == 0:
            reasons.append("no article on a full crawl")
        missing = summary["invalid"] + summary["fallbacks"]
        limit = settings.getfloat("MPT_HEALTH_MAX_MISSING_SHARE", 0.02)
        if attempted and missing / attempted > limit:
            reasons.append(f"{missing} of {attempted} articles lacked a title, date or body or "
                           f"needed the fallback extractor (over {limit:.0%}): a redesign?")
        limit = settings.getfloat("MPT_HEALTH_MAX_FAILURE_SHARE", 0.05)
        if attempted and article_failures / attempted > limit:
            reasons.append(f"{article_failures} of {attempted} pages failed (over {limit:.0%}): "
                           + ", ".join(f"{k} {v}" for k, v in summary["failures"].items()))
        if summary["bounds"]:
            more = len(summary["bounds"]) - 1
            reasons.append(summary["bounds"][0] + (f" (and {more} more)" if more else "")
                           + ": a pager that never ends, or a page stuffed with links?")
        if summary["feeds_not_stored"]:
            # Only a JSONL stored and committed is complete: on a full disk it may be the very
            # file that failed (then the crawl command says "not delivered" instead).
            kept = (f"the local JSONL {Path(summary['file']).name} is complete"
                    if summary["file"] else "the run's JSONL was not written either")
            reasons.append("feeds not stored: " + ", ".join(
                f"{storage} {n}" for storage, n in summary["feeds_not_stored"].items())
                + f" (see the log; {kept})")
        share = settings.getfloat("MPT_HEALTH_MIN_SHARE_OF_RECENT", 0.5)
        seen = articles["new"] + articles["changed"] + articles["unchanged"]
        # Not for a run that was stopped or limited: it saw less by design, and says so.
        if summary["mode"] == "full" and len(self.history) >= 3 and not summary["limits"] \
                and not summary["interrupted"]:
            usual = statistics.median(self.history)
            if seen < share * usual:
                reasons.append(f"saw {seen} articles where recent full runs saw {usual:.0f}")
        return reasons

    def spider_closed(self, spider: MptSpider, reason: str) -> None:
        # Only for a walk of the listings (MptSpider.start), not for Scrapy's debugging tools
        # (`parse`, `check`, or `fetch` and `shell` with a spider of their own): they fetch pages
        # of their own choosing, never walk the listings, and a verdict on that is noise.
        if getattr(spider, "walking", False):
            self.closed = (spider, reason)

    def engine_stopped(self) -> None:
        # Not at spider_closed: the feeds are stored (uploaded, for S3) by Scrapy's own
        # spider_closed handler, and whether they were is part of the verdict.
        if self.closed is not None:
            self.report(*self.closed)

    def report(self, spider: MptSpider, reason: str) -> None:
        summary = self.summary(spider, reason)
        problems = self.verdict(summary)
        summary["health"] = "unhealthy" if problems else "ok"
        summary["problems"] = problems
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("mpt/health", summary["health"])
            if problems:
                stats.set_value("mpt/health/reason", "; ".join(problems))
        a = summary["articles"]
        lines = [
            f"run {summary['run_id']} ({summary['mode']}) of {summary['base_url']}: "
            f"{summary['health'].upper()} in {summary['duration_s']} s",
            f"  pages fetched {summary['pages_fetched']}, listing pages {summary['listing_pages']}",
            f"  articles: new {a['new']}, changed {a['changed']}, unchanged {a['unchanged']}, "
            f"exported {a['exported']}",
            "  failures: " + (", ".join(f"{kind} {n}" for kind, n in summary["failures"].items())
                              or "none")
            + f"; fallbacks {summary['fallbacks']}; "
            f"dates not parsed {summary['dates_unparsed']}",
            *([f"  frontier: carried over {f['carried']['listing_pages']} listing pages and "
               f"{f['carried']['articles']} articles; left "
               + (f"{f['left']['listing_pages']} listing pages and {f['left']['articles']} "
                  "articles" if f["left"] is not None else "as it was")]
              if (f := summary["frontier"]) is not None else []),
            *([f"  not complete (finish reason {reason}"
               + "".join(f", {limit}" for limit in summary["limits"])
               + "): the next run " + ("walks every listing again"
                                       if summary["failures"].get("listing_bound") else
                                       "finishes its frontier first")]
              if summary["complete"] is False else []),
            *(f"  problem: {p}" for p in problems),
        ]
        logger.log(logging.WARNING if problems else logging.INFO, "\n".join(lines))
        runs = getattr(self.crawler, "mpt_runs", None)
        if runs is not None and runs.dataset is not None:
            path = run_file(self.crawler.settings.get("MPT_SUMMARY_URI"), spider)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(path, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
            except OSError as exc:  # a full disk: the log has the summary; the exit status stays
                logger.error("could not write the summary %s: %s", path, exc)
                # not only missing: under a file where its folder should be, unlink raises too
                with contextlib.suppress(OSError):
                    Path(f"{path}.part").unlink()
