"""Scrapy settings of mptcrawler. Every setting that differs from Scrapy's default says the
default and why it changed; project settings start with ``MPT_``."""

from __future__ import annotations

import os

from scrapy.settings import default_settings

from .items import EXPORT_FIELDS

BOT_NAME = "mptcrawler"
SPIDER_MODULES = ["mptcrawler.spiders"]
NEWSPIDER_MODULE = "mptcrawler.spiders"
# Default '': our `crawl` replaces Scrapy's to exit non-zero on an unhealthy run.
COMMANDS_MODULE = "mptcrawler.commands"

# --- project settings -----------------------------------------------------------------------
# Where pages are fetched from. Links to any of the site's hosts (http/https, www., минсвязи.бел)
# are fetched from here; items still carry https://mpt.gov.by/... URLs.
MPT_BASE_URL = "https://mpt.gov.by"
# The run's dataset (JSONL), its summary, and the state database of incremental runs.
MPT_DATASET_URI = "data/%(name)s-%(run_id)s.jsonl"
# The same items as Parquet (typed columns; see mptcrawler/parquet.py).
MPT_PARQUET_URI = "data/%(name)s-%(run_id)s.parquet"
MPT_SUMMARY_URI = "data/%(name)s-%(run_id)s-summary.json"
MPT_STATE_PATH = "data/mpt-state.sqlite"
# One base URL per data folder: the state records its first run's base URL, and a run against
# another site is refused before its first request (exit status 2) — replica runs and live runs
# in one folder mixed their datasets, manifest and report. True: allow it (the state keeps each
# site's articles apart; the manifest names each run's base URL). A replica on loopback is the
# same site on any port (state.site_key).
MPT_ALLOW_BASE_URL_CHANGE = False
# Copies of the state after each run that committed, checked first, newest as
# data/mpt-state.sqlite.1 (README: Restoring the state); 0: none. Runs also lock
# data/mpt-state.sqlite.lock for their whole length (mptcrawler/cron/lock.py).
MPT_STATE_BACKUPS = 3
# Every fetched article response, as received, for re-extraction without re-crawling
# (mptcrawler-reextract); empty: no archive. Not written by ad-hoc runs.
MPT_WARC_URI = "data/%(name)s-%(run_id)s.warc.gz"
# Incremental unless -a full=1; off by itself in ad-hoc runs (feeds on the command line).
MPT_INCREMENTAL = True
# Known articles published in the last N days (before the newest known) are re-checked.
MPT_RECHECK_DAYS = 7
# Rolling revalidation: every incremental run also re-checks (conditionally) the known articles
# verified longest ago, 1/N of the archive, so that on a daily schedule every article is
# verified within N days and an edit anywhere is caught within them (0: off).
MPT_REVALIDATE_DAYS = 30
# The sitemap (mptcrawler/cron/sitemap.py): when robots.txt announces one (Drupal's
# simple_sitemap and xmlsitemap write each page's last change as lastmod), an incremental run
# reads it after the listings and re-fetches only the known articles changed since their last
# verification, fetches the ones it lists and the state lacks, and re-checks the known ones it
# no longer lists; the rolling revalidation above then covers only what the sitemap does not
# list. A broken sitemap (an error answer, malformed or cut-off XML, over the bound) is one
# WARNING and the run falls back to the rolling revalidation. False: never read it.
MPT_SITEMAP = True
# Bound on the URLs one run reads from the sitemap (its index's entries count too); past it the
# sitemap counts as broken. The live site has ~6,600 pages in three languages; simple_sitemap
# writes 2,000 links a chunk, xmlsitemap up to 50,000.
MPT_SITEMAP_MAX_URLS = 200_000
# A lastmod this close before an article's last verification (or after it) re-fetches it: the
# site's clock and ours differ, a date-only lastmod is a whole day, and a module writing local
# time with a wrong offset is hours off. The cost is one conditional request the next day for
# the articles published or edited within this many hours before the run that read them.
MPT_SITEMAP_SLACK_HOURS = 24
# A safety net under the sitemap: the articles it lists are still verified once in N days,
# stalest first (1/N of them a run), for edits that do not move Drupal's `changed` time (a file
# replaced under an attachment, a text format or module update changing the rendering); 0: off.
MPT_SITEMAP_REVALIDATE_DAYS = 365
# Health: a run is unhealthy (exit status 3) past these limits; see mptcrawler/runs.py.
MPT_HEALTH_MAX_MISSING_SHARE = 0.02  # articles without title/date/body, or needing the fallback
MPT_HEALTH_MAX_FAILURE_SHARE = 0.05  # article pages that failed
MPT_HEALTH_MIN_SHARE_OF_RECENT = 0.5  # a full run seeing under half of what recent ones saw
# Bounds on what one listing can make a run do. A news listing shows 10 entries a page, so even
# 20,000 articles in one language fill 2,000 pages; no real page lists 500 links. They stop a
# pager that never ends (a misconfigured view answering every ?page=N with a page and a "next"
# link: 1,998 pages fetched before a run was stopped by hand) and a page stuffed with links.
# Past either, the run stops that listing (the links of the page past the bound are dropped),
# records it in its failures file as listing_bound, and is unhealthy (exit status 3) and not
# complete; -a max_pages is the operator's own, smaller limit, which is neither.
MPT_MAX_LISTING_PAGES = 2000
MPT_MAX_LINKS_PER_PAGE = 500
# Each article of a cron run as a Markdown document in the seed's layout, in this folder, named
# `<node id>-<lang>.md` (else the URL's slug); empty: none. Written by documents.MarkdownDocuments
# rather than as a feed with one item per batch, which cost more than the rest of a cron run's
# outputs together (BENCHMARKS.md). Not written by ad-hoc runs unless given on the command line.
MPT_MARKDOWN_URI = "data/markdown/%(name)s-%(run_id)s"
# Failures (article URL, reason) of a run, one JSON object a line; written only when there are any.
# %(run_id)s is the UTC start of the run, YYYYMMDDTHHMMSS.ffffffZ, unique per state database
# (Scrapy's %(time)s changes per batch).
MPT_FAILURES_URI = "data/%(name)s-%(run_id)s-failures.jsonl"

