"""Deploy to a real scrapyd on 127.0.0.1 with scrapyd-deploy and schedule a run on a replica.
Skipped when scrapyd or scrapyd-client is not installed (both are in the dev extra)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from mptcrawler.replica import build_site
from mptcrawler.replica.__main__ import REPLICA_SETTINGS, start_server

from .conftest import PROJECT

pytest.importorskip("scrapyd")
pytest.importorskip("scrapyd_client")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(url: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, body, timeout=10) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result


def test_deploy_and_schedule(tmp_path: Path) -> None:
    port = free_port()
    scrapyd_dir = tmp_path / "scrapyd"
    scrapyd_dir.mkdir()
    (scrapyd_dir / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = eggs\n"
        "logs_dir = logs\nitems_dir =\ndbs_dir = dbs\nmax_proc = 1\npoll_interval = 0.5\n")
    daemon = subprocess.Popen([str(Path(sys.executable).with_name("scrapyd"))], cwd=scrapyd_dir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    replica, base = start_server(30, 1, tmp_path)
    scrapyd = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                assert call(f"{scrapyd}/daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                time.sleep(0.1)
        # The checkout as an operator has it, with a deploy target for this scrapyd.
        project = tmp_path / "project"
        project.mkdir()
        for name in ("setup.py", "pyproject.toml", "README.md", "mptcrawler"):
            (project / name).symlink_to(PROJECT / name)
        (project / "scrapy.cfg").write_text(
            "[settings]\ndefault = mptcrawler.settings\n\n"
            f"[deploy:test]\nurl = {scrapyd}/\nproject = mptcrawler\n")
        deploy = subprocess.run([str(Path(sys.executable).with_name("scrapyd-deploy")), "test",
                                 "--version", "1"], cwd=project, capture_output=True, text=True,
                                timeout=120)
        assert deploy.returncode == 0, deploy.stderr
        assert call(f"{scrapyd}/listspiders.json?project=mptcrawler")["spiders"] == ["mpt"]
        settings = {"MPT_BASE_URL": base, **REPLICA_SETTINGS}
        job = call(f"{scrapyd}/schedule.json", [
            ("project", "mptcrawler"), ("spider", "mpt"), ("lang", "all"),
            *(("setting", f"{k}={v}") for k, v in settings.items())])["jobid"]
        for _ in range(600):
            jobs = call(f"{scrapyd}/listjobs.json?project=mptcrawler")
            if any(j["id"] == job for j in jobs["finished"]):
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"job {job} did not finish: {jobs}")
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        replica.terminate()
        replica.wait(timeout=10)
        shutil.rmtree(tmp_path / "project" / "build", ignore_errors=True)
    files = list((scrapyd_dir / "data").glob("mpt-*Z.jsonl"))
    assert len(files) == 1, list(scrapyd_dir.rglob("*"))
    urls = sorted(json.loads(line)["url"] for line in files[0].read_text("utf-8").splitlines())
    assert urls == sorted(a.url for a in build_site(30, 1).articles)
