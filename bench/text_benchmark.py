"""Body text: mptcrawler against trafilatura on the same replica pages, in the same run.

    python bench/text_benchmark.py [--articles 300]

For every replica article page (served from the model, no network) both extract the body text,
which is compared with the generator's ground truth:
- exact: the text equals the truth character for character;
- exact ignoring white space: equal once every run of white space is one space;
- token F1: overlap of the white-space tokens (multiset), averaged over pages.
Both get the whole page. trafilatura is called with its defaults plus tables, as a user would.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsel import Selector  # noqa: E402

from mptcrawler.items import article_from_page  # noqa: E402
from mptcrawler.parsers import parse_article  # noqa: E402
from mptcrawler.pipelines import process_offline  # noqa: E402
from mptcrawler.replica import build_site  # noqa: E402
from mptcrawler.replica.server import route  # noqa: E402

warnings.filterwarnings("ignore")


def token_f1(got: str, want: str) -> float:
    a, b = collections.Counter(got.split()), collections.Counter(want.split())
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def main() -> int:
    import trafilatura

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    site = build_site(args.articles, 1)
    pages = [(a, route(site, a.path)[2]) for a in site.articles]
    scores: dict[str, dict[str, list[float]]] = {
        "mptcrawler": collections.defaultdict(list), "trafilatura": collections.defaultdict(list)}
    seconds = {"mptcrawler": 0.0, "trafilatura": 0.0}
    trafilatura.extract(pages[0][1])  # first call loads its models of boilerplate
    for article, html in pages:
        t = time.perf_counter()
        page = parse_article(Selector(text=html), article.url)
        ours = process_offline(article_from_page(page, "2026-01-01T00:00:00Z")).text or ""
        seconds["mptcrawler"] += time.perf_counter() - t
        t = time.perf_counter()
        theirs = trafilatura.extract(html, include_tables=True) or ""
        seconds["trafilatura"] += time.perf_counter() - t
        for name, got in (("mptcrawler", ours), ("trafilatura", theirs)):
            for key in ("all", f"era {article.era}"):
                scores[name][key + " exact"].append(got == article.text)
                scores[name][key + " ws"].append(" ".join(got.split())
                                                 == " ".join(article.text.split()))
                scores[name][key + " f1"].append(token_f1(got, article.text))

    n = len(pages)
    print(f"## Body text against the ground truth ({n} replica pages, trafilatura "
          f"{trafilatura.__version__})\n")
    print("| pages | measure | mptcrawler | trafilatura |")
    print("|---|---|---|---|")
    for key in ["all", "era A", "era B", "era C"]:
        count = len(scores["mptcrawler"][key + " exact"])
        for measure, label in (("exact", "exact match"), ("ws", "exact ignoring white space"),
                               ("f1", "mean token F1")):
            ours = statistics.fmean(scores["mptcrawler"][f"{key} {measure}"])
            theirs = statistics.fmean(scores["trafilatura"][f"{key} {measure}"])
            fmt = "{:.3f}" if measure == "f1" else "{:.1%}"
            print(f"| {key} ({count}) | {label} | {fmt.format(ours)} | {fmt.format(theirs)} |")
    print(f"| all ({n}) | ms per page (parse + text) | {seconds['mptcrawler'] / n * 1000:.2f} | "
          f"{seconds['trafilatura'] / n * 1000:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
