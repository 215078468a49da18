"""Deletions and renames are data, not failures (the cron cycle with the real `scrapy crawl mpt`
over HTTP): an article that answers 404 is recorded as withdrawn and no longer re-checked, and
a run stays healthy; an article whose alias changed is the same article, a new revision with
its new URL and the old one in `previous_urls`, never a second article."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from mptcrawler.replica import build_site

from .conftest import DENSE_ARTICLES as ARTICLES
from .conftest import DENSE_SEED as SEED
from .conftest import DENSE_SPAN as SPAN
from .conftest import Server, run_cron


def test_a_deleted_article_is_withdrawn_and_a_renamed_one_moves(server: Server,
                                                                  tmp_path: Path) -> None:
    first = run_cron(server.base_url, tmp_path, server.log, "lang=all")
    assert first.returncode == 0, first.stderr_tail
    before = build_site(ARTICLES, SEED, span_days=SPAN)
    after = build_site(ARTICLES, SEED, span_days=SPAN, deleted=1, renamed=1)
    deleted = next(a for a in before.articles if a.path not in after.by_path
                   and a.path not in after.moved)
    old_path, new_path = next(iter(after.moved.items()))
    moved = after.by_path[new_path]

    server.start("--deleted", "1", "--renamed", "1")
    second = run_cron(server.base_url, tmp_path, server.log, "lang=all")
    assert second.returncode == 0, second.stderr_tail  # healthy: a deletion is no failure
    assert deleted.path in second.requests  # it was re-checked and answered 404
    # The renamed article: one new revision at its new address, the old one remembered.
    assert [(i["url"], i["node_id"], i["revision"], i["previous_urls"]) for i in second.items] \
        == [(moved.url, moved.node_id, 2, ["https://mpt.gov.by" + old_path])]
    data = tmp_path / "data"
    withdrawn = [json.loads(line) for line in
                 (data / "withdrawn.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(w["url"], w["node_id"], w["status"], w["last_revision"]) for w in withdrawn] == [
        (deleted.url, deleted.node_id, 404, 1)]
    assert withdrawn[0]["last_seen"] <= withdrawn[0]["withdrawn"]
    assert not list(data.glob("*-failures.jsonl"))
    db = sqlite3.connect(data / "mpt-state.sqlite")
    urls = {row[0] for row in db.execute("SELECT url FROM articles")}
    assert moved.url in urls and "https://mpt.gov.by" + old_path not in urls
    assert db.execute("SELECT count(*) FROM failures").fetchone()[0] == 0

    third = run_cron(server.base_url, tmp_path, server.log, "lang=all")
    assert third.returncode == 0, third.stderr_tail
    assert third.items == []
    assert deleted.path not in third.requests  # withdrawn: no longer re-checked
    assert old_path not in third.requests


def test_rolling_revalidation_finds_old_edits_and_deletions_within_its_days(
        server: Server, tmp_path: Path) -> None:
    # MPT_REVALIDATE_DAYS=3: each daily run verifies a third of the archive (the longest ago
    # verified first), so three runs see every article; the edits and deletions are deep in
    # the archive, where no listing walk and no recent re-check looks.
    settings = {"MPT_REVALIDATE_DAYS": "3"}
    first = run_cron(server.base_url, tmp_path, server.log, "lang=all", settings=settings)
    assert first.returncode == 0, first.stderr_tail
    before = {t["url"]: t for t in build_site(ARTICLES, SEED, span_days=SPAN).truth()}
    after = build_site(ARTICLES, SEED, span_days=SPAN, edited_old=6, deleted_old=2)
    truth = {t["url"]: t for t in after.truth()}
    edited = sorted(u for u in truth if truth[u]["text"] != before[u]["text"])
    deleted = sorted(set(before) - set(truth))
    assert (len(edited), len(deleted)) == (6, 2)

    server.start("--edited-old", "6", "--deleted-old", "2")
    runs = [run_cron(server.base_url, tmp_path, server.log, "lang=all", settings=settings)
            for _ in range(3)]
    assert [r.returncode for r in runs] == [0, 0, 0], runs[-1].stderr_tail
    exported = [(i["url"], i["revision"], i["text"]) for r in runs for i in r.items]
    assert sorted(exported) == [(u, 2, truth[u]["text"]) for u in edited]
    gone = [json.loads(line)["url"] for line in
            (tmp_path / "data" / "withdrawn.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(gone) == deleted
    # Each run asked for about a third of the archive, not all of it.
    for run in runs:
        articles = [p for p in run.requests if "/news" not in p and p != "/robots.txt"]
        assert ARTICLES / 3 <= len(articles) <= ARTICLES / 3 + 30, len(articles)
