"""The raw archive: every article response a run fetched, in a standard WARC file per run
(``data/mpt-<run>.warc.gz``, written as ``.part`` and renamed when the run ends), so that the
dataset can be rebuilt from it with newer parsers without crawling again (reextract.py).

Each record is the HTTP response as received, addressed by the URL it was fetched from, with
three headers of ours: ``MPT-Canonical-URL`` (the https://mpt.gov.by/… URL it stands for),
``MPT-Listed-URL`` and ``MPT-Listed-Date`` (what the listing said, for the fallback parser).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import IO, Any

from isal import isal_zlib
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders

from .feedstorage import AtomicFileFeedStorage
from .runs import ad_hoc_feeds, run_file
from .stamps import utc_second
from .urls import canonical_from_fetched

# warcio gzips every record at level 9 (hard-coded in its GzippingWrapper). Here each record is
# gzipped by ISA-L (the isal package, zlib's API; any gzip reader reads its output) at its level 1.
# On 1,000 records of small replica pages (~10 KB uncompressed): zlib level 9 (as warcio) ~0.149
# ms a record, zlib level 3 0.109-0.120 ms for 3,521 bytes, ISA-L level 3 0.042-0.050 ms for
# 3,561 (+1.1 %), ISA-L level 1 0.027-0.029 ms for 3,638 (+3.3 %). Level 3 was the choice until
# instruction counts of whole crawls (BENCHMARKS.md, branch cronover2) showed the archive as the
# largest part of a cron run's own work: level 1 is 0.26 M instructions a record against 0.40 M
# (callgrind, the 1,000 records of a crawl; 3,642,374 bytes against 3,562,203, +2.3 %), the
# records read back the same. The file stays one gzip member per record, as the WARC standard's
# .warc.gz wants and warcio's ArchiveIterator (reextract.py) reads.
GZIP_LEVEL = 1
# Records are built and gzipped this many at a time (and at the run's end), not one per
# response: per response the digests, the gzip and the write ran between the crawl's own work,
# their code and tables cold each time: ~250 us of CPU a record in a 3,000-article crawl,
# ~160 us in batches of 32 (both timed in the crawl: bench/call_times.py; BENCHMARKS.md,
# "Issue 16, eleventh session"). Nothing readable is lost by waiting: the
# archive is a `.part` until the run ends, and the next run removes the `.part` of a run killed
# before its JSONL got its final name (runs.IncrementalRuns.remove_leftovers); a run stopped
# by SIGTERM or a limit writes what waits at its close. At most this many responses' bodies
# are held: ~2 MB at the live site's ~60 KB pages.
RECORD_BATCH = 32
# What warcio's record builder writes for a response record (WARC/1.0, its default version).
_WARC_VERSION = RecordBuilder.WARC_VERSION
_CONTENT_TYPE = RecordBuilder.WARC_RECORDS["response"]


# Two base32 digits a 10-bit group. base64.b32encode is Python code working 5 bytes at a time:
# 18.5 us a 20-byte digest against 12.2 us this way (timeit, on a loaded machine), twice a
# record; its two calls were 190 of the record's 671 samples (py-spy, BENCHMARKS.md).
_B32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_PAIRS = [a + b for a in _B32_ALPHABET for b in _B32_ALPHABET]


def _sha1(*parts: bytes) -> str:
    """A WARC digest as warcio writes it (``warcio.utils.Digester``): ``sha1:`` and the
    base32 of the SHA-1 (``base64.b32encode``: 160 bits, 32 digits, no padding)."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    n = int.from_bytes(digest.digest(), "big")
    return "sha1:" + "".join([_B32_PAIRS[(n >> shift) & 0x3FF] for shift in range(150, -1, -10)])


def _warc_id() -> str:
    """A record id as warcio makes it (``StatusAndHeadersParser.make_warc_id``, a random
    UUID, version 4): ``<urn:uuid:…>``, without building a uuid.UUID and its string (22.8 us
    against 8.7, timeit on a loaded machine; 151 of the record's 671 py-spy samples)."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = b.hex()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


def http_head(response: Response) -> bytes:
    """The response's status line and headers as warcio writes them in a record
    (``StatusAndHeaders(..., protocol="HTTP/1.1").compute_headers_buffer()``): joined as bytes
    when they are ASCII, as they nearly always are (warcio's latin-1 decoding and ASCII encoding
    then give back the same bytes, at the cost of a list of str pairs, its copy and a string
    built by +=); otherwise warcio's own way, which %-encodes what is not ASCII (RFC 8187)."""
    # The dict's own items: Scrapy's Headers.items() looks every key up again through
    # normkey/getlist/_tobytes (five calls a header), though the keys are stored normalised
    # and the values as lists of bytes (CaselessDict.__setitem__); the same pairs.
    items = [(k, b", ".join(v)) for k, v in dict.items(response.headers)]
    head = b"".join((f"HTTP/1.1 {response.status} OK\r\n".encode("ascii"),
                     *(b"%s: %s\r\n" % kv for kv in items), b"\r\n"))
    if head.isascii():
        return head
    http_headers = StatusAndHeaders(f"{response.status} OK",
                                    [(k.decode("latin-1"), v.decode("latin-1")) for k, v in items],
                                    protocol="HTTP/1.1")
    http_headers.compute_headers_buffer()
    assert http_headers.headers_buff is not None
    return http_headers.headers_buff


