"""The replica by hand (issue 17, item 6): `mptcrawler-replica serve` prints the exact crawl
command to use, and that command, run as printed, crawls the whole replica into data/replica/
with politeness off. Before, the README's command obeyed the replica's Crawl-delay of 10 s (5
pages a minute: minutes for this replica); no duration is asserted, the subprocess timeout is
below that."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ARTICLES = 30


def test_serve_prints_the_crawl_command_and_it_crawls_everything(tmp_path: Path) -> None:
    serve = subprocess.Popen([sys.executable, "-m", "mptcrawler.replica", "serve", "--articles",
                              str(ARTICLES)], stdout=subprocess.PIPE, text=True)
    try:
        assert serve.stdout is not None
        first = serve.stdout.readline()
        base = first.rsplit(" ", 1)[1].strip()
        assert first == f"replica of {ARTICLES} articles serving at {base}\n"
        assert serve.stdout.readline() == "crawl it with (politeness off, data in data/replica/):\n"
        lines = [serve.stdout.readline()]
        while lines[-1].endswith("\\\n"):
            lines.append(serve.stdout.readline())
        command = "".join(lines)
        assert command.startswith(f"scrapy crawl mpt \\\n    -s MPT_BASE_URL={base} \\\n")
        assert "-s MPT_ROBOTS_CRAWL_DELAY=False" in command
        bin_dir = str(Path(sys.executable).parent)
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True,
                              text=True, timeout=180,
                              # as from the checkout, where scrapy.cfg names the settings
                              env=dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}",
                                       SCRAPY_SETTINGS_MODULE="mptcrawler.settings"))
    finally:
        serve.terminate()
        serve.communicate(timeout=10)  # and closes its stdout
    assert done.returncode == 0, done.stderr[-2000:]
    data = tmp_path / "data" / "replica"
    latest = json.loads((data / "latest.json").read_text(encoding="utf-8"))
    assert latest["base_url"] == base and latest["exported"] == ARTICLES
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["replica"]
