from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Spider
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from mptcrawler.feedstorage import AtomicFileFeedStorage
from mptcrawler.runs import IncrementalRuns
from mptcrawler.state import CrawlState

from .conftest import table_rows


def test_the_final_name_appears_only_when_stored(tmp_path: Path) -> None:
    final = tmp_path / "out" / "mpt.jsonl"
    storage = AtomicFileFeedStorage(str(final), feed_options={"overwrite": True})
    file = storage.open(Spider("mpt"))
    file.write(b'{"a": 1}\n')
    assert not final.exists() and Path(str(final) + ".part").exists()
    storage.store(file)
    assert final.read_bytes() == b'{"a": 1}\n'
    assert not Path(str(final) + ".part").exists()


def test_append_mode_appends_atomically(tmp_path: Path) -> None:
    final = tmp_path / "mpt.jsonl"
    final.write_bytes(b"old\n")
    storage = AtomicFileFeedStorage(str(final))
    file = storage.open(Spider("mpt"))
    file.write(b"new\n")
    assert final.read_bytes() == b"old\n"
    storage.store(file)
    assert final.read_bytes() == b"old\nnew\n"


def _cron_storage(tmp_path: Path, path: Path) -> tuple[AtomicFileFeedStorage, CrawlState,
                                                       MemoryStatsCollector]:
    """A storage of ``path`` in a cron run whose JSONL is ``tmp_path/run.jsonl``, with one
    staged row not yet written."""
    state = CrawlState(tmp_path / "s.sqlite", "https://mpt.gov.by")
    state.start_run("r1", str(tmp_path / "run.jsonl"))
    state.stage("r1", "https://mpt.gov.by/a", 1, "hash", 1, None, None, None, True)
    runs = SimpleNamespace(state=state, dataset=tmp_path / "run.jsonl")
    runs.before_delivery = IncrementalRuns.before_delivery.__get__(runs)
    crawler = get_crawler()
    stats = MemoryStatsCollector(crawler)
    crawler.stats, crawler.mpt_runs = stats, runs  # type: ignore[attr-defined]
    return AtomicFileFeedStorage(str(path), crawler=crawler), state, stats


def _pending(tmp_path: Path) -> int:
    return table_rows(tmp_path / "s.sqlite", "pending")


def test_the_runs_jsonl_takes_its_name_only_after_the_staged_rows_are_durable(
        tmp_path: Path) -> None:
    """A run killed right after its JSONL got its final name must find its staged rows on disk
    (CrawlState.recover commits them). Another feed's storage leaves the state alone."""
    other, _, _ = _cron_storage(tmp_path, tmp_path / "other.jsonl")
    other.store(other.open(Spider("mpt")))
    assert (tmp_path / "other.jsonl").exists() and _pending(tmp_path) == 0
    storage, _, _ = _cron_storage(tmp_path / "run", tmp_path / "run" / "run.jsonl")
    storage.store(storage.open(Spider("mpt")))
    assert (tmp_path / "run" / "run.jsonl").exists() and _pending(tmp_path / "run") == 1


def test_the_runs_jsonl_is_kept_back_when_the_state_cannot_take_its_rows(
        tmp_path: Path) -> None:
    storage, state, stats = _cron_storage(tmp_path, tmp_path / "run.jsonl")
    state._queue("INSERT INTO no_such_table VALUES (?)", (1,))  # every flush fails now
    file = storage.open(Spider("mpt"))
    file.write(b'{"a": 1}\n')
    with pytest.raises(OSError, match=r"its articles could not be recorded in .*s\.sqlite: "
                                      r"no such table: no_such_table"):
        storage.store(file)
    assert not (tmp_path / "run.jsonl").exists()
    assert (tmp_path / "run.jsonl.part").exists()  # removed by the run (not_delivered)
    assert stats.get_value(f"mpt/not_stored/{tmp_path / 'run.jsonl'}").startswith(
        "its articles could not be recorded")