# --- politeness (the live site is a small government server) --------------------------------
# Default False: robots.txt of mpt.gov.by is Drupal's and allows the news.
ROBOTSTXT_OBEY = True
# Default "Scrapy/VERSION (+https://scrapy.org)": say who is crawling.
# Set MPT_CONTACT (an e-mail or URL of whoever runs the crawl) in the environment of the cron
# job so the site's operators can reach you; it is appended to the User-Agent.
USER_AGENT = "mptcrawler/0.1 (news archive crawler of mpt.gov.by; Scrapy; +{contact})".format(
    contact=os.environ.get("MPT_CONTACT", "contact unset"))
# Default 0: at least a second between requests to the live site.
DOWNLOAD_DELAY = 1.0
# Default 8: one request at a time to the one host we crawl.
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Default False: back off further when the site slows down.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0  # default 5.0: start at DOWNLOAD_DELAY
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # default 1.0, stated because the two settings go together
# Default {}: Scrapy reads robots.txt Crawl-delay but does not apply it; this middleware does.
MPT_ROBOTS_CRAWL_DELAY = True
DOWNLOADER_MIDDLEWARES = {
    "mptcrawler.middlewares.RobotsCrawlDelay": 110,  # right after RobotsTxtMiddleware (100)
    # Scrapy's RetryMiddleware retries at once and ignores Retry-After; ours waits.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "mptcrawler.middlewares.BackoffRetryMiddleware": 550,
    "mptcrawler.middlewares.RetryTruncatedPages": 560,  # beside it
}
MPT_RETRY_BACKOFF = 2.0  # seconds before the first retry, doubled each time, ±50 % jitter
MPT_RETRY_MAX_WAIT = 120.0  # also caps a Retry-After
# Default 2 (RETRY_TIMES, for every request). A listing page that fails hides every article
# after it, so listings get more tries; so do articles that already failed in an earlier run.
MPT_LISTING_RETRY_TIMES = 8
# Default False. For development runs against the live site, cache every response on disk
# (.scrapy/httpcache) so that re-running a parser change costs the site nothing:
#   scrapy crawl mpt -s HTTPCACHE_ENABLED=True -O dev.jsonl
HTTPCACHE_ENABLED = False

