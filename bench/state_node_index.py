"""Lookups by node id in a large state, with and without the ``articles_node`` index.

    python bench/state_node_index.py [--articles 50000] [--lookups 2000] [--rounds 5]

An article unknown by its URL is looked for by its node id: ``known_node`` (a listing entry's
node, a /node/NID twin) and ``known_elsewhere`` (a renamed alias). Both look for nodes the state
mostly does not know (a new article), which without the index reads every article of the site.

One state of ``--articles`` articles is built with today's code, then copied, and the copy's
index dropped: the "before" file is today's state as a release without the index would have it
(the lookups' SQL did not change, only the index). Each round times ``--lookups`` calls of each
lookup on both files, in turns (before, after), and one ``commit_run`` of 1,000 new articles
into a fresh copy of each (what the index costs a run's commit). Medians of the rounds;
``time.process_time`` (CPU of this process, SQLite included). Also the upgrade itself: the
first opening of the before file by today's code, which makes the index.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mptcrawler.state import CrawlState

SITE = "https://mpt.gov.by"


def build(path: Path, articles: int) -> None:
    state = CrawlState(path, SITE)
    state.start_run("r1", None)
    for n in range(articles):
        # Russian articles, node ids 1..n, as the live site numbers them
        state.stage("r1", f"{SITE}/ru/article-{n}", n + 1, f"h{n}", 1, "2024-01-02", None,
                    None, exported=True)
    state.commit_run("r1", seen=articles)
    state.close()


def cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        after = folder / "after.sqlite"
        build(after, args.articles)
        before = folder / "before.sqlite"
        shutil.copyfile(after, before)
        db = sqlite3.connect(before)
        db.execute("DROP INDEX articles_node")
        db.commit()
        db.close()
        unknown = [args.articles + 1 + n for n in range(args.lookups)]  # new articles' nodes
        known = [1 + (n * 7919) % args.articles for n in range(args.lookups)]
        # Opened without CrawlState for "before", so that its upgrade does not make the index.
        states = {"before": CrawlState.__new__(CrawlState), "after": CrawlState(after, SITE)}
        states["before"].db = sqlite3.connect(before, isolation_level=None)
        states["before"].site, states["before"].path = SITE, before
        times: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, state in states.items():
                for what, work in (
                        ("known_node unknown", lambda s=state: [s.known_node(n) for n in unknown]),
                        ("known_node known", lambda s=state: [s.known_node(n) for n in known]),
                        ("known_elsewhere unknown", lambda s=state: [
                            s.known_elsewhere(n, "ru", f"{SITE}/ru/new-{n}") for n in unknown])):
                    times.setdefault(f"{what} {name}", []).append(cpu(work) / args.lookups)
                fresh = folder / f"commit-{name}.sqlite"
                shutil.copyfile(before if name == "before" else after, fresh)
                target = CrawlState.__new__(CrawlState)
                target.db = sqlite3.connect(fresh, isolation_level=None)
                target.site, target.path, target.staged = SITE, fresh, 0
                target.start_run("r2", None)
                for n in range(1_000):
                    target.stage("r2", f"{SITE}/ru/added-{n}", args.articles + n + 1, "h", 1,
                                 None, None, None, exported=True)
                target.flush()
                times.setdefault(f"commit_run 1000 {name}", []).append(
                    cpu(lambda t=target: t.commit_run("r2", seen=1_000)))
                target.db.close()
        for state in states.values():
            state.db.close()
        upgrade = folder / "upgrade.sqlite"
        shutil.copyfile(before, upgrade)
        made = cpu(lambda: CrawlState(upgrade, SITE).close())
    print(f"state of {args.articles} articles; {args.lookups} lookups a round; "
          f"{args.rounds} rounds; medians (CPU)")
    for key, values in times.items():
        unit, scale = ("ms", 1e3) if key.startswith("commit_run") else ("µs a lookup", 1e6)
        print(f"  {key:32} {statistics.median(values) * scale:10.1f} {unit}  "
              f"(rounds: {', '.join(f'{v * scale:.1f}' for v in values)})")
    print(f"  first opening by today's code (makes the index): {made * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
