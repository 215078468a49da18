"""Mutation testing of the core modules, one module at a time, with mutmut.

    .venv/bin/python tests/mutation/run.py [MODULE ...] [--jobs N] [--survivors] [--keep]

MODULE is a key of ``[tool.mptcrawler.mutation]`` in pyproject.toml (dates, text, markdown,
attribution, urls, parsers, pipelines, warc_ranges, archive, reextract, state, cron, runs); none
means all of them, which takes long.
One file of a package key is named ``KEY/FILE`` (``parsers/listing``): only that file is
mutated, against the key's tests.
For each module, a copy of the project is made in a temporary directory whose ``[tool.mutmut]``
mutates only that module (``mptcrawler/<name>.py``, or every file of the package
``mptcrawler/<name>/``) and runs only its fast tests listed in that table; mutmut runs there, so
runs of different modules never share mutmut's cache and the work tree gets no ``mutants/``.
A mutant is killed when one of those tests fails (or times out) with it. The raw score is
killed / all mutants; a mutant that no listed test reaches counts as survived. Survivors that
only change the letter case of an SQL statement outside its quoted parts, as the two sources
prove (``sqlcase.py``; SQLite reads keywords and names in any case), are counted apart: the
score is then killed / the other mutants. Both scores are printed.

Prints one line per module and, with ``--survivors``, every surviving mutant's diff
(``tests/mutation/SURVIVORS.md`` lists those judged equivalent). ``--keep`` keeps the temporary
copy, where ``mutmut browse`` or ``mutmut show NAME`` can be run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from sqlcase import sql_case_mutants  # this script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent.parent
KILLED = {"killed", "timeout"}


def configured_modules() -> dict[str, list[str]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    modules: dict[str, list[str]] = data["tool"]["mptcrawler"]["mutation"]
    return modules


def tests_of(modules: dict[str, list[str]], name: str) -> list[str] | None:
    """The tests of a configured module, or of one file of a configured package
    (``parsers/listing``); None for anything else."""
    if name in modules:
        return modules[name]
    package, _, leaf = name.partition("/")
    if package in modules and leaf and (ROOT / "mptcrawler" / package / f"{leaf}.py").is_file():
        return modules[package]
    return None


def module_glob(name: str) -> str:
    return f"mptcrawler/{name}/*.py" if (ROOT / "mptcrawler" / name).is_dir() else \
        f"mptcrawler/{name}.py"


def scoped_pyproject(text: str, name: str, tests: list[str]) -> str:
    """pyproject.toml with a ``[tool.mutmut]`` table for one module and its tests only."""
    start = text.index("[tool.mutmut]\n")
    following = re.search(r"^\[", text[start + 1:], re.MULTILINE)
    end = start + 1 + following.start() if following else len(text)
    table = (
        "[tool.mutmut]\n"
        'source_paths = ["mptcrawler"]\n'
        f"only_mutate = {json.dumps([module_glob(name)])}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n'
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n\n"
    )
    return text[:start] + table + text[end:]


def copy_project(name: str, tests: list[str]) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix=f"mutation-{name.replace('/', '-')}-"))
    # mutmut runs the tests from <workdir>/mutants, whose parent must hold shared/ (the user's
    # seed) as the checkout's parent does
    if (ROOT.parent / "shared").is_dir():
        (workdir / "shared").symlink_to(ROOT.parent / "shared")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "mptcrawler", workdir / "mptcrawler", ignore=ignore)
    shutil.copytree(ROOT / "tests", workdir / "tests", ignore=ignore)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (workdir / "pyproject.toml").write_text(scoped_pyproject(text, name, tests), encoding="utf-8")
    return workdir


def mutmut(workdir: Path, *args: str, log: Path | None = None) -> str:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "mutmut", *args]
    if log is None:
        return subprocess.run(command, cwd=workdir, env=env, check=True, capture_output=True,
                              text=True).stdout
    with log.open("w", encoding="utf-8") as out:
        status = subprocess.run(command, cwd=workdir, env=env, stdout=out,
                                stderr=subprocess.STDOUT).returncode
    if status != 0:
        raise SystemExit(f"mutmut run failed ({status}); its output is in {log}")
    return ""


def run_module(name: str, tests: list[str], jobs: int, survivors: bool,
               keep: bool) -> tuple[int, int, int, list[str]]:
    """``(killed, survived, survivors of the SQL letter case class, the other survivors)``."""
    workdir = copy_project(name, tests)
    log = workdir / "mutmut.log"
    failed = True  # a failed mutmut run keeps the copy: its error names the log inside it
    try:
        mutmut(workdir, "run", "--max-children", str(jobs), log=log)
        statuses = dict(
            line.strip().rsplit(": ", 1)
            for line in mutmut(workdir, "results", "--all", "true").splitlines()
            if ": " in line
        )
        alive = sorted(k for k, v in statuses.items() if v not in KILLED)
        sql_case = sql_case_mutants(workdir / "mutants", alive)
        if survivors:
            for key in alive:
                print(f"--- {key}: {statuses[key]}"
                      + (" (equivalent: SQL letter case)" if key in sql_case else ""))
                print(mutmut(workdir, "show", key))
        failed = False
        return len(statuses) - len(alive), len(alive), len(sql_case), [
            key.rsplit(".", 1)[-1] + ("" if statuses[key] == "survived" else f" ({statuses[key]})")
            for key in alive if key not in sql_case]
    finally:
        if keep or failed:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    modules = configured_modules()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help=f"one of {', '.join(modules)} (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (2)")
    parser.add_argument("--survivors", action="store_true", help="print every survivor's diff")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args(argv)
    names = args.modules or list(modules)
    if unknown := [name for name in names if tests_of(modules, name) is None]:
        parser.error(f"not a core module: {', '.join(unknown)}")
    rows = []
    for name in names:
        started = time.monotonic()
        killed, survived, sql_case, alive = run_module(
            name, tests_of(modules, name) or [], args.jobs, args.survivors, args.keep)
        total = killed + survived
        raw = 100 * killed / total if total else 100.0
        rest = total - sql_case
        score = 100 * killed / rest if rest else 100.0
        rows.append((name, total, killed, survived, raw, sql_case, score,
                     time.monotonic() - started))
        print(f"{name}: {killed}/{total} killed ({raw:.1f} %); {sql_case} survivors only change "
              f"the letter case of SQL; {killed}/{rest} of the rest ({score:.1f} %); "
              f"survived: {', '.join(alive)}", flush=True)
    print(f"\n{'module':<18} {'mutants':>7} {'killed':>7} {'survived':>8} {'raw':>7} "
          f"{'SQL case':>8} {'score':>7} {'time':>6}")
    for name, total, killed, survived, raw, sql_case, score, seconds in rows:
        print(f"{name:<18} {total:>7} {killed:>7} {survived:>8} {raw:>6.1f}% {sql_case:>8} "
              f"{score:>6.1f}% {seconds:>5.0f}s")
    print("\nraw: killed / mutants; score: killed / (mutants - SQL case), SQL case being the "
          "survivors that only change the letter case of an SQL statement (sqlcase.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
