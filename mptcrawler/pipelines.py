"""Item pipelines: small single-purpose steps, each tested by calling ``process_item`` directly.

Order (``ITEM_PIPELINES``): DropDuplicates → ExtractAttribution → StripMarkup →
NormalisePublished → CollectDatesMentioned → ValidateItem → TrackRevisions (cron runs only:
``revision``, ``previous_urls``, unchanged articles dropped). Each step touches only its fields.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sqlite3
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema
from scrapy.exceptions import DropItem

from .attribution import split_attribution
from .dates import find_dates, parse_date
from .items import SCHEMA_VERSION, Article, content_hash, exported
from .markdown import html_to_markdown
from .text import html_to_text

if TYPE_CHECKING:  # imported for the annotations only: mptcrawler-reextract starts without them
    from jsonschema import Draft202012Validator
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DuplicateArticle(DropItem):
    """The article was already exported in this run (same URL, or same node id and language).
    Not a failure."""


class InvalidArticle(DropItem):
    """The item does not validate against the schema; the reason names the field."""


class _Step:
    """Base of the steps: keeps the crawler's stats (a fresh collector when tested alone)."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler.stats)

    def inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


class DropDuplicates(_Step):
    """Drops an article whose URL, or node id in the same language, was already seen in this
    run: an article is a node in one language, so translations (Drupal 8+ keeps one node id
    for all of them) are never duplicates of each other."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        super().__init__(stats)
        self.urls: set[str] = set()
        self.node_ids: set[tuple[int, str]] = set()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        key = None if item.node_id is None else (item.node_id, item.lang)
        if item.url in self.urls or (key is not None and key in self.node_ids):
            self.inc("mpt/dropped/duplicate")
            raise DuplicateArticle(f"duplicate of an article already exported: {item.url}")
        self.urls.add(item.url)
        if key is not None:
            self.node_ids.add(key)
        return item


class ExtractAttribution(_Step):
    """Moves the body's attributions into ``sources``/``source`` and ``photo_credit``."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or item.body_html is None:
            return item
        found = split_attribution(item.body_html, item.url)
        item.body_html = found.body_html
        item.sources = [s.as_dict() for s in found.sources]
        item.source = ({k: v for k, v in item.sources[0].items() if k != "kind"}
                       if item.sources else None)
        item.photo_credit = found.photo_credit.as_dict() if found.photo_credit else None
        self.inc("mpt/source/found" if found.sources else "mpt/source/none")
        return item


