"""The date module: field formats, mentions in running text, and the traps of site.md.
(The full gold set and benchmarks belong to the dates issue.)"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mptcrawler.dates import MINSK, date_in_line, find_dates, parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("01.11.2022", dt.date(2022, 11, 1)),  # dateparser alone reads this as 11 January
    ("05.04.2017", dt.date(2017, 4, 5)),
    ("Вторник, 26 апреля 2016 - 10:15", dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)),
    ("Вторник, 26 Апрель 2016 - 10:15", dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)),
    ("26 Апрель 2016", dt.date(2016, 4, 26)),
    ("7 апреля 2022 г.", dt.date(2022, 4, 7)),
    ("5 сент. 2019 г.", dt.date(2019, 9, 5)),
    ("15 лютага 2017 года", dt.date(2017, 2, 15)),
    ("February 2, 2021", dt.date(2021, 2, 2)),
    ("2 February 2021", dt.date(2021, 2, 2)),
    ("Tue, 01 Nov 2022 09:30:00 +0000", dt.datetime(2022, 11, 1, 12, 30, tzinfo=MINSK)),
    ("2024-04-14T21:30:00Z", dt.datetime(2024, 4, 15, 0, 30, tzinfo=MINSK)),
    ("2024-04-15", dt.date(2024, 4, 15)),
    ("29 февраля 2024", dt.date(2024, 2, 29)),
    # Drupal's core "medium" format, D, m/d/Y - H:i, month first (drupal_markup: format_date)
    ("Вт, 04/26/2016 - 10:15", dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)),
    ("Tue, 04/05/2016 - 10:15", dt.datetime(2016, 4, 5, 10, 15, tzinfo=MINSK)),
    ("04/05/2016", dt.date(2016, 4, 5)),
    ("26/04/2016", dt.date(2016, 4, 26)),  # a first number over 12 is a day
    # Drupal 11.1's medium format, D, j M Y - H:i
    ("Tue, 26 Apr 2016 - 10:15", dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)),
    ("Вт, 26 апр 2016 - 10:15", dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)),
    ("Пт, 11.12.2020", dt.date(2020, 12, 11)),
    ("2016-04-26T10:15:00+0300", dt.datetime(2016, 4, 26, 10, 15, tzinfo=MINSK)),  # html_datetime
])
def test_parse_date(text: str, expected: dt.date) -> None:
    value = parse_date(text)
    assert value == expected
    assert type(value) is type(expected)


def test_datetimes_carry_the_minsk_offset() -> None:
    value = parse_date("Вторник, 26 апреля 2016 - 10:15")
    assert value is not None and value.isoformat() == "2016-04-26T10:15:00+03:00"


@pytest.mark.parametrize("text", ["31 июня 2020", "29 февраля 2023", "32.01.2020", "", "сегодня",
                                  "Тел.: +375 (17) 287 87 06", "№ 136", "5G", "12,5 %"])
def test_no_date_is_invented(text: str) -> None:
    assert parse_date(text) is None


def test_year_less_needs_a_base_and_takes_the_nearest_year() -> None:
    assert parse_date("Сегодня, 26 апреля") is None
    assert parse_date("Сегодня, 26 апреля", base=dt.date(2016, 4, 26)) == dt.date(2016, 4, 26)
    assert parse_date("28 декабря", base=dt.date(2017, 1, 5)) == dt.date(2016, 12, 28)


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        parse_date("01.01.2020", lang="de")


def mentions(text: str, base: dt.date | None = dt.date(2023, 1, 5), lang: str = "ru"
             ) -> list[tuple[str, str, str]]:
    return [(m.text, m.value, m.kind) for m in find_dates(text, lang, base)]


def test_legal_act_citations() -> None:
    assert mentions("постановлением от 7 апреля 2022 г. № 136.") == [
        ("от 7 апреля 2022 г. № 136", "2022-04-07", "legal_act")]
    assert mentions("пастановай ад 23 сакавіка 2016 года № 235.", lang="be") == [
        ("ад 23 сакавіка 2016 года № 235", "2016-03-23", "legal_act")]
    assert mentions("Resolution dated February 2, 2021 No. 66.", lang="en") == [
        ("dated February 2, 2021 No. 66", "2021-02-02", "legal_act")]
    assert mentions("постановлением от 01.02.2020 № 12/3.") == [
        ("от 01.02.2020 № 12/3", "2020-02-01", "legal_act")]


def test_ranges_are_not_two_invented_dates() -> None:
    assert mentions("на 2021 – 2025 годы") == [("на 2021 – 2025 годы", "2021/2025", "range")]
    assert mentions("на 2016-2022 годы") == [("на 2016-2022 годы", "2016/2022", "range")]
    assert mentions("в мае-июне") == [("в мае-июне", "2023-05/2023-06", "range")]
    assert mentions("с 1 по 15 июня 2023 года") == [
        ("с 1 по 15 июня 2023 года", "2023-06-01/2023-06-15", "range")]


def test_year_less_dates_take_the_year_nearest_the_base() -> None:
    assert mentions("до 28 декабря.") == [("28 декабря", "2022-12-28", "date")]
    assert mentions("до 28 декабря.", base=None) == []


def test_relative_and_month_mentions() -> None:
    # one mention: the explicit date wins over the relative word before it
    assert mentions("Сегодня, 11 мая", base=dt.date(2023, 5, 11)) == [
        ("Сегодня, 11 мая", "2023-05-11", "date")]
    assert mentions("Сегодня, 11 мая", base=dt.date(2023, 5, 12)) == [
        ("Сегодня, 11 мая", "2023-05-11", "date")]
    assert mentions("в марте 2019 года") == [("в марте 2019 года", "2019-03", "month")]


def test_offsets_point_into_the_text() -> None:
    text = "Сеть введена 31.07.2006, а программа принята на 2016-2022 годы."
    for m in find_dates(text, "ru", dt.date(2016, 4, 26)):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text", [
    "Справки по телефону +375 (17) 287 87 06.", "Факс: +375 (17) 327 21 57",
    "Документ зарегистрирован под № 136.", "технологии 5G", "более 4 тыс. объектов",
    "вырос на 12,5 % за год", "стоимостью 1,5 млн рублей", "Версия 2.5.1 установлена",
    "220030, г. Минск, пр-т Независимости, 10", "на 350 рабочих местах", "в 6 областях",
])
def test_numbers_that_are_not_dates(text: str) -> None:
    assert mentions(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("26/04/2016", dt.date(2016, 4, 26)),
    ("2016, 26 апреля", dt.date(2016, 4, 26)),
    ("26.04.16", dt.date(2016, 4, 26)),
])
def test_dateparser_is_the_last_resort_with_day_first_order(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


def test_prose_never_reaches_dateparser() -> None:
    # No digit, or too long for a date field: None without asking dateparser.
    assert parse_date("Министр связи и информатизации провел прием граждан") is None
    assert parse_date("от 7 апреля 2022 г. № 136 " * 5) is None


@pytest.mark.parametrize(("line", "expected"), [
    ("Submitted by admin on Tue, 04/26/2016 - 10:15", "Tue, 04/26/2016 - 10:15"),
    ("Опубликовано pressa в Вторник, 26 апреля 2016 - 10:15", "Вторник, 26 апреля 2016 - 10:15"),
    ("Вторник, 26 апреля 2016 - 10:15 — pressa", "Вторник, 26 апреля 2016 - 10:15"),  # Garland
    ("By pressa, 15.03.2019", "15.03.2019"),  # Olivero
    ("Дата: 26 апреля 2016 г.", "26 апреля 2016 г"),
    ("14.05.2019", "14.05.2019"),
    ("Posted on April 26, 2016", "April 26, 2016"),
    ("Submitted by admin", None),
    ("26 апреля", None),  # no year: not a publication date
    ("from 1.2.2016 to 3.4.2017", None),  # two dates: none of them
    ("", None),
])
def test_date_in_line(line: str, expected: str | None) -> None:
    assert date_in_line(line) == expected


# Inputs for every path that could read the machine's zone: zones and offsets, naive times,
# RSS, ISO, dateparser's fallback, relative dates and a time alone against a base.
_TZ_PROBE = r"""
import datetime as dt, json, sys, time
time.tzset()
from mptcrawler.dates import find_dates, parse_date
texts = ["Tue, 01 Nov 2022 09:30:00 CET", "Tue, 01 Nov 2022 09:30:00 +0000",
         "26.04.2016 10:15 MSK", "26.04.2016 10:15 EEST", "26.04.2016 10:15 XYZ",
         "2024-04-14T21:30:00Z", "2024-04-15T09:00:00", "Вторник, 26 апреля 2016 - 10:15",
         "26.04.16 10:15", "2016, 26 апреля", "вчера в 23:30", "в 12 часов", "через 2 недели",
         "Fri, 29 Feb 2008 12:00:00 GMT", "01.11.2012 09:30 MSK"]
