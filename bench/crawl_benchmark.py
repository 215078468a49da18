"""Crawl throughput, memory and incremental cost, against replicas served on loopback.

    python bench/crawl_benchmark.py [--articles 5000] [--memory-articles 10000]

1. Throughput: a full `scrapy crawl mpt -a lang=all` of a replica with politeness off, and a
   bare Scrapy spider (bench/bare_spider.py) that follows the same listing, pager and article
   links and yields nothing, same replica, same run: pages/s and the ratio. `scrapy bench` for
   reference.
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scrapy(args: list[str], cwd: Path, sample: Path | None = None
           ) -> tuple[float, str, list[tuple[float, int, int]]]:
    """Run scrapy; return wall seconds, stderr, and (t, rss KB, requests served) samples."""
    log = cwd / "scrapy.log"
    with log.open("w") as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=cwd, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=err)
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


def throughput(articles: int, work: Path) -> list[str]:
    """Pages/s of each crawler, and where the CPU went: the crawler's own CPU time and the
    replica server's, per page (both share the machine's cores)."""
    rows = []
    proc, base = start_server(articles, 1, work)
    try:
        results = {}
        for label, args, incremental in (
            ("mptcrawler, ad hoc (`-O out.jsonl`)", ["crawl", "mpt", "-a", "lang=all",
                                                     "-s", f"MPT_BASE_URL={base}",
                                                     "-O", str(work / "out.jsonl")], "False"),
            # as cron runs it: JSONL, Parquet, Markdown documents, WARC archive, SQLite state
            ("mptcrawler, cron run (all outputs)", ["crawl", "mpt", "-a", "lang=all",
                                                    "-s", f"MPT_BASE_URL={base}",
                                                    "-a", "full=1"], "True"),
            ("bare spider (links only)", ["runspider", str(ROOT / "bench" / "bare_spider.py"),
                                          "-s", f"MPT_BASE_URL={base}"], "False"),
        ):
            server_before, crawler_before = cpu_seconds(proc.pid), children_cpu()
            wall, log, _ = scrapy(args + settings_args({"MPT_INCREMENTAL": incremental}), work)
            server, crawler = cpu_seconds(proc.pid) - server_before, \
                children_cpu() - crawler_before
            pages = stat(log, "response_received_count")
            results[label] = pages / wall
            rows.append(f"| {label} | {pages:,} | {wall:.1f} | {pages / wall:,.0f} | "
                        f"{crawler / pages * 1000:.2f} | {server / pages * 1000:.2f} | "
                        f"{(crawler + server) / wall:.2f} |")
        ad_hoc, cron, bare = results.values()
        rows.append(f"| ratio ad hoc / bare | | | **{ad_hoc / bare:.2f}** | | | |")
        rows.append(f"| ratio cron run / bare | | | **{cron / bare:.2f}** | | | |")
    finally:
        proc.terminate()
        proc.wait()
    return rows


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
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"## Crawl ({os.cpu_count()} cores; replica on the same machine)\n")
        if "throughput" in parts:
            print("| crawler | pages | seconds | pages/s | crawler CPU ms/page | server CPU "
                  "ms/page | cores busy |\n|---|---|---|---|---|---|---|")
            print("\n".join(throughput(args.articles, work)))
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