class StripMarkup(_Step):
    """``body_html`` → ``text`` (plain, for analysis) and ``markdown`` (for documents)."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or item.body_html is None:
            return item
        item.text = html_to_text(item.body_html)
        item.markdown = html_to_markdown(item.body_html, item.url)
        return item


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


_SHOWS_TIME = re.compile(r"\d:\d\d")
_SLASHED = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


class NormalisePublished(_Step):
    """``published_raw`` → ``published`` (ISO 8601, Europe/Minsk), checked against the URL date.

    The page's date field wins over the era-B URL date; a disagreement is logged and counted,
    never silently resolved the other way.
    """

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or item.published_raw is None:
            return item
        value = parse_date(item.published_raw, item.lang)
        if value is None and item.lang != "ru":
            value = parse_date(item.published_raw, "ru")  # the date widget is often Russian
        value = self.check_structured(item, value)
        if value is None:
            self.inc("mpt/published/unparsed")
            logger.warning("unparsed date %r on %s", item.published_raw, item.url)
            return item  # ValidateItem drops it with the reason
        item.published = _iso(value)
        day = _day(value)
        if item.url_date is not None and item.url_date != day.isoformat():
            self.inc("mpt/published/url_date_mismatch")
            logger.warning("date field %s disagrees with the URL date %s on %s; keeping the field",
                           day, item.url_date, item.url)
        return item

    def check_structured(self, item: Article, shown: dt.date | dt.datetime | None
                         ) -> dt.date | dt.datetime | None:
        """The shown date checked against the page's machine-readable one (a ``time``'s
        ``datetime``, RDF ``content``, metatag): a shown date that cannot be read takes the
        machine-readable one at the precision shown; a slashed date whose day and month are
        ambiguous (Drupal's ``m/d/Y``, or a site's ``d/m/Y``) is read the way that agrees;
        any other disagreement is logged and counted, and the shown date stays."""
        structured = parse_date(item.structured_date, "en") if item.structured_date else None
        if structured is None:
            return shown
        raw = item.published_raw or ""
        if shown is None:
            self.inc("mpt/published/from_structured")
            if isinstance(structured, dt.datetime) and not _SHOWS_TIME.search(raw):
                return structured.date()
            return structured
        if _day(shown) == _day(structured):
            return shown
        if _SLASHED.search(raw) and shown.day <= 12:
            swapped = shown.replace(month=shown.day, day=shown.month)
            if _day(swapped) == _day(structured):
                self.inc("mpt/published/day_month_order")
                return swapped
        self.inc("mpt/published/structured_mismatch")
        logger.warning("shown date %s disagrees with the page's machine-readable date %s on %s; "
                       "keeping the shown date", _day(shown), item.structured_date, item.url)
        return shown


class CollectDatesMentioned(_Step):
    """Dates written in ``text``; year-less ones resolved against the publication date."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article) or item.text is None:
            return item
        base = dt.date.fromisoformat(item.published[:10]) if item.published else None
        item.dates_mentioned = [m.as_dict() for m in find_dates(item.text, item.lang, base)]
        return item


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of an exported item, shipped in the package under its version."""
    text = (resources.files("mptcrawler") / "schema" / f"article-{SCHEMA_VERSION}.schema.json"
            ).read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


@cache
def _validator() -> Draft202012Validator:
    # Imported here: jsonschema only judges an item fastjsonschema refused (rare), and its
    # import is ~8 % of re-extraction's start-up, which bounds what --jobs 2 gains.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _fast_check() -> Callable[[dict[str, Any]], Any]:
    # The same schema compiled to Python code by fastjsonschema: 0.02 ms an item against
    # jsonschema's 0.33 (3,000 replica items), a sixth of the parse + pipelines path. Its
    # keywords here (type, required, properties, additionalProperties, items, maxItems,
    # minLength, minimum, enum, pattern with re.search; no formats, no defaults) mean the
    # same in both; jsonschema stays the judge of anything fastjsonschema refuses.
    return fastjsonschema.compile(schema(), use_default=False, use_formats=False)


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Why ``record`` (an exported item) does not validate; empty when it does."""
    try:
        _fast_check()(record)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # the messages, and the verdict, are jsonschema's
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}"
        for e in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    ]


class ValidateItem(_Step):
    """Drops an item that does not validate against the schema, with the reason."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        errors = validation_errors(exported(item))
        if errors:
            self.inc("mpt/dropped/invalid")
            raise InvalidArticle(f"invalid item {item.url}: " + "; ".join(errors[:5]))
        self.inc("mpt/items/valid")
        return item


class OfflinePipelines:
    """The project's ``ITEM_PIPELINES``, in their order, without a crawl (fixture snapshots,
    re-extraction from archives). One instance keeps the steps' memory (duplicates)."""

    def __init__(self, stats: StatsCollector | None = None) -> None:
        from scrapy.utils.misc import load_object

        from . import settings

        self.steps = [load_object(path)(stats) for path, _ in
                      sorted(settings.ITEM_PIPELINES.items(), key=lambda kv: kv[1])]

    def process(self, item: Article) -> Article:
        """``item`` after every step; raises the DropItem of a step that drops it."""
        for step in self.steps:
            item = step.process_item(item)
        return item


def process_offline(item: Article, stats: StatsCollector | None = None) -> Article:
    """One item through a fresh chain of the project's pipelines."""
    return OfflinePipelines(stats).process(item)


class UnchangedArticle(DropItem):
    """Known from an earlier run with the same content: nothing to export. Not a failure."""


