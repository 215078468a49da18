"""Acceptance of issue 15: the real cron cycle (`scrapy crawl mpt -a lang=all`, twice) against a
replica with translations in both Drupal styles (era C: one node, an alias per language,
hreflang alternates; era B: a translation set of nodes linked by the switcher), news in one
language only and /be/node/N pages that fall back to another language's text, every page
rendered one of the many ways real Drupal does (variants mode).

Every (node id, language) article exactly once and equal to the ground truth (its
`translations` and `translation_key` included), no fallback page exported, the README's
parallel-corpus query giving exactly the ground truth's ru–be and ru–en pairs, and a second run
that is incremental, healthy and exports nothing.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import start_server
from mptcrawler.report import language_sets

from .conftest import CronRun, run_cron
from .test_parquet import readme_duckdb_line

ARTICLES, SEED, VARIANTS = 240, 6, 4


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CronRun], Path]:
    workdir = tmp_path_factory.mktemp("translations-cron")
    log = workdir / "access.log"
    proc, base = start_server(ARTICLES, SEED, workdir, log,
                              extra=("--translations", "--variants", str(VARIANTS)))
    try:
        runs = [run_cron(base, workdir, log, "lang=all") for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return runs, workdir


@pytest.fixture(scope="module")
def site() -> Any:
    return build_site(ARTICLES, SEED, translations=True)


def test_every_article_of_every_language_once_and_equal_to_the_ground_truth(
        cycle: tuple[list[CronRun], Path], site: Any) -> None:
    runs, _ = cycle
    first = runs[0]
    assert first.returncode == 0, first.stderr_tail
    truth = {(t["node_id"], t["lang"]): t for t in site.truth()}
    keys = [(item["node_id"], item["lang"]) for item in first.items]
    assert len(keys) == len(set(keys)), "an article was exported twice"
    assert sorted(keys) == sorted(truth)
    # not hollow: era-C translations share node ids, and some stories have three languages
    assert len({nid for nid, _ in keys}) < len(keys)
    assert Counter(len(m) for m in site.sets.values())[3] > 0
    mismatches = [(item["url"], name) for item in first.items
                  for name, value in truth[(item["node_id"], item["lang"])].items()
                  if item[name] != value]
    assert mismatches == []


def test_no_fallback_page_is_exported_and_each_was_told(
        cycle: tuple[list[CronRun], Path], site: Any) -> None:
    runs, workdir = cycle
    fallback_urls = {f.url for f in site.fallbacks}
    assert fallback_urls and not fallback_urls & {item["url"] for item in runs[0].items}
    assert fallback_urls <= {"https://mpt.gov.by" + p for p in runs[0].requests}
    summary = json.loads(sorted((workdir / "data").glob("mpt-*-summary.json"))[0].read_text())
    assert summary["failures"] == {} and summary["fallbacks"] == 0
    assert summary["evidence"]["translations/hreflang"] > 0
    assert summary["evidence"]["translations/language-switcher"] > 0
    stats = first_stats(runs[0].log)
    assert stats["mpt/articles/language_fallback"] == len(site.fallbacks)


def first_stats(log: str) -> dict[str, int]:
    import re

    return {k: int(v) for k, v in re.findall(r"'(mpt/[\w/-]+)': (\d+)", log)}


def test_the_readme_pairs_query_gives_exactly_the_ground_truth_pairs(
        cycle: tuple[list[CronRun], Path], site: Any) -> None:
    _, workdir = cycle
    expected = {}
    for members in site.sets.values():
        ru = next((m for m in members if m.lang == "ru"), None)
        for other in members:
            if ru is not None and other.lang in ("be", "en"):
                expected[(f"ru-{other.lang}", ru.url, other.url)] = (
                    ru.translation_key, ru.title, ru.text, other.title, other.text)
    assert {pair for pair, _, _ in expected} == {"ru-be", "ru-en"}
    command = readme_duckdb_line("pairs.csv").replace(
        ".venv/bin/", str(Path(sys.executable).parent) + "/", 1)
    done = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO((workdir / "data" / "pairs.csv").read_text("utf-8"))))
    found = {(r["pair"], r["ru_url"], r["url"]): (r["translation_key"], r["ru_title"],
                                                  r["ru_text"], r["title"], r["text"])
             for r in rows}
    assert len(rows) == len(found)
    assert found == expected


def test_the_second_run_is_incremental_healthy_and_exports_nothing(
        cycle: tuple[list[CronRun], Path], site: Any) -> None:
    runs, workdir = cycle
    second = runs[1]
    assert second.returncode == 0, second.stderr_tail
    assert second.items == []
    summary = json.loads(sorted((workdir / "data").glob("mpt-*-summary.json"))[1].read_text())
    assert summary["mode"] == "incremental"
    # the fallback pages are known from the first run: not walked past, not fetched again
    assert not {f.path for f in site.fallbacks} & set(second.requests)
    listings = [p for p in second.requests if "/news" in p and p.count("/") == 2]
    assert sorted(listings) == ["/be/news", "/en/news", "/ru/news"]


def test_the_report_counts_stories_in_one_two_and_three_languages(
        cycle: tuple[list[CronRun], Path], site: Any) -> None:
    runs, _ = cycle
    assert language_sets(runs[0].items) == Counter(len(m) for m in site.sets.values())
