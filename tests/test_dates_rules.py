"""The building blocks of mptcrawler.dates called directly: the helpers that build its regular
expressions at import (so a test of a date string never runs them again) and the small rules
whose boundaries the gold set crosses only by chance. Expected values are written by hand."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re

import pytest

from mptcrawler import dates
from mptcrawler.dates import DateMention, _alternation, _g, _locale, _p

# --- _alternation: a trie of words as one regular expression ----------------------------------


def test_alternation_is_a_trie_of_the_words() -> None:
    assert _alternation(["ab", "ac"]) == "a(?:b|c)"
    assert _alternation(["янв", "января"]) == "янв(?:аря)?"
    assert _alternation(["ab"]) == "ab"
    assert _alternation([]) == ""


@pytest.mark.parametrize(("words", "text", "matched"), [
    (["мар", "марта"], "марта", "марта"),  # the longer word wins
    (["мар", "марта"], "мар", "мар"),
    (["сент", "сентября"], "сентября 2019", "сентября"),
    (["ab", "ac"], "ac", "ac"),
    (["ab", "ac"], "ab", "ab"),
    (["в марте"], "в   марте", "в   марте"),  # a space is any run of white space
    (["в марте"], "в\tмарте", "в\tмарте"),
])
def test_alternation_matches_each_word(words: list[str], text: str, matched: str) -> None:
    m = re.match(_alternation(words), text)
    assert m is not None and m[0] == matched


@pytest.mark.parametrize(("words", "text"), [
    (["мар", "марта"], "март"),
    (["ab", "ac"], "ad"),
    (["ab", "ac"], "a"),
    (["a.m"], "axm"),  # a dot is a dot, not any character
    (["в марте"], "вмарте"),
    (["янв", "января"], "янва"),
])
def test_alternation_matches_nothing_else(words: list[str], text: str) -> None:
    assert re.fullmatch(_alternation(words), text) is None


# --- _g and _p: group names in templates ------------------------------------------------------


def test_group_templates() -> None:
    assert _g(r"(?P<{}>\d)", "d") == r"(?P<d>\d)"
    assert _p(r"(?P<{p}d>\d)(?P<{p}m>x)", "w") == r"(?P<wd>\d)(?P<wm>x)"


# --- _locale: dateparser's data, read without importing dateparser ---------------------------


def test_locale_reads_dateparser_data() -> None:
    ru = _locale("ru")
    assert "апреля" in ru["april"]
    assert "вчера" in ru["relative-type"]["1 day ago"]
    be = _locale("be")
    assert "красавіка" in be["april"]
    assert _locale("en")["january"] == ["jan", "january"]


def test_locale_without_dateparser_is_an_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match=r"^dateparser is not installed; mptcrawler\.dates "
                                          r"reads its locale data$"):
        _locale("ru")


def test_locale_of_a_language_dateparser_lacks_is_an_error() -> None:
    with pytest.raises((ImportError, FileNotFoundError)):
        _locale("xx-not-a-language")


# --- a mention as a record ----------------------------------------------------------------------


def test_mention_as_dict() -> None:
    mention = DateMention("28 декабря", "2016-12-28", "date", 39, 49)
    assert mention.as_dict() == {"text": "28 декабря", "date": "2016-12-28", "kind": "date",
                                 "start": 39, "end": 49}


# --- resolve_year: the nearest year, and its tie --------------------------------------------


@pytest.mark.parametrize(("month", "day", "base", "expected"), [
    (12, 28, dt.date(2017, 1, 5), dt.date(2016, 12, 28)),
    (1, 5, dt.date(2016, 12, 28), dt.date(2017, 1, 5)),
    (4, 26, dt.date(2016, 4, 26), dt.date(2016, 4, 26)),
    # 1 March from 31 August: 183 days back, 182 ahead (2017 is no leap year): ahead
    (3, 1, dt.date(2016, 8, 31), dt.date(2017, 3, 1)),
    # 1 March from 31 August 2015: 183 days either way (2016 is a leap year): a tie keeps the
    # earlier date, the one already past
    (3, 1, dt.date(2015, 8, 31), dt.date(2015, 3, 1)),
    # 29 February exists only in a leap year: the only candidate, however far
    (2, 29, dt.date(2017, 1, 1), dt.date(2016, 2, 29)),
    (2, 29, dt.date(2015, 6, 1), dt.date(2016, 2, 29)),
])
def test_resolve_year(month: int, day: int, base: dt.date, expected: dt.date) -> None:
    assert dates.resolve_year(month, day, base) == expected


def test_resolve_year_of_no_such_day_is_none() -> None:
    assert dates.resolve_year(6, 31, dt.date(2020, 6, 1)) is None
    assert dates.resolve_year(2, 29, dt.date(2022, 6, 1)) is None  # no leap year in 2021-2023


# --- date_in_line: its white space and its length limit -------------------------------------


def test_date_in_line_reads_no_break_spaces_as_spaces() -> None:
    line = "Опубликовано\u00a0pressa в Вторник,\u00a026\u00a0апреля 2016 -\u00a010:15"
    assert dates.date_in_line(line) == "Вторник, 26 апреля 2016 - 10:15"


def test_date_in_line_reads_lines_of_300_characters_at_most() -> None:
    date = "Tue, 04/26/2016 - 10:15"
    line = "Submitted by admin on " + date + " "
    padded = line + "x" * (300 - len(line))
    assert len(padded) == 300
    assert dates.date_in_line(padded) == date
    assert dates.date_in_line(padded + "x") is None