class WarcArchive:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.file: IO[bytes] | None = None
        self.storage: AtomicFileFeedStorage | None = None
        self.path: Path | None = None
        self.records = 0
        # (response, its request's cb_kwargs, WARC-Date) of responses not yet written
        self.waiting: list[tuple[Response, dict[str, Any], str]] = []
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        if not crawler.settings.get("MPT_WARC_URI"):
            raise NotConfigured  # the operator's choice: not worth a WARNING
        if ad_hoc_feeds(crawler):
            raise NotConfigured  # said once at INFO by IncrementalRuns
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.path = run_file(self.crawler.settings.get("MPT_WARC_URI"), spider)
        # The feeds' crash-safe storage: `.part` while the run writes, renamed at its end.
        self.storage = AtomicFileFeedStorage(str(self.path), feed_options={"overwrite": True})
        self.file = self.storage.open(spider)

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        if self.file is None or not request.meta.get("mpt_article") or response.status != 200:
            return
        # WARC/1.0's date is to the second (warcio's curr_warc_date for that version): the
        # second the response came, not the one its batch is written in.
        self.waiting.append((response, request.cb_kwargs, utc_second()))
        self.records += 1
        if len(self.waiting) >= RECORD_BATCH:
            self.write_waiting(spider)

    def write_waiting(self, spider: Any) -> None:
        """The waiting responses' records, each one gzip member, written at once."""
        assert self.file is not None
        members = []
        for response, cb_kwargs, date in self.waiting:
            ours = {
                "MPT-Canonical-URL": canonical_from_fetched(response.url, spider.base_url) or "",
                "MPT-Listed-URL": cb_kwargs.get("listed_url", ""),
                "MPT-Listed-Date": cb_kwargs.get("listed_date") or "",
            }
            members.append(self._member(self.record(response.url, http_head(response),
                                                    response.body, ours, date)))
        self.waiting = []
        self.file.write(b"".join(members))
        self.file.flush()

    def record(self, url: str, head: bytes, body: bytes, ours: dict[str, str],
               date: str) -> bytes:
        """The response record, byte for byte what warcio's ``create_warc_record`` and
        ``write_record`` write for it (headers in their order: ours, then WARC-Type, -Record-ID,
        -Target-URI, -Date, -Payload-Digest, -Block-Digest, Content-Type, Content-Length), its
        id and date made as warcio makes them. Built here because warcio's builder spent more
        on itself than on the record (a header list searched case-insensitively a dozen times,
        each digest read through a stream in chunks): 0.145 -> ~0.08 ms a record with the
        gzip.
        ``head``: the HTTP status line and headers (``http_head``); ``date``: the WARC-Date."""
        # What StatusAndHeaders("", headers, protocol=_WARC_VERSION).to_bytes("utf-8") writes
        # (the version line, "name: value" lines, a blank line), written directly: the object,
        # its header list's conversion and its string built by += were a tenth of the record's
        # Python work.
        warc_head = "".join((
            _WARC_VERSION, "\r\n",
            *(f"{k}: {v}\r\n" for k, v in ours.items() if v),
            "WARC-Type: response\r\n"
            "WARC-Record-ID: ", _warc_id(), "\r\n"
            "WARC-Target-URI: ", url, "\r\n"
            "WARC-Date: ", date, "\r\n"
            "WARC-Payload-Digest: ", _sha1(body), "\r\n"
            "WARC-Block-Digest: ", _sha1(head, body), "\r\n"
            "Content-Type: ", _CONTENT_TYPE, "\r\n"
            "Content-Length: ", str(len(head) + len(body)), "\r\n\r\n"))
        return b"".join((warc_head.encode("utf-8"), head, body, b"\r\n\r\n"))

    @staticmethod
    def _member(raw: bytes) -> bytes:
        """The record as one gzip member (as warcio writes a record)."""
        compressor = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS + 16)
        return compressor.compress(raw) + compressor.flush()

    def spider_closed(self, spider: Any) -> None:
        if self.storage is None or self.file is None:
            return
        if self.waiting:
            # A failed write (a full disk) is remembered by the file, whose store() below then
            # closes it and keeps it from its final name, as for a record that failed earlier;
            # raised here, it left the file open, and its space taken after its removal.
            with contextlib.suppress(OSError):
                self.write_waiting(spider)
        if not self.records:
            # No article fetched: no empty archive left behind (an empty .warc.gz read as a run
            # with an archive).
            self.file.close()
            self.storage.part_path.unlink(missing_ok=True)
            return
        self.storage.store(self.file)
        spider.logger.info("archived %d article responses in %s", self.records, self.path)
