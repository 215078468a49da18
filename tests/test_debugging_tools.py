"""Scrapy's debugging tools work on an article of a running replica and write nothing to the
data folder (issue 17, item 4): `scrapy parse`, `scrapy shell`, `scrapy fetch` and `scrapy
check` (the contracts in the spider's callbacks, mptcrawler/contracts.py), each the real
command in a child process, run in a folder holding the data of a cron run; its bytes are the
same before and after."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mptcrawler.replica.__main__ import REPLICA_SETTINGS

from .conftest import Replica, run_cron

ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings")
# An era-C article of the session's replica (300 articles, seed 1), the one the contract of
# parse_article names too; its title by hand from the replica's page.
ARTICLE = "/ru/belpochta-rasshiryaet-set-pochtovykh-otdeleniy-0"


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by relative path, with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def data_folder(replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the data of one cron run (max_pages=1) of the replica."""
    workdir = tmp_path_factory.mktemp("tools")
    run = run_cron(replica.base_url, workdir, None, "max_pages=1")
    assert run.returncode == 0, run.stderr_tail
    assert (workdir / "data" / "latest.json").exists()
    return workdir


def politeness_off() -> list[str]:
    return [arg for name, value in REPLICA_SETTINGS.items() for arg in ("-s", f"{name}={value}")]


@pytest.mark.parametrize("tool", ["parse", "shell", "fetch", "check"])
def test_a_debugging_tool_works_and_leaves_the_data_folder_as_it_was(
        tool: str, replica: Replica, data_folder: Path) -> None:
    url = replica.base_url + ARTICLE
    commands = {
        # No -s MPT_BASE_URL: the tools take the site from the URL they are given.
        "parse": ["parse", "--spider=mpt", "-c", "parse_article", url],
        "shell": ["shell", "-c", "response.status, response.url", url],
        "fetch": ["fetch", url],
        "check": ["check", "mpt", "-s", f"MPT_BASE_URL={replica.base_url}"],
    }
    before = tree(data_folder)
    done = subprocess.run([sys.executable, "-m", "scrapy", *commands[tool], *politeness_off()],
                          cwd=data_folder, capture_output=True, text=True, timeout=120,
                          env=ENV)
    assert done.returncode == 0, done.stderr[-3000:]
    assert tree(data_folder) == before
    if tool == "parse":
        assert "# Scraped Items" in done.stdout
        printed = done.stdout.split("# Scraped Items")[1]
        assert "'url': 'https://mpt.gov.by" + ARTICLE + "'" in printed
        assert "'title': 'Белпочта расширяет сеть почтовых отделений'" in printed
    elif tool == "shell":
        assert done.stdout.strip() == f"(200, '{url}')"
    elif tool == "fetch":
        assert done.stdout.startswith("<!DOCTYPE html>") and "</html>" in done.stdout
    else:
        assert "Ran 7 contracts" in done.stderr and done.stderr.rstrip().endswith("OK")
    assert " (ad hoc) of " not in done.stderr  # no verdict on a run: there is none


def test_the_data_of_the_cron_run_is_what_the_tools_were_run_beside(data_folder: Path) -> None:
    latest = json.loads((data_folder / "data" / "latest.json").read_text(encoding="utf-8"))
    assert (data_folder / "data" / latest["file"]).stat().st_size > 0