# New articles' content hashes are worked out this many at a time, not one per article: one
# per article, between the crawl's own work, a hash took ~60-100 us of CPU in a 3,000-article
# crawl against ~25 for the same items one after another (bench/call_times.py; BENCHMARKS.md,
# "Issue 16, twelfth session"), as the archive's records did (archive.RECORD_BATCH). At most
# this many items are held for it.
HASH_BATCH = 32


class LaterDigest:
    """The content hash of a new article, staged before it is worked out: its row needs it only
    when the state writes it (a new article has no earlier hash to compare). Worked out with
    its batch (:meth:`TrackRevisions.hash_waiting`) or, should the state write the row first,
    by SQLite asking for the value (``__conform__``). A hash that cannot be worked out (a bug:
    ValidateItem has checked every content field against the schema, whose values all encode)
    fails the state's write: the run's JSONL is then kept back (IncrementalRuns.before_delivery)
    and the run exits NOT_DELIVERED, its one line naming the article."""

    __slots__ = ("article", "digest", "error")

    def __init__(self, article: Article) -> None:
        self.article: Article | None = article
        self.digest: str | None = None
        self.error: Exception | None = None

    def resolve(self) -> None:
        if self.article is None:
            return
        try:
            self.digest = content_hash(self.article)
        except Exception as exc:
            if self.error is None:
                logger.error("could not work out the content hash of %s: %r", self.article.url,
                             exc)
            self.error = exc
            return
        self.article = None

    def __conform__(self, protocol: Any) -> str:
        self.resolve()
        if self.digest is None:
            assert self.article is not None
            # A sqlite3.Error, as the write's other failures: the JSONL is kept back for it
            raise sqlite3.DataError(f"no content hash of {self.article.url}: {self.error!r}")
        return self.digest


class TrackRevisions(_Step):
    """Numbers revisions against the state of earlier runs and drops unchanged articles.

    Works only when the run keeps state (``crawler.mpt_runs``, see runs.IncrementalRuns);
    what it decides is staged and becomes the new state only once the run's file is in place.
    """

    def __init__(self, stats: StatsCollector | None = None, crawler: Crawler | None = None
                 ) -> None:
        super().__init__(stats)
        self.crawler = crawler
        self.unhashed: list[LaterDigest] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrackRevisions:
        return cls(crawler.stats, crawler)

    def hash_waiting(self) -> None:
        waiting, self.unhashed = self.unhashed, []
        for digest in waiting:
            digest.resolve()

    def close_spider(self) -> None:
        # Before the JSONL's storage makes the state's rows durable (IncrementalRuns.
        # before_delivery): worked out here, the last batch's hashes are not left to SQLite.
        self.hash_waiting()

    @property
    def runs(self) -> Any:
        """The run's state (runs.IncrementalRuns), or None in ad-hoc runs."""
        return getattr(self.crawler, "mpt_runs", None) if self.crawler else None

    def process_item(self, item: Any) -> Any:
        runs = self.runs
        if not isinstance(item, Article) or runs is None:
            return item
        known = runs.state.known(item.url)
        moved_from = None
        if known is None and item.node_id is not None:
            # The same node in the same language at a new address (its alias changed): the
            # same article, a new revision, never a second article.
            known = runs.state.known_elsewhere(item.node_id, item.lang, item.url)
            moved_from = known.url if known is not None else None
        if known is None:
            if len(self.unhashed) >= HASH_BATCH:
                self.hash_waiting()
            later = LaterDigest(item)
            item.revision = 1
            runs.stage(item, later, 1, exported=True)
            self.unhashed.append(later)
            self.inc("mpt/articles/new")
            return item
        item.previous_urls = [*known.previous_urls, *([moved_from] if moved_from else [])]
        digest = content_hash(item)
        if known.content_hash == digest:
            runs.stage(item, digest, known.revision, exported=False)
            self.inc("mpt/articles/unchanged")
            raise UnchangedArticle(f"unchanged since revision {known.revision}: {item.url}")
        item.revision = known.revision + 1
        runs.stage(item, digest, item.revision, exported=True, previous_url=moved_from)
        self.inc("mpt/articles/changed")
        if moved_from:
            self.inc("mpt/articles/moved")
        return item
