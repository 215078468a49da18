"""Crawl throughput, memory and incremental cost, against replicas served on loopback.

    python bench/crawl_benchmark.py [--articles 5000] [--memory-articles 10000]
    python bench/crawl_benchmark.py --parts throughput --rounds 5 [--variant LABEL:SETTING=VALUE]

1. Throughput: a full `scrapy crawl mpt -a lang=all` of a replica with politeness off, and a
   bare Scrapy spider (bench/bare_spider.py) that follows the same listing, pager and article
   links and yields nothing, same replica, same run: pages/s and the ratio. `scrapy bench` for
   reference. With ``--rounds N`` (N > 1) the ad-hoc and the cron run take turns N times on the
   one replica (the order rotating each round, each run in a fresh folder), the bare spider runs
   in the first round only, and the table gives each run's user and system CPU apart and the
   median over the rounds of cron − ad hoc and of cron ÷ ad hoc: one run of each on a shared
   machine moved the difference by ±0.5 ms a page (BENCHMARKS.md). ``--variant
   LABEL:SETTING=VALUE,…`` adds a cron run with those settings to every round (e.g. an output
   switched off, to see its cost);
   ``--before DIR`` an ad-hoc and a cron run of the code in DIR (before/after in one run).
   ``--tmp /dev/shm`` keeps the runs' files off this machine's ext4 (whose new inodes cost
   0.03-2 ms of system CPU each after other processes' deletions); ``--pin`` puts the crawlers
   and the replica server on different CPUs (no help on a shared machine, BENCHMARKS.md).
   The user part is judged better in instructions: bench/crawl_instructions.py.
2. Memory: RSS of the crawl sampled every 0.25 s against pages served so far, over a larger
   replica: peak, and the slope in MB per 1,000 pages over the second half of the crawl.
3. Incremental cost: requests and wall time of a run with nothing new and with 10 new articles
   (default replica of 300 articles, after a first full run).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
# --pin: the CPUs the crawlers run on (the replica server gets the others), else None.
CRAWLER_CPUS: set[int] | None = None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> tuple[float, float]:
    """User and system CPU seconds of the finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def scrapy(args: list[str], cwd: Path, sample: Path | None = None,
           env: dict[str, str] | None = None) -> tuple[float, str, list[tuple[float, int, int]]]:
    """Run scrapy; return wall seconds, stderr, and (t, rss KB, requests served) samples."""
    log = cwd / "scrapy.log"
    with log.open("w") as err:
        start = time.monotonic()
        cpus = CRAWLER_CPUS
        proc = subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=cwd, env=env or ENV,
                                stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=(lambda: os.sched_setaffinity(0, cpus))
                                if cpus else None)
        samples = []
        while proc.poll() is None:
            try:
                proc.wait(timeout=0.25)  # not sleep(): the wall time would be rounded up
                break
            except subprocess.TimeoutExpired:
                pass
            try:
                status = Path(f"/proc/{proc.pid}/status").read_text()
            except OSError:
                break
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) if "VmRSS" in status else 0
            served = sum(1 for _ in sample.open()) if sample and sample.exists() else 0
            samples.append((time.monotonic() - start, rss, served))
        proc.wait()
        wall = time.monotonic() - start
    return wall, log.read_text(), samples


def stat(log: str, name: str) -> int:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else 0


def settings_args(extra: dict[str, str] | None = None) -> list[str]:
    out = []
    for k, v in {**REPLICA_SETTINGS, "LOG_LEVEL": "INFO", **(extra or {})}.items():
        out += ["-s", f"{k}={v}"]
    return out


AD_HOC = "mptcrawler, ad hoc (`-O out.jsonl`)"
CRON = "mptcrawler, cron run (all outputs)"
BARE = "bare spider (links only)"


BEFORE = " [before]"


def crawlers(base: str, work: Path, variants: list[tuple[str, dict[str, str]]]
             ) -> list[tuple[str, list[str]]]:
    """Label and scrapy arguments of each crawler of a round (a label ending in BEFORE runs
    the code of ``--before``)."""
    crawl = ["crawl", "mpt", "-a", "lang=all", "-s", f"MPT_BASE_URL={base}"]
    out = [(AD_HOC, [*crawl, "-O", str(work / "out.jsonl"),
                     *settings_args({"MPT_INCREMENTAL": "False"})]),
           # as cron runs it: JSONL, Parquet, Markdown documents, WARC archive, SQLite state
           (CRON, [*crawl, "-a", "full=1", *settings_args({"MPT_INCREMENTAL": "True"})])]
    for label, extra in variants:
        out.append((f"cron run, {label}", [*crawl, "-a", "full=1",
                                            *settings_args({"MPT_INCREMENTAL": "True", **extra})]))
    return out


