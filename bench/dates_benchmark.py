"""Dates: speed and accuracy of mptcrawler.dates against dateparser, same inputs, same run.

    python bench/dates_benchmark.py            # prints a Markdown report

- parse_date calls/s vs ``dateparser.parse(text, languages=[lang])`` on the gold set's fields;
- find_dates MB/s vs ``dateparser.search.search_dates(text, languages=[lang])`` on replica bodies;
- accuracy of each on the gold set (tests/gold);
- the slowest hostile input for each function (long runs of digits, month names, prepositions).

A benchmark, not a test: machines are shared and noisy, so only ratios within one run mean much.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mptcrawler.dates import MINSK, find_dates, parse_date  # noqa: E402
from mptcrawler.replica import build_site  # noqa: E402

warnings.filterwarnings("ignore")  # dateparser's own deprecation warnings
GOLD = ROOT / "tests" / "gold"


def load(name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (GOLD / f"{name}.jsonl").read_text("utf-8").splitlines()]


def rate(fn: Callable[[], object], calls: int, min_seconds: float = 0.5) -> float:
    """Calls per second of ``fn`` (which makes ``calls`` calls), median of repeated runs."""
    runs = []
    start = time.perf_counter()
    while not runs or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return calls / statistics.median(runs)


def base_of(case: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(case["base"]) if case["base"] else None


def dateparser_iso(value: dt.datetime | None, expected: str | None) -> str | None:
    """dateparser's answer in the gold set's terms: a date unless the gold expects a time."""
    if value is None:
        return None
    if expected is not None and "T" in expected:
        aware = value if value.tzinfo else value.replace(tzinfo=MINSK)
        return aware.astimezone(MINSK).isoformat()
    return value.date().isoformat()


def main() -> int:
    import dateparser
    from dateparser.search import search_dates

    parse_gold, find_gold = load("parse_date"), load("find_dates")
    fields = [(c["text"], c["lang"], base_of(c)) for c in parse_gold]
    dateparser.parse("01.01.2020", languages=["ru"])  # first call loads the language data
    search_dates("1 января 2020", languages=["ru"])

    ours_parse = rate(lambda: [parse_date(t, lang, b) for t, lang, b in fields], len(fields))
    theirs_parse = rate(lambda: [dateparser.parse(t, languages=[lang]) for t, lang, _ in fields],
                        len(fields), min_seconds=1.0)

    ours_ok = sum(
        (v.isoformat() if (v := parse_date(c["text"], c["lang"], base_of(c))) else None)
        == c["expected"] for c in parse_gold)
    theirs_ok = sum(
        dateparser_iso(dateparser.parse(c["text"], languages=[c["lang"]]), c["expected"])
        == c["expected"] for c in parse_gold)

    site = build_site(200, 1)
    bodies = [(a.text, a.lang, a.day) for a in site.articles]
    size_mb = sum(len(t.encode("utf-8")) for t, _, _ in bodies) / 1e6
    subset = bodies[:20]  # search_dates needs seconds per body: both measured on these
    subset_mb = sum(len(t.encode("utf-8")) for t, _, _ in subset) / 1e6
    ours_find_all = rate(lambda: [find_dates(t, lang, d) for t, lang, d in bodies], 1) * size_mb
    ours_find = rate(lambda: [find_dates(t, lang, d) for t, lang, d in subset], 1) * subset_mb
    theirs_find = rate(lambda: [search_dates(t, languages=[lang]) for t, lang, _ in subset], 1,
                       min_seconds=2.0) * subset_mb

    def find_score(finder: Callable[[dict[str, Any]], list[str]]) -> tuple[int, float, float]:
        exact = tp = fp = fn = 0
        for case in find_gold:
            got, want = finder(case), [e[1] for e in case["expected"]]
            exact += sorted(got) == sorted(want)
            tp += sum(min(got.count(v), want.count(v)) for v in set(want))
            fp += max(0, len(got) - sum(min(got.count(v), want.count(v)) for v in set(got)))
            fn += max(0, len(want) - sum(min(got.count(v), want.count(v)) for v in set(want)))
        return exact, tp / max(1, tp + fp), tp / max(1, tp + fn)

    ours_find_score = find_score(
        lambda c: [m.value for m in find_dates(c["text"], c["lang"], base_of(c))])

    def theirs(case: dict[str, Any]) -> list[str]:
        found = search_dates(case["text"], languages=[case["lang"]]) or []
        return [value.date().isoformat() for _, value in found]

    theirs_find_score = find_score(theirs)

    # Each just under 30,000 characters, the bound the issue sets (no input under it over 50 ms).
    hostile = {
        "digits '1 ' × 14,999": "1 " * 14999,
        "'от 1 января ' × 2,499": "от 1 января " * 2499,
        "'12.12.' × 4,999": "12.12." * 4999,
        "'а' × 29,999": "а" * 29999,
        "'в мае ' × 4,999": "в мае " * 4999,
        "'с 1 по ' × 4,285": "с 1 по " * 4285,
        "'January ' × 3,749": "January " * 3749,
        "'в ' × 14,999": "в " * 14999,
        "'1-' × 14,999": "1-" * 14999,
        "'1 января ' × 3,333": "1 января " * 3333,
        "'Сегодня, ' × 3,333": "Сегодня, " * 3333,
        "'два дня назад ' × 2,142": "два дня назад " * 2142,
        "'в 2015 году ' × 2,499": "в 2015 году " * 2499,
        "'a ' × 14,999": "a " * 14999,
        "one 29 KB article body": (bodies[0][0] * 40)[:29999],
    }
    worst = []
    for label, text in hostile.items():
        runs = []
        for _ in range(3):  # the best of three: a shared machine adds noise, never speed
            t = time.perf_counter()
            find_dates(text, "ru", dt.date(2020, 1, 1))
            runs.append((time.perf_counter() - t) * 1000)
        find_ms = min(runs)
        t = time.perf_counter()
        parse_date(text, "ru", dt.date(2020, 1, 1))
        parse_ms = (time.perf_counter() - t) * 1000
        worst.append((label, len(text), find_ms, parse_ms))

    print(f"## Dates ({dt.date.today()}, {platform.machine()}, Python {platform.python_version()},"
          f" dateparser {dateparser.__version__})\n")
    print("| measure | mptcrawler.dates | dateparser | ratio |")
    print("|---|---|---|---|")
    print(f"| parse_date, calls/s (gold fields, n={len(fields)}) | {ours_parse:,.0f} | "
          f"{theirs_parse:,.0f} | {ours_parse / theirs_parse:.0f}× |")
    print(f"| find_dates vs search_dates, MB/s (20 replica bodies) | {ours_find:.2f} | "
          f"{theirs_find:.4f} | {ours_find / theirs_find:.0f}× |")
    print(f"| find_dates, MB/s (200 replica bodies, {size_mb:.2f} MB) | {ours_find_all:.2f} | | |")
    print(f"| parse_date gold accuracy (n={len(parse_gold)}) | "
          f"{ours_ok / len(parse_gold):.1%} | {theirs_ok / len(parse_gold):.1%} | |")
    print(f"| find_dates gold: cases exactly right (n={len(find_gold)}) | "
          f"{ours_find_score[0] / len(find_gold):.1%} | "
          f"{theirs_find_score[0] / len(find_gold):.1%} | |")
    print(f"| find_dates gold: value precision / recall | {ours_find_score[1]:.1%} / "
          f"{ours_find_score[2]:.1%} | {theirs_find_score[1]:.1%} / {theirs_find_score[2]:.1%} | |")
    print("\nSlowest inputs (one call each, ms):\n")
    print("| input | characters | find_dates | parse_date |")
    print("|---|---|---|---|")
    for label, n, find_ms, parse_ms in worst:
        print(f"| {label} | {n:,} | {find_ms:.1f} | {parse_ms:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
