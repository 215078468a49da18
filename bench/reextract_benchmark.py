"""Re-extraction throughput by number of jobs, on the WARC of a real cron crawl of the replica.

    python bench/reextract_benchmark.py [--articles 2000] [--weight live] [--repeat 3]
    python bench/reextract_benchmark.py --warc data/mpt-….warc.gz   # an archive at hand

Crawls the replica once (`scrapy crawl mpt -a full=1`, which archives every article response),
then runs `mptcrawler-reextract --jobs N` on the archive for N = 1 and 2, alternately, `--repeat`
times: articles/s from the wall time of each run (process start-up included), the ratio of the
two in each round, the CPU time of each run (the process and its workers: what the split adds
shows as more CPU per article, whatever the machine's load) and whether the outputs are byte
for byte the same. Each round also times the start-up alone (the interpreter and the imports
of `mptcrawler.reextract`, left as the command leaves, without teardown), serial in every run
whatever the jobs: with start-up S and the rest W of one job, two jobs can at best reach
(S + W) / (S + W/2).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mptcrawler.replica.__main__ import scrapy_command, start_server  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def crawl(articles: int, weight: str, work: Path) -> Path:
    proc, base = start_server(articles, 1, work, extra=("--weight", weight))
    try:
        subprocess.run(scrapy_command(base, "-a", "lang=all", "-a", "full=1"), cwd=work,
                       env=ENV, check=True, capture_output=True)
    finally:
        proc.terminate()
        proc.wait()
    return next((work / "data").glob("mpt-*.warc.gz"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--weight", choices=["small", "live"], default="live")
    parser.add_argument("--warc", type=Path, help="re-extract this archive instead of crawling")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="comma list of job counts to compare")
    args = parser.parse_args()
    counts = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warc = args.warc.resolve() if args.warc else crawl(args.articles, args.weight, work)
        rates: dict[int, list[float]] = {j: [] for j in counts}
        cpu: dict[int, list[float]] = {j: [] for j in counts}
        startup: list[tuple[float, float]] = []
        outputs: dict[int, bytes] = {}
        articles = 0
        reextract = [sys.executable, "-m", "mptcrawler.reextract"]
        for _ in range(args.repeat):
            startup.append(timed([sys.executable, "-c", "import os, mptcrawler.reextract; "
                                  "os._exit(0)"], work))
            for jobs in counts:
                out = work / f"jobs{jobs}.jsonl"
                wall, seconds = timed([*reextract, str(warc), "--out", str(out),
                                       "--jobs", str(jobs)], work)
                data = out.read_bytes()
                articles = data.count(b"\n")
                rates[jobs].append(articles / wall)
                cpu[jobs].append(seconds / articles * 1000)
                if outputs.setdefault(jobs, data) != data:
                    print(f"--jobs {jobs}: output changed between rounds")
        same = len(set(outputs.values())) == 1
        size = warc.stat().st_size / 1e6
        load = os.getloadavg()[0]
        print(f"## Re-extraction ({articles} articles, WARC {size:.0f} MB, {os.cpu_count()} "
              f"cores, load average {load:.1f} at the end)\n")
        print("| jobs | articles/s per round | median | ratio to 1 job per round "
              "| CPU ms/article per round (all processes) |")
        print("|---|---|---|---|---|")
        for jobs in counts:
            ratios = [r / one for r, one in zip(rates[jobs], rates[counts[0]], strict=True)]
            print(f"| {jobs} | {', '.join(f'{r:.0f}' for r in rates[jobs])} | "
                  f"{statistics.median(rates[jobs]):.0f} | "
                  f"{', '.join(f'{r:.2f}' for r in ratios)} | "
                  f"{', '.join(f'{c:.2f}' for c in cpu[jobs])} |")
        print(f"\nStart-up alone (interpreter and imports) per round: "
              f"{', '.join(f'{w:.2f} s wall / {c:.2f} s CPU' for w, c in startup)}")
        one = statistics.median(articles / r for r in rates[counts[0]])
        start = statistics.median(w for w, _ in startup)
        work_one = one - start
        print(f"Best two jobs can do with these medians: ({start:.2f} + {work_one:.2f}) / "
              f"({start:.2f} + {work_one / 2:.2f}) = "
              f"{one / (start + work_one / 2):.2f}x")
        print(f"\nOutputs byte for byte identical across job counts: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
