"""A listing cannot make a run go on for ever: past MPT_MAX_LISTING_PAGES pages or
MPT_MAX_LINKS_PER_PAGE links on a page the run stops that listing, records it, exits unhealthy
(status 3) with one line, and is not complete, so the next run walks every listing again and
nothing is lost. The real `scrapy crawl mpt` against a replica whose pager never ends
(`mptcrawler-replica serve --endless-pager`)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from mptcrawler.cron.exits import UNHEALTHY
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server

from .conftest import run_cron
from .test_completeness import delivered, manifest

ARTICLES, SEED = 120, 8


def listing_pages(requests: list[str]) -> Counter[str]:
    """News listing pages asked for, per language."""
    return Counter(m.group(1) for path in requests
                   if (m := re.fullmatch(r"/(ru|be|en)/news(\?page=\d+)?", path)))


@pytest.mark.parametrize(("endless", "bound", "line"), [
    (True, {"MPT_MAX_LISTING_PAGES": "25"},
     "a next page after 25 pages (MPT_MAX_LISTING_PAGES=25)"),
    (False, {"MPT_MAX_LINKS_PER_PAGE": "5"},
     "links on one page, over MPT_MAX_LINKS_PER_PAGE=5"),
])
def test_a_listing_past_its_bound_is_stopped_unhealthy_and_the_next_run_completes(
        endless: bool, bound: dict[str, str], line: str, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    extra = ("--endless-pager",) if endless else ()
    proc, base = start_server(ARTICLES, SEED, tmp_path, log, extra=extra)
    try:
        bounded = run_cron(base, tmp_path, log, "lang=all", settings=bound)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    port = int(base.rsplit(":", 1)[1])  # the same base URL: the state is kept per base URL
    proc, base = start_server(ARTICLES, SEED, tmp_path, log, port=port)  # the site repaired
    try:
        after = run_cron(base, tmp_path, log, "lang=all")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert bounded.returncode == UNHEALTHY == 3, bounded.stderr_tail
    ours = [x for x in bounded.log.splitlines() if x.startswith("mptcrawler:")]
    assert len(ours) == 1 and ours[0].startswith("mptcrawler: unhealthy run: news listing "
                                                 "stopped: "), ours
    pages = listing_pages(bounded.requests)
    if endless:
        assert pages == {"ru": 25, "be": 25, "en": 25}  # and not one page more
    else:
        assert pages == {"ru": 1, "be": 1, "en": 1}  # the first page's 5 links, no next page
    data = tmp_path / "data"
    failures = [json.loads(x) for f in data.glob("*-failures.jsonl")
                for x in f.read_text(encoding="utf-8").splitlines()]
    stopped = sorted(re.sub(r"\?page=\d+", "", f["url"]) for f in failures
                     if f["reason"] == "listing_bound")
    news = [f"https://mpt.gov.by/{lang}/news" for lang in ("be", "en", "ru")]
    # Endless: each news listing at its 25th page. Five links: every listing whose first page
    # has more, the front page's 10 teasers included (this replica's /en/news has only 5).
    assert stopped == (news if endless else ["https://mpt.gov.by/", *news[:1], *news[2:]])
    more = len(stopped) - 1
    assert line in ours[0] and f"(and {more} more): a pager that never ends" in ours[0]
    first = manifest(data)[0]
    assert first["complete"] is False and "interrupted" not in first

    # The next run walks everything again: every article exactly once across the final files.
    assert after.returncode == 0, after.stderr_tail
    assert "a full run: no complete full crawl of this site yet" in after.log
    urls = delivered(data)
    assert set(urls) == {a.url for a in build_site(ARTICLES, SEED).articles}
    assert max(urls.values()) == 1
    assert manifest(data)[1]["complete"] is True
