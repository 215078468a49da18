"""The politeness budget: how many requests a full crawl and the daily runs cost.

    python bench/requests_benchmark.py [--articles 5000] [--month-articles 3000] [--days 30]
                                       [--only full|month|month-sitemap]

On the live site every request costs at least a second (robots Crawl-delay, DOWNLOAD_DELAY), so
the number of requests is the crawl's speed.

1. A full cron crawl (`scrapy crawl mpt -a lang=all`) of a replica: its requests by kind (from
   the run's summary and the replica's access log) against the floor of one request per
   article and per page of the `/{lang}/news` listings, plus robots.txt.
2. A month of daily incremental runs with rolling revalidation (MPT_REVALIDATE_DAYS, default
   30) over a replica in which 30 old articles were edited and 5 deleted after the first full
   crawl: the requests of each run, and on which day each edit was exported and each deletion
   recorded.
3. The same month with the replica's sitemap (`serve --sitemap`, simple_sitemap's way): robots.txt
   announces it, and the daily runs re-fetch what its lastmod says changed, re-check what it no
   longer lists, and revalidate the rest at MPT_SITEMAP_REVALIDATE_DAYS (cron/sitemap.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mptcrawler.replica import build_site  # noqa: E402
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server  # noqa: E402
from mptcrawler.replica.pages import NEWS_PAGE_SIZE  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")


def cron_run(base: str, workdir: Path, log: Path, **settings: str) -> dict[str, Any]:
    """One cron run; returns its summary, its exported items and the paths it requested."""
    log.write_text("", encoding="utf-8")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "mpt", "-a", "lang=all",
           "-s", f"MPT_BASE_URL={base}"]
    for name, value in {**REPLICA_SETTINGS, **settings}.items():
        cmd += ["-s", f"{name}={value}"]
    before = set((workdir / "data").glob("mpt-*.jsonl"))
    done = subprocess.run(cmd, cwd=workdir, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"crawl failed ({done.returncode}): {done.stderr[-1500:]}")
    new = sorted(set((workdir / "data").glob("mpt-*.jsonl")) - before)
    items = [json.loads(line) for path in new for line in path.read_text("utf-8").splitlines()]
    summary_path = sorted((workdir / "data").glob("mpt-*-summary.json"))[-1]
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    paths = [line.split(" ")[2] for line in log.read_text(encoding="utf-8").splitlines()]
    return {"summary": summary, "items": items, "paths": paths}


def full_crawl(articles: int) -> None:
    site = build_site(articles, 1)
    news_pages = sum(math.ceil(len(site.listed(lang)) / NEWS_PAGE_SIZE)
                     for lang in ("ru", "be", "en"))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        log = workdir / "access.log"
        proc, base = start_server(articles, 1, workdir, log)
        try:
            run = cron_run(base, workdir, log)
        finally:
            proc.terminate()
            proc.wait()
    paths = run["paths"]
    floor = articles + news_pages
    robots = paths.count("/robots.txt")
    print(f"## Full crawl of a {articles}-article replica\n")
    print(f"- requests: {len(paths)} (robots.txt {robots}); by kind: "
          f"{run['summary']['requests']}")
    print(f"- floor: {articles} articles + {news_pages} news listing pages = {floor}")
    print(f"- ratio (requests − robots) / floor: {(len(paths) - robots) / floor:.4f} "
          f"(target ≤ 1.05)")
    print(f"- the same path asked twice: {len(paths) - len(set(paths))}; exported "
          f"{len(run['items'])}; twins fetched: {run['summary']['requests'].get('twin', 0)}\n")


def month(articles: int, days: int, sitemap: bool = False) -> None:
    before = {t["url"]: t for t in build_site(articles, 2).truth()}
    after = {t["url"]: t for t in build_site(articles, 2, edited_old=30,
                                             deleted_old=5).truth()}
    edited = {u for u in after if after[u]["text"] != before[u]["text"]}
    deleted = set(before) - set(after)
    found_edit: dict[str, int] = {}
    found_gone: dict[str, int] = {}
    per_run: list[int] = []
    kinds: list[dict[str, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        log = workdir / "access.log"
        mode = ("--sitemap",) if sitemap else ()
        # The simulated days are minutes apart: a slack of a day would take every edit for a
        # fresh one on every run. In real time it costs one conditional re-check of each edit
        # on the day after it is fetched (reported below).
        settings = {"MPT_SITEMAP_SLACK_HOURS": "0"} if sitemap else {}
        proc, base = start_server(articles, 2, workdir, log, extra=mode)
        port = int(base.rsplit(":", 1)[1])
        try:
            cron_run(base, workdir, log)
        finally:
            proc.terminate()
            proc.wait()
        proc, base = start_server(articles, 2, workdir, log, port=port,
                                  extra=(*mode, "--edited-old", "30", "--deleted-old", "5"))
        try:
            for day in range(1, days + 1):
                run = cron_run(base, workdir, log, **settings)
                per_run.append(len(run["paths"]))
                kinds.append(run["summary"]["requests"])
                for item in run["items"]:
                    found_edit.setdefault(item["url"], day)
                gone_file = workdir / "data" / "withdrawn.jsonl"
                if gone_file.exists():
                    for line in gone_file.read_text(encoding="utf-8").splitlines():
                        found_gone.setdefault(json.loads(line)["url"], day)
        finally:
            proc.terminate()
            proc.wait()
    print(f"## A month of daily runs over a {articles}-article replica "
          f"(30 old articles edited, 5 deleted){' with a sitemap' if sitemap else ''}\n")
    print(f"- requests per daily run: min {min(per_run)}, median "
          f"{sorted(per_run)[len(per_run) // 2]}, max {max(per_run)}; total {sum(per_run)}")
    print(f"- by kind, day 1: {kinds[0]}; day 2: {kinds[1] if len(kinds) > 1 else '-'}")
    print(f"- edits exported: {len(set(found_edit) & edited)} of {len(edited)}, by day "
          f"{max((found_edit.get(u, 0) for u in edited), default=0)} at the latest; "
          f"exported that were not edits: {sorted(set(found_edit) - edited)}")
    if sitemap:
        print(f"- run with MPT_SITEMAP_SLACK_HOURS=0; the default 24 h adds, on real days, one "
              f"conditional re-check per edit the day after: {len(edited)} requests in all")
    print(f"- deletions recorded: {len(set(found_gone) & deleted)} of {len(deleted)}, by day "
          f"{max((found_gone.get(u, 0) for u in deleted), default=0)} at the latest")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--month-articles", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--only", choices=("full", "month", "month-sitemap"))
    args = parser.parse_args()
    if args.only in (None, "full"):
        full_crawl(args.articles)
    if args.only in (None, "month"):
        month(args.month_articles, args.days)
    if args.only in (None, "month-sitemap"):
        month(args.month_articles, args.days, sitemap=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
