"""The spider's arguments and the project's settings, checked before the first request.

The crawl command (mptcrawler/commands/crawl.py) calls :func:`parse_arguments` and
:func:`check_settings` before Scrapy builds anything: a bad value is one line on stderr and exit
status 2 (usage error), not a traceback, and never a run that starts and then fails quietly
(``MPT_RECHECK_DAYS=abc`` used to end in ``start_error`` with exit status 0). The spider calls
them again for runs built some other way (tests, scrapyd's runner goes through the command too).

Every ``-a`` argument must be one the spider knows: a misspelt one (``-a langg=ru``) used to be
ignored silently, and the run crawled something else than was asked.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from .urls import LANGUAGES

ARGUMENTS = ("lang", "since", "until", "max_pages", "full", "reset")
# scrapyd's own arguments: it passes the job id (and the egg version) as -a to every spider.
SCRAPYD_ARGUMENTS = ("_job", "_version")


class UsageProblem(ValueError):
    """A bad argument or setting; its message is the one line the operator sees."""


@dataclass(frozen=True)
class SpiderArguments:
    langs: tuple[str, ...] = ("ru",)
    since: dt.date | None = None
    until: dt.date | None = None
    max_pages: int | None = None
    full: bool = False
    reset: bool = False


def parse_languages(value: str) -> tuple[str, ...]:
    if value.strip() == "all":
        return LANGUAGES
    langs = tuple(dict.fromkeys(x.strip() for x in value.split(",") if x.strip()))
    unknown = [x for x in langs if x not in LANGUAGES]
    if not langs or unknown:
        choices = ", ".join(LANGUAGES)
        raise UsageProblem(f"lang={value!r}: expected 'all' or a comma list of {choices}")
    return langs


def parse_flag(value: str | bool | None, name: str) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    if value.strip().lower() in ("1", "true", "yes"):
        return True
    if value.strip().lower() in ("0", "false", "no", ""):
        return False
    raise UsageProblem(f"{name}={value!r}: expected 1 or 0")


def parse_day(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"{name}={value!r}: expected an ISO date such as 2022-01-31") from None


def parse_arguments(raw: Mapping[str, Any]) -> SpiderArguments:
    """The spider's ``-a name=value`` arguments, checked; raises :class:`UsageProblem`."""
    for name in raw:
        if name not in ARGUMENTS and name not in SCRAPYD_ARGUMENTS:
            close = difflib.get_close_matches(name, ARGUMENTS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageProblem(f"unknown argument -a {name}={raw[name]!s}{hint}; the spider's "
                               f"arguments are {', '.join(ARGUMENTS)}")
    since = parse_day(raw.get("since"), "since")
    until = parse_day(raw.get("until"), "until")
    if since and until and since > until:
        raise UsageProblem(f"since={since} is after until={until}")
    max_pages = raw.get("max_pages")
    if max_pages in (None, ""):
        pages = None
    elif str(max_pages).isdigit() and int(max_pages) > 0:
        pages = int(max_pages)
    else:
        raise UsageProblem(f"max_pages={max_pages!r}: expected a whole number ≥ 1")
    return SpiderArguments(parse_languages(raw.get("lang", "ru")), since, until, pages,
                           parse_flag(raw.get("full"), "full"),
                           parse_flag(raw.get("reset"), "reset"))


# --- settings ---------------------------------------------------------------------------------

_HOST = re.compile(r"(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*"
                   r"\.?")


def base_url(value: Any) -> str:
    """``MPT_BASE_URL``: ``http`` or ``https``, a host, an optional port, nothing else (a path,
    a query or a fragment would be glued to every URL fetched: front pages stored as articles).
    Returns it without a trailing slash."""
    text = str(value or "").strip()
    base = text.rstrip("/")
    problem = f"MPT_BASE_URL={text!r}: expected http:// or https://, a host and an optional port"
    try:
        parts = urlsplit(base)
        port = parts.port
    except ValueError as exc:  # a port out of range or not a number, a broken IPv6 host
        raise UsageProblem(f"{problem} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageProblem(problem)
    extra = [what for what, there in (("a path", parts.path not in ("", "/")),
                                      ("a query", parts.query or "?" in base),
                                      ("a fragment", parts.fragment or "#" in base),
                                      ("a user name", "@" in parts.netloc)) if there]
    if extra:
        raise UsageProblem(f"{problem}, not {' or '.join(extra)}")
    host = parts.hostname
    if parts.netloc.endswith(":") or port == 0:
        raise UsageProblem(f"{problem} (port {port or 'empty'})")
    if not host.startswith("[") and ":" not in host:
        try:
            ascii_host = host.encode("idna").decode("ascii")  # минсвязи.бел is a host too
        except UnicodeError:
            raise UsageProblem(f"{problem} (host {host!r})") from None
        if not _HOST.fullmatch(ascii_host):
            raise UsageProblem(f"{problem} (host {host!r})")
    return base


# name: (int or float, the least value allowed, the greatest or None). The project's settings
# and Scrapy's that settings.py changes or that the run reads itself (CLOSESPIDER_*).
NUMBERS: dict[str, tuple[type, float, float | None]] = {
    "MPT_RECHECK_DAYS": (int, 0, None),
    "MPT_REVALIDATE_DAYS": (int, 0, None),
    "MPT_SITEMAP_MAX_URLS": (int, 1, None),
    "MPT_SITEMAP_SLACK_HOURS": (float, 0, None),
    "MPT_SITEMAP_REVALIDATE_DAYS": (int, 0, None),
    "MPT_STATE_BACKUPS": (int, 0, None),
    "MPT_MAX_LISTING_PAGES": (int, 1, None),
    "MPT_MAX_LINKS_PER_PAGE": (int, 1, None),
    "MPT_LISTING_RETRY_TIMES": (int, 0, None),
    "MPT_RETRY_BACKOFF": (float, 0, None),
    "MPT_RETRY_MAX_WAIT": (float, 0, None),
    "MPT_HEALTH_MAX_MISSING_SHARE": (float, 0, 1),
    "MPT_HEALTH_MAX_FAILURE_SHARE": (float, 0, 1),
    "MPT_HEALTH_MIN_SHARE_OF_RECENT": (float, 0, 1),
    "DOWNLOAD_DELAY": (float, 0, None),
    "DOWNLOAD_TIMEOUT": (float, 0, None),
    "DOWNLOAD_MAXSIZE": (int, 0, None),
    "DOWNLOAD_WARNSIZE": (int, 0, None),
    "CONCURRENT_REQUESTS": (int, 1, None),
    "CONCURRENT_REQUESTS_PER_DOMAIN": (int, 1, None),
    "CONCURRENT_ITEMS": (int, 1, None),
    "AUTOTHROTTLE_START_DELAY": (float, 0, None),
    "AUTOTHROTTLE_MAX_DELAY": (float, 0, None),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": (float, 0, None),
    "RETRY_TIMES": (int, 0, None),
    "CLOSESPIDER_TIMEOUT": (float, 0, None),
    "CLOSESPIDER_TIMEOUT_NO_ITEM": (float, 0, None),
    "CLOSESPIDER_ITEMCOUNT": (int, 0, None),
    "CLOSESPIDER_PAGECOUNT": (int, 0, None),
    "CLOSESPIDER_PAGECOUNT_NO_ITEM": (int, 0, None),
    "CLOSESPIDER_ERRORCOUNT": (int, 0, None),
}
FLAGS = ("MPT_INCREMENTAL", "MPT_SITEMAP", "MPT_ALLOW_BASE_URL_CHANGE", "MPT_ROBOTS_CRAWL_DELAY",
         "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "HTTPCACHE_ENABLED", "RANDOMIZE_DOWNLOAD_DELAY")
DICTS = ("MPT_FEEDS", "MPT_EXTRA_FEEDS")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# Run file templates: (name, must it name the run?) — a dataset or summary without %(run_id)s
# would be overwritten by the next run.
TEMPLATES = (("MPT_DATASET_URI", True), ("MPT_SUMMARY_URI", True), ("MPT_PARQUET_URI", False),
             ("MPT_FAILURES_URI", False), ("MPT_WARC_URI", False))


def _number(settings: BaseSettings, name: str, kind: type, least: float,
            most: float | None) -> None:
    value = settings.get(name)
    if value is None:
        return
    what = "a whole number" if kind is int else "a number"
    bounds = f" ≥ {least:g}" + (f" and ≤ {most:g}" if most is not None else "")
    try:
        number = settings.getint(name) if kind is int else settings.getfloat(name)
    except (TypeError, ValueError):
        raise UsageProblem(f"{name}={value!r}: expected {what}{bounds}") from None
    if isinstance(value, bool) or not math.isfinite(number) or number < least or (
            most is not None and number > most):
        raise UsageProblem(f"{name}={value!r}: expected {what}{bounds}")


def check_paths(settings: BaseSettings) -> None:
    """``LOG_FILE``'s folder must exist and be writable, and ``JOBDIR`` (made if missing) be
    writable, or Scrapy fails while starting, with a traceback and exit status 1."""
    log_file = settings.get("LOG_FILE")
    if log_file:
        folder = os.path.dirname(os.path.abspath(str(log_file)))
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
            raise UsageProblem(f"LOG_FILE={log_file!r}: its folder {folder} does not exist or "
                               "is not writable")
    jobdir = settings.get("JOBDIR")
    if jobdir:
        nearest = os.path.abspath(str(jobdir))
        while not os.path.exists(nearest):
            nearest = os.path.dirname(nearest)
        if not os.path.isdir(nearest) or not os.access(nearest, os.W_OK):
            raise UsageProblem(f"JOBDIR={jobdir!r}: {nearest} is not a writable folder")


def check_settings(settings: BaseSettings) -> str:
    """Every setting the run reads, checked; returns the base URL without its trailing slash.
    Raises :class:`UsageProblem` with one line naming the setting and what it expects."""
    base = base_url(settings.get("MPT_BASE_URL", "https://mpt.gov.by"))
    for name, (kind, least, most) in NUMBERS.items():
        _number(settings, name, kind, least, most)
    level = settings.get("LOG_LEVEL")
    if level is not None and not (isinstance(level, int) or str(level) in LOG_LEVELS):
        # Scrapy would fail while setting up its logging, with a traceback and exit status 1.
        raise UsageProblem(f"LOG_LEVEL={level!r}: expected one of {', '.join(LOG_LEVELS)}")
    for name in FLAGS:
        try:
            settings.getbool(name)
        except ValueError:
            raise UsageProblem(f"{name}={settings.get(name)!r}: expected True or False, "
                               "1 or 0") from None
    for name in DICTS:
        try:
            settings.getdict(name)
        except (TypeError, ValueError):
            raise UsageProblem(f"{name}={settings.get(name)!r}: expected a JSON object, "
                               '{"uri": {"format": …}}') from None
    # None: not set at all (a test's bare crawler); the run then uses its own default.
    if settings.get("MPT_STATE_PATH") is not None and not str(settings["MPT_STATE_PATH"]).strip():
        raise UsageProblem("MPT_STATE_PATH is empty: expected the state database's path")
    for name, required in TEMPLATES:
        template = settings.get(name)
        if template is None:
            continue
        if not template:
            if required:
                raise UsageProblem(f"{name} is empty: expected a path with %(run_id)s")
            continue
        try:
            str(template) % {"name": "mpt", "run_id": "20260101T000000.000000Z"}
        except (KeyError, ValueError, TypeError) as exc:
            raise UsageProblem(f"{name}={template!r}: only %(name)s and %(run_id)s may be "
                               f"filled in ({type(exc).__name__}: {exc})") from None
        if required and "%(run_id)s" not in str(template):
            raise UsageProblem(f"{name}={template!r}: expected %(run_id)s in it, or every run "
                               "overwrites the last one's file")
    return base
