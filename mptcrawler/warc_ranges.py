"""Byte ranges of a ``.warc.gz`` that begin and end on record boundaries, so that several
processes can each read their own part of one archive (reextract.py).

A ``.warc.gz`` is one gzip member per record (the WARC standard's recommendation; archive.py
writes it so). A gzip member does not say how long it is, so a cut is found by looking from a
byte offset for the next member: the gzip magic ``1f 8b 08`` where a whole member begins that
inflates, its CRC checked, to bytes starting ``WARC/``. Magic bytes inside compressed data
fail that check. A file with no such member (an uncompressed ``.warc``, or one gzip stream for
the whole file) is one range.

A range is then read member by member (``members``), each one's end where zlib says it ends:
should a cut still fall inside a member (a record whose body, stored uncompressed, holds a whole
``.warc.gz`` of its own), the range before it ends inside a member and reading it fails; no
record is read twice or skipped.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import IO

_MAGIC = b"\x1f\x8b\x08"
_BLOCK = 1 << 16


def _is_record_member(stream: IO[bytes], at: int) -> bool:
    """Whether a whole gzip member holding the start of a WARC record begins at ``at``."""
    stream.seek(at)
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)  # gzip wrapper: header and CRC checked
    head = b""
    try:
        while not inflate.eof:
            data = stream.read(_BLOCK)
            if not data:
                return False  # the file ends inside it: a truncated last record
            out = inflate.decompress(data)
            if len(head) < 5:
                head += out[:5]
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def member_at_or_after(stream: IO[bytes], offset: int, size: int) -> int:
    """The offset of the first record's gzip member that starts at ``offset`` or later;
    ``size`` when there is none."""
    position = offset
    while position < size:
        stream.seek(position)
        window = stream.read(_BLOCK)
        found = window.find(_MAGIC)
        if found < 0:
            if len(window) < _BLOCK:
                return size
            position += len(window) - (len(_MAGIC) - 1)  # the magic may straddle two windows
            continue
        if _is_record_member(stream, position + found):
            return position + found
        position += found + 1
    return size


def ranges_cut_at(path: Path, offsets: list[int]) -> list[tuple[int, int]]:
    """Consecutive (start, end) byte ranges covering ``path``, cut at the first record boundary
    at or after each of ``offsets`` (ascending), in file order; empty ones left out (two offsets
    inside one record give one cut)."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        cuts = [0, *(member_at_or_after(stream, offset, size) for offset in offsets), size]
    return [(start, end) for start, end in pairwise(cuts) if end > start]


def is_gzip(stream: IO[bytes], at: int) -> bool:
    """Whether a gzip member begins at ``at``."""
    stream.seek(at)
    return stream.read(len(_MAGIC)) == _MAGIC


class UnreadableArchive(ValueError):
    """A gzip member that is damaged or ends past its range (a truncated file, or a cut
    inside a record), or a record warcio cannot read; the message names the byte."""


def _past_the_end(stream: IO[bytes], offset: int, end: int) -> str:
    if end >= stream.seek(0, io.SEEK_END):
        return f"the file ends inside the gzip member at byte {offset} (a truncated file)"
    return (f"the gzip member at byte {offset} goes on past byte {end}, where the archive was "
            "cut for the workers (--jobs 1 reads it whole)")


def members(stream: IO[bytes], start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """(offset, inflated bytes) of each gzip member in bytes ``start``–``end`` of ``stream``,
    which must hold whole members one after the other."""
    stream.seek(start)
    remaining = end - start
    offset, data = start, b""
    while data or remaining:
        inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        pieces, used = [], 0
        try:
            while not inflate.eof:
                if not data:
                    data = stream.read(min(_BLOCK, remaining))
                    remaining -= len(data)
                    if not data:
                        raise UnreadableArchive(_past_the_end(stream, offset, end))
                pieces.append(inflate.decompress(data))
                rest = inflate.unused_data
                used += len(data) - len(rest)
                data = rest
        except zlib.error as exc:
            raise UnreadableArchive(f"the gzip member at byte {offset} is damaged ({exc})"
                                    ) from exc
        yield offset, b"".join(pieces)
        offset += used
