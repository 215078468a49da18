"""Re-extraction throughput by number of jobs, on the WARC of a real cron crawl of the replica.

    python bench/reextract_benchmark.py [--articles 2000] [--weight live] [--repeat 3]
    python bench/reextract_benchmark.py --warc data/mpt-….warc.gz   # an archive at hand
    python bench/reextract_benchmark.py --before /tmp/base          # and an earlier checkout

Crawls the replica once (`scrapy crawl mpt -a full=1`, which archives every article response),
then runs `mptcrawler-reextract --jobs N` on the archive for N = 1 and 2, alternately, `--repeat`
times: articles/s from the wall time of each run (process start-up included), the ratio of the
two in each round, the CPU time of each run (the process and its workers: what the split adds
shows as more CPU per article, whatever the machine's load) and whether the outputs are byte
for byte the same. `--before DIR` runs the code of DIR (e.g. `git archive main | tar -x -C DIR`,
imported through PYTHONPATH) in the same rounds, alternating with this checkout's.

Each round also times the start-up, serial in every run whatever the jobs, two ways: the
imports alone (the interpreter and `import mptcrawler.reextract`, left without teardown as the
command leaves), and the whole command on a one-record archive (the archive's first record,
`--jobs 1`): the imports plus everything done once before the first record is rebuilt (the
pipelines and the schema, the dates patterns compiled on first use, the validator's code). With
that start-up S and the rest W of one job, two jobs can at best reach (S + W) / (S + W/2).

The project's bytecode is compiled first (`compileall`, into the checkouts' __pycache__), as an
installed package has it: where PYTHONDONTWRITEBYTECODE is set (as in the sessions' shells),
every run would otherwise compile the project's modules from source (~0.2 G instructions, 7 %
of the imports, measured with callgrind).
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
from mptcrawler.warc_ranges import members  # noqa: E402

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
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


def first_record(warc: Path, out: Path) -> Path:
    """An archive of ``warc``'s first record alone: its bytes up to the second gzip member."""
    with warc.open("rb") as stream:
        parts = members(stream, 0, warc.stat().st_size)
        next(parts)
        second = next(parts, (warc.stat().st_size, b""))[0]
        stream.seek(0)
        out.write_bytes(stream.read(second))
    return out


def compile_bytecode(root: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "mptcrawler")],
                   env=env, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--weight", choices=["small", "live"], default="live")
    parser.add_argument("--warc", type=Path, help="re-extract this archive instead of crawling")
    parser.add_argument("--before", type=Path, help="a checkout of earlier code to run too")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="comma list of job counts to compare")
    args = parser.parse_args()
    counts = [int(j) for j in args.jobs.split(",")]
    codes = {"this": ENV}
    if args.before:
        codes = {"before": dict(ENV, PYTHONPATH=str(args.before.resolve())), **codes}
    compile_bytecode(ROOT)
    if args.before:
        compile_bytecode(args.before.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warc = args.warc.resolve() if args.warc else crawl(args.articles, args.weight, work)
        first_warc = first_record(warc, work / "first.warc.gz")
        runs = [(code, jobs) for code in codes for jobs in counts]
        rates: dict[tuple[str, int], list[float]] = {run: [] for run in runs}
        cpu: dict[tuple[str, int], list[float]] = {run: [] for run in runs}
        startup: dict[str, list[tuple[float, float]]] = {code: [] for code in codes}
        first: dict[str, list[tuple[float, float]]] = {code: [] for code in codes}
        outputs: dict[tuple[str, int], bytes] = {}
        articles = 0
        for _ in range(args.repeat):
            for code, env in codes.items():
                startup[code].append(timed([sys.executable, "-c", "import os, "
                                            "mptcrawler.reextract; os._exit(0)"], work, env))
                first[code].append(timed([sys.executable, "-m", "mptcrawler.reextract",
                                          str(first_warc), "--out", str(work / "first.jsonl"),
                                          "--jobs", "1"], work, env))
                for jobs in counts:
                    out = work / f"{code}{jobs}.jsonl"
                    wall, seconds = timed([sys.executable, "-m", "mptcrawler.reextract",
                                           str(warc), "--out", str(out), "--jobs", str(jobs)],
                                          work, env)
                    data = out.read_bytes()
                    articles = data.count(b"\n")
                    rates[code, jobs].append(articles / wall)
                    cpu[code, jobs].append(seconds / articles * 1000)
                    if outputs.setdefault((code, jobs), data) != data:
                        print(f"{code} --jobs {jobs}: output changed between rounds")
        same = len(set(outputs.values())) == 1
        size = warc.stat().st_size / 1e6
        print(f"## Re-extraction ({articles} articles, WARC {size:.0f} MB, {os.cpu_count()} "
              f"cores, load average {os.getloadavg()[0]:.1f} at the end)\n")
        print("| code | jobs | articles/s per round | median | ratio to 1 job per round "
              "| CPU ms/article per round (all processes) |")
        print("|---|---|---|---|---|---|")
        for code, jobs in runs:
            one = rates[code, counts[0]]
            ratios = [r / o for r, o in zip(rates[code, jobs], one, strict=True)]
            print(f"| {code} | {jobs} | {', '.join(f'{r:.0f}' for r in rates[code, jobs])} | "
                  f"{statistics.median(rates[code, jobs]):.0f} | "
                  f"{', '.join(f'{r:.2f}' for r in ratios)} | "
                  f"{', '.join(f'{c:.2f}' for c in cpu[code, jobs])} |")
        for code in codes:
            print(f"\n{code}: imports alone (interpreter and imports) per round: "
                  + ", ".join(f"{w:.2f} s wall / {c:.2f} s CPU" for w, c in startup[code]))
            print(f"{code}: start-up to the first record (one-record archive, --jobs 1) per "
                  "round: " + ", ".join(f"{w:.2f} s wall / {c:.2f} s CPU" for w, c in first[code]))
            one_run = statistics.median(articles / r for r in rates[code, counts[0]])
            start = statistics.median(w for w, _ in first[code])
            rest = one_run - start
            print(f"best two jobs can do with these medians: ({start:.2f} + {rest:.2f}) / "
                  f"({start:.2f} + {rest / 2:.2f}) = {one_run / (start + rest / 2):.2f}x")
        print(f"\nOutputs byte for byte identical across job counts and code: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
