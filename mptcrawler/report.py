"""A picture of the collected dataset: one self-contained HTML file to open after a cron run.

    mptcrawler-report [--data data] [--out data/report.html]

It reads only what the runs left in the data folder: ``manifest.jsonl`` (every delivered run,
complete or not, recovered ones too, in order), each run's JSONL, and each run's summary JSON.
The dataset is the newest revision of every article across all runs (a later run's item
replaces an earlier one of the same URL).
Sections: articles per month and language, stories in one, two and three languages, field
completeness, the most cited sources, extraction by era, and run by run the base URL, the
fallbacks and the failures. No script, no
external resource (a Content-Security-Policy forbids loading anything), so it opens the same
from a mail attachment or a file share.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .cli import HelpFormatter, add_version

LANGS = ("ru", "be", "en")
UNKNOWN_MONTH = "unknown"


@dataclass
class Run:
    run_id: str
    mode: str
    exported: int
    finished: str
    summary: dict[str, Any] = field(default_factory=dict)
    base_url: str = "?"  # the site it crawled; "?" for a run that recorded none

    @property
    def fallbacks(self) -> int:
        return int(self.summary.get("fallbacks", 0))

    @property
    def failures(self) -> dict[str, int]:
        return dict(self.summary.get("failures") or {})


@dataclass
class Dataset:
    articles: list[dict[str, Any]]  # the newest revision of each article
    runs: list[Run]
    revisions: int  # items exported over all runs


def summary_name(jsonl_name: str) -> str:
    """``mpt-<run>.jsonl`` → ``mpt-<run>-summary.json`` (settings MPT_DATASET_URI and
    MPT_SUMMARY_URI)."""
    return jsonl_name.removesuffix(".jsonl") + "-summary.json"


def load(data: Path) -> Dataset:
    manifest = data / "manifest.jsonl"
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest}: no run has completed in {data} yet")
    newest: dict[str, dict[str, Any]] = {}
    runs, revisions = [], 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        # "file" is null for a run that exported nothing; its summary has the default name.
        jsonl_name = record["file"] or f"mpt-{record['run_id']}.jsonl"
        summary_path = data / summary_name(jsonl_name)
        summary = (json.loads(summary_path.read_text(encoding="utf-8"))
                   if summary_path.exists() else {})
        mode = record.get("mode", "") + (" (recovered)" if record.get("recovered") else "")
        # Manifests written before runs recorded their base URL: the summary has it.
        base_url = record.get("base_url") or summary.get("base_url") or "?"
        runs.append(Run(record["run_id"], mode, int(record["exported"]),
                        record.get("finished", ""), summary, base_url))
        lines = (data / record["file"]).read_text(encoding="utf-8").splitlines() \
            if record["file"] else []
        for item_line in lines:
            item = json.loads(item_line)
            newest[item["url"]] = item
            revisions += 1
    return Dataset(list(newest.values()), runs, revisions)


def per_month(articles: Iterable[dict[str, Any]]) -> dict[str, Counter[str]]:
    """``YYYY-MM`` of publication (``unknown`` without a date) → articles per language."""
    months: dict[str, Counter[str]] = defaultdict(Counter)
    for item in articles:
        published = item.get("published")
        months[published[:7] if published else UNKNOWN_MONTH][item["lang"]] += 1
    return dict(months)


def month_range(months: Iterable[str]) -> list[str]:
    """Every month from the first to the last (months without articles show as gaps)."""
    known = sorted(m for m in months if m != UNKNOWN_MONTH)
    if not known:
        return []
    year, month = map(int, known[0].split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= known[-1]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# Field completeness: what share of the articles has each optional field filled in.
COMPLETENESS = (
    ("sources", "a source (attribution line, “Подробности тут” link or BelTA dateline)"),
    ("images", "images"),
    ("attachments", "attachments"),
    ("dates_mentioned", "dates mentioned in the text"),
    ("photo_credit", "a photo credit"),
    ("translations", "a link to a translation"),
)


def completeness(articles: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Field → how many articles have it: a list with at least one member, or a value."""
    return {name: sum(1 for item in articles if item.get(name)) for name, _ in COMPLETENESS}


