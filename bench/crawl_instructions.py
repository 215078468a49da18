"""The cron run's own work in instruction counts: ad-hoc and cron crawls under callgrind at two
(or more) replica sizes, and cron − ad hoc split into M instructions a page and a once-a-run
part.

    python bench/crawl_instructions.py [--articles 100,300] [--checkout DIR ...]
        [--variant LABEL:SETTING=VALUE,…] [--keep DIR]

CPU time per page on this shared 2-core machine moves by ±0.5 ms between identical runs
(BENCHMARKS.md), as much as the target it should judge; instruction counts of user space do
not move with the load. Each crawl is the real ``scrapy crawl mpt -a lang=all`` of
bench/crawl_benchmark.py (the same settings) against a replica served natively on loopback;
only the crawler runs under ``valgrind --tool=callgrind``. With crawls at two sizes the
difference of the totals over the difference of the pages is the per-page cost (imports,
start-up and end-of-run work cancel out), and what is left at the smaller size is the
once-a-run part. ``--checkout DIR`` (repeatable) measures that tree too, in the same run
(PYTHONPATH); ``--variant`` adds a cron run with settings changed (e.g. an output off);
``--keep DIR`` keeps the callgrind files for ``callgrind_annotate --inclusive=yes``.
What this cannot show: system time (file creation, page faults), time per instruction
(cache misses, a larger heap) and a thread that busy-waits (valgrind runs one thread at a
time), which CPU time includes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl_benchmark import ENV, crawlers, parse_variant, stat  # noqa: E402

from mptcrawler.replica.__main__ import start_server  # noqa: E402


def callgrind_total(path: Path) -> int:
    """The instructions a callgrind output file counts (its ``totals:``/``summary:`` line)."""
    text = path.read_text(errors="replace")
    m = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
    if m is None:
        raise RuntimeError(f"no totals in {path}")
    return int(m.group(1))


def crawl(args: list[str], cwd: Path, out: Path, checkout: Path | None) -> tuple[int, int]:
    """One crawl under callgrind in ``cwd``: instructions and pages fetched."""
    env = dict(ENV, PYTHONPATH=str(checkout)) if checkout is not None else ENV
    log = cwd / "scrapy.log"
    with log.open("w") as err:
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        sys.executable, "-m", "scrapy", *args],
                       cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, check=False)
    text = log.read_text(errors="replace")
    pages = stat(text, "response_received_count")
    if not pages or not out.exists():
        raise RuntimeError(f"crawl failed; log in {log}:\n{text[-2000:]}")
    return callgrind_total(out), pages


def measure(sizes: list[int], trees: list[tuple[str, Path | None]],
            variants: list[tuple[str, dict[str, str]]], work: Path
            ) -> dict[tuple[str, str, int], tuple[int, int]]:
    """Instructions and pages of every (tree, crawler, size)."""
    results: dict[tuple[str, str, int], tuple[int, int]] = {}
    for size in sizes:
        folder = work / f"a{size}"
        folder.mkdir()
        server, base = start_server(size, 1, folder)
        try:
            for t, (tree, checkout) in enumerate(trees):
                for c, (label, args) in enumerate(crawlers(base, folder, variants)):
                    kind = "ad hoc" if c == 0 else label.removeprefix("mptcrawler, ")
                    cwd = folder / f"t{t}-c{c}"
                    cwd.mkdir()
                    args = [a.replace(str(folder / "out.jsonl"), str(cwd / "out.jsonl"))
                            for a in args]
                    results[tree, kind, size] = crawl(args, cwd, cwd / "callgrind.out",
                                                      checkout)
                    n, pages = results[tree, kind, size]
                    print(f"  {tree}, {kind}, {size} articles: {pages} pages, "
                          f"{n / 1e6:,.1f} M instructions", file=sys.stderr, flush=True)
        finally:
            server.terminate()
            server.wait()
    return results


def table(results: dict[tuple[str, str, int], tuple[int, int]], sizes: list[int],
          trees: list[str]) -> list[str]:
    """Totals, then per consecutive pair of sizes the per-page slope and once-a-run part: with
    three sizes or more, a slope that grows with the size is work that is not linear."""
    pairs = list(itertools.pairwise(sizes))
    rows = ["| tree | crawler | " + " | ".join(f"{s} articles" for s in sizes) + " |",
            "|---|---|" + "---|" * len(sizes)]
    kinds = sorted({k for _, k, _ in results}, key=lambda k: (k != "ad hoc", k != "cron run", k))
    for tree in trees:
        for kind in kinds:
            rows.append(f"| {tree} | {kind} | " + " | ".join(
                f"{results[tree, kind, s][0] / 1e6:,.1f} M ({results[tree, kind, s][1]} pages)"
                for s in sizes) + " |")
    if not pairs:
        return rows
    rows += ["", "| tree | crawler or difference | sizes | M instructions a page | "
             "M once a run |", "|---|---|---|---|---|"]
    for tree in trees:
        for kind in kinds:
            for small, large in pairs:
                n = [results[tree, kind, s][0] for s in (small, large)]
                d = [n[i] - (results[tree, "ad hoc", s][0] if kind != "ad hoc" else 0)
                     for i, s in enumerate((small, large))]
                pages = [results[tree, kind, s][1] for s in (small, large)]
                slope = (d[1] - d[0]) / (pages[1] - pages[0])
                name = kind if kind == "ad hoc" else f"{kind} − ad hoc"
                rows.append(f"| {tree} | {name} | {small}→{large} | **{slope / 1e6:.3f}** | "
                            f"{(d[0] - slope * pages[0]) / 1e6:,.1f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", default="100,300",
                        help="replica sizes, increasing, comma-separated")
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="another tree to measure in the same run (e.g. `git archive main "
                             "| tar -x -C DIR`)")
    parser.add_argument("--variant", type=parse_variant, action="append", default=[],
                        help="one more cron run with these settings, "
                             "LABEL:SETTING=VALUE[,SETTING=VALUE]")
    parser.add_argument("--keep", type=Path, help="keep the crawls' folders (callgrind "
                                                  "files, logs) here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.articles.split(",")]
    if sizes != sorted(set(sizes)):
        parser.error("--articles: sizes in increasing order (two or more for the per-page "
                     "part)")
    trees: list[tuple[str, Path | None]] = [("this", None)]
    trees += [(str(c), c.resolve()) for c in args.checkout]
    if args.keep is not None:
        args.keep.mkdir(parents=True)
        work = args.keep
        results = measure(sizes, trees, args.variant, work)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results = measure(sizes, trees, args.variant, Path(tmp))
    print(f"## Crawl instructions (callgrind, {os.cpu_count()} cores; replica served natively)\n")
    print("\n".join(table(results, sizes, [t for t, _ in trees])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
