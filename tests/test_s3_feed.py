"""The JSONL on S3-compatible storage through Scrapy's own S3FeedStorage, against moto's S3
server on 127.0.0.1: a cron run's copy (MPT_EXTRA_FEEDS), an ad-hoc run straight to S3, and a
failed upload that must make the run unhealthy."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mptcrawler.replica.__main__ import scrapy_command, start_server

from .conftest import run_cron

ARTICLES = 30
BUCKET = "mpt-data"
# boto3 must see only these: no profile, no config file of the machine it runs on.
AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
           "AWS_DEFAULT_REGION": "us-east-1", "NO_PROXY": "127.0.0.1"}


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as mp:
        for name, value in AWS_ENV.items():
            mp.setenv(name, value)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        try:
            yield endpoint, client
        finally:
            server.stop()


@pytest.fixture(scope="module")
def replica_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("s3-replica")
    proc, base = start_server(ARTICLES, 2, tmp)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def s3_settings(endpoint: str, uri: str) -> dict[str, str]:
    return {"MPT_EXTRA_FEEDS": json.dumps({uri: {"format": "jsonlines",
                                                 "item_classes": ["mptcrawler.items.Article"]}}),
            "AWS_ENDPOINT_URL": endpoint, "AWS_REGION_NAME": "us-east-1"}


def test_a_cron_run_puts_a_copy_of_its_jsonl_on_s3(s3: tuple[str, Any], replica_url: str,
                                                   tmp_path: Path) -> None:
    endpoint, client = s3
    uri = f"s3://{BUCKET}/news/%(name)s-%(run_id)s.jsonl"
    run = run_cron(replica_url, tmp_path, None, "lang=all", settings=s3_settings(endpoint, uri))
    assert run.returncode == 0, run.stderr_tail
    record = json.loads((tmp_path / "data" / "latest.json").read_text(encoding="utf-8"))
    local = (tmp_path / "data" / record["file"]).read_bytes()
    remote = client.get_object(Bucket=BUCKET, Key=f"news/{record['file']}")["Body"].read()
    assert remote == local and len(local.splitlines()) == ARTICLES
    assert "'feedexport/success_count/S3FeedStorage': 1" in run.log


def test_an_ad_hoc_run_writes_only_to_s3(s3: tuple[str, Any], replica_url: str,
                                        tmp_path: Path) -> None:
    endpoint, client = s3
    done = subprocess.run(
        scrapy_command(replica_url, "-a", "lang=all", "-O", f"s3://{BUCKET}/adhoc/news.jsonl",
                       "-s", f"AWS_ENDPOINT_URL={endpoint}", "-s", "AWS_REGION_NAME=us-east-1"),
        cwd=tmp_path, env=dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings"),
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    body = client.get_object(Bucket=BUCKET, Key="adhoc/news.jsonl")["Body"].read()
    urls = [json.loads(line)["url"] for line in body.decode("utf-8").splitlines()]
    assert len(urls) == len(set(urls)) == ARTICLES
    assert not (tmp_path / "data").exists()  # no state, no local feeds


def test_a_failed_upload_makes_the_run_unhealthy_and_keeps_the_local_file(
        s3: tuple[str, Any], replica_url: str, tmp_path: Path) -> None:
    endpoint, _ = s3
    uri = "s3://no-such-bucket/news/%(name)s-%(run_id)s.jsonl"
    run = run_cron(replica_url, tmp_path, None, "lang=all", settings=s3_settings(endpoint, uri))
    assert run.returncode == 3, run.stderr_tail
    assert "feeds not stored: S3FeedStorage 1" in run.stderr_tail
    assert len(run.items) == ARTICLES  # the local JSONL is complete