base = dt.datetime(2023, 5, 31, 23, 50, tzinfo=dt.timezone.utc)  # already 1 June in Minsk
out = [repr(parse_date(t, "ru", base)) for t in texts]
out += [repr(find_dates("Вчера и 5 августа 2014 г. в 12:00, в 2015 году", "ru", base))]
print(json.dumps(out))
"""


def test_results_do_not_depend_on_the_machine_time_zone() -> None:
    import json
    import os
    import subprocess
    import sys

    outputs = {}
    for zone in ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"):
        env = {**os.environ, "TZ": zone}
        done = subprocess.run([sys.executable, "-c", _TZ_PROBE], env=env, capture_output=True,
                              text=True, check=True)
        outputs[zone] = json.loads(done.stdout)
    first = outputs["UTC"]
    assert all(result == first for result in outputs.values()), outputs
    assert first[0] == repr(dt.datetime(2022, 11, 1, 11, 30, tzinfo=MINSK))
    assert first[4] == "None"  # an unknown zone is no date
    assert first[10] == repr(dt.datetime(2023, 5, 31, 23, 30, tzinfo=MINSK))  # base is 1 June


def test_no_character_left_out_of_the_mention_starts_can_start_a_mention() -> None:
    """find_dates tries _MENTION only where _MENTION_START finds a candidate, whose first
    character is tested without IGNORECASE against the characters that cannot start one: none
    of them may match a first letter the way IGNORECASE matches (a digit, or a letter folding
    to one, would lose mentions)."""
    import re

    from mptcrawler import dates

    for c in dates._NEVER_FIRST:
        assert not c.isdigit()
        for first in dates._FIRST_WORDS:
            assert re.match(re.escape(first), c, re.IGNORECASE) is None, (c, first)


_TOKENS = ["в", "В", "во", "у", "ў", "на", "с", "от", "ад", "за", "1", "12", "2016", "2021", "–",
           "-", "—", ".", ",", "/", ":", "года", "г.", "гг.", "марте", "мае", "июня", "апреля",
           "сент.", "янв", "Jan", "June", "may", "May", "in", "from", "to", "по", "до", "сегодня",
           "Сегодня", "вчера", "неделю", "назад", "через", "два", "дня", "лет", "years", "ago",
           "№", "N", "10:15", "утра", "the", "year", "dated", "February", "2,", "5th", "of", "\n",
           "\u00a0", "\u212a", "ſ", "İ", "ı", "ᲀ", "Ǆ", "x", "abc", "мес", "этом", "прошлом",
           "году", "5 мар", "3 ноя", "1–15", "с 1 по 15 июня"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(["", " ", "  ", "\n"])),
                max_size=30))
def test_mentions_are_those_of_a_search_at_every_position(parts: list[tuple[str, str]]) -> None:
    """The candidate starts change where _MENTION is tried, never what it finds: the same
    matches as its own search through the whole text (finditer), in the same order."""
    from mptcrawler import dates

    text = "".join(a + b for a, b in parts)
    expected = [(m.span(), m.lastgroup) for m in dates._MENTION.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in dates._mentions(text)] == expected


# Run in a fresh interpreter: the lengths of the pattern strings handed to re.compile while
# the module is imported, at its first use and at its second.
_COMPILE_PROBE = """
import re
compiled = []
compile = re.compile
re.compile = lambda pattern, flags=0: compiled.append(len(pattern)) or compile(pattern, flags)
from mptcrawler import dates
at_import = max(compiled)
del compiled[:]
text = "Совещание прошло 5 мая 2021 года, а 10.05.2021 вышел приказ."
first = dates.find_dates(text, "ru")
first_use = max(compiled)
del compiled[:]
assert dates.find_dates(text, "ru") == first
print(at_import, first_use, sum(1 for n in compiled if n > 500))
"""


def test_the_large_patterns_are_compiled_on_first_use_and_once() -> None:
    """Importing the module (every start of a crawl or a re-extraction, ``scrapy list`` too)
    compiles none of its large patterns: the largest compiled at import is _ISO's (125
    characters), the smallest left for first use _FIELD_TIME_ONLY's (~650). find_dates
    compiles _MENTION (22,876 characters) when first called, and a second call compiles
    no large pattern again."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _COMPILE_PROBE], capture_output=True,
                          text=True, timeout=120, check=True)
    at_import, first_use, again = map(int, done.stdout.split())
    assert at_import < 500
    assert first_use > 20_000
    assert again == 0