def bare(base: str) -> tuple[str, list[str]]:
    return (BARE, ["runspider", str(ROOT / "bench" / "bare_spider.py"), "-s",
                   f"MPT_BASE_URL={base}", *settings_args({"MPT_INCREMENTAL": "False"})])


def run_one(label: str, args: list[str], cwd: Path, server: int,
            env: dict[str, str] | None = None) -> dict[str, Any]:
    """One crawl: pages, wall seconds, the crawler's user and system CPU seconds, the
    server's CPU seconds."""
    server_before, (user_before, sys_before) = cpu_seconds(server), children_cpu()
    wall, log, _ = scrapy(args, cwd, env=env)
    user, system = children_cpu()
    pages = stat(log, "response_received_count")
    if not pages:
        raise RuntimeError(f"{label}: no page fetched; log in {cwd / 'scrapy.log'}:\n"
                           + log[-2000:])
    return {"label": label, "pages": pages, "wall": wall, "user": user - user_before,
            "sys": system - sys_before, "server": cpu_seconds(server) - server_before}


def throughput(articles: int, work: Path, rounds: int = 1,
               variants: list[tuple[str, dict[str, str]]] | None = None,
               before: Path | None = None) -> list[str]:
    """Pages/s of each crawler, and where the CPU went: the crawler's own CPU time and the
    replica server's, per page (both share the machine's cores)."""
    proc, base = start_server(articles, 1, work)
    if CRAWLER_CPUS:
        # The server on the other CPUs: the crawler's own CPU time then does not include
        # being switched out for the server on its core (its caches cold again after).
        os.sched_setaffinity(proc.pid, os.sched_getaffinity(0) - CRAWLER_CPUS)
    try:
        if rounds == 1 and not variants and before is None:
            return one_round(base, work, proc.pid)
        return several_rounds(base, work, proc.pid, rounds, variants or [], before)
    finally:
        proc.terminate()
        proc.wait()


def one_round(base: str, work: Path, server: int) -> list[str]:
    """The table of one run of each crawler, one after the other, in ``work``."""
    rows, rates = [], {}
    for label, args in [*crawlers(base, work, []), bare(base)]:
        r = run_one(label, args, work, server)
        crawler = r["user"] + r["sys"]
        rates[label] = r["pages"] / r["wall"]
        rows.append(f"| {label} | {r['pages']:,} | {r['wall']:.1f} | {rates[label]:,.0f} | "
                    f"{crawler / r['pages'] * 1000:.2f} | {r['server'] / r['pages'] * 1000:.2f} | "
                    f"{(crawler + r['server']) / r['wall']:.2f} |")
    rows.append(f"| ratio ad hoc / bare | | | **{rates[AD_HOC] / rates[BARE]:.2f}** | | | |")
    rows.append(f"| ratio cron run / bare | | | **{rates[CRON] / rates[BARE]:.2f}** | | | |")
    return rows


