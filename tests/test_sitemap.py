"""The sitemap in incremental runs (mptcrawler/cron/sitemap.py): reading hand-written sitemaps,
the plan drawn from them, and the real `scrapy crawl mpt` over HTTP against the replica in its
sitemap mode (`serve --sitemap`): the next day's run fetches what changed and little else."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
import sqlite3
from pathlib import Path

import pytest

from mptcrawler.cron.sitemap import (
    BrokenSitemap,
    parse_lastmod,
    plan,
    read_sitemap,
    unlisted_recent,
)
from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server
from mptcrawler.replica.server import route
from mptcrawler.state import Known

from .conftest import DENSE_ARTICLES, DENSE_SEED, DENSE_SPAN, CronRun, Server, run_cron

UTC = dt.UTC
MINSK = dt.timezone(dt.timedelta(hours=3))
CHUNK = 100  # links per sitemap chunk: a few hundred articles make an index of several

# As simple_sitemap writes it: no indentation, one element a line.
SIMPLE_SITEMAP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<?xml-stylesheet type="text/xsl" href="/sitemap_generator/default/sitemap.xsl"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    b'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    b"<url><loc>https://mpt.gov.by/ru/glava-minsvyazi-pozdravlyaet</loc>"
    b'<xhtml:link rel="alternate" hreflang="ru" '
    b'href="https://mpt.gov.by/ru/glava-minsvyazi-pozdravlyaet"/>'
    b'<xhtml:link rel="alternate" hreflang="be" href="https://mpt.gov.by/be/kiraunik"/>'
    b"<lastmod>2024-04-15T10:11:12+03:00</lastmod><changefreq>weekly</changefreq>"
    b"<priority>0.5</priority></url>\n"
    b"<url><loc>https://mpt.gov.by/be/kiraunik</loc><lastmod>2024-04-16</lastmod></url>\n"
    b"<url><loc>https://mpt.gov.by/ru/news/01-11-2022-8143</loc></url>\n"
    b"</urlset>\n")

XMLSITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://mpt.gov.by/sitemap.xml?page=1</loc><lastmod>2026-11-20T07:15:00+00:00</lastmod></sitemap>
<sitemap><loc>https://mpt.gov.by/sitemap.xml?page=2</loc></sitemap>
</sitemapindex>"""


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-04-15T10:11:12+03:00", dt.datetime(2024, 4, 15, 7, 11, 12, tzinfo=UTC)),
    ("2026-11-20T07:15:00+00:00", dt.datetime(2026, 11, 20, 7, 15, tzinfo=UTC)),
    ("2026-11-20T07:15Z", dt.datetime(2026, 11, 20, 7, 15, tzinfo=UTC)),
    # no zone with a time: read at UTC−12, the latest it can mean
    ("2026-11-20T07:15:00", dt.datetime(2026, 11, 20, 19, 15, tzinfo=UTC)),
    # a date, a month, a year: the end of it at UTC−12 (noon UTC the day after)
    ("2024-04-16", dt.datetime(2024, 4, 17, 12, tzinfo=UTC)),
    ("2024-12-31", dt.datetime(2025, 1, 1, 12, tzinfo=UTC)),
    ("2024-04", dt.datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("2024", dt.datetime(2025, 1, 1, 12, tzinfo=UTC)),
    (" 2024-04-16 ", dt.datetime(2024, 4, 17, 12, tzinfo=UTC)),
    ("", None), (None, None), ("вчера", None), ("2024-13-01", None), ("2024-02-30", None),
    ("16.04.2024", None), ("2024-04-16T25:00:00+03:00", None),
])
def test_lastmod_in_w3c_datetime(text: str | None, expected: dt.datetime | None) -> None:
    assert parse_lastmod(text) == expected


def test_a_simple_sitemap_urlset_gives_its_urls_and_dates() -> None:
    kind, entries = read_sitemap(SIMPLE_SITEMAP)
    assert kind == "urlset"
    assert [(e.loc, e.lastmod) for e in entries] == [
        ("https://mpt.gov.by/ru/glava-minsvyazi-pozdravlyaet",
         dt.datetime(2024, 4, 15, 10, 11, 12, tzinfo=MINSK)),
        ("https://mpt.gov.by/be/kiraunik", dt.datetime(2024, 4, 17, 12, tzinfo=UTC)),
        ("https://mpt.gov.by/ru/news/01-11-2022-8143", None),
    ]