# --- robustness -----------------------------------------------------------------------------
# Default 180 s: a page of this site is ~60 KB; a minute without an answer is a fault.
DOWNLOAD_TIMEOUT = 60
# Default 1 GiB / 32 MiB: an article page is well under 1 MiB; anything near 16 MiB is not news.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# --- cost -----------------------------------------------------------------------------------
# Default 100: measured ~0.7 ms per response of overhead here (shared/notes.md) for nothing,
# since our pipelines are synchronous.
CONCURRENT_ITEMS = 10
# Default True: for every response Scrapy checks that its callback is not a generator with a
# `return value`, by reading the callback's source and parsing it with `ast`. Its cache is keyed
# by weak references to bound methods, which are new objects each time, so it mostly misses:
# a cProfile of a 1,500-article crawl found 401 parses of our callbacks' source (1.4 s of 17 s
# under the profiler). tests/test_spider.py runs the same check once on every callback instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Default DEBUG: a cron log of every request is noise; failures are logged at WARNING/ERROR.
LOG_LEVEL = "INFO"
# Default True (telnet) and True (remote control): both open a localhost port; cron runs on
# shared machines need neither.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Default {}: `scrapy check mpt` runs the contracts in the callbacks' docstrings; ours, @path,
# fetches a path from MPT_BASE_URL (mptcrawler/contracts.py), so they run against a replica too.
SPIDER_CONTRACTS = {"mptcrawler.contracts.PathContract": 10}

# --- items ----------------------------------------------------------------------------------
# Default {}: small single-purpose steps, in the order the data needs them (see pipelines.py).
ITEM_PIPELINES = {
    "mptcrawler.pipelines.DropDuplicates": 100,
    "mptcrawler.pipelines.ExtractAttribution": 200,
    "mptcrawler.pipelines.StripMarkup": 300,
    "mptcrawler.pipelines.NormalisePublished": 400,
    "mptcrawler.pipelines.CollectDatesMentioned": 500,
    "mptcrawler.pipelines.ValidateItem": 900,
    "mptcrawler.pipelines.TrackRevisions": 950,
}
# Default {}: the run's state and hand-over (IncrementalRuns), the failures file, the Markdown
# documents (and one log line for a Markdown feed batched by article), the WARC archive, the
# summary and health verdict (RunReport), a prompt stop on SIGTERM (StopPromptly), and fewer
# walks of the garbage collector (GarbageCollection).
EXTENSIONS = {
    # First of all (Scrapy's own are at 0): its spider_opened registers the run in the state
    # (start_run) before any output of the run opens its `.part` (the archive's, the
    # documents', FeedExporter's JSONL), and before the ones that ask it what is known. At
    # 100, after the archive's and FeedExporter's, a SIGKILL between their opening and
    # start_run left a `.part` of a run the state never knew, which no later run removed
    # (tests/test_crash_safety.py hit it once start-up got faster).
    "mptcrawler.runs.IncrementalRuns": -100,
    "mptcrawler.extensions.FailureLog": 500,
    "mptcrawler.extensions.MarkdownFeedSummary": 500,  # for Markdown feeds given with -o/-O
    # Below Scrapy's FeedExporter (0), as the archive: the documents' folder is renamed
    # from .part before the JSONL, the run's commit point, gets its final name.
    "mptcrawler.documents.MarkdownDocuments": -10,
    "mptcrawler.extensions.RequestKinds": 500,
    "mptcrawler.extensions.PeakMemory": 500,
    "mptcrawler.extensions.StopPromptly": 500,  # a SIGTERM stops the run in seconds
    # Below Scrapy's FeedExporter (0): its spider_closed handler runs first, so the archive has
    # its final name before the JSONL, the run's commit point, gets its own.
    "mptcrawler.archive.WarcArchive": -10,
    "mptcrawler.runs.RunReport": 900,
    # Default: LogStats (0), "Crawled N pages (at N pages/min)" every LOGSTATS_INTERVAL
    # (default 60 s, unchanged). Replaced by a line that also says how far the run is (listing
    # pages, articles queued/done/failed/left) and the time left at the current rate.
    "scrapy.extensions.logstats.LogStats": None,
    "mptcrawler.progress.Progress": 0,
    # Made last, so its spider_opened handler runs after every other extension's start-up.
    "mptcrawler.extensions.GarbageCollection": 1000,
}
# Default: Scrapy's list. Ours is Scrapy's without RemoteControl, switched off above
# (REMOTE_CONTROL_ENABLED) but imported all the same: Scrapy imports every listed extension's
# module before asking it (and imports a key of EXTENSIONS to normalise it, so a None there does
# not help), and that module imports aiohttp, which makes two TLS contexts at import and reads
# the system's CA bundle into each: ~470 M instructions (callgrind; 7 % of a 100-article crawl)
# and 362 ms of CPU on this machine, in every run.
EXTENSIONS_BASE = {path: order for path, order in default_settings.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}
# Default: Scrapy's FileFeedStorage writes the final file in place. Ours writes `.part` and
# renames it at the end, so a killed run never leaves a truncated file under the final name.
FEED_STORAGES = {
    "": "mptcrawler.feedstorage.AtomicFileFeedStorage",
    "file": "mptcrawler.feedstorage.AtomicFileFeedStorage",
}

