from __future__ import annotations

import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

from scrapy import signals
from scrapy.utils.test import get_crawler

from mptcrawler.extensions import FailureLog, GarbageCollection
from mptcrawler.items import Article
from mptcrawler.pipelines import DuplicateArticle, InvalidArticle
from mptcrawler.spiders.mpt import MptSpider


def test_failures_are_written_with_url_and_reason(tmp_path: Path) -> None:
    uri = str(tmp_path / "%(name)s-%(run_id)s.jsonl")
    crawler = get_crawler(MptSpider, {"MPT_FAILURES_URI": uri})
    crawler.spider = MptSpider.from_crawler(crawler)
    crawler.stats.open_spider()  # type: ignore[union-attr,call-arg]
    log = FailureLog(crawler)
    item = Article(url="https://mpt.gov.by/ru/x", node_id=1, lang="ru", title="t")
    log.page_failed(url="https://mpt.gov.by/ru/y", kind="article", reason="http_404",
                    detail="HTTP 404")
    log.item_dropped(item, None, InvalidArticle("invalid item: published: None"), crawler.spider)
    log.item_dropped(item, None, DuplicateArticle("dup"), crawler.spider)  # not a failure
    log.spider_closed(crawler.spider)
    files = list(tmp_path.glob("mpt-*.jsonl"))
    assert len(files) == 1 and crawler.spider.run_id in files[0].name
    lines = [json.loads(x) for x in files[0].read_text(encoding="utf-8").splitlines()]
    assert [(x["url"], x["reason"]) for x in lines] == [
        ("https://mpt.gov.by/ru/y", "http_404"), ("https://mpt.gov.by/ru/x", "invalid_item")]
    assert crawler.stats.get_value("mpt/failures") == 2  # type: ignore[union-attr]


def test_no_failure_no_file(tmp_path: Path) -> None:
    crawler = get_crawler(MptSpider, {"MPT_FAILURES_URI": str(tmp_path / "f.jsonl")})
    crawler.spider = MptSpider.from_crawler(crawler)
    FailureLog(crawler).spider_closed(crawler.spider)
    assert not list(tmp_path.iterdir())


def test_the_collector_walks_less_from_the_spiders_opening() -> None:
    """GarbageCollection: the objects alive at the opening are frozen, the young generation is
    collected after 20,000 allocations, not 700, the other thresholds are kept, and a garbage
    cycle made later is still collected."""
    import gc

    gc.unfreeze()  # whatever an in-process crawl of an earlier test may have left frozen
    crawler = get_crawler(MptSpider)
    collection = GarbageCollection.from_crawler(crawler)
    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    try:
        crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
        assert gc.get_freeze_count() > before
        assert gc.get_threshold() == (20_000, *thresholds[1:])
        made_later = weakref.ref(Cyclic())
        gc.collect()
        assert made_later() is None
        crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider)
        assert (gc.get_freeze_count(), gc.get_threshold()) == (before, thresholds)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        del collection


def test_a_freeze_made_before_the_crawl_is_left_as_it_was() -> None:
    import gc

    crawler = get_crawler(MptSpider)
    collection = GarbageCollection.from_crawler(crawler)
    thresholds = gc.get_threshold()
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
        assert gc.get_threshold() == (20_000, *thresholds[1:])
        crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider)
        assert gc.get_freeze_count() == frozen  # not unfrozen by the crawl's close
        assert gc.get_threshold() == thresholds
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        del collection


class Cyclic:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.itself = self


def test_a_crawler_with_the_project_settings_never_imports_the_remote_control() -> None:
    # Scrapy's RemoteControl is switched off, but its module imports aiohttp, whose import reads
    # the system's CA bundle twice (settings.EXTENSIONS_BASE): a fresh interpreter builds a
    # crawler with every extension and shows neither module loaded.
    code = (
        "import sys\n"
        "from scrapy.utils.reactor import install_reactor\n"
        "install_reactor('twisted.internet.asyncioreactor.AsyncioSelectorReactor')\n"
        "from scrapy.utils.project import get_project_settings\n"
        "from scrapy.utils.test import get_crawler\n"
        "from mptcrawler.spiders.mpt import MptSpider\n"
        "crawler = get_crawler(MptSpider, get_project_settings().copy_to_dict())\n"
        "names = [type(x).__name__ for x in crawler.extensions.middlewares]\n"
        "print(sorted(m for m in ('aiohttp', 'scrapy.extensions.remote_control')"
        " if m in sys.modules), 'IncrementalRuns' in names, 'CoreStats' in names)\n"
    )
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="mptcrawler.settings",
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["[]", "True", "True"]