def test_a_sitemap_index_gives_its_sitemaps_and_gzip_is_read() -> None:
    for body in (XMLSITEMAP_INDEX, gzip.compress(XMLSITEMAP_INDEX)):
        kind, entries = read_sitemap(body)
        assert kind == "sitemapindex"
        assert [(e.loc, e.lastmod) for e in entries] == [
            ("https://mpt.gov.by/sitemap.xml?page=1",
             dt.datetime(2026, 11, 20, 7, 15, tzinfo=UTC)),
            ("https://mpt.gov.by/sitemap.xml?page=2", None)]


@pytest.mark.parametrize("body", [
    SIMPLE_SITEMAP[:len(SIMPLE_SITEMAP) // 2],  # cut off: lxml alone would read the first half
    SIMPLE_SITEMAP.rstrip()[:-1],  # the last character of the end tag missing
    b"<html><body><h1>Page not found</h1></body></html>",
    b"",
    b"\x1f\x8b" + b"not gzip at all" * 10,
    b"<rss version='2.0'><channel></channel></rss>",
    b"Service unavailable",
    b"\x00\x01 </urlset>",
])
def test_what_is_no_whole_sitemap_is_broken(body: bytes) -> None:
    with pytest.raises(BrokenSitemap):
        read_sitemap(body)


def _known(url: str) -> Known:
    return Known(url, None, "hash", 1, "2020-01-01", None, None)


def test_plan_sorts_the_state_against_the_sitemap() -> None:
    verified = dt.datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    slack = dt.timedelta(hours=24)
    edited, same, young, vanished, undated = (
        _known(f"https://mpt.gov.by/ru/{name}")
        for name in ("edited", "same", "young", "vanished", "undated"))
    listed = {
        edited.url: dt.datetime(2026, 11, 26, 9, 0, tzinfo=MINSK),  # after its verification
        same.url: dt.datetime(2024, 1, 1, tzinfo=UTC),
        young.url: dt.datetime(2026, 11, 24, 7, 0, tzinfo=UTC),  # 23 h before: within slack
        undated.url: None,
        "https://mpt.gov.by/ru/missed": dt.datetime(2020, 5, 1, tzinfo=UTC),
        "https://mpt.gov.by/ru/new": dt.datetime(2026, 11, 26, tzinfo=UTC),
    }
    live = [(a, verified) for a in (edited, same, young, vanished, undated)]
    found = plan(listed, live, slack)
    assert found.changed == [edited, young]
    assert found.covered == [same]
    assert found.vanished == [vanished, undated]  # no lastmod: as if not listed
    assert found.unknown == ["https://mpt.gov.by/ru/missed", "https://mpt.gov.by/ru/new"]
    # Without slack, the one verified an hour after its lastmod is covered.
    assert plan(listed, live, dt.timedelta(0)).changed == [edited]


def test_the_replica_lists_every_article_once_with_its_last_change() -> None:
    site = build_site(250, 2, edited_old=3, translations=True)
    site.sitemap, site.sitemap_chunk = "simple_sitemap", CHUNK
    changed_at = dt.datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
    site.changed_at = changed_at
    status, content_type, index = route(site, "/sitemap.xml")
    assert (status, content_type) == (200, "application/xml; charset=utf-8")
    assert "Sitemap: https://mpt.gov.by/sitemap.xml" in route(site, "/robots.txt")[2]
    kind, chunks = read_sitemap(index.encode())
    chunk_count = math.ceil((len(site.articles) + 1) / CHUNK)
    assert kind == "sitemapindex"
    assert [c.loc for c in chunks] == [f"https://mpt.gov.by/sitemap.xml?page={n}"
                                       for n in range(1, chunk_count + 1)]
    listed: dict[str, dt.datetime | None] = {}
    for n in range(1, chunk_count + 1):
        body = route(site, f"/sitemap.xml?page={n}")[2]
        for entry in read_sitemap(body.encode())[1]:
            assert entry.loc not in listed
            listed[entry.loc] = entry.lastmod
        assert "+03:00</lastmod>" in body  # simple_sitemap: date('c') in the site's zone
    assert route(site, f"/sitemap.xml?page={chunk_count + 1}")[0] == 404
    assert set(listed) == {a.url for a in site.articles} | {"https://mpt.gov.by/"}
    edited = [a for a in site.articles if a.edited]
    assert len(edited) == 3 and all(listed[a.url] == changed_at for a in edited)
    era_c = next(a for a in site.articles if a.era == "C" and not a.edited)
    assert listed[era_c.url] == era_c.utc_instant  # its publication: never edited
    # hreflang alternates of the translation set, the page itself included
    page = next(route(site, f"/sitemap.xml?page={n}")[2] for n in range(1, chunk_count + 1)
                if f"<loc>{site.members(era_c)[0].url}</loc>" in
                route(site, f"/sitemap.xml?page={n}")[2])
    for member in site.members(era_c):
        assert f'hreflang="{member.lang}" href="{member.url}"' in page
    site.sitemap = None
    assert route(site, "/sitemap.xml")[0] == 404
    assert "Sitemap:" not in route(site, "/robots.txt")[2]


# --- the real crawl -------------------------------------------------------------------------

ARTICLES, SEED = 200, 6
ADDED, EDITED_OLD, DELETED_OLD = 3, 4, 1


def _summary(workdir: Path) -> dict[str, object]:
    path = sorted((workdir / "data").glob("mpt-*-summary.json"))[-1]
    summary: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return summary


def _cron(base: str, workdir: Path, log: Path, **settings: str) -> tuple[CronRun, dict]:
    run = run_cron(base, workdir, log, "lang=all", settings=settings)
    assert run.returncode == 0, run.stderr_tail
    return run, _summary(workdir)


@pytest.mark.parametrize("style", ["simple_sitemap", "xmlsitemap"])
def test_the_next_day_fetches_by_the_sitemap_what_changed_and_little_else(
        tmp_path: Path, style: str) -> None:
    log = tmp_path / "access.log"
    proc, base = start_server(ARTICLES, SEED, tmp_path, log,
                              extra=("--sitemap", style, "--sitemap-chunk", str(CHUNK)))
    port = int(base.rsplit(":", 1)[1])
    try:
        first, summary = _cron(base, tmp_path, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert summary["mode"] == "full"
    assert "/sitemap.xml" not in first.requests  # a full crawl fetches everything anyway
    # An article the state lost (a run that missed it): only the sitemap can bring it back,
    # the incremental listing walk stops at known pages long before it.
    before = build_site(ARTICLES, SEED)
    missed = before.articles[len(before.articles) * 3 // 4]
    db = sqlite3.connect(tmp_path / "data" / "mpt-state.sqlite")
    with db:
        assert db.execute("DELETE FROM articles WHERE url = ?", (missed.url,)).rowcount == 1
    db.close()

    day = ("--sitemap", style, "--sitemap-chunk", str(CHUNK), "--added", str(ADDED),
           "--edited-old", str(EDITED_OLD), "--deleted-old", str(DELETED_OLD))
    after = build_site(ARTICLES, SEED, added=ADDED, edited_old=EDITED_OLD,
                       deleted_old=DELETED_OLD)
    truth = {a.url: a.truth() for a in after.articles}
    edited = sorted(a.url for a in after.articles if a.edited)
    deleted = sorted({a.url for a in before.articles} - set(truth))
    added = sorted(set(truth) - {a.url for a in before.articles})
    assert (len(edited), len(deleted), len(added)) == (EDITED_OLD, DELETED_OLD, ADDED)
    assert missed.url not in [*edited, *deleted]
    # All outside the 7-day re-check window: only the sitemap (or revalidation) sees them.
    newest = max(a.day for a in before.articles)
    assert all(after.by_path[u.removeprefix("https://mpt.gov.by")].day
               < newest - dt.timedelta(days=7) for u in edited)

    proc, base = start_server(ARTICLES, SEED, tmp_path, log, port=port, extra=day)
    try:
        second, summary = _cron(base, tmp_path, log)
        third, third_summary = _cron(base, tmp_path, log)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert summary["mode"] == "incremental"
    chunks = math.ceil((len(after.articles) + 1) / CHUNK)  # + the front page's entry
    sitemap = summary["sitemap"]
    assert isinstance(sitemap, dict)
    live = len(before.articles) - 1  # the one the state lost
    covered = live - len(edited) - len(deleted)
    net = math.ceil(covered / 365)  # MPT_SITEMAP_REVALIDATE_DAYS
    assert sitemap == {"listed": len(after.articles), "changed": len(edited),
                       "unknown": len(added) + 1, "vanished": len(deleted),
                       "vanished_rechecked": len(deleted), "safety_net": net}
    requests = summary["requests"]
    assert isinstance(requests, dict)
    assert requests["sitemap"] == 1 + chunks  # the index and its chunks
    assert requests["recheck"] == len(edited) + len(deleted) + net
    assert requests["article"] == len(added) + 1  # the new ones and the missed one
    assert requests["robots"] == 1
    paths = second.requests
    for url in [*edited, *deleted, missed.url]:
        assert paths.count(url.removeprefix("https://mpt.gov.by")) == 1, url
    # Nothing but listings, the sitemap, and the articles above (and the safety net's few).
    articles_asked = [p for p in paths if "/news?" not in p and not p.endswith("/news")
                      and not p.startswith(("/sitemap.xml", "/robots.txt"))]
    assert len(articles_asked) == len(edited) + len(deleted) + len(added) + 1 + net
    # The edits are new revisions with the new text; the new and the missed are revision 1.
    exported = {i["url"]: i for i in second.items}
    assert sorted(exported) == sorted([*edited, *added, missed.url])
    for url in edited:
        assert (exported[url]["revision"], exported[url]["text"]) == (2, truth[url]["text"])
    for url in [*added, missed.url]:
        assert (exported[url]["revision"], exported[url]["text"]) == (1, truth[url]["text"])
    # The deletion: re-checked (its 404 confirmed), then recorded; not on the sitemap's word.
    gone = [json.loads(line) for line in
            (tmp_path / "data" / "withdrawn.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(g["url"], g["status"]) for g in gone] == [(deleted[0], 404)]

    # The day after: nothing changed since verified; the withdrawn one is not asked again.
    assert third.items == []
    third_map = third_summary["sitemap"]
    assert isinstance(third_map, dict)
    # The edits were verified minutes after their lastmod, within MPT_SITEMAP_SLACK_HOURS:
    # asked once more, conditionally (304), then no more.
    assert (third_map["changed"], third_map["unknown"], third_map["vanished"]) == (
        len(edited), 0, 0)
    assert deleted[0].removeprefix("https://mpt.gov.by") not in third.requests


@pytest.mark.parametrize(("style", "settings", "next_day", "why"), [
    ("malformed", {}, (), "no closing urlset/sitemapindex tag"),
    ("missing", {}, (), "(http_404: HTTP 404)"),
    ("simple_sitemap", {"MPT_SITEMAP_MAX_URLS": "50"}, (), "over 50 URLs"),
    # The newest article deleted: a recent one missing from the sitemap, which is then taken
    # for stale (no slack: verified minutes ago counts as settled).
    ("simple_sitemap", {"MPT_SITEMAP_SLACK_HOURS": "0"}, ("--deleted", "1"),
     "stale or partial: 1 recent articles not listed"),
])
def test_a_broken_large_or_stale_sitemap_falls_back_to_rolling_revalidation(
        tmp_path: Path, style: str, settings: dict[str, str], next_day: tuple[str, ...],
        why: str) -> None:
    log = tmp_path / "access.log"
    articles = 120
    proc, base = start_server(articles, SEED, tmp_path, log, extra=("--sitemap", style))
    port = int(base.rsplit(":", 1)[1])
    try:
        _cron(base, tmp_path, log, **settings)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, base = start_server(articles, SEED, tmp_path, log, port=port,
                              extra=("--sitemap", style, *next_day))
    try:
        second, summary = _cron(base, tmp_path, log, **settings)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    warnings = [line for line in second.log.splitlines()
                if "WARNING" in line and "sitemap" in line]
    assert len(warnings) == 1, warnings
    assert why in warnings[0] and "falling back to rolling revalidation" in warnings[0]
    assert summary["sitemap"] == {"broken": 1}
    requests = summary["requests"]
    assert isinstance(requests, dict)
    # The rolling revalidation's share of the archive (MPT_REVALIDATE_DAYS=30), as without a
    # sitemap, and the recent re-checks of the 7-day window.
    recent = build_site(articles, SEED).articles[0].day - dt.timedelta(days=7)
    in_window = sum(a.day >= recent for a in build_site(articles, SEED).articles)
    assert requests["recheck"] == math.ceil(articles / 30) + in_window
    assert second.items == []
    if next_day:  # the deleted one, re-checked: its 404 confirmed and recorded
        gone = (tmp_path / "data" / "withdrawn.jsonl").read_text(encoding="utf-8")
        assert len(gone.splitlines()) == 1


def test_recent_articles_missing_from_the_sitemap_are_signs_of_a_stale_one() -> None:
    settled = dt.datetime(2026, 11, 24, tzinfo=UTC)
    old, fresh, listed_late = (_known(f"https://mpt.gov.by/ru/{n}")
                               for n in ("old", "fresh", "late"))
    verified = {old.url: dt.datetime(2026, 11, 1, tzinfo=UTC),
                fresh.url: dt.datetime(2026, 11, 23, tzinfo=UTC),
                listed_late.url: dt.datetime(2026, 11, 24, 6, tzinfo=UTC)}
    # old: not recent (a deletion deep in the archive is no sign); late: verified after the
    # moment a regenerated sitemap would have it
    assert unlisted_recent([old, fresh, listed_late], verified, {fresh.url, listed_late.url},
                           settled) == [fresh.url]


def test_a_renamed_article_moves_once_and_a_recent_deletion_is_confirmed(
        server: Server, tmp_path: Path) -> None:
    server.start("--sitemap")
    first = run_cron(server.base_url, tmp_path, server.log, "lang=all")
    assert first.returncode == 0, first.stderr_tail
    before = build_site(DENSE_ARTICLES, DENSE_SEED, span_days=DENSE_SPAN)
    after = build_site(DENSE_ARTICLES, DENSE_SEED, span_days=DENSE_SPAN, deleted=1, renamed=1)
    deleted = next(a for a in before.articles if a.path not in after.by_path
                   and a.path not in after.moved)
    old_path, new_path = next(iter(after.moved.items()))
    moved = after.by_path[new_path]

    server.start("--sitemap", "--deleted", "1", "--renamed", "1")
    second = run_cron(server.base_url, tmp_path, server.log, "lang=all")
    assert second.returncode == 0, second.stderr_tail
    summary = _summary(tmp_path)
    # The new alias is listed (news and sitemap) and read once; the old one, no longer in the
    # sitemap, is not asked for: this run has read its node already.
    assert [(i["url"], i["revision"], i["previous_urls"]) for i in second.items] == [
        (moved.url, 2, ["https://mpt.gov.by" + old_path])]
    assert old_path not in second.requests and second.requests.count(new_path) == 1
    requests = summary["requests"]
    assert isinstance(requests, dict) and "twin" not in requests
    # The deleted one left the sitemap: re-checked, and its 404 recorded.
    assert second.requests.count(deleted.path) == 1
    gone = [json.loads(line)["url"] for line in
            (tmp_path / "data" / "withdrawn.jsonl").read_text(encoding="utf-8").splitlines()]
    assert gone == [deleted.url]


def test_a_run_limited_by_since_does_not_read_the_sitemap(server: Server, tmp_path: Path) -> None:
    server.start("--sitemap")
    first = run_cron(server.base_url, tmp_path, server.log, "lang=all")
    assert first.returncode == 0, first.stderr_tail
    # its discoveries would carry no date to hold against `since`
    second = run_cron(server.base_url, tmp_path, server.log, "lang=all", "since=2026-11-01")
    assert second.returncode == 0, second.stderr_tail
    assert "/robots.txt" in second.requests
    assert not [p for p in second.requests if p.startswith("/sitemap.xml")]
    assert _summary(tmp_path)["sitemap"] == {}