def several_rounds(base: str, work: Path, server: int, rounds: int,
                   variants: list[tuple[str, dict[str, str]]],
                   before: Path | None = None) -> list[str]:
    """Every crawler once a round, the order rotating, each run in a folder of its own (a cron
    run's state would make the next one incremental); a row per run, then the medians of each
    cron run's CPU per page minus the same round's ad-hoc run's. ``before``: a checkout of
    earlier code whose ad-hoc and cron run take their turns too (PYTHONPATH)."""
    env_before = dict(ENV, PYTHONPATH=str(before.resolve())) if before else None
    rows = ["| round | load | crawler | pages | seconds | pages/s | crawler CPU ms/page | user "
            "| system | server CPU ms/page |", "|---|---|---|---|---|---|---|---|---|---|"]
    per_round: list[dict[str, dict[str, float]]] = []
    for n in range(1, rounds + 1):
        runs = crawlers(base, work, variants)
        if before is not None:
            runs += [(label + BEFORE, args) for label, args in runs[:2]]
        k = (n - 1) % len(runs)
        runs = runs[k:] + runs[:k]
        if n == 1:
            runs.append(bare(base))
        ms: dict[str, dict[str, float]] = {}
        for i, (label, args) in enumerate(runs):
            cwd = work / f"round{n}-{i}"
            cwd.mkdir()
            load = os.getloadavg()[0]
            r = run_one(label, args, cwd, server,
                        env_before if label.endswith(BEFORE) else None)
            pages = r["pages"]
            ms[label] = {x: r[x] / pages * 1000 for x in ("user", "sys")}
            ms[label]["cpu"] = ms[label]["user"] + ms[label]["sys"]
            rows.append(f"| {n} | {load:.1f} | {label} | {pages:,} | {r['wall']:.1f} | "
                        f"{pages / r['wall']:,.0f} | {ms[label]['cpu']:.2f} | "
                        f"{ms[label]['user']:.2f} | {ms[label]['sys']:.2f} | "
                        f"{r['server'] / pages * 1000:.2f} |")
        per_round.append(ms)
    rows += ["", "| difference, ms/page | per round (CPU) | median CPU | median user | "
             "median system | ratio per round (CPU) | median ratio |",
             "|---|---|---|---|---|---|---|"]
    pairs = [("cron − ad hoc", CRON, AD_HOC)]
    if before is not None:
        pairs += [("before: cron − ad hoc", CRON + BEFORE, AD_HOC + BEFORE),
                  ("cron run − cron run before", CRON, CRON + BEFORE),
                  ("ad hoc − ad hoc before", AD_HOC, AD_HOC + BEFORE)]
    for v, _ in variants:  # a variant switches something off: the full run minus it is its cost
        pairs += [(f"{v} − ad hoc", f"cron run, {v}", AD_HOC),
                  (f"cron run − {v}", CRON, f"cron run, {v}")]
    for name, label, ref in pairs:
        d = {x: [ms[label][x] - ms[ref][x] for ms in per_round] for x in ("cpu", "user", "sys")}
        # The ratio as well as the difference: a difference in ms is tied to the machine's speed
        # in that minute (the same ad-hoc crawl took 3.1 and 7.9 ms a page in different
        # sessions), a ratio of two runs of one round much less.
        ratios = [ms[label]["cpu"] / ms[ref]["cpu"] for ms in per_round]
        rows.append(f"| {name} | {', '.join(f'{v:+.2f}' for v in d['cpu'])} | "
                    f"**{statistics.median(d['cpu']):+.2f}** | "
                    f"{statistics.median(d['user']):+.2f} | "
                    f"{statistics.median(d['sys']):+.2f} | "
                    f"{', '.join(f'{v:.3f}' for v in ratios)} | "
                    f"**{statistics.median(ratios):.3f}** |")
    return rows


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    """``LABEL:SETTING=VALUE,SETTING=VALUE`` (a value may be empty)."""
    label, sep, spec = text.partition(":")
    if not sep or not label:
        raise argparse.ArgumentTypeError(f"expected LABEL:SETTING=VALUE[,…], got {text!r}")
    extra = {}
    for part in spec.split(","):
        key, eq, value = part.partition("=")
        if not eq or not key:
            raise argparse.ArgumentTypeError(f"expected SETTING=VALUE, got {part!r}")
        extra[key] = value
    return label, extra


def memory(articles: int, work: Path, cron: bool) -> list[str]:
    """RSS against pages served, ad hoc (`-O`) or as a cron run (every output, the state)."""
    work.mkdir(exist_ok=True)
    log = work / "access.log"
    proc, base = start_server(articles, 1, work, access_log=log)
    outputs = (["-a", "full=1", *settings_args()] if cron else
               ["-O", str(work / "mem.jsonl"), *settings_args({"MPT_INCREMENTAL": "False"})])
    try:
        wall, out, samples = scrapy(["crawl", "mpt", "-a", "lang=all", "-s",
                                     f"MPT_BASE_URL={base}", *outputs], work, log)
    finally:
        proc.terminate()
        proc.wait()
    pages = stat(out, "response_received_count")
    peak = max(rss for _, rss, _ in samples) / 1024
    half = [(served, rss / 1024) for _, rss, served in samples if served > pages / 2]
    slope = 0.0
    if len(half) >= 3:
        xs, ys = [s for s, _ in half], [r for _, r in half]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        den = sum((x - mx) ** 2 for x in xs)
        slope = (sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den * 1000
                 if den else 0.0)
    label = "cron run" if cron else "ad hoc (`-O`)"
    return [f"| {articles:,}-article crawl, {label} | {pages:,} pages in {wall:.0f} s | peak RSS "
            f"{peak:.0f} MB | {slope:+.2f} MB per 1,000 pages (second half) |"]


