"""The dataset report: its numbers against the data (counted another way, with DuckDB over the
Parquet files and from the failures files), and the file opened in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest
from parsel import Selector

from mptcrawler.report import axis_ticks, cited_sources, main, month_labels, month_range, per_month

from .conftest import TwoDays

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs Chromium and sets this, so that there the browser test cannot silently skip.
REQUIRE_CHROMIUM = os.environ.get("MPT_REQUIRE_CHROMIUM") == "1"
# The flags the machine's notes give for a closed network: without the background-networking
# ones Chromium keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--enable-logging=stderr",
                  "--v=0"]
NEWEST = ("WITH every AS (SELECT * FROM read_parquet('{glob}', union_by_name = true)) "
          "SELECT * FROM every QUALIFY row_number() OVER "
          "(PARTITION BY url ORDER BY revision DESC, crawled_at DESC) = 1")

# The report's sources, counted in SQL: the linked site (host without www.), else the site the
# same name links most often elsewhere, else the name.
SOURCES = r"""
WITH cited AS (SELECT url AS article, unnest(sources) AS s FROM ({newest})),
sites AS (
    SELECT article, coalesce(s.name, s.raw) AS name, s.url AS link,
           nullif(regexp_replace(lower(regexp_extract(s.url, '^[a-z]+://([^/:?#]+)', 1)),
                                 '^www\.', ''), '') AS site
    FROM cited),
alias AS (
    SELECT name, first(site ORDER BY n DESC, site) AS site
    FROM (SELECT name, site, count(*) AS n FROM sites WHERE site IS NOT NULL GROUP BY ALL)
    GROUP BY name)