def axis_ticks(top: int) -> list[int]:
    """Tick values of a count axis from 0 to at most ``top``: a step of 1, 2 or 5 times a power
    of ten, the smallest that gives no more than five steps."""
    step = 1
    while top / step > 5:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if top / step <= 5:
                break
    return list(range(0, top + 1, step))


def month_labels(span: list[str]) -> dict[int, str]:
    """Which months of the x axis get a label (index → text), so that labels stay at least
    ~56 px apart on a 900 px axis: every month, every 2, 3 or 6 months (``YYYY-MM``), or each
    January (``YYYY``); the first month is always labelled."""
    every = next((k for k in (1, 2, 3, 6) if len(span) / k <= 16), 12)
    labels = {i: (m[:4] if every == 12 else m) for i, m in enumerate(span)
              if (int(m[5:7]) - 1) % every == 0}
    if span and 0 not in labels:
        labels[0] = span[0]
    return labels


@dataclass
class CitedSource:
    key: str  # the site (host without ``www.``), or the name as written for a source never linked
    articles: int
    kinds: list[str]
    names: list[str]  # as the articles write it: БЕЛТА, belta.by, …
    example_url: str | None


def _site(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def cited_sources(articles: Iterable[dict[str, Any]], top: int = 20) -> list[CitedSource]:
    """Sources by the number of articles citing them (an article citing one twice counts once);
    ties by key. A source is its site when it links one; a name that links a site somewhere
    counts for that site everywhere (a BelTA dateline has no link, its attribution does); a
    name never linked stays a source of its own."""
    cited = [(item.get("url"), source, source.get("name") or source.get("raw"))
             for item in articles for source in item.get("sources") or []]
    hosts: dict[str, Counter[str]] = defaultdict(Counter)
    for _, source, name in cited:
        if site := _site(source.get("url")):
            hosts[name][site] += 1
    alias = {name: min(c, key=lambda h: (-c[h], h)) for name, c in hosts.items()}
    citing: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    urls: dict[str, str] = {}
    for article, source, name in cited:
        key = _site(source.get("url")) or alias.get(name) or name
        citing[key].add(str(article))
        kinds[key].add(source.get("kind") or "")
        names[key].add(name)
        if source.get("url"):
            urls.setdefault(key, source["url"])
    ranked = sorted(citing, key=lambda k: (-len(citing[k]), k))[:top]
    return [CitedSource(k, len(citing[k]), sorted(kinds[k]), sorted(names[k]), urls.get(k))
            for k in ranked]


# --- HTML ---------------------------------------------------------------------------------------

_COLOURS = {"ru": "#3b6fb6", "be": "#c0392b", "en": "#27ae60"}  # the bars' and the timeline's
_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}th,td{padding:2px 8px;text-align:right}
th:first-child,td.name{text-align:left}tr:nth-child(even){background:#f6f6f6}
thead th{border-bottom:1px solid #999}.bar{width:28em;text-align:left}
.bar span{display:inline-block;height:.9em;vertical-align:middle}
.fallbacks{background:#e67e22}.failures{background:#8e44ad}
.key span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:middle}
.unhealthy{color:#b00;font-weight:bold}dl{display:grid;grid-template-columns:max-content auto}
dt{font-weight:bold;padding-right:1em}dd{margin:0}
"""
_CSS += "".join(f".{lang}{{background:{colour}}}" for lang, colour in _COLOURS.items()) + "\n"


def _bar(parts: Sequence[tuple[str, int]], scale: int) -> str:
    spans = "".join(f'<span class="{cls}" style="width:{100 * n / scale:.3f}%" '
                    f'title="{cls} {n}"></span>' for cls, n in parts if n)
    return f'<td class="bar">{spans}</td>'


def _key(classes: Sequence[str]) -> str:
    return '<p class="key">' + "".join(f'<span class="{c}"></span>{c}' for c in classes) + "</p>"


def _timeline(months: dict[str, Counter[str]], span: list[str]) -> str:
    """Stacked columns per month, one SVG, with a y axis of article counts (ticks and a label)
    and an x axis of months (a tick per month, labels as :func:`month_labels` places them)."""
    if not span:
        return ""
    left, width, height, top = 56, 900, 180, 10  # plot area: x from left, y from top to height
    step = width / len(span)
    scale = max(sum(months.get(m, Counter()).values()) for m in span) or 1

    def y(n: float) -> float:
        return height - (height - top) * n / scale

    shapes = []
    for value in axis_ticks(scale):
        shapes.append(f'<line x1="{left - 4}" y1="{y(value):.2f}" x2="{left}" y2="{y(value):.2f}"'
                      f' stroke="#999"/><text class="y-tick" data-value="{value}" '
                      f'x="{left - 6}" y="{y(value) + 4:.2f}" font-size="11" '
                      f'text-anchor="end">{value}</text>')
    labels = month_labels(span)
    for i, month in enumerate(span):
        x, base = left + i * step, float(height)
        for lang in LANGS:
            n = months.get(month, Counter())[lang]
            if n:
                h = (height - top) * n / scale
                base -= h
                shapes.append(f'<rect x="{x:.2f}" y="{base:.2f}" width="{max(step - .5, .5):.2f}" '
                              f'height="{h:.2f}" fill="{_COLOURS[lang]}">'
                              f"<title>{month} {lang} {n}</title></rect>")
        centre = x + step / 2
        shapes.append(f'<line x1="{centre:.2f}" y1="{height}" x2="{centre:.2f}" '
                      f'y2="{height + (5 if i in labels else 2)}" stroke="#999"/>')
        if i in labels:
            shapes.append(f'<text class="x-tick" data-month="{month}" x="{centre:.2f}" '
                          f'y="{height + 17}" font-size="11" text-anchor="middle">'
                          f"{labels[i]}</text>")
    full_width, full_height = left + width + 30, height + 40
    return (f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{full_width}" '
            f'height="{full_height}" viewBox="0 0 {full_width} {full_height}" role="img" '
            f'aria-label="articles per month of publication">'
            f'<line x1="{left}" y1="{height}" x2="{left + width}" y2="{height}" stroke="#999"/>'
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height}" stroke="#999"/>'
            + "".join(shapes)
            + f'<text class="y-label" x="12" y="{(top + height) / 2:.0f}" font-size="12" '
            f'text-anchor="middle" transform="rotate(-90 12 {(top + height) / 2:.0f})">'
            "articles per month</text>"
            f'<text class="x-label" x="{left + width / 2:.0f}" y="{height + 36}" '
            'font-size="12" text-anchor="middle">month of publication</text>'
            "</svg>")


def _months_section(articles: list[dict[str, Any]]) -> str:
    months = per_month(articles)
    rows = month_range(months) + ([UNKNOWN_MONTH] if UNKNOWN_MONTH in months else [])
    scale = max((sum(c.values()) for c in months.values()), default=1) or 1
    body = []
    for month in rows:
        counts = months.get(month, Counter())
        cells = "".join(f'<td class="n-{lang}">{counts[lang]}</td>' for lang in LANGS)
        body.append(f'<tr data-month="{month}"><th>{month}</th>{cells}'
                    f'<td class="n-total">{sum(counts.values())}</td>'
                    f'{_bar([(lang, counts[lang]) for lang in LANGS], scale)}</tr>')
    totals = Counter(item["lang"] for item in articles)
    foot = "".join(f'<td class="n-{lang}">{totals[lang]}</td>' for lang in LANGS)
    return (
        "<h2>Articles per month and language</h2>"
        "<p>By publication month; months without articles are shown empty.</p>"
        + _key(LANGS) + _timeline(months, month_range(months))
        + "<details><summary>the numbers, month by month</summary>"
        + '<table id="per-month"><thead><tr><th>month</th>'
        + "".join(f"<th>{lang}</th>" for lang in LANGS)
        + "<th>all</th><th></th></tr></thead><tbody>" + "".join(body) + "</tbody>"
        f'<tfoot><tr data-month="all"><th>all</th>{foot}'
        f'<td class="n-total">{len(articles)}</td><td></td></tr></tfoot></table></details>'
    )


def _sources_section(articles: list[dict[str, Any]]) -> str:
    ranked = cited_sources(articles)
    citing = sum(1 for item in articles if item.get("sources"))
    rows = "".join(
        f'<tr><td class="name key">{escape(s.key)}</td><td class="n-articles">{s.articles}</td>'
        f'<td class="name names">{escape(", ".join(s.names))}</td>'
        f'<td class="name">{escape(", ".join(s.kinds))}</td><td class="name">'
        + (escape(s.example_url) if s.example_url else "") + "</td></tr>"
        for s in ranked)
    return (
        "<h2>Most cited sources</h2>"
        f"<p>{citing} of {len(articles)} articles name a source (attribution line, "
        "“Подробности тут” link or BelTA dateline); articles per source, top "
        f"{len(ranked)}. A source is the site it links (a name that links a site anywhere "
        "counts for it everywhere), else its name.</p>"
        '<table id="sources"><thead><tr><th>source</th><th>articles</th><th>written as</th>'
        f"<th>kinds</th><th>a link it gives</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def language_sets(articles: Iterable[dict[str, Any]]) -> Counter[int]:
    """Stories by the number of languages they exist in: articles grouped by
    ``translation_key`` (an item without one, from before the field, is a set of its own),
    each set's languages its members' own and those their ``translations`` name, crawled or
    not (a ``lang=ru`` run still knows which Russian news have Belarusian versions)."""
    sets: dict[str, set[str]] = defaultdict(set)
    for item in articles:
        key = item.get("translation_key") or item["url"]
        sets[key].add(item["lang"])
        sets[key].update(t["lang"] for t in item.get("translations") or [])
    return Counter(len(langs) for langs in sets.values())


def _languages_section(articles: list[dict[str, Any]]) -> str:
    counts = language_sets(articles)
    rows = "".join(f'<tr data-languages="{n}"><th>{n}</th><td class="n-stories">{counts[n]}'
                   f"</td></tr>" for n in (1, 2, 3))
    return (
        "<h2>Languages of each story</h2><p>News stories (a node and its translations: one "
        "<code>translation_key</code>) by how many of ru, be, en they exist in, from each "
        "article's language and the translations its page links.</p>"
        '<table id="languages"><thead><tr><th>languages</th><th>stories</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _completeness_section(articles: list[dict[str, Any]]) -> str:
    counts = completeness(articles)
    total = len(articles)
    rows = "".join(
        f'<tr data-field="{name}"><th><code>{name}</code></th><td class="name">{what}</td>'
        f'<td class="n-articles">{counts[name]}</td>'
        f'<td class="share">{100 * counts[name] / total if total else 0:.1f} %</td></tr>'
        for name, what in COMPLETENESS)
    return (
        "<h2>Field completeness</h2><p>Of the articles, how many have each optional field "
        "filled in (a list with at least one member, or a value), and their share. A field "
        "that drops suddenly after a run points at a parser that stopped finding it.</p>"
        '<table id="completeness"><thead><tr><th>field</th><th>articles with</th>'
        f"<th>articles</th><th>share</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _extraction_section(articles: list[dict[str, Any]]) -> str:
    counts = Counter((item.get("era") or "-", item.get("extraction", "site")) for item in articles)
    rows = "".join(f'<tr data-era="{era}" data-extraction="{how}"><th>{era}</th>'
                   f'<td class="name">{how}</td><td class="n-articles">{n}</td></tr>'
                   for (era, how), n in sorted(counts.items()))
    return (
        "<h2>Extraction</h2><p>Page template (era) each article was read with; "
        "<code>fallback</code>: the era's selectors found nothing (a redesign?) and metadata "
        "and trafilatura were used.</p>"
        '<table id="extraction"><thead><tr><th>era</th><th>extraction</th><th>articles</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _runs_section(runs: list[Run]) -> str:
    scale = max((r.fallbacks + sum(r.failures.values()) for r in runs), default=1) or 1
    body = []
    for run in runs:
        failures = run.failures
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(failures.items()))
        health = run.summary.get("health", "?")
        body.append(
            f'<tr data-run="{escape(run.run_id)}"><th>{escape(run.run_id)}</th>'
            f'<td class="name base-url">{escape(run.base_url)}</td>'
            f'<td class="name">{escape(run.mode)}</td>'
            f'<td class="name{" unhealthy" if health == "unhealthy" else ""}">'
            f"{escape(health)}</td>"
            f'<td class="n-pages">{int(run.summary.get("pages_fetched", 0))}</td>'
            f'<td class="n-exported">{run.exported}</td>'
            f'<td class="n-fallbacks">{run.fallbacks}</td>'
            f'<td class="n-failures">{sum(failures.values())}</td>'
            f'<td class="name reasons">{escape(reasons)}</td>'
            f'{_bar([("fallbacks", run.fallbacks), ("failures", sum(failures.values()))], scale)}'
            "</tr>")
    return (
        "<h2>Runs: base URL, fallbacks and failures</h2>"
        "<p>From the manifest and each run's summary: the base URL the run crawled (the live "
        "site or a replica), its mode and health; failures are pages that ended without an "
        "item (their URLs and reasons are in <code>mpt-&lt;run&gt;-failures.jsonl</code>).</p>"
        + _key(("fallbacks", "failures"))
        + '<table id="runs"><thead><tr><th>run</th><th>base URL</th><th>mode</th><th>health</th>'
        "<th>pages</th>"
        "<th>exported</th><th>fallbacks</th><th>failures</th><th>reasons</th><th></th></tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def render(dataset: Dataset, data: Path, now: dt.datetime | None = None) -> str:
    articles = dataset.articles
    dates = sorted(item["published"][:10] for item in articles if item.get("published"))
    generated = f"{now or dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}"
    facts = {
        "articles": len(articles),
        "revisions exported": dataset.revisions,
        "runs": len(dataset.runs),
        "published": f"{dates[0]} … {dates[-1]}" if dates else "—",
        "last run": dataset.runs[-1].run_id if dataset.runs else "—",
        "data folder": str(data.resolve()),
        "generated": generated,
    }
    sites = sorted({run.base_url for run in dataset.runs})
    overview = "".join(f'<dt>{escape(k)}</dt><dd id="fact-{k.replace(" ", "-")}">'
                       f"{escape(str(v))}</dd>" for k, v in facts.items())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width">'
        "<title>mpt.gov.by news: dataset report</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>mpt.gov.by news: dataset report</h1>"
        "<p>The newest revision of every article exported by the runs in the manifest.</p>"
        f"<dl>{overview}</dl>"
        "<p><b>articles</b>: one per URL, its newest revision; <b>revisions exported</b>: "
        "the lines of all the runs' JSONL files (an article edited twice counts three times); "
        "<b>data folder</b>: the folder this report was read from (<code>--data</code>), "
        "whose <code>manifest.jsonl</code> lists the runs.</p>"
        + (f'<p class="unhealthy" id="mixed-sites">The runs crawled {len(sites)} base URLs '
           f"({escape(', '.join(sites))}): their articles are counted together.</p>"
           if len(sites) > 1 else "")
        + _months_section(articles) + _languages_section(articles)
        + _completeness_section(articles) + _sources_section(articles)
        + _extraction_section(articles)
        + _runs_section(dataset.runs) + "</body></html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mptcrawler-report", description=__doc__.split("\n")[0],
                                     formatter_class=HelpFormatter)
    add_version(parser)
    parser.add_argument("--data", type=Path, default=Path("data"),
                        help="the crawl's data folder")
    parser.add_argument("--out", type=Path, help="the HTML file (default: DATA/report.html)")
    args = parser.parse_args(argv)
    try:
        dataset = load(args.data)
    except (FileNotFoundError, json.JSONDecodeError, KeyError) as exc:
        print(f"mptcrawler-report: {exc}", file=sys.stderr)
        return 2
    out = args.out or args.data / "report.html"
    out.write_text(render(dataset, args.data), encoding="utf-8")
    print(f"{out}: {len(dataset.articles)} articles, {len(dataset.runs)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
