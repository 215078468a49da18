"""Every argument and setting is checked before the first request (mptcrawler/arguments.py): a
bad or unknown one is one line on stderr and exit status 2, with no traceback and not one
request. The real `scrapy crawl mpt` against the replica, and the validators on their own."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from mptcrawler import settings as project_settings
from mptcrawler.arguments import UsageProblem, base_url, check_settings, parse_arguments
from mptcrawler.cron.exits import USAGE

from .conftest import Replica


def project() -> Settings:
    return Settings({k: getattr(project_settings, k) for k in dir(project_settings)
                     if k.isupper()})


@pytest.mark.parametrize(("spider_args", "settings", "line"), [
    (["langg=ru"], {}, "unknown argument -a langg=ru (did you mean lang?); the spider's "
                       "arguments are lang, since, until, max_pages, full, reset"),
    (["lang=de"], {}, "lang='de': expected 'all' or a comma list of ru, be, en"),
    (["max_pages=0"], {}, "max_pages='0': expected a whole number ≥ 1"),
    ([], {"MPT_RECHECK_DAYS": "abc"}, "MPT_RECHECK_DAYS='abc': expected a whole number ≥ 0"),
    ([], {"MPT_MAX_LISTING_PAGES": "0"},
     "MPT_MAX_LISTING_PAGES='0': expected a whole number ≥ 1"),
    ([], {"MPT_HEALTH_MAX_FAILURE_SHARE": "5"},
     "MPT_HEALTH_MAX_FAILURE_SHARE='5': expected a number ≥ 0 and ≤ 1"),
    ([], {"DOWNLOAD_DELAY": "soon"}, "DOWNLOAD_DELAY='soon': expected a number ≥ 0"),
    ([], {"MPT_INCREMENTAL": "perhaps"},
     "MPT_INCREMENTAL='perhaps': expected True or False, 1 or 0"),
    ([], {"MPT_BASE_URL": "{base}/?page=1"},
     "MPT_BASE_URL='{base}/?page=1': expected http:// or https://, a host and an optional "
     "port, not a query"),
])
def test_a_bad_argument_or_setting_is_one_line_and_status_2_before_any_request(
        spider_args: list[str], settings: dict[str, str], line: str, replica: Replica,
        tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-s", f"MPT_BASE_URL={replica.base_url}"]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value.format(base=replica.base_url)}"]
    for arg in spider_args:
        cmd += ["-a", arg]
    replica.reset_log()
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))
    assert done.returncode == USAGE == 2
    # One line and nothing else: not Scrapy's start-up banner, not a traceback.
    assert done.stderr.splitlines() == [
        f"mptcrawler: usage error: {line.format(base=replica.base_url)}"]
    assert replica.requested_paths() == []
    assert not (tmp_path / "data").exists()  # nothing created, not even the lock


def test_the_spider_arguments() -> None:
    args = parse_arguments({"lang": "be, en,be", "since": "2024-01-01", "max_pages": "3",
                            "full": "1", "_job": "abc123"})  # scrapyd passes its job id
    assert (args.langs, args.since, args.until, args.max_pages, args.full, args.reset) == (
        ("be", "en"), dt.date(2024, 1, 1), None, 3, True, False)
    assert parse_arguments({}).langs == ("ru",)
    with pytest.raises(UsageProblem, match=r"^unknown argument -a start_urls=x; the spider's"):
        parse_arguments({"start_urls": "x"})
    with pytest.raises(UsageProblem, match=r"since=2020-01-02 is after until=2020-01-01"):
        parse_arguments({"since": "2020-01-02", "until": "2020-01-01"})
    with pytest.raises(UsageProblem, match=r"^full='maybe': expected 1 or 0$"):
        parse_arguments({"full": "maybe"})


@pytest.mark.parametrize("good", [
    "https://mpt.gov.by", "https://mpt.gov.by/", "http://127.0.0.1:8800", "http://[::1]:8800",
    "https://минсвязи.бел", "HTTPS://MPT.GOV.BY:443",
])
def test_base_urls_that_are_accepted(good: str) -> None:
    assert base_url(good) == good.rstrip("/")


@pytest.mark.parametrize(("bad", "why"), [
    ("mpt.gov.by", r"MPT_BASE_URL='mpt.gov.by': expected http:// or https://, a host and an "
                   r"optional port$"),
    ("ftp://mpt.gov.by", r"optional port$"),
    ("https://mpt.gov.by/ru", r", not a path$"),
    ("https://mpt.gov.by?page=2", r", not a query$"),
    ("https://mpt.gov.by/?", r", not a query$"),
    ("https://mpt.gov.by#top", r", not a fragment$"),
    ("https://user:pw@mpt.gov.by", r", not a user name$"),
    ("https://mpt.gov.by:99999", r"\(Port out of range 0-65535\)$"),
    ("https://mpt.gov.by:http", r"\(Port could not be cast to integer value as 'http'\)$"),
    ("https://mpt.gov.by:", r"\(port empty\)$"),
    ("https://mpt.gov.by:0", r"\(port empty\)$"),
    ("https://mpt gov.by", r"\(host 'mpt gov.by'\)$"),
    ("https://-mpt.gov.by", r"\(host '-mpt.gov.by'\)$"),
    ("https://", r"optional port$"),
    ("", r"optional port$"),
])
def test_base_urls_that_are_refused(bad: str, why: str) -> None:
    with pytest.raises(UsageProblem, match=why):
        base_url(bad)


def test_the_project_settings_pass_and_each_kind_of_bad_one_is_named() -> None:
    settings = project()
    assert check_settings(settings) == "https://mpt.gov.by"
    cases = {
        "MPT_STATE_BACKUPS": ("-1", "MPT_STATE_BACKUPS='-1': expected a whole number ≥ 0"),
        "MPT_RETRY_BACKOFF": ("nan", "MPT_RETRY_BACKOFF='nan': expected a number ≥ 0"),
        "MPT_MAX_LINKS_PER_PAGE": ("1.5", "MPT_MAX_LINKS_PER_PAGE='1.5': expected a whole "
                                          "number ≥ 1"),
        "CLOSESPIDER_ITEMCOUNT": ("ten", "CLOSESPIDER_ITEMCOUNT='ten': expected a whole "
                                         "number ≥ 0"),
        "MPT_EXTRA_FEEDS": ("[1", "MPT_EXTRA_FEEDS='[1': expected a JSON object"),
        "MPT_STATE_PATH": ("", "MPT_STATE_PATH is empty"),
        "MPT_DATASET_URI": ("data/%(nme)s.jsonl", "MPT_DATASET_URI='data/%(nme)s.jsonl': only "
                                                  "%(name)s and %(run_id)s may be filled in"),
        "MPT_SUMMARY_URI": ("data/summary.json", "MPT_SUMMARY_URI='data/summary.json': "
                                                  "expected %(run_id)s in it"),
    }
    for name, (value, message) in cases.items():
        bad = project()
        bad.set(name, value, priority="cmdline")
        with pytest.raises(UsageProblem) as problem:
            check_settings(bad)
        assert str(problem.value).startswith(message), name
    optional = project()
    optional.set("MPT_WARC_URI", "", priority="cmdline")  # no archive: allowed
    check_settings(optional)