def incremental(work: Path, lang: str) -> list[str]:
    rows = []
    state = work / f"state-{lang}"
    state.mkdir()
    log = state / "access.log"
    proc, base = start_server(300, 1, state, access_log=log)
    args = ["crawl", "mpt", "-a", f"lang={lang}", "-s", f"MPT_BASE_URL={base}"]
    try:
        scrapy(args + settings_args(), state)  # the first, full run
        for label in ("nothing new", "10 new articles"):
            if label == "10 new articles":
                proc.terminate()
                proc.wait()
                port = base.rsplit(":", 1)[1]
                proc, base = start_server(300, 1, state, access_log=log, port=int(port),
                                          extra=("--added", "10"))
            log.write_text("")
            wall, out, _ = scrapy(args + settings_args(), state)
            requests = sum(1 for _ in log.open())
            exported = stat(out, "item_scraped_count")
            rows.append(f"| lang={lang}, {label} | {requests} | {wall:.2f} | {exported} |")
    finally:
        proc.terminate()
        proc.wait()
    return rows


def scrapy_bench(work: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s",
                           "CLOSESPIDER_TIMEOUT=8", "-s", "LOG_LEVEL=INFO"], cwd=work,
                          capture_output=True, text=True, env=dict(os.environ))
    rates = [int(x) for x in re.findall(r"Crawled \d+ pages \(at (\d+) pages/min\)",
                                         done.stderr)]
    return f"{max(rates) / 60:,.0f} pages/s (best minute rate it logged)" if rates else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--memory-articles", type=int, default=10000)
    parser.add_argument("--parts", default="throughput,memory,incremental",
                        help="comma list of: throughput, memory, incremental")
    parser.add_argument("--rounds", type=int, default=1,
                        help="throughput: the ad-hoc and the cron run this many times each, "
                             "taking turns; medians of cron − ad hoc")
    parser.add_argument("--variant", type=parse_variant, action="append", default=[],
                        help="throughput: one more cron run a round with these settings, "
                             "LABEL:SETTING=VALUE[,SETTING=VALUE]")
    parser.add_argument("--before", type=Path,
                        help="throughput: a checkout of earlier code (e.g. `git archive main | "
                             "tar -x -C DIR`) whose ad-hoc and cron run take their turns too")
    parser.add_argument("--pin", action="store_true",
                        help="throughput: crawlers on the last CPU, the replica server on the "
                             "others (os.sched_setaffinity)")
    parser.add_argument("--tmp", type=Path,
                        help="make the runs' folders under this folder (default: the system's "
                             "temporary folder), e.g. /dev/shm: on this machine's ext4 without a "
                             "journal each new file's inode costs 0.03 to 2 ms of system CPU "
                             "depending on what other processes deleted in the last minutes "
                             "(BENCHMARKS.md, cronover2 and cronover3), which a tmpfs does not")
    args = parser.parse_args()
    if args.pin:
        global CRAWLER_CPUS
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            parser.error("--pin needs two CPUs or more")
        CRAWLER_CPUS = {cpus[-1]}
    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        work = Path(tmp)
        print(f"## Crawl ({os.cpu_count()} cores; replica on the same machine)\n")
        if "throughput" in parts:
            if args.rounds == 1 and not args.variant and args.before is None:
                print("| crawler | pages | seconds | pages/s | crawler CPU ms/page | server "
                      "CPU ms/page | cores busy |\n|---|---|---|---|---|---|---|")
            print("\n".join(throughput(args.articles, work, args.rounds, args.variant,
                                        args.before)))
            print(f"\n`scrapy bench` on this machine: {scrapy_bench(work)}.\n")
        if "memory" in parts:
            print("| memory | | | |\n|---|---|---|---|")
            print("\n".join(memory(args.memory_articles, work, cron=False)
                            + memory(args.memory_articles, work / "cron", cron=True)))
        if "incremental" in parts:
            print("\n| incremental run | requests | seconds (wall, incl. start-up) | exported |")
            print("|---|---|---|---|")
            print("\n".join(incremental(work, "ru") + incremental(work, "all")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
