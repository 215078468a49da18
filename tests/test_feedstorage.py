from __future__ import annotations

from pathlib import Path

from scrapy import Spider

from mptcrawler.feedstorage import AtomicFileFeedStorage


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
