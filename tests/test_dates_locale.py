"""The date tables against the languages' own data: every month and weekday form of dateparser's
ru/be/en locale data, written in every order and with every addition the locales allow, must
parse as dateparser parses it (with day-first order, as the site writes), and so must the
relative expressions of the same data. Each disagreement is listed below with its reason;
anything else that differs fails."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mptcrawler.dates import LOCALE, SUPPORTED_LANGUAGES, parse_date

dateparser = pytest.importorskip("dateparser")

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Dateparser is right by construction on these: an explicit day, month form and year, in the
# order the locale allows, with day-first order for numbers (as the site writes them).
SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False}


def data(lang: str) -> dict[str, Any]:
    """The locale data as dateparser itself imports it (not through mptcrawler's reader)."""
    module = importlib.import_module(f"dateparser.data.date_translation_data.{lang}")
    info: dict[str, Any] = module.info
    return info


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_tables_read_the_data_dateparser_uses(lang: str) -> None:
    assert LOCALE[lang] == data(lang)


def written_dates(lang: str) -> Iterator[tuple[str, dt.datetime]]:
    """Every month form with a day and a year, with and without a weekday form, a time and the
    year word, in the orders the locale writes."""
    info = data(lang)
    for month, name in enumerate(MONTHS, 1):
        for form in info[name]:
            for day, year in ((month + 5, 2000 + month), (1, 2016), (28, 2023)):
                when = dt.datetime(year, month, day)
                bodies = [f"{day} {form} {year}"]
                if lang == "en":
                    bodies.append(f"{form} {day}, {year}")
                else:
                    bodies.append(f"{day} {form} {year} г.")
                for body in bodies:
                    yield body, when
                    yield f"{body} 10:15", when.replace(hour=10, minute=15)
                    for weekday in info[WEEKDAYS[when.weekday()]]:
                        yield f"{weekday}, {body}", when


def relative_phrases(lang: str) -> Iterator[str]:
    """The data's fixed relative phrases for days to years, and "N units ago" / "in N units"
    made from its unit, "ago" and "in" words."""
    info = data(lang)
    for key, phrases in info["relative-type"].items():
        if key.split()[-1] in ("day", "week", "month", "year") or key.endswith(
                ("day ago", "week ago", "month ago", "year ago")):
            yield from phrases
    for key, patterns in info["relative-type-regex"].items():
        if any(unit in key for unit in ("day", "week", "month", "year")):
            for pattern in patterns:
                yield pattern.replace(r"(\d++[.,]?\d*+)", "3")


# Deliberate disagreements: (predicate on language and text, reason). The predicates are narrow,
# so that any new disagreement fails the test until it is understood; each must still occur.
DELIBERATE: list[tuple[Callable[[str, str], bool], str]] = [
    (lambda lang, text: re.search(r"\d\s?(?:d|w|y|mo|г|д)(?:\s|$)", text) is not None,
     "one- or two-letter units (3d ago, in 3mo, через 3 д, 3 г таму) are not read: the site "
     "writes unit words, and a number before a lone letter is usually something else (3 г of "
     "a substance, 5 d of a table)"),
    (lambda lang, text: lang == "ru" and re.search(r"(?<!\d)3 год(?!\w)", text) is not None,
     "'через 3 год', '3 год назад': dateparser's simplification (\\d*[02-9])\\s*год drops the "
     "unit and reads a bare 3 (через 3 год → the 3rd of this month); we read 3 years"),
    (lambda lang, text: text == "till date",
     "'till date' means up to now, a span, not today"),
]


def deliberate(lang: str, text: str) -> bool:
    for rule, _ in DELIBERATE:
        if rule(lang, text):
            USED.add(rule)
            return True
    return False


USED: set[Callable[[str, str], bool]] = set()


def theirs(text: str, lang: str, base: dt.datetime | None = None) -> dt.datetime | None:
    settings = dict(SETTINGS)
    if base is not None:
        settings = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser's own deprecation warnings
        value: dt.datetime | None = dateparser.parse(text, languages=[lang], settings=settings)
    return value


def ours_as_naive(value: dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_month_and_weekday_form_agrees_with_dateparser(lang: str) -> None:
    cases = list(written_dates(lang))
    assert len(cases) > 150
    wrong = []
    for text, expected in cases:
        assert theirs(text, lang) == expected, f"dateparser is not right by construction: {text}"
        if ours_as_naive(parse_date(text, lang)) != expected and not deliberate(lang, text):
            wrong.append(text)
    assert wrong == []


BASE = dt.datetime(2023, 5, 31, 0, 0)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_relative_phrases_agree_with_dateparser(lang: str) -> None:
    phrases = sorted(set(relative_phrases(lang)))
    assert len(phrases) > 20
    wrong = []
    for text in phrases:
        want = theirs(text, lang, BASE)
        got = ours_as_naive(parse_date(text, lang, BASE.date()))
        if (want and want.date()) != (got and got.date()) and not deliberate(lang, text):
            wrong.append((text, want, got))
    assert wrong == []


def test_every_deliberate_disagreement_still_occurs() -> None:
    for lang in SUPPORTED_LANGUAGES:
        for text in relative_phrases(lang):
            deliberate(lang, text)
    assert {rule for rule, _ in DELIBERATE} == USED