SELECT coalesce(sites.site, alias.site, sites.name) AS key, count(DISTINCT article) AS n
FROM sites LEFT JOIN alias USING (name)
GROUP BY key ORDER BY n DESC, key LIMIT 20
"""


def item(url: str, lang: str, published: str | None, *sources: dict[str, Any]) -> dict[str, Any]:
    return {"url": url, "lang": lang, "published": published, "sources": list(sources)}


def test_per_month_counts_by_language_and_keeps_undated_articles() -> None:
    items = [item("a", "ru", "2020-01-05"), item("b", "be", "2020-01-31T10:00:00+03:00"),
             item("c", "ru", "2020-03-01"), item("d", "en", None)]
    months = per_month(items)
    assert months == {"2020-01": Counter(ru=1, be=1), "2020-03": Counter(ru=1),
                      "unknown": Counter(en=1)}
    assert month_range(months) == ["2020-01", "2020-02", "2020-03"]  # the gap shows
    assert month_range({"2019-12": Counter(), "2020-01": Counter()}) == ["2019-12", "2020-01"]


def test_cited_sources_count_articles_by_site() -> None:
    dateline = {"name": "БЕЛТА", "url": None, "raw": "…", "kind": "dateline"}
    linked = {"name": "БЕЛТА", "url": "https://www.belta.by/x", "raw": "…", "kind": "attribution"}
    host = {"name": "belta.by", "url": "http://www.belta.by", "raw": "…", "kind": "attribution"}
    english = {"name": "BelTA", "url": "https://eng.belta.by", "raw": "…", "kind": "attribution"}
    unlinked = {"name": "пресс-служба", "url": None, "raw": "…", "kind": "attribution"}
    ranked = cited_sources([item("a", "ru", None, dateline, linked),  # twice in one: once
                            item("b", "ru", None, dateline),  # the name links belta.by in "a"
                            item("c", "ru", None, host, unlinked),
                            item("d", "en", None, english), item("e", "ru", None)])
    assert [(s.key, s.articles, s.names, s.kinds, s.example_url) for s in ranked] == [
        ("belta.by", 3, ["belta.by", "БЕЛТА"], ["attribution", "dateline"],
         "https://www.belta.by/x"),
        ("eng.belta.by", 1, ["BelTA"], ["attribution"], "https://eng.belta.by"),
        ("пресс-служба", 1, ["пресс-служба"], ["attribution"], None)]


def test_count_axis_ticks_are_1_2_5_steps_and_at_most_five_of_them() -> None:
    assert axis_ticks(1) == [0, 1]
    assert axis_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert axis_ticks(7) == [0, 2, 4, 6]
    assert axis_ticks(11) == [0, 5, 10]
    assert axis_ticks(26) == [0, 10, 20]
    assert axis_ticks(99) == [0, 20, 40, 60, 80]
    assert axis_ticks(1234) == [0, 500, 1000]


def test_month_labels_every_month_when_few_and_each_january_when_many() -> None:
    assert month_labels(["2020-11", "2020-12", "2021-01"]) == {
        0: "2020-11", 1: "2020-12", 2: "2021-01"}
    year = [f"2020-{m:02d}" for m in range(1, 13)] + ["2021-01", "2021-02"]
    assert month_labels(year) == {0: "2020-01", 1: "2020-02", 2: "2020-03", 3: "2020-04",
                                  4: "2020-05", 5: "2020-06", 6: "2020-07", 7: "2020-08",
                                  8: "2020-09", 9: "2020-10", 10: "2020-11", 11: "2020-12",
                                  12: "2021-01", 13: "2021-02"}
    decade = [f"{y}-{m:02d}" for y in range(2013, 2023) for m in range(1, 13)][3:]  # from April
    assert month_labels(decade) == {0: "2013-04", **{i: str(2014 + k) for k, i in
                                                     enumerate(range(9, 117, 12))}}


def runs_folder(tmp_path: Path) -> Path:
    """Two runs by hand: the first of a replica, recorded before manifests named the base URL
    (its summary does), the second of the live site; five articles."""
    first = [{"url": "a", "lang": "ru", "published": "2020-01-05",
              "sources": [{"name": "БЕЛТА", "url": None, "raw": "…", "kind": "dateline"}],
              "images": [{"url": "i", "alt": None, "caption": None}], "attachments": [],
              "dates_mentioned": [], "photo_credit": None, "translations": []},
             {"url": "b", "lang": "ru", "published": "2020-02-01", "sources": [], "images": [],
              "attachments": [{"url": "f", "title": None, "type": None, "size": None}],
              "dates_mentioned": [{"text": "2019", "date": "2019", "kind": "year", "start": 0,
                                   "end": 4}], "photo_credit": None, "translations": []}]
    second = [{"url": "c", "lang": "be", "published": "2020-02-03", "sources": [], "images": [],
               "attachments": [], "dates_mentioned": [],
               "photo_credit": {"name": "x", "raw": "Фото: x"},
               "translations": [{"lang": "ru", "url": "a"}]},
              {"url": "d", "lang": "en", "published": None, "sources": [], "images": [],
               "attachments": [], "dates_mentioned": [], "photo_credit": None, "translations": []},
              {"url": "e", "lang": "ru", "published": "2020-03-01", "sources": [], "images": [],
               "attachments": [], "dates_mentioned": [], "photo_credit": None, "translations": []}]
    for run, items in (("r1", first), ("r2", second)):
        (tmp_path / f"mpt-{run}.jsonl").write_text(
            "".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    (tmp_path / "mpt-r1-summary.json").write_text(json.dumps(
        {"run_id": "r1", "base_url": "http://127.0.0.1:8800", "health": "ok"}), encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"run_id": "r1", "file": "mpt-r1.jsonl", "mode": "full", "exported": 2,
                    "finished": "2026-11-25T06:17:00Z"}) + "\n"
        + json.dumps({"run_id": "r2", "file": "mpt-r2.jsonl", "mode": "full", "exported": 3,
                      "finished": "2026-11-26T06:17:00Z", "base_url": "https://mpt.gov.by"})
        + "\n", encoding="utf-8")
    return tmp_path


def test_each_run_shows_its_base_url_and_mixed_sites_are_said(tmp_path: Path) -> None:
    assert main(["--data", str(runs_folder(tmp_path))]) == 0
    page = Selector(text=(tmp_path / "report.html").read_text(encoding="utf-8"))
    assert {row.attrib["data-run"]: row.css("td.base-url::text").get()
            for row in page.css("table#runs tr[data-run]")} == {
        "r1": "http://127.0.0.1:8800", "r2": "https://mpt.gov.by"}
    assert page.css("#mixed-sites::text").get() == (
        "The runs crawled 2 base URLs (http://127.0.0.1:8800, https://mpt.gov.by): their "
        "articles are counted together.")
    assert page.css("#fact-data-folder::text").get() == str(tmp_path.resolve())
    assert "the folder this report was read from" in page.css("dl + p").get("")


def test_field_completeness_counts_articles_with_each_field(tmp_path: Path) -> None:
    assert main(["--data", str(runs_folder(tmp_path))]) == 0
    page = Selector(text=(tmp_path / "report.html").read_text(encoding="utf-8"))
    # by hand, from the five articles above
    assert cells(page, "completeness", "data-field", "n-articles") == {
        "sources": 1, "images": 1, "attachments": 1, "dates_mentioned": 1, "photo_credit": 1,
        "translations": 1}
    assert page.css("table#completeness tr[data-field='sources'] td.share::text").get() == "20.0 %"


def test_the_monthly_chart_has_labelled_axes(tmp_path: Path) -> None:
    assert main(["--data", str(runs_folder(tmp_path))]) == 0
    page = Selector(text=(tmp_path / "report.html").read_text(encoding="utf-8"))
    svg = page.css("svg#timeline")
    # months 2020-01 … 2020-03 with 1, 2, 1 articles: a y axis 0, 1, 2; every month labelled
    assert svg.css("text.y-tick::text").getall() == ["0", "1", "2"]
    assert svg.css("text.x-tick::text").getall() == ["2020-01", "2020-02", "2020-03"]
    assert svg.css("text.y-label::text").get() == "articles per month"
    assert svg.css("text.x-label::text").get() == "month of publication"
    # the tick for 2 is level with the top of February's column, the tick for 0 with its foot
    ticks = {t.attrib["data-value"]: float(t.attrib["y"]) - 4 for t in svg.css("text.y-tick")}
    feb = [float(r.attrib["y"]) for r in svg.css("rect") if "2020-02" in r.css("title::text").get()]
    assert min(feb) == pytest.approx(ticks["2"])
    heights = sum(float(r.attrib["height"]) for r in svg.css("rect")
                  if "2020-02" in r.css("title::text").get())
    assert min(feb) + heights == pytest.approx(ticks["0"])


def test_a_recovered_run_is_shown_without_a_summary(tmp_path: Path) -> None:
    # Killed after its JSONL got its final name: delivered, recorded at the next start, but it
    # never wrote its summary (runs.IncrementalRuns.recovered_record).
    (tmp_path / "mpt-r1.jsonl").write_text(json.dumps(item("a", "ru", "2020-01-05")) + "\n",
                                           encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps(
        {"run_id": "r1", "file": "mpt-r1.jsonl", "mode": "full", "exported": 1,
         "finished": None, "recovered": True}) + "\n", encoding="utf-8")
    assert main(["--data", str(tmp_path)]) == 0
    page = Selector(text=(tmp_path / "report.html").read_text(encoding="utf-8"))
    row = page.css("table#runs tr[data-run='r1']")
    # base URL (this record is from before runs recorded it), mode, health
    assert row.css("td.name::text").getall()[:3] == ["?", "full (recovered)", "?"]
    assert cells(page, "runs", "data-run", "n-exported") == {"r1": 1}


def test_runs_that_exported_nothing_make_an_empty_but_valid_report(tmp_path: Path) -> None:
    (tmp_path / "mpt-r1.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps(
        {"run_id": "r1", "file": "mpt-r1.jsonl", "mode": "incremental", "exported": 0,
         "finished": "2026-11-25T06:17:00Z"}) + "\n", encoding="utf-8")
    assert main(["--data", str(tmp_path)]) == 0
    page = Selector(text=(tmp_path / "report.html").read_text(encoding="utf-8"))
    assert page.css("#fact-articles::text").get() == "0"
    assert page.css("#fact-published::text").get() == "—"
    assert page.css("svg#timeline") == [] and page.css("table#sources tbody tr") == []
    assert cells(page, "runs", "data-run", "n-exported") == {"r1": 0}


def test_without_a_completed_run_it_says_so(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path)]) == 2
    assert "no run has completed" in capsys.readouterr().err


@pytest.fixture(scope="module")
def report(two_days: TwoDays, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["--data", str(two_days.data), "--out", str(out)]) == 0
    return out


def cells(page: Selector, table: str, key: str, column: str) -> dict[str, int]:
    return {row.attrib[key]: int(row.css(f"td.{column}::text").get())
            for row in page.css(f"table#{table} tr[{key}]")}


def check_numbers(page: Selector, two_days: TwoDays) -> None:
    """Every number of the report, against DuckDB over the Parquet files and the runs' own
    failures files."""
    newest = NEWEST.format(glob=two_days.data / "mpt-*.parquet")
    with duckdb.connect() as con:
        by_month = con.execute(
            f"SELECT coalesce(strftime(published, '%Y-%m'), 'unknown'), lang, count(*) "
            f"FROM ({newest}) GROUP BY ALL").fetchall()
        sources = con.execute(SOURCES.format(newest=newest)).fetchall()
        total = con.execute(f"SELECT count(*) FROM ({newest})").fetchone()
        eras = con.execute(f"SELECT coalesce(era, '-'), extraction, count(*) FROM ({newest}) "
                           f"GROUP BY ALL").fetchall()
    assert total is not None
    for lang in ("ru", "be", "en"):
        expected = {m: n for m, lg, n in by_month if lg == lang}
        shown = cells(page, "per-month", "data-month", f"n-{lang}")
        assert {m: n for m, n in shown.items() if n and m != "all"} == expected
        assert shown["all"] == sum(expected.values())
    assert cells(page, "per-month", "data-month", "n-total")["all"] == total[0]
    assert page.css("#fact-articles::text").get() == str(total[0])

    shown_sources = [(row.css("td.key::text").get(), int(row.css("td.n-articles::text").get()))
                     for row in page.css("table#sources tbody tr")]
    assert shown_sources == sources and sources

    shown_eras = {(row.attrib["data-era"], row.attrib["data-extraction"]):
                  int(row.css("td.n-articles::text").get())
                  for row in page.css("table#extraction tr[data-era]")}
    assert shown_eras == {(era, how): n for era, how, n in eras}
    # The redesigned page of the first day, read by the fallback extractor. The second day
    # serves it whole; if that day's rolling revalidation (stalest first, an order the first
    # day's fetch times decide) re-checked it, its newest revision is read from the Drupal
    # evidence instead.
    (redesigned,) = [i["url"] for i in two_days.runs[0].items if i["extraction"] == "fallback"]
    reread = any(i["url"] == redesigned for i in two_days.runs[1].items)
    assert shown_eras.get(("-", "fallback"), 0) == (0 if reread else 1)

    records = [json.loads(line) for line in
               (two_days.data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    failures = cells(page, "runs", "data-run", "n-failures")
    fallbacks = cells(page, "runs", "data-run", "n-fallbacks")
    exported = cells(page, "runs", "data-run", "n-exported")
    assert list(failures) == [r["run_id"] for r in records]
    for record in records:
        failures_file = two_days.data / f"mpt-{record['run_id']}-failures.jsonl"
        lines = (failures_file.read_text(encoding="utf-8").splitlines()
                 if failures_file.exists() else [])
        items = [json.loads(line) for line in
                 (two_days.data / record["file"]).read_text(encoding="utf-8").splitlines()]
        assert failures[record["run_id"]] == len(lines)
        assert fallbacks[record["run_id"]] == sum(i["extraction"] == "fallback" for i in items)
        assert exported[record["run_id"]] == len(items)
    first, second = records
    assert (failures[first["run_id"]], failures[second["run_id"]]) == (1, 0)  # the 404 page
    reasons = page.css(f"table#runs tr[data-run='{first['run_id']}'] td.reasons::text").get()
    assert reasons == "http_404 1"

    # each run's base URL, as its manifest record and its summary say
    shown_sites = {row.attrib["data-run"]: row.css("td.base-url::text").get()
                   for row in page.css("table#runs tr[data-run]")}
    for record in records:
        summary = json.loads((two_days.data / record["file"].replace(
            ".jsonl", "-summary.json")).read_text(encoding="utf-8"))
        assert shown_sites[record["run_id"]] == record["base_url"] == summary["base_url"]
        assert record["base_url"].startswith("http://127.0.0.1:")

    with duckdb.connect() as con:
        filled = con.execute(
            f"SELECT count(*) FILTER (WHERE len(sources) > 0), "
            f"count(*) FILTER (WHERE len(images) > 0), "
            f"count(*) FILTER (WHERE len(attachments) > 0), "
            f"count(*) FILTER (WHERE len(dates_mentioned) > 0), "
            f"count(*) FILTER (WHERE photo_credit IS NOT NULL), "
            f"count(*) FILTER (WHERE len(translations) > 0) FROM ({newest})").fetchone()
        busiest = con.execute(
            f"SELECT max(n) FROM (SELECT count(*) AS n FROM ({newest}) "
            f"WHERE published IS NOT NULL GROUP BY strftime(published, '%Y-%m'))").fetchone()
    assert filled is not None and busiest is not None
    assert cells(page, "completeness", "data-field", "n-articles") == dict(zip(
        ("sources", "images", "attachments", "dates_mentioned", "photo_credit", "translations"),
        filled, strict=True))
    assert all(filled[:4])  # the replica has articles with each of these
    ticks = [int(v) for v in page.css("svg#timeline text.y-tick::text").getall()]
    step = ticks[1] - ticks[0]
    assert ticks == list(range(0, ticks[-1] + 1, step)) and len(ticks) <= 6
    assert ticks[-1] <= busiest[0] < ticks[-1] + step


def test_the_numbers_match_the_data(report: Path, two_days: TwoDays) -> None:
    check_numbers(Selector(text=report.read_text(encoding="utf-8")), two_days)


def test_it_is_self_contained(report: Path) -> None:
    page = Selector(text=report.read_text(encoding="utf-8"))
    assert page.css("script, link, img, iframe, object, embed") == []
    assert not page.xpath("//@src | //@srcset")
    assert "default-src 'none'" in page.css("meta[http-equiv]::attr(content)").get("")


def chromium(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}",
                           *args, page.as_uri()], capture_output=True, text=True, timeout=120)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


needs_chromium = pytest.mark.skipif(CHROMIUM is None and not REQUIRE_CHROMIUM,
                                    reason="Chromium is not installed (Debian: apt install "
                                           "chromium); CI installs it")


@needs_chromium
def test_it_opens_in_headless_chromium_without_errors(report: Path, two_days: TwoDays,
                                                      tmp_path: Path) -> None:
    assert CHROMIUM is not None, "MPT_REQUIRE_CHROMIUM=1 but no chromium on PATH"
    done = chromium(report, tmp_path, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    dom = Selector(text=done.stdout)  # the page as the browser built it
    assert dom.css("h1::text").get() == "mpt.gov.by news: dataset report"
    check_numbers(dom, two_days)
    assert len(dom.css("svg#timeline rect")) > 0
    shot = tmp_path / "report.png"
    done = chromium(report, tmp_path, f"--screenshot={shot}", "--window-size=1200,1600")
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


@needs_chromium
def test_the_browser_check_would_see_a_page_loading_something(report: Path,
                                                              tmp_path: Path) -> None:
    # The check above is only worth something if Chromium reports what a broken report would do.
    broken = tmp_path / "broken.html"
    broken.write_text(report.read_text(encoding="utf-8").replace(
        "</head>", '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'),
        encoding="utf-8")
    done = chromium(broken, tmp_path, "--dump-dom")
    assert any("violates the following Content Security Policy" in line
               for line in console_messages(done.stderr))
