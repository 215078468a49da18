"""Re-extraction throughput by number of jobs, on the WARC of a real cron crawl of the replica.

    python bench/reextract_benchmark.py [--articles 2000] [--weight live] [--repeat 3]

Crawls the replica once (`scrapy crawl mpt -a full=1`, which archives every article response),
then runs `mptcrawler-reextract --jobs N` on the archive for N = 1 and 2, alternately, `--repeat`
times: articles/s from the wall time of each run (process start-up included), the ratio of the
two in each round, and whether the outputs are byte for byte the same.
"""

from __future__ import annotations

import argparse
import os
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--weight", choices=["small", "live"], default="live")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="comma list of job counts to compare")
    args = parser.parse_args()
    counts = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        proc, base = start_server(args.articles, 1, work, extra=("--weight", args.weight))
        try:
            subprocess.run(scrapy_command(base, "-a", "lang=all", "-a", "full=1"), cwd=work,
                           env=ENV, check=True, capture_output=True)
        finally:
            proc.terminate()
            proc.wait()
        warc = next((work / "data").glob("mpt-*.warc.gz"))
        rates: dict[int, list[float]] = {j: [] for j in counts}
        outputs: dict[int, bytes] = {}
        articles = 0
        for _ in range(args.repeat):
            for jobs in counts:
                out = work / f"jobs{jobs}.jsonl"
                start = time.monotonic()
                subprocess.run([sys.executable, "-m", "mptcrawler.reextract", str(warc),
                                "--out", str(out), "--jobs", str(jobs)], cwd=work, env=ENV,
                               check=True, capture_output=True)
                wall = time.monotonic() - start
                data = out.read_bytes()
                articles = data.count(b"\n")
                rates[jobs].append(articles / wall)
                if outputs.setdefault(jobs, data) != data:
                    print(f"--jobs {jobs}: output changed between rounds")
        same = len(set(outputs.values())) == 1
        size = warc.stat().st_size / 1e6
        print(f"## Re-extraction ({articles} articles, {args.weight} weight, WARC {size:.0f} MB, "
              f"{os.cpu_count()} cores)\n")
        print("| jobs | articles/s per round | median | ratio to 1 job per round |")
        print("|---|---|---|---|")
        for jobs in counts:
            ratios = [r / one for r, one in zip(rates[jobs], rates[counts[0]], strict=True)]
            print(f"| {jobs} | {', '.join(f'{r:.0f}' for r in rates[jobs])} | "
                  f"{statistics.median(rates[jobs]):.0f} | "
                  f"{', '.join(f'{r:.2f}' for r in ratios)} |")
        print(f"\nOutputs byte for byte identical across job counts: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
