"""The date gold set (tests/gold/*.jsonl, written by tests/gold/build_gold_cases.py): every
case must hold, and round trips of generated dates must too (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mptcrawler.dates import MINSK, find_dates, parse_date

GOLD = Path(__file__).parent / "gold"


def load(name: str) -> list[dict[str, Any]]:
    lines = (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


PARSE = load("parse_date")
FIND = load("find_dates")


def test_gold_set_size_and_languages() -> None:
    assert len(PARSE) + len(FIND) >= 300
    assert {c["lang"] for c in PARSE} == {c["lang"] for c in FIND} == {"ru", "be", "en"}


def _base(case: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(case["base"]) if case["base"] else None


@pytest.mark.parametrize("case", PARSE, ids=[c["text"][:40] for c in PARSE])
def test_parse_date_gold(case: dict[str, Any]) -> None:
    value = parse_date(case["text"], case["lang"], _base(case))
    assert (value.isoformat() if value else None) == case["expected"], case["note"]


@pytest.mark.parametrize("case", FIND, ids=[c["text"][:40] for c in FIND])
def test_find_dates_gold(case: dict[str, Any]) -> None:
    found = find_dates(case["text"], case["lang"], _base(case))
    assert [[m.text, m.value, m.kind] for m in found] == case["expected"], case["note"]
    for m in found:
        assert case["text"][m.start:m.end] == m.text


# --- round trips: format any valid date in any supported form, parse it back -----------------

RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
      "октября", "ноября", "декабря"]
RU_NOM = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
          "Октябрь", "Ноябрь", "Декабрь"]
BE = ["студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня", "жніўня",
      "верасня", "кастрычніка", "лістапада", "снежня"]
EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"]
FORMS = {
    "numeric": lambda d: f"{d:%d.%m.%Y}",
    "numeric_short_day": lambda d: f"{d.day}.{d:%m.%Y}",
    "ru": lambda d: f"{d.day} {RU[d.month - 1]} {d.year}",
    "ru_goda": lambda d: f"{d.day} {RU[d.month - 1]} {d.year} года",
    "ru_g": lambda d: f"{d.day} {RU[d.month - 1]} {d.year} г.",
    "ru_nominative": lambda d: f"{d.day} {RU_NOM[d.month - 1]} {d.year}",
    "be": lambda d: f"{d.day} {BE[d.month - 1]} {d.year} года",
    "en_mdy": lambda d: f"{EN[d.month - 1]} {d.day}, {d.year}",
    "en_dmy": lambda d: f"{d.day} {EN[d.month - 1]} {d.year}",
    "iso": lambda d: d.isoformat(),
}
dates = st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(dates, st.sampled_from(sorted(FORMS)))
def test_any_date_in_any_form_parses_back(day: dt.date, form: str) -> None:
    lang = "be" if form == "be" else "en" if form.startswith("en") else "ru"
    assert parse_date(FORMS[form](day), lang) == day


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1991, 1, 1), max_value=dt.datetime(2035, 12, 31)))
def test_era_a_field_round_trips_with_minsk_time(moment: dt.datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    text = f"{moment.day} {RU[moment.month - 1]} {moment.year} - {moment:%H:%M}"
    value = parse_date(text)
    assert isinstance(value, dt.datetime)
    assert value == moment.replace(tzinfo=MINSK) and value.tzinfo == MINSK


@settings(max_examples=200, deadline=None)
@given(dates, st.sampled_from(["ru", "ru_goda", "numeric", "en_dmy", "be"]),
       st.sampled_from(["Заседание состоится {} в Минске.", "{}", "См. ({}), далее."]))
def test_a_date_in_running_text_is_found_once(day: dt.date, form: str, template: str) -> None:
    written = FORMS[form](day)
    text = template.format(written)
    found = find_dates(text, "ru", None)
    assert [(m.text, m.value) for m in found] == [(written, day.isoformat())]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2035, 12, 31)),
       st.integers(min_value=-150, max_value=150))
def test_year_less_dates_near_the_base_get_the_right_year(base: dt.date, offset: int) -> None:
    day = base + dt.timedelta(days=offset)
    assert parse_date(f"{day.day} {RU[day.month - 1]}", "ru", base) == day


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"0123456789 .,-–№:/годаянвмртсеп", "января ", "от ", "на ",
                                  "в мае", "сегодня", "2020", "31.12.", " г.", "гг."]),
                max_size=60).map("".join))
def test_arbitrary_text_never_raises_and_spans_are_exact(text: str) -> None:
    for m in find_dates(text, "ru", dt.date(2020, 6, 1)):
        assert text[m.start:m.end] == m.text
    parse_date(text, "ru", dt.date(2020, 6, 1))
