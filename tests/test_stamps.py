from __future__ import annotations

import pytest

from mptcrawler import stamps


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """time.time() as the test sets it; the module's remembered second forgotten."""
    now = [0.0]
    monkeypatch.setattr(stamps.time, "time", lambda: now[0])
    monkeypatch.setattr(stamps, "_last", (-1, ""))
    return now


@pytest.mark.parametrize(("epoch", "expected"), [
    (0.0, "1970-01-01T00:00:00Z"),
    (86399.999, "1970-01-01T23:59:59Z"),  # never rounded up to the next day
    (86400.0, "1970-01-02T00:00:00Z"),
    (951782400.5, "2000-02-29T00:00:00Z"),  # 946684800 (2000-01-01) + 59 days
])
def test_the_second_in_utc(clock: list[float], epoch: float, expected: str) -> None:
    clock[0] = epoch
    assert stamps.utc_second() == expected


def test_a_new_second_is_a_new_string(clock: list[float]) -> None:
    clock[0] = 59.0
    assert stamps.utc_second() == "1970-01-01T00:00:59Z"
    clock[0] = 59.99
    assert stamps.utc_second() == "1970-01-01T00:00:59Z"
    clock[0] = 60.0
    assert stamps.utc_second() == "1970-01-01T00:01:00Z"
    clock[0] = 59.5  # a clock set back is followed too
    assert stamps.utc_second() == "1970-01-01T00:00:59Z"