# --- exports --------------------------------------------------------------------------------
# Default None (escaped \uXXXX): UTF-8 keeps Cyrillic readable and the file 2.8x smaller.
FEED_EXPORT_ENCODING = "utf-8"
# Default None (all fields): the documented fields in the documented order, never the
# pipelines' working data. Applies to `-o/-O` feeds too.
FEED_EXPORT_FIELDS = EXPORT_FIELDS
# Default {}: the markdown format writes the seed's document layout; parquet the dataset with
# typed columns (dates as dates, lists as lists: mptcrawler/parquet.py), also for `-O x.parquet`;
# csv replaces Scrapy's (which writes nested fields as Python repr) with nested fields as JSON.
# md is the same exporter as markdown: Scrapy takes `-O news.md`'s format from the extension,
# and without it the README's `-O news.md` stopped with "Unrecognized output format 'md'".
FEED_EXPORTERS = {
    "csv": "mptcrawler.exporters.JsonCellCsvItemExporter",
    "markdown": "mptcrawler.exporters.MarkdownDocumentExporter",
    "md": "mptcrawler.exporters.MarkdownDocumentExporter",
    "parquet": "mptcrawler.exporters.ParquetItemExporter",
}
# The project's feeds: one JSONL per run, and the same items as Parquet beside it, converted
# from the finished JSONL (feed option `parquet`, feedstorage.AtomicFileFeedStorage) rather than
# a Parquet feed of its own, which cost a feed slot, a row and a JSON line per article (the
# Markdown documents are not a feed either: MPT_MARKDOWN_URI). Not FEEDS itself: Scrapy merges
# `-o/-O` with FEEDS, and an ad-hoc `scrapy crawl mpt -O out.jsonl` must write that file only.
# The spider installs these as FEEDS unless feeds came on the command line
# (MptSpider.update_settings). A key or a `parquet` option that names a setting
# (MPT_DATASET_URI, MPT_PARQUET_URI) stands for that setting's value when the run starts, so
# `-s MPT_DATASET_URI=…` moves the JSONL too (it used to stay at the default path while the run
# looked for it at the new one: "not delivered"); an empty MPT_PARQUET_URI: no Parquet.
MPT_FEEDS = {
    # Scrapy stores feeds in this order, and the JSONL reaching its final name is what makes a
    # run delivered (runs.IncrementalRuns); its Parquet file is final before it. A run killed
    # before that is removed whole at the next start; one killed after it has every other
    # file final already.
    "MPT_DATASET_URI": {
        "format": "jsonlines",
        "item_classes": ["mptcrawler.items.Article"],
        "overwrite": True,
        # Not for a run that exported nothing: pyarrow's import alone takes ~0.25 s, a third
        # of such a run (the JSONL is still written, empty, and removed once the run is committed:
        # runs.py).
        "parquet": "MPT_PARQUET_URI",
    },
}
# More feeds for cron runs, added to MPT_FEEDS: e.g. a copy of the JSONL on S3-compatible
# storage through Scrapy's S3FeedStorage (needs boto3: the `s3` extra; credentials and endpoint
# in the AWS_* settings). The local JSONL stays the run's record: a feed that fails to store
# makes the run unhealthy (exit status 3), it does not stop the run. See docs/operations.md (S3).
MPT_EXTRA_FEEDS: dict[str, dict[str, object]] = {}
