"""Writes the date gold set: ``parse_date.jsonl`` and ``find_dates.jsonl`` beside this file.

    python tests/gold/build_gold_cases.py

The expected values come from this file only: hand-written cases, and systematic ones made by
formatting known dates with month tables written here (not imported from mptcrawler.dates), so
the gold set does not inherit the parser's mistakes. Read the diff of the JSONL files after
running it; the files, not this script, are what the tests read.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

RU_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
          "октября", "ноября", "декабря"]
RU_NOM = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
          "Октябрь", "Ноябрь", "Декабрь"]
RU_ABBR = ["янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.",
           "нояб.", "дек."]
RU_LOC = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
          "октябре", "ноябре", "декабре"]
BE_GEN = ["студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня", "жніўня",
          "верасня", "кастрычніка", "лістапада", "снежня"]
BE_LOC = ["студзені", "лютым", "сакавіку", "красавіку", "маі", "чэрвені", "ліпені", "жніўні",
          "верасні", "кастрычніку", "лістападзе", "снежні"]
EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"]
EN_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BE_ABBR = ["сту", "лют", "сак", "кра", "тра", "чэр", "ліп", "жні", "вер", "кас", "ліс", "сне"]
BE_NOM = ["студзень", "люты", "сакавік", "красавік", "травень", "чэрвень", "ліпень", "жнівень",
          "верасень", "кастрычнік", "лістапад", "снежань"]
RU_WEEKDAY_ABBR = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
EN_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd", 9: "9th", 15: "15th", 21: "21st", 22: "22nd",
              23: "23rd", 28: "28th", 30: "30th", 31: "31st", 10: "10th", 17: "17th"}
RU_WEEKDAY = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]


def day_of(month: int, year: int) -> dt.date:
    """A spread of days: the 1st, the last day of the month, and others."""
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, [1, last, 9, 15, 28, 10, 21, last, 2, 17, 30, 31][month - 1]
                   if month != 2 else min(28, last))


def parse_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def add(text: str, expected: str | None, lang: str = "ru", base: str | None = None,
            note: str = "") -> None:
        cases.append({"lang": lang, "base": base, "text": text, "expected": expected,
                      "note": note})

    for m in range(1, 13):
        d = day_of(m, 2013 + m)
        add(f"{d.day} {RU_GEN[m - 1]} {d.year}", d.isoformat(), note="ru genitive")
        add(f"{d.day} {RU_GEN[m - 1]} {d.year} года", d.isoformat(), note="ru with года")
        add(f"{d.day} {RU_GEN[m - 1]} {d.year} г.", d.isoformat(), note="ru with г.")
        add(f"{d.day} {RU_NOM[m - 1]} {d.year}", d.isoformat(), note="Drupal 7 nominative")
        if m != 5:
            add(f"{d.day} {RU_ABBR[m - 1]} {d.year} г.", d.isoformat(), note="ru abbreviation")
        add(f"{d:%d.%m.%Y}", d.isoformat(), note="DD.MM.YYYY")
        t = dt.datetime(d.year, d.month, d.day, (7 + m) % 24, (m * 7) % 60)
        add(f"{RU_WEEKDAY[d.weekday()]}, {d.day} {RU_GEN[m - 1]} {d.year} - {t:%H:%M}",
            f"{t:%Y-%m-%dT%H:%M}:00+03:00", note="era A date field")
        add(f"{RU_WEEKDAY[d.weekday()]}, {d.day} {RU_NOM[m - 1]} {d.year} - {t:%H:%M}",
            f"{t:%Y-%m-%dT%H:%M}:00+03:00", note="era A, nominative month")
        add(f"{d.day} {BE_GEN[m - 1]} {d.year} года", d.isoformat(), "be", note="be genitive")
        add(f"{EN[m - 1]} {d.day}, {d.year}", d.isoformat(), "en", note="en month first")
        add(f"{d.day} {EN[m - 1]} {d.year}", d.isoformat(), "en", note="en day first")
        add(f"{EN_ABBR[m - 1]} {d.day}, {d.year}", d.isoformat(), "en", note="en abbreviation")
        add(f"{d.day} {BE_ABBR[m - 1]} {d.year}", d.isoformat(), "be",
            note="be abbreviation of the locale data")
        add(f"{d.day} {BE_NOM[m - 1]} {d.year}", d.isoformat(), "be", note="be nominative")
        add(f"{RU_WEEKDAY_ABBR[d.weekday()]}, {d.day} {RU_ABBR[m - 1]} {d.year}", d.isoformat(),
            note="weekday and month abbreviations")
        add(f"{EN[m - 1]} {EN_ORDINAL[d.day]}, {d.year}", d.isoformat(), "en",
            note="en ordinal")
        add(f"the {EN_ORDINAL[d.day]} of {EN[m - 1]} {d.year}", d.isoformat(), "en",
            note="en ordinal, day first")
        add(f"{d.day}. {d.month:02d}. {d.year}", d.isoformat(), note="spaces after the dots")
    # RSS (RFC 822) and ISO 8601, converted to Minsk
    add("Tue, 01 Nov 2022 09:30:00 +0000", "2022-11-01T12:30:00+03:00", note="RSS pubDate")
    add("Mon, 31 Dec 2018 22:15:00 +0000", "2019-01-01T01:15:00+03:00",
        note="RSS, next day in Minsk")
    add("Fri, 29 Feb 2008 12:00:00 GMT", "2008-02-29T14:00:00+02:00",
        note="RSS, Minsk was +02:00 in winter 2008")
    add("Wed, 15 Jul 2009 08:00:00 +0000", "2009-07-15T11:00:00+03:00", note="summer time 2009")
    add("2024-04-14T21:30:00Z", "2024-04-15T00:30:00+03:00", note="era C attribute, day rolls")
    add("2024-04-15T09:00:00+03:00", "2024-04-15T09:00:00+03:00", note="ISO with offset")
    add("2024-04-15", "2024-04-15", note="ISO date")
    add("2016-04-26T07:15:00Z", "2016-04-26T10:15:00+03:00", note="ISO UTC")
    # time variants of the word form
    add("26 апреля 2016, 10:15", "2016-04-26T10:15:00+03:00")
    add("26 апреля 2016 в 10:15", "2016-04-26T10:15:00+03:00")
    add("26 апреля 2016 г., 10:15", "2016-04-26T10:15:00+03:00")
    add("26.04.2016 10:15", "2016-04-26T10:15:00+03:00")
    add("26 april 2016", "2016-04-26", "en", note="lower case")
    add("26 АПРЕЛЯ 2016", "2016-04-26", note="upper case")
    add(" 26\u00a0апреля  2016 ", "2016-04-26", note="no-break and extra spaces")
    add("Вторник,26 апреля 2016 - 10:15", "2016-04-26T10:15:00+03:00", note="no space")
    # times in words; spaces in numeric dates; year words and prepositions before the time
    add("11. 12. 2014, 08:45:39", "2014-12-11T08:45:39+03:00", note="issue 14")
    add("5 жніўня 2014 года ў 7 гадзін 10 хвілін", "2014-08-05T07:10:00+03:00", "be",
        note="time in words")
    add("у 7 гадзін 10 хвілін", "2023-05-31T07:10:00+03:00", "be", base="2023-05-31",
        note="a time alone is a moment of the base day")
    add("у 7 гадзін 10 хвілін", None, "be", note="a time alone without a base")
    add("в 12 часов", "2016-04-26T12:00:00+03:00", base="2016-04-26")
    add("26 апреля 2016 года в 12 часов", "2016-04-26T12:00:00+03:00")
    add("26 апреля 2016 года в 7 часов вечера", "2016-04-26T19:00:00+03:00")
    add("26 апреля 2016 г. в 9 часов 5 минут", "2016-04-26T09:05:00+03:00")
    add("5 августа 2014 г. в 12:00", "2014-08-05T12:00:00+03:00", note="issue 14")
    add("5 августа 2014 г в 12:00", "2014-08-05T12:00:00+03:00", note="г without its dot")
    add("26.04.2016 г. в 10:15", "2016-04-26T10:15:00+03:00")
    add("April 26, 2016 at 10:15", "2016-04-26T10:15:00+03:00", "en")
    add("April 26, 2016 at 7 pm", "2016-04-26T19:00:00+03:00", "en")
    add("26 April 2016, 7:30 a.m.", "2016-04-26T07:30:00+03:00", "en")
    add("10:15, 26 апреля 2016", "2016-04-26T10:15:00+03:00", note="time first")
    add("12:30 26.04.2016", "2016-04-26T12:30:00+03:00", note="time first, numeric")
    add("14 декабря в 1989 году", "1989-12-14", note="в before the year")
    # time zones: converted to Minsk, never the machine's zone (Minsk: +02:00 in winter until
    # 2011, +03:00 since; MSK was +04:00 from March 2011 to October 2014)
    add("26.04.2016 10:15 UTC", "2016-04-26T13:15:00+03:00")
    add("26.04.2016 10:15 GMT", "2016-04-26T13:15:00+03:00")
    add("26.04.2016 10:15 CET", "2016-04-26T12:15:00+03:00")
    add("26.04.2016 10:15 CEST", "2016-04-26T11:15:00+03:00")
    add("26.04.2016 10:15 EET", "2016-04-26T11:15:00+03:00")
    add("26.04.2016 10:15 EEST", "2016-04-26T10:15:00+03:00")
    add("26.04.2016 10:15 MSK", "2016-04-26T10:15:00+03:00")
    add("26 апреля 2016 10:15 мск", "2016-04-26T10:15:00+03:00")
    add("01.11.2012 09:30 MSK", "2012-11-01T08:30:00+03:00", note="MSK was +04:00 in 2012")
    add("26.04.2016 10:15 +02:00", "2016-04-26T11:15:00+03:00")
    add("26.04.2016 10:15 UTC+5", "2016-04-26T08:15:00+03:00")
    add("Tue, 01 Nov 2022 09:30:00 CET", "2022-11-01T11:30:00+03:00", "en", note="issue 14")
    add("Fri, 29 Feb 2008 12:00:00 CET", "2008-02-29T13:00:00+02:00", "en")
    add("26.04.2016 10:15 XYZ", None, note="an unknown zone is no date, not machine time")
    add("Tue, 01 Nov 2022 09:30:00 ABC", None, "en")
    add("26.04.2016 CET", None, note="a zone with no time")
    # relative dates against a base
    for text, expected, lang in [
            ("вчера", "2023-05-30", "ru"), ("позавчера", "2023-05-29", "ru"),
            ("завтра", "2023-06-01", "ru"), ("послезавтра", "2023-06-02", "ru"),
            ("сегодня", "2023-05-31", "ru"), ("неделю назад", "2023-05-24", "ru"),
            ("2 недели назад", "2023-05-17", "ru"), ("через 2 дня", "2023-06-02", "ru"),
            ("через месяц", "2023-06-30", "ru"), ("месяц назад", "2023-04-30", "ru"),
            ("в прошлом году", "2022-05-31", "ru"), ("в следующем месяце", "2023-06-30", "ru"),
            ("два дня назад", "2023-05-29", "ru"), ("три года назад", "2020-05-31", "ru"),
            ("на прошлой неделе", "2023-05-24", "ru"), ("учора", "2023-05-30", "be"),
            ("пазаўчора", "2023-05-29", "be"), ("два дні таму", "2023-05-29", "be"),
            ("праз тыдзень", "2023-06-07", "be"), ("у мінулым годзе", "2022-05-31", "be"),
            ("yesterday", "2023-05-30", "en"), ("2 weeks ago", "2023-05-17", "en"),
            ("in 3 days", "2023-06-03", "en"), ("last month", "2023-04-30", "en"),
            ("next year", "2024-05-31", "en"), ("a year ago", "2022-05-31", "en"),
            ("the day before yesterday", None, "en"), ("day before yesterday", "2023-05-29", "en"),
            ("вчера в 10:15", "2023-05-30T10:15:00+03:00", "ru"),
            ("Сегодня, 10:15", "2023-05-31T10:15:00+03:00", "ru")]:
        add(text, expected, lang, base="2023-05-31", note="relative")
    add("через год", "2025-02-28", base="2024-02-29", note="relative: no 29 February in 2025")
    add("вчера", None, note="relative without a base")
    add("2 дня назад", None, note="relative without a base")
    add("в течение 2 дней", None, base="2023-05-31", note="a span, not a date")
    # year-less, resolved against the base (nearest year)
    add("Сегодня, 26 апреля", "2016-04-26", base="2016-04-26", note="site.md")
    add("Сегодня, 11 мая", "2023-05-11", base="2023-05-11")
    add("28 декабря", "2016-12-28", base="2017-01-05", note="December read in January")
    add("3 января", "2020-01-03", base="2019-12-29", note="January read in December")
    add("31 декабря", "2019-12-31", base="2020-01-01")
    add("1 января", "2021-01-01", base="2020-12-31")
    add("15 июля", "2020-07-15", base="2020-06-01")
    add("29 февраля", "2024-02-29", base="2024-03-10", note="leap day, year-less")
    add("29 февраля", "2024-02-29", base="2023-12-20", note="only the leap year has it")
    add("5 сакавіка", "2021-03-05", "be", base="2021-03-01")
    add("March 5", "2021-03-05", "en", base="2021-03-01", note="month first, year-less")
    add("December 28", "2020-12-28", "en", base="2021-01-04", note="nearest year, en")
    add("28 декабря", None, note="year-less without a base is not guessed")
    add("Сегодня, 26 апреля", None, note="year-less without a base")
    # leap days and invalid dates
    add("29 февраля 2024", "2024-02-29")
    add("29 февраля 2023", None, note="not a leap year")
    add("29.02.2000", "2000-02-29", note="leap: divisible by 400")
    add("29.02.1900", None, note="not leap: divisible by 100")
    add("31 июня 2020", None, note="June has 30 days")
    add("31.04.2020", None)
    add("30 февраля 2020", None)
    add("32 марта 2020", None)
    add("00.01.2020", None)
    add("15.13.2020", None)
    add("31 ноября 2019 года", None)
    add("29 лютага 2023 года", None, "be")
    add("February 30, 2021", None, "en")
    add("25:61", None)
    add("26 апреля 2016 - 25:10", None, note="hour 25")
    # not a date at all
    for text in ["", "   ", "сегодня", "вчера вечером", "Тел.: +375 (17) 287 87 06",
                 "Факс: +375 (17) 327 21 57", "№ 136", "5G", "4 тыс. объектов", "12,5 %",
                 "1,5 млн рублей", "2.5.1", "220030", "2021", "2016-2022", "на 2021 – 2025 годы",
                 "Министр связи и информатизации", "от 7 апреля 2022 г. № 136",
                 "26 апреля 2016 и 27 апреля 2016", "version 10.2", "100 %", "8 800 100 11 11"]:
        add(text, None, note="not a (single) date")
    return cases


def find_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def add(text: str, expected: list[tuple[str, str, str]], lang: str = "ru",
            base: str | None = "2023-01-05", note: str = "") -> None:
        cases.append({"lang": lang, "base": base, "text": text,
                      "expected": [list(x) for x in expected], "note": note})

    # legal acts, every month and form
    for m in range(1, 13):
        d = day_of(m, 2004 + m)
        n = 100 + m * 7
        ru = f"от {d.day} {RU_GEN[m - 1]} {d.year} г. № {n}"
        add(f"Постановлением Совета Министров {ru} утверждено положение.",
            [(ru, d.isoformat(), "legal_act")], note="ru legal act")
        be = f"ад {d.day} {BE_GEN[m - 1]} {d.year} года № {n}"
        add(f"Пастановай Савета Міністраў {be} зацверджана палажэнне.",
            [(be, d.isoformat(), "legal_act")], "be", note="be legal act")
        en = f"dated {EN[m - 1]} {d.day}, {d.year} No. {n}"
        add(f"Resolution of the Council of Ministers {en} was adopted.",
            [(en, d.isoformat(), "legal_act")], "en", note="en legal act")
        num = f"от {d:%d.%m.%Y} № {n}-З"
        add(f"Законом {num} внесены изменения.", [(num, d.isoformat(), "legal_act")],
            note="numeric legal act")
        # a plain date in running text, all three languages
        add(f"Форум пройдет {d.day} {RU_GEN[m - 1]} {d.year} года в Минске.",
            [(f"{d.day} {RU_GEN[m - 1]} {d.year} года", d.isoformat(), "date")])
        add(f"The forum will take place on {d.day} {EN[m - 1]} {d.year} in Minsk.",
            [(f"{d.day} {EN[m - 1]} {d.year}", d.isoformat(), "date")], "en")
        # a month named without a day, year from the base
        base = dt.date(2023, 1, 5) if m <= 6 else dt.date(2023, 12, 20)
        add(f"Встреча прошла в {RU_LOC[m - 1]}.", [(f"в {RU_LOC[m - 1]}", f"{base.year}-{m:02d}",
                                                    "month")], base=base.isoformat(),
            note="month, nearest year")
        add(f"Сустрэча адбылася ў {BE_LOC[m - 1]} 2019 года.",
            [(f"ў {BE_LOC[m - 1]} 2019 года", f"2019-{m:02d}", "month")], "be",
            note="be month after a vowel: ў")
    # ranges
    add("Программа на 2021 – 2025 годы.", [("на 2021 – 2025 годы", "2021/2025", "range")],
        note="site.md")
    add("Стратегия на 2016-2022 годы.", [("на 2016-2022 годы", "2016/2022", "range")],
        note="the seed")
    add("План на 2016–2020 гг. принят.", [("на 2016–2020 гг.", "2016/2020", "range")])
    add("Итоги за 2018-2020 годы.", [("за 2018-2020 годы", "2018/2020", "range")])
    add("Программа на 2021—2025 гады.", [("на 2021—2025 гады", "2021/2025", "range")], "be")
    add("The program for 2021-2025 years.", [("for 2021-2025 years", "2021/2025", "range")], "en",
        note="the preposition belongs to the range, as на does")
    add("решения будут приняты в мае-июне", [("в мае-июне", "2023-05/2023-06", "range")],
        note="the seed, year from base")
    add("в мае-июне", [("в мае-июне", "2016-05/2016-06", "range")], base="2016-04-26")
    add("в марте–апреле 2020 года", [("в марте–апреле 2020 года", "2020-03/2020-04", "range")])
    add("Выставка работает с 1 по 15 июня 2023 года.",
        [("с 1 по 15 июня 2023 года", "2023-06-01/2023-06-15", "range")])
    add("Прием с 25 декабря по 10 января.",
        [("с 25 декабря по 10 января", "2022-12-25/2023-01-10", "range")],
        note="crosses New Year, year-less")
    add("Кампания пройдет 3-5 мая 2017 г.", [("3-5 мая 2017 г.", "2017-05-03/2017-05-05",
                                              "range")])
    add("Конференция 14–16 ноября 2022 года.",
        [("14–16 ноября 2022 года", "2022-11-14/2022-11-16", "range")])
    add("з 1 па 5 сакавіка", [("з 1 па 5 сакавіка", "2023-03-01/2023-03-05", "range")], "be")
    # year-less dates near the publication date
    add("Прием документов до 28 декабря.", [("28 декабря", "2022-12-28", "date")],
        note="December in a January article")
    add("Заседание 10 января.", [("10 января", "2023-01-10", "date")])
    for text, day in [("8 июня", "2024-06-08"), ("30 июля", "2024-07-30"), ("2 мая", "2024-05-02")]:
        add(f"Прием документов продлится до {text} включительно.", [(text, day, "date")],
            base="2024-06-01", note="a short full month name is no abbreviation")
    add("Сегодня, 11 мая, открылся форум.", [("Сегодня, 11 мая", "2023-05-11", "date")],
        base="2023-05-11", note="site.md: one mention, the explicit date wins")
    add("Вчера состоялось заседание.", [("Вчера", "2023-01-04", "relative")])
    add("Завтра начнется прием.", [("Завтра", "2023-01-06", "relative")])
    add("Сёння адбылося пасяджэнне.", [("Сёння", "2023-01-05", "relative")], "be")
    add("Today the ministry announced.", [("Today", "2023-01-05", "relative")], "en")
    add("В этом году подключено 500 школ.", [("В этом году", "2023", "relative")])
    add("в прошлом году", [("в прошлом году", "2022", "relative")])
    add("в следующем году", [("в следующем году", "2024", "relative")])
    add("у мінулым годзе", [("у мінулым годзе", "2022", "relative")], "be")
    add("last year", [("last year", "2022", "relative")], "en")
    add("Сегодня мы подписали", [], base=None, note="relative needs a base")
    add("до 28 декабря", [], base=None, note="year-less needs a base")
    # numeric dates
    add("Сеть введена в эксплуатацию 31.07.2006.", [("31.07.2006", "2006-07-31", "date")],
        note="site.md")
    add("Срок: 01.02.2020–15.02.2020.", [("01.02.2020", "2020-02-01", "date"),
                                         ("15.02.2020", "2020-02-15", "date")])
    add("31.06.2020", [], note="invalid numeric date")
    add("31 июня 2020 года", [], note="invalid date")
    add("29 февраля 2024 года", [("29 февраля 2024 года", "2024-02-29", "date")])
    add("29 февраля 2023 года", [], note="not a leap year")
    add("5 сент. 2019 г.", [("5 сент. 2019 г.", "2019-09-05", "date")])
    add("до 28 декабря. Потом", [("28 декабря", "2022-12-28", "date")],
        note="the sentence's dot is not part of the date")
    # several in one text
    add("Указом от 7 апреля 2022 г. № 136 на 2021 – 2025 годы, заседание 15 марта 2023 года.",
        [("от 7 апреля 2022 г. № 136", "2022-04-07", "legal_act"),
         ("на 2021 – 2025 годы", "2021/2025", "range"),
         ("15 марта 2023 года", "2023-03-15", "date")])
    add("Decree dated February 2, 2021 No. 66 and the meeting on 3 March 2021.",
        [("dated February 2, 2021 No. 66", "2021-02-02", "legal_act"),
         ("3 March 2021", "2021-03-03", "date")], "en", note="site.md")
    add("ад 15 лютага 2017 года № 3", [("ад 15 лютага 2017 года № 3", "2017-02-15",
                                        "legal_act")], "be", note="site.md")
    # years as mentions: a year with a year word, or after in/year in English
    add("Итоги работы за 2015 год подведены.", [("за 2015 год", "2015", "year")])
    add("Предприятие работает с 1947 года.", [("с 1947 года", "1947", "year")])
    add("В 2020 году подключено 500 школ.", [("В 2020 году", "2020", "year")])
    add("2021 год объявлен Годом народного единства.", [("2021 год", "2021", "year")])
    add("План на 2016 г. выполнен.", [("на 2016 г.", "2016", "year")])
    add("Вынікі работы ў 2019 годзе.", [("ў 2019 годзе", "2019", "year")], "be")
    add("In 2015 the ministry launched the portal.", [("In 2015", "2015", "year")], "en")
    add("The year 2015 was a record.", [("The year 2015", "2015", "year")], "en")
    add("14 декабря в 1989 году открыт узел связи.",
        [("14 декабря в 1989 году", "1989-12-14", "date")], note="one date, not a year")
    add("в 2000 школах", [], note="trap: no year word")
    add("В 2015 и 2016 гг.", [], note="trap: a plural year word is no single year")
    # relative dates against the base
    for text, expected, lang in [
            ("Два дня назад состоялось заседание.", [("Два дня назад", "2023-05-29")], "ru"),
            ("Неделю назад стартовал прием.", [("Неделю назад", "2023-05-24")], "ru"),
            ("Итоги подведут через 2 недели.", [("через 2 недели", "2023-06-14")], "ru"),
            ("на прошлой неделе", [("на прошлой неделе", "2023-05-22/2023-05-28")], "ru"),
            ("в прошлом месяце", [("в прошлом месяце", "2023-04")], "ru"),
            ("3 месяца назад", [("3 месяца назад", "2023-02")], "ru"),
            ("позавчера", [("позавчера", "2023-05-29")], "ru"),
            ("два гады таму", [("два гады таму", "2021")], "be"),
            ("праз 3 дні", [("праз 3 дні", "2023-06-03")], "be"),
            ("last week", [("last week", "2023-05-22/2023-05-28")], "en"),
            ("in 3 years", [("in 3 years", "2026")], "en"),
            ("two days ago", [("two days ago", "2023-05-29")], "en")]:
        add(text, [(t, v, "relative") for t, v in expected], lang, base="2023-05-31",
            note="relative")
    add("Два дня назад", [], base=None, note="relative without a base")
    # one mention for "Сегодня, 26 апреля"; English ordinals and ranges; times in the span
    add("Сегодня, 26 апреля в Минсвязи проходит форум.",
        [("Сегодня, 26 апреля", "2016-04-26", "date")], base="2016-04-26", note="the seed")
    add("It was signed on March 3rd, 2004.", [("March 3rd, 2004", "2004-03-03", "date")], "en")
    add("On the 21st of June 2019 the forum opened.",
        [("21st of June 2019", "2019-06-21", "date")], "en")
    add("The program for 2021 - 2025 was adopted.", [("for 2021 - 2025", "2021/2025", "range")],
        "en", note="issue 14")
    add("The strategy from 2021 to 2025.", [("from 2021 to 2025", "2021/2025", "range")], "en")
    add("between 2016 and 2020", [("between 2016 and 2020", "2016/2020", "range")], "en")
    add("Программа с 2021 по 2025 год.", [("с 2021 по 2025 год", "2021/2025", "range")])
    add("The exhibition is open June 1-15, 2016.",
        [("June 1-15, 2016", "2016-06-01/2016-06-15", "range")], "en")
    add("in March 2019", [("in March 2019", "2019-03", "month")], "en")
    add("Встреча 5 августа 2014 г. в 12:00 прошла в Минске.",
        [("5 августа 2014 г. в 12:00", "2014-08-05", "date")], note="the time joins the span")
    add("Зарегистрировано 11. 12. 2014, 08:45:39.",
        [("11. 12. 2014, 08:45:39", "2014-12-11", "date")], note="spaces after the dots")
    add("Сход 5 жніўня 2014 года ў 7 гадзін 10 хвілін.",
        [("5 жніўня 2014 года ў 7 гадзін 10 хвілін", "2014-08-05", "date")], "be")
    add("14 декабря 1989 года в 12 часов 30 минут",
        [("14 декабря 1989 года в 12 часов 30 минут", "1989-12-14", "date")])
    add("5 сту. 2019 г.", [("5 сту. 2019 г.", "2019-01-05", "date")], "be",
        note="an abbreviation of the locale data")
    # traps: numbers that are not dates
    for text in ["Справки по телефону +375 (17) 287 87 06.", "Тел.: +375 (17) 287 87 06",
                 "Факс: +375 (17) 327 21 57", "Документ № 136 зарегистрирован.",
                 "Сети 5G развиваются.", "подключено 4 тыс. объектов", "рост на 12,5 %",
                 "стоимость 1,5 млн рублей", "Версия 2.5.1 установлена.",
                 "220030, г. Минск, пр-т Независимости, 10", "в 6 областях",
                 "на 350 рабочих местах", "скорость до 1 Гбит/с",
                 "1 из 10 абонентов", "в 3 раза больше", "200 мая", "12 марок", "март-2020",
                 "на 10-15 %", "ISO 9001:2015", "с 2 по 3 этаж", "№ 12/2020",
                 "в мае было", "100 000 абонентов", "Май — лучший месяц",
                 "The May meeting", "may 5G", "IPv6 на 2 серверах"]:
        add(text, [] if text not in ("в мае было",) else [("в мае", "2023-05", "month")],
            note="trap")
    return cases


def main() -> None:
    for name, cases in (("parse_date", parse_cases()), ("find_dates", find_cases())):
        path = HERE / f"{name}.jsonl"
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases),
                        encoding="utf-8")
        print(f"{len(cases)} cases in {path.name}")


if __name__ == "__main__":
    main()
