"""The README's shell commands, copied as written, run.

Every fenced ``sh`` block of README.md and docs/*.md runs, in the order written, in one fresh
working folder, unless the line just before it says why not: ``<!-- not-run: reason -->``
(the live site, a server that runs until Ctrl-C, credentials, the test suite itself). Only
what a copy on another machine would differ in is substituted: ``.venv/bin/`` is this
interpreter's folder (the install the set-up command does is the one running these tests, so
its ``python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' &&`` prefix is dropped), and
``cd /srv/mptcrawler`` is the working folder. The first runnable block is the set-up command
``mptcrawler-replica crawl``, which serves its own replica on 127.0.0.1, so the later blocks
work on a real run's data folder."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .conftest import PROJECT

DOCUMENTS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && "
NOT_RUN = re.compile(r"<!-- not-run: (.+?) -->")


@dataclass
class Block:
    document: Path
    line: int  # of the opening fence, 1-based
    text: str
    not_run: str | None  # the reason, when it is not meant to run

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(PROJECT)}:{self.line}"


def shell_blocks(document: Path) -> list[Block]:
    lines = document.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i] == "```sh":
            end = lines.index("```", i + 1)
            marker = NOT_RUN.fullmatch(lines[i - 1]) if i else None
            blocks.append(Block(document, i + 1, "\n".join(lines[i + 1:end]) + "\n",
                                marker.group(1) if marker else None))
            i = end
        i += 1
    return blocks


def as_run_here(block: Block, workdir: Path) -> str:
    bindir = str(Path(sys.executable).parent) + "/"
    text = block.text.removeprefix(INSTALL)
    text = text.replace("cd /srv/mptcrawler", f"cd {shlex.quote(str(workdir))}")
    return text.replace(".venv/bin/", bindir)


def test_blocks_are_found_with_their_reasons(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("a\n\n```sh\necho one\n```\n<!-- not-run: the live site -->\n```sh\n"
                   "echo two\necho three\n```\n```python\nx\n```\n", encoding="utf-8")
    assert [(b.line, b.text, b.not_run) for b in shell_blocks(doc)] == [
        (3, "echo one\n", None), (7, "echo two\necho three\n", "the live site")]


def test_every_block_that_does_not_run_says_why() -> None:
    blocks = [b for doc in DOCUMENTS for b in shell_blocks(doc)]
    text = "\n".join(doc.read_text(encoding="utf-8") for doc in DOCUMENTS)
    # a marker that is not right before a block marks nothing: a typo would run it silently
    assert len(NOT_RUN.findall(text)) == sum(1 for b in blocks if b.not_run)
    runnable = [b for b in blocks if b.not_run is None]
    assert runnable[0].text.startswith(INSTALL + ".venv/bin/mptcrawler-replica crawl")
    # set-up command 1, re-extraction, two DuckDB lines, the report
    assert len(runnable) >= 5, [b.where for b in runnable]


def test_the_runnable_blocks_run_as_written(tmp_path: Path) -> None:
    blocks = [b for doc in DOCUMENTS for b in shell_blocks(doc) if b.not_run is None]
    outputs = {}
    for block in blocks:
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", as_run_here(block, tmp_path)],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (
            f"{block.where} failed with status {done.returncode}:\n{block.text}\n"
            f"{done.stderr[-3000:]}")
        outputs[block.where] = done.stdout
    data = tmp_path / "data" / "replica"  # the demo's data folder, never the live site's data/
    setup = outputs[blocks[0].where]
    assert setup.endswith("data/replica/report.html: 300 articles, 1 runs\n"), setup
    assert not (tmp_path / "data" / "mpt-state.sqlite").exists()
    # what the README shows a block printing is what it prints
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"--report data/replica/reextract-report\.json\n```\n\n.*?printed:\n\n"
                      r"```\n(.*?)```", readme, flags=re.DOTALL)
    assert shown is not None
    assert shown.group(1) in outputs.values()
    assert (data / "pairs.csv").read_text(encoding="utf-8").startswith("pair,")
