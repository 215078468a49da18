"""The WARC archive's records (archive.WarcArchive): one gzip member per article response,
headers in warcio's order, digests and length as the WARC standard defines them, read back by
warcio with its digests checked."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import logging
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from mptcrawler import archive, stamps
from mptcrawler.archive import WarcArchive
from mptcrawler.spiders.mpt import MptSpider

BODY = "<html><body><h1>Новость</h1></body></html>".encode()
BASE = "http://127.0.0.1:8800"


def response(url: str, body: bytes = BODY, listed_date: str | None = "06.09.2026",
             meta: dict[str, Any] | None = None, status: int = 200) -> HtmlResponse:
    request = Request(url, meta={"mpt_article": True} if meta is None else meta,
                      cb_kwargs={"listed_url": "https://mpt.gov.by/ru/a",
                                 "listed_date": listed_date})
    return HtmlResponse(url, status=status, body=body, request=request, headers={
        "Content-Type": "text/html; charset=utf-8", "Etag": '"abc"',
        "Content-Length": str(len(body))})


def opened_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                   ) -> tuple[WarcArchive, MptSpider]:
    """An archive opened for run R, writing tmp_path/w-R.warc.gz(.part)."""
    monkeypatch.chdir(tmp_path)
    crawler = get_crawler(MptSpider, {"MPT_WARC_URI": "w-%(run_id)s.warc.gz",
                                      "MPT_BASE_URL": BASE})
    archive = WarcArchive.from_crawler(crawler)
    spider = MptSpider.from_crawler(crawler)
    spider.run_id = "R"
    archive.spider_opened(spider)
    return archive, spider


def archive_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               responses: list[HtmlResponse]) -> Path:
    archive, spider = opened_archive(tmp_path, monkeypatch)
    for r in responses:
        assert r.request is not None
        archive.response_received(r, r.request, spider)
    archive.spider_closed(spider)
    return tmp_path / "w-R.warc.gz"


def b32_sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def test_a_record_is_the_response_with_our_headers_and_correct_digests(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"{BASE}/ru/a"
    path = archive_of(tmp_path, monkeypatch, [
        response(url), response(f"{BASE}/ru/b", listed_date=None),
        response(f"{BASE}/ru/listing", meta={}),  # not an article: not archived
        response(f"{BASE}/ru/c", status=404)])  # not a page: not archived
    raw = path.read_bytes()
    # one gzip member per record: each decompresses alone
    assert raw.count(b"\x1f\x8b\x08") >= 2
    text = gzip.decompress(raw)
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nEtag: \"abc\"\r\n"
            b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n")
    first = text.split(b"WARC/1.0\r\n")[1]
    head, _, rest = first.partition(b"\r\n\r\n")
    names = [line.split(b": ", 1)[0].decode() for line in head.split(b"\r\n")]
    assert names == ["MPT-Canonical-URL", "MPT-Listed-URL", "MPT-Listed-Date", "WARC-Type",
                     "WARC-Record-ID", "WARC-Target-URI", "WARC-Date", "WARC-Payload-Digest",
                     "WARC-Block-Digest", "Content-Type", "Content-Length"]
    fields = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n"))
    assert fields["MPT-Canonical-URL"] == "https://mpt.gov.by/ru/a"
    assert fields["MPT-Listed-Date"] == "06.09.2026"
    assert fields["WARC-Type"] == "response"
    assert re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", fields["WARC-Record-ID"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", fields["WARC-Date"])
    assert fields["WARC-Target-URI"] == url
    assert fields["WARC-Payload-Digest"] == b32_sha1(BODY)
    assert fields["WARC-Block-Digest"] == b32_sha1(http + BODY)
    assert fields["Content-Type"] == "application/http; msgtype=response"
    assert fields["Content-Length"] == str(len(http) + len(BODY))
    assert rest.startswith(http + BODY + b"\r\n\r\n")
    # the second record: no listing date, no header for it
    assert b"MPT-Listed-Date" not in text.split(b"WARC/1.0\r\n")[2].partition(b"\r\n\r\n")[0]

    with path.open("rb") as f:
        records = list(_read(f))
    assert [r[0] for r in records] == [url, f"{BASE}/ru/b"]
    assert all(body == BODY for _, body in records)


def _read(f: Any) -> Any:
    for rec in ArchiveIterator(f, check_digests="raise"):
        yield rec.rec_headers.get_header("WARC-Target-URI"), rec.content_stream().read()


@pytest.mark.parametrize("ascii_only", [True, False])
def test_a_record_is_what_warcios_builder_writes_for_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         ascii_only: bool) -> None:
    """The same bytes as warcio's create_warc_record + write_record (the archive's writer until
    the record was built directly), id and date aside: with ASCII headers only (the HTTP head
    joined as bytes, archive.http_head) and with a header value that is not ASCII, which warcio
    %-encodes."""
    body = b"x" * 70000  # more than one of warcio's read chunks (16 KB)
    resp = response(f"{BASE}/ru/b", body=body)
    resp.headers["Content-Disposition"] = ("inline; filename=\"news.html\"" if ascii_only else
                                           "inline; filename=\"новость.html\"").encode()
    # A header named in lower case and given twice: one line, its values joined, its name as
    # Scrapy's Headers normalise it (http_head reads the dict they are stored in).
    resp.headers.appendlist("x-served-by", b"cache-1")
    resp.headers.appendlist("X-SERVED-BY", "cache-2")
    path = archive_of(tmp_path, monkeypatch, [resp])
    ours = gzip.decompress(path.read_bytes())

    out = tmp_path / "warcio.warc"
    with out.open("wb") as f:
        writer = WARCWriter(f, gzip=False)
        headers = [(k.decode("latin-1"), b", ".join(v).decode("latin-1"))
                   for k, v in resp.headers.items()]
        record = writer.create_warc_record(
            resp.url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            warc_headers_dict={"MPT-Canonical-URL": "https://mpt.gov.by/ru/b",
                               "MPT-Listed-URL": "https://mpt.gov.by/ru/a",
                               "MPT-Listed-Date": "06.09.2026"})
        writer.write_record(record)
    theirs = out.read_bytes()

    def norm(data: bytes) -> bytes:
        data = re.sub(rb"WARC-Record-ID: <urn:uuid:[0-9a-f-]+>", b"WARC-Record-ID: X", data)
        return re.sub(rb"WARC-Date: [0-9TZ:-]+", b"WARC-Date: X", data)

    assert b"X-Served-By: cache-1, cache-2\r\n" in ours
    if ascii_only:
        assert b'Content-Disposition: inline; filename="news.html"\r\n' in ours
    else:
        assert b"filename*=UTF-8''" in ours  # warcio's %-encoding of the non-ASCII value
    assert norm(ours) == norm(theirs)


# --- both sides of the archive's rules, by direct calls -----------------------------------


def record_heads(path: Path) -> list[tuple[dict[str, str], bytes]]:
    """(WARC headers, HTTP head) of each record of an archive, read by warcio."""
    with path.open("rb") as f:
        return [({k: v for k, v in rec.rec_headers.headers},
                 rec.http_headers.to_bytes() if rec.http_headers else b"")
                for rec in ArchiveIterator(f, check_digests="raise")]


def test_an_article_fetched_without_a_listing_has_no_listing_headers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a re-check or a sitemap's request: no listed_url, no listed_date in its cb_kwargs
    url = f"{BASE}/ru/a"
    request = Request(url, meta={"mpt_article": True})
    path = archive_of(tmp_path, monkeypatch, [
        HtmlResponse(url, body=BODY, request=request, headers={"Content-Type": "text/html"})])
    [(warc, _)] = record_heads(path)
    assert warc["MPT-Canonical-URL"] == "https://mpt.gov.by/ru/a"
    assert "MPT-Listed-URL" not in warc and "MPT-Listed-Date" not in warc


def test_a_page_of_another_host_has_no_canonical_url_header(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = archive_of(tmp_path, monkeypatch, [response("https://example.org/ru/a")])
    [(warc, _)] = record_heads(path)
    assert "MPT-Canonical-URL" not in warc
    assert warc["WARC-Target-URI"] == "https://example.org/ru/a"


def test_a_header_given_twice_is_one_line_of_both_values(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resp = response(f"{BASE}/ru/a")
    resp.headers.setlist("Vary", [b"Accept-Encoding", b"Cookie"])
    path = archive_of(tmp_path, monkeypatch, [resp])
    [(_, http)] = record_heads(path)
    assert b"\r\nVary: Accept-Encoding, Cookie\r\n" in http


def test_a_run_without_article_responses_leaves_no_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mpt"):
        archive_of(tmp_path, monkeypatch, [response(f"{BASE}/ru/news", meta={}),
                                           response(f"{BASE}/ru/gone", status=404)])
    assert list(tmp_path.iterdir()) == []  # neither w-R.warc.gz nor its .part
    assert not [m for m in caplog.messages if m.startswith("archived")]


def test_the_run_says_how_many_responses_it_archived_and_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mpt"):
        archive_of(tmp_path, monkeypatch, [response(f"{BASE}/ru/a"), response(f"{BASE}/ru/b")])
    assert [m for m in caplog.messages if m.startswith("archived")] == [
        "archived 2 article responses in w-R.warc.gz"]


def test_an_archive_of_the_same_name_is_replaced_not_appended_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "w-R.warc.gz"
    old.write_bytes(gzip.compress(b"WARC/1.0\r\nan earlier file\r\n\r\n"))
    archive_of(tmp_path, monkeypatch, [response(f"{BASE}/ru/a")])
    assert [warc["WARC-Target-URI"] for warc, _ in record_heads(old)] == [f"{BASE}/ru/a"]


def test_an_archive_that_could_not_be_opened_is_left_alone_to_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Scrapy logs an error raised by a spider_opened handler and runs on: the archive's other
    # handlers then find no file and do nothing.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blocked").write_text("a file where the archive's folder should be")
    crawler = get_crawler(MptSpider, {"MPT_WARC_URI": "blocked/w-%(run_id)s.warc.gz",
                                      "MPT_BASE_URL": BASE})
    archive = WarcArchive.from_crawler(crawler)
    spider = MptSpider.from_crawler(crawler)
    spider.run_id = "R"
    with pytest.raises(OSError):
        archive.spider_opened(spider)
    resp = response(f"{BASE}/ru/a")
    assert resp.request is not None
    archive.response_received(resp, resp.request, spider)
    archive.spider_closed(spider)
    assert archive.records == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


def test_digests_are_base32_of_sha1_as_the_standard_library_writes_it() -> None:
    """archive._sha1 writes base32 itself (base64.b32encode was slow): the same text for
    every digest, here of 2,000 different inputs, and of the parts given one after another."""
    for n in range(2000):
        data = hashlib.sha256(n.to_bytes(4, "big")).digest() * (n % 7)
        assert archive._sha1(data) == b32_sha1(data)
    assert archive._sha1(b"HTTP/1.1 200 OK\r\n\r\n", BODY) == b32_sha1(
        b"HTTP/1.1 200 OK\r\n\r\n" + BODY)


def test_record_ids_are_random_version_4_uuids(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """As warcio's make_warc_id writes them: ``<urn:uuid:…>``, RFC 4122, version 4, each new;
    and the record's date is the second it was written, in UTC, as WARC/1.0 writes it."""
    ids = [archive._warc_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    for record_id in ids:
        assert record_id.startswith("<urn:uuid:") and record_id.endswith(">")
        parsed = uuid.UUID(record_id[10:-1])
        assert str(parsed) == record_id[10:-1]
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    monkeypatch.setattr(stamps.time, "time", lambda: 951782400.75)  # 2000-02-29, by hand
    monkeypatch.setattr(stamps, "_last", (-1, ""))
    path = archive_of(tmp_path, monkeypatch, [response(f"{BASE}/ru/b")])
    with path.open("rb") as f:
        (record,) = list(ArchiveIterator(f, check_digests="raise"))
    assert record.rec_headers.get_header("WARC-Date") == "2000-02-29T00:00:00Z"


def test_records_written_in_batches_are_all_there_in_the_order_they_came(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records wait and are written RECORD_BATCH at a time: more than two batches' worth (a
    partial batch left for the close) come back whole, in arrival order, each dated the
    second its response came, not the second its batch was written."""
    warc, spider = opened_archive(tmp_path, monkeypatch)
    now = [951782400.0]  # 2000-02-29T00:00:00Z
    monkeypatch.setattr(stamps.time, "time", lambda: now[0])
    monkeypatch.setattr(stamps, "_last", (-1, ""))
    n = 2 * archive.RECORD_BATCH + 3
    for i in range(n):
        now[0] = 951782400.0 + 10 * i  # a response every 10 s
        r = response(f"{BASE}/ru/{i}", body=f"<p>{i}</p>".encode())
        assert r.request is not None
        warc.response_received(r, r.request, spider)
    now[0] += 3600  # the close, an hour after the last response
    warc.spider_closed(spider)
    with (tmp_path / "w-R.warc.gz").open("rb") as f:
        records = [(r.rec_headers.get_header("WARC-Target-URI"),
                    r.rec_headers.get_header("WARC-Date"), r.content_stream().read())
                   for r in ArchiveIterator(f, check_digests="raise")]
    assert [url for url, _, _ in records] == [f"{BASE}/ru/{i}" for i in range(n)]
    assert [body for _, _, body in records] == [f"<p>{i}</p>".encode() for i in range(n)]
    # By hand: response 7 came at 70 s, the last (n = 67: number 66) at 660 s.
    assert archive.RECORD_BATCH == 32
    assert records[7][1] == "2000-02-29T00:01:10Z"
    assert records[31][1] == "2000-02-29T00:05:10Z"  # the last of the first batch
    assert records[-1][1] == "2000-02-29T00:11:00Z"  # written at the close


def test_records_that_cannot_be_written_at_the_close_leave_the_file_closed_and_not_final(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk when the waiting records are written at the run's end: the archive is
    closed (its space freed once the run's leftovers are removed) and never gets its final
    name; the close raises, as Scrapy logs a handler's error."""
    import errno

    from mptcrawler.feedstorage import _RememberingWriter

    warc, spider = opened_archive(tmp_path, monkeypatch)
    assert warc.file is not None
    warc.file.close()
    warc.file = _RememberingWriter(io.FileIO("/dev/full", "wb"))  # every write: ENOSPC
    r = response(f"{BASE}/ru/a")
    assert r.request is not None
    warc.response_received(r, r.request, spider)
    with pytest.raises(OSError) as raised:
        warc.spider_closed(spider)
    assert raised.value.errno == errno.ENOSPC
    assert warc.file.closed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w-R.warc.gz.part"]
