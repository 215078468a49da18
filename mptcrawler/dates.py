"""Dates as mpt.gov.by writes them, in Russian, Belarusian and English.

``parse_date`` reads one date field; ``find_dates`` lists every date mentioned in running text.
Both use a month table and regular expressions for the site's formats; dateparser is only the
last resort of ``parse_date``, always with an explicit language and day-first order, because
without them it reads ``01.11.2022`` as 11 January and guesses a language per call (~13 ms).

Datetimes are aware, in Europe/Minsk. A date with no year is placed in the year that puts it
nearest to ``base`` (``28 декабря`` read in a January article is last December); without a base
it is not a date and ``parse_date`` returns None rather than guessing today's year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

MINSK = ZoneInfo("Europe/Minsk")
SUPPORTED_LANGUAGES = ("ru", "be", "en")

# Month names by number, every form the site uses: genitive (26 апреля), nominative (Drupal 7's
# Russian locale prints "26 Апрель 2016"), prepositional/locative (в марте, у сакавіку), and
# abbreviations with or without the dot.
_MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("января", "январь", "январе", "янв", "студзеня", "студзень", "студзені", "студз",
        "january", "jan"),
    2: ("февраля", "февраль", "феврале", "февр", "фев", "лютага", "люты", "лютым", "лют",
        "february", "feb"),
    3: ("марта", "март", "марте", "мар", "сакавіка", "сакавік", "сакавіку", "сак",
        "march", "mar"),
    4: ("апреля", "апрель", "апреле", "апр", "красавіка", "красавік", "красавіку", "крас",
        "april", "apr"),
    5: ("мая", "май", "мае", "траўня", "травеня", "травень", "траўні", "маі", "may"),
    6: ("июня", "июнь", "июне", "июн", "чэрвеня", "чэрвень", "чэрвені", "чэрв", "june", "jun"),
    7: ("июля", "июль", "июле", "июл", "ліпеня", "ліпень", "ліпені", "ліп", "july", "jul"),
    8: ("августа", "август", "августе", "авг", "жніўня", "жнівень", "жніўні", "жн",
        "august", "aug"),
    9: ("сентября", "сентябрь", "сентябре", "сент", "сен", "верасня", "верасень", "верасні",
        "вер", "september", "sept", "sep"),
    10: ("октября", "октябрь", "октябре", "окт", "кастрычніка", "кастрычнік", "кастрычніку",
         "кастр", "october", "oct"),
    11: ("ноября", "ноябрь", "ноябре", "нояб", "ноя", "лістапада", "лістапад", "лістападзе",
         "ліст", "november", "nov"),
    12: ("декабря", "декабрь", "декабре", "дек", "снежня", "снежань", "снежні", "снеж",
         "december", "dec"),
}
_MONTHS: dict[str, int] = {form: n for n, forms in _MONTH_FORMS.items() for form in forms}
# Forms that only follow "в"/"у" (в марте, у сакавіку): a month named without a day.
_LOCATIVE = frozenset(
    {"январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
     "октябре", "ноябре", "декабре", "студзені", "лютым", "сакавіку", "красавіку", "траўні",
     "маі", "чэрвені", "ліпені", "жніўні", "верасні", "кастрычніку", "лістападзе", "снежні"}
)
_ABBREVIATIONS = frozenset(
    {"янв", "февр", "фев", "мар", "апр", "июн", "июл", "авг", "сент", "сен", "окт", "нояб", "ноя",
     "дек", "студз", "лют", "сак", "крас", "чэрв", "ліп", "жн", "вер", "кастр", "ліст", "снеж",
     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec"}
)
assert _MONTHS.keys() >= _ABBREVIATIONS

# Longest first, so that "марта" wins over "мар" and "сентября" over "сент".
_MONTH_RE = "|".join(sorted((re.escape(f) for f in _MONTHS), key=len, reverse=True))
_LOC_RE = "|".join(sorted(_LOCATIVE, key=len, reverse=True))
_NON_LOC_RE = "|".join(
    sorted((re.escape(f) for f in _MONTHS if f not in _LOCATIVE), key=len, reverse=True)
)
_WEEKDAYS = (
    "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    "панядзелак|аўторак|серада|чацвер|пятніца|субота|нядзеля|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_YEAR_WORD = r"(?:\s?г\.|\s(?:года|году|год|гады|гадоў))"
_DAY = r"(?<![\d.,])(?P<{}>[0-3]?\d)(?![\d])"
_YEAR = r"(?P<{}>(?:1[89]|20)\d\d)(?!\d)"
# The dot belongs to the date only after an abbreviation ("5 сент. 2019"); after a full name it
# ends the sentence ("… 28 декабря.").
_ABBR_DOT = r"(?:" + "|".join(f"(?<={re.escape(a)})" for a in sorted(_ABBREVIATIONS)) + r")\."
_MON_WORD = r"(?P<{}>(?:" + _NON_LOC_RE + r"))(?:" + _ABBR_DOT + r")?(?![\w])"
_TIME = r"(?:\s*(?:-|—|–|,|в|а)?\s*(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d))"


def _g(template: str, name: str) -> str:
    return template.format(name)


# --- one date field -------------------------------------------------------------------------

# Weekday abbreviations of Drupal's "D" format in ru/be/en (`Вт, 04/26/2016 - 10:15`).
_WEEKDAY_ABBR = "пн|вт|ср|чт|пт|сб|вс|аў|чц|нд|mon|tue|wed|thu|fri|sat|sun"
_WEEKDAY_PREFIX = (r"(?:(?:" + _WEEKDAYS + r"|(?:" + _WEEKDAY_ABBR + r")\.?)\s*,?\s*)?")
_NUMERIC_BODY = (_WEEKDAY_PREFIX + r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
                 r"(?:" + _TIME + r")?")
# Drupal's core "short" and "medium" formats write the month first (`m/d/Y - H:i`); a first
# number over 12 can only be a day (`26/04/2016`).
_SLASH_BODY = (_WEEKDAY_PREFIX + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"
               r"(?:" + _TIME + r")?")
_WORDS_BODY = (
    r"(?:(?:" + _WEEKDAYS + r"|сегодня|сёння|today|(?:" + _WEEKDAY_ABBR + r")\.?)\s*,?\s*)?"
    + _g(_DAY, "d") + r"\s+" + _g(_MON_WORD, "m")
    + r"(?:\s+" + _g(_YEAR, "y") + _YEAR_WORD + r"?)?"
    + r"(?:" + _TIME + r")?"
)
_ENGLISH_BODY = (
    r"(?:(?:" + _WEEKDAYS + r"|(?:" + _WEEKDAY_ABBR + r")\.?)\s*,?\s*)?" + _g(_MON_WORD, "m")
    + r"\s+" + _g(_DAY, "d") + r"(?:,?\s+" + _g(_YEAR, "y") + r")?(?:" + _TIME + r")?"
)
_FIELD_NUMERIC = re.compile("^" + _NUMERIC_BODY + "$", re.IGNORECASE)
_FIELD_SLASH = re.compile("^" + _SLASH_BODY + "$", re.IGNORECASE)
_FIELD_WORDS = re.compile("^" + _WORDS_BODY + r"\.?$", re.IGNORECASE)
_FIELD_ENGLISH = re.compile("^" + _ENGLISH_BODY + "$", re.IGNORECASE)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)"
    r"(?:[T ](?P<hh>\d\d):(?P<mm>\d\d)(?::(?P<ss>\d\d)(?:\.\d+)?)?(?P<tz>Z|[+-]\d\d:?\d\d)?)?$"
)
_RFC822 = re.compile(r"^(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d\d:\d\d(?::\d\d)?\s+\S+$")


def _make(y: int, m: int, d: int, hh: str | None = None, mm: str | None = None
          ) -> dt.date | dt.datetime | None:
    try:
        if hh is None:
            return dt.date(y, m, d)
        return dt.datetime(y, m, d, int(hh), int(mm or 0), tzinfo=MINSK)
    except ValueError:  # 31 июня, 29 февраля 2023
        return None


def resolve_year(month: int, day: int, base: dt.date) -> dt.date | None:
    """The date of ``day month`` nearest to ``base`` (a year-less mention in an article)."""
    best: dt.date | None = None
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - base) < abs(best - base):
            best = candidate
    return best


def _as_date(base: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(base, dt.datetime):
        return base.astimezone(MINSK).date() if base.tzinfo else base.date()
    return base


def parse_date(
    text: str, lang: str = "ru", base: dt.date | dt.datetime | None = None
) -> dt.date | dt.datetime | None:
    """The date (or aware Europe/Minsk datetime, when a time is written) in one date field.

    Returns None when ``text`` holds no complete, valid date; a year-less date needs ``base``.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    s = " ".join(text.replace("\u00a0", " ").split())
    if not s or len(s) > 200:
        return None
    if m := _FIELD_NUMERIC.match(s):
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), m["hh"], m["mm"])
    if m := _FIELD_SLASH.match(s):
        first, second = int(m["a"]), int(m["b"])
        month, day = (second, first) if first > 12 else (first, second)
        return _make(int(m["y"]), month, day, m["hh"], m["mm"])
    if m := _ISO.match(s):
        if m["hh"] is None:
            return _make(int(m["y"]), int(m["m"]), int(m["d"]))
        try:
            value = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value.astimezone(MINSK) if value.tzinfo else value.replace(tzinfo=MINSK)
    if m := (_FIELD_WORDS.match(s) or _FIELD_ENGLISH.match(s)):
        month = _MONTHS[m["m"].lower()]
        day = int(m["d"])
        if m["y"] is None:
            base_date = _as_date(base)
            if base_date is None:
                return None
            resolved = resolve_year(month, day, base_date)
            if resolved is None:
                return None
            return _make(resolved.year, month, day, m["hh"], m["mm"])
        return _make(int(m["y"]), month, day, m["hh"], m["mm"])
    if _RFC822.match(s):
        try:
            return parsedate_to_datetime(s).astimezone(MINSK)
        except (TypeError, ValueError):
            return None
    return _dateparser_fallback(s, lang, _as_date(base))


_IN_LINE = tuple(re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)
                 for body in (_NUMERIC_BODY, _SLASH_BODY, _WORDS_BODY, _ENGLISH_BODY))


def date_in_line(text: str) -> str | None:
    """The one complete date (weekday and time of day included) written inside a short line
    such as Drupal's submitted line, ``Submitted by admin on Tue, 04/26/2016 - 10:15`` →
    ``Tue, 04/26/2016 - 10:15``; None when the line holds no dated year or two different
    dates."""
    s = " ".join(text.replace("\u00a0", " ").split())
    if len(s) > 300:
        return None
    found: set[tuple[int, int]] = set()
    for pattern in _IN_LINE:
        found.update(m.span() for m in pattern.finditer(s) if m["y"])
    # Keep the widest reading of each date ("Вторник, 26 апреля 2016 - 10:15", not "26 апреля").
    spans = sorted(found, key=lambda span: (span[0], -span[1]))
    widest = [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1]
                                          for b in spans)]
    texts = {s[a:b].strip(" ,.") for a, b in widest}
    return texts.pop() if len(texts) == 1 else None


_DATE_SHAPED = re.compile(
    r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|(?<!\d)\d{4}[./-]\d{1,2}[./-]\d{1,2}(?!\d)"
    r"|(?:^|[^\w])(?:" + _MONTH_RE + r")(?:[^\w]|$)",
    re.IGNORECASE,
)
_ANY_DATE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")  # two years: two dates, not one


@cache
def _dateparser_settings(with_base: bool) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": "Europe/Minsk",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "STRICT_PARSING": not with_base,
    }
    if not with_base:
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    return settings


def _dateparser_fallback(s: str, lang: str, base: dt.date | None) -> dt.date | dt.datetime | None:
    # Only short strings shaped like one date (a day, a month name or number, a year):
    # dateparser spends milliseconds on prose and reads "8 800 100 11 11" as a date.
    if len(s) > 64 or not _DATE_SHAPED.search(s) or len(_ANY_DATE.findall(s)) > 1:
        return None
    import dateparser  # imported on first use: ~66 ms that most runs never pay

    settings = dict(_dateparser_settings(base is not None))
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    value = dateparser.parse(s, languages=[lang], settings=settings)
    if value is None:
        return None
    value = value.astimezone(MINSK)
    has_time = re.search(r"\d:\d\d", s) is not None
    return value if has_time else value.date()


# --- dates mentioned in running text --------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    """One date written in running text.

    ``value`` is ISO 8601: ``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month, and
    ``start/end`` (each in its own precision) for a range; ``start``/``end`` are the offsets of
    ``text`` in the searched string.
    """

    text: str
    value: str
    kind: str  # date | month | range | legal_act | relative
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "date": self.value, "kind": self.kind,
                "start": self.start, "end": self.end}


_DASH = r"\s*[-–—]\s*"
_LEGAL_NUMBER = r"(?:No\.?|Nr\.?|№|N)\s?(?P<num>[\w][\w\-/.]*[\w]|[\w])"
_WORD_DATE = (
    _g(_DAY, "{p}d") + r"\s+" + _g(_MON_WORD, "{p}m") + r"(?:\s+" + _g(_YEAR, "{p}y")
    + _YEAR_WORD + r"?)?"
)
_EN_DATE = _g(_MON_WORD, "{p}m") + r"\s+" + _g(_DAY, "{p}d") + r",?\s+" + _g(_YEAR, "{p}y")
_NUM_DATE = (
    r"(?<![\d.])(?P<{p}nd>[0-3]?\d)\.(?P<{p}nm>[01]?\d)\.(?P<{p}ny>(?:1[89]|20)\d\d)(?![\d])"
    r"(?:" + _YEAR_WORD + r")?"
)


def _p(template: str, prefix: str) -> str:
    return template.replace("{p}", prefix)


_MENTION = re.compile(
    "|".join(
        [
            # от 7 апреля 2022 г. № 136 · ад 23 сакавіка 2016 года № 235 ·
            # dated February 2, 2021 No. 66
            r"(?P<legal>(?:(?<![\w])(?:от|ад)\s+(?:" + _p(_WORD_DATE, "l") + "|"
            + _p(_NUM_DATE, "l") + r")|(?<![\w])dated\s+(?:" + _p(_EN_DATE, "le") + "|"
            + _p(_WORD_DATE, "lw") + r"))\s*,?\s*" + _LEGAL_NUMBER + r")",
            # с 1 по 15 июня 2016 года · с 1 июня по 15 июля
            r"(?P<dayrange>(?<![\w])(?:с|з|from)\s+" + _g(_DAY, "r1d") + r"(?:\s+"
            + _g(_MON_WORD, "r1m") + r")?\s+(?:по|па|да|to|until)\s+" + _p(_WORD_DATE, "r2")
            + ")",
            # 1–15 июня 2016 года
            r"(?P<dashrange>" + _g(_DAY, "r3d") + r"\s?[-–—]\s?" + _p(_WORD_DATE, "r4") + ")",
            # на 2021 – 2025 годы · на 2016-2022 годы · 2016–2022 гг.
            r"(?P<yearrange>(?:(?<![\w])(?:на|в|за|с|у)\s+)?" + _g(_YEAR, "y1") + _DASH
            + _g(_YEAR, "y2") + r"(?:\s?гг\.|\s(?:годы|годах|годов|гады|гадах|гадоў|years))"
            + r"|(?<![\w])(?:на|за)\s+" + _g(_YEAR, "y3") + _DASH + _g(_YEAR, "y4") + r"(?!\d))",
            # в мае-июне · у сакавіку–красавіку 2020 года
            r"(?P<monthrange>(?<![\w])(?:в|во|у|ў)\s+(?P<mr1>" + _LOC_RE + r")" + _DASH
            + r"(?P<mr2>" + _LOC_RE + r")(?:\s+" + _g(_YEAR, "mry") + _YEAR_WORD + r"?)?(?![\w]))",
            r"(?P<worddate>" + _p(_WORD_DATE, "w") + ")",
            r"(?P<endate>" + _p(_EN_DATE, "e") + ")",
            r"(?P<numdate>" + _p(_NUM_DATE, "n") + ")",
            # в марте · в марте 2022 года
            r"(?P<month>(?<![\w])(?:в|во|у|ў)\s+(?P<mo>" + _LOC_RE + r")(?:\s+"
            + _g(_YEAR, "moy") + _YEAR_WORD + r"?)?(?![\w]))",
            r"(?P<relyear>(?<![\w])(?:в|у|ў)\s+(?:этом|текущем|прошлом|минувшем|следующем|будущем"
            r"|гэтым|бягучым|мінулым|наступным)\s+(?:году|годзе)(?![\w])"
            r"|(?<![\w])(?:this|last|next)\s+year(?![\w]))",
            r"(?P<relative>(?<![\w])(?:сегодня|вчера|завтра|сёння|учора|заўтра|today|yesterday"
            r"|tomorrow)(?![\w]))",
        ]
    ),
    re.IGNORECASE,
)
# Every mention starts with a digit, a preposition and a space, a relative word or an English
# month name; testing that first lets the engine skip most positions at once (3x faster on
# article text, and letter runs of hostile input no longer cost the whole alternation).
_GATE_WORDS = "|".join(sorted(
    ["сегодня", "вчера", "завтра", "сёння", "учора", "заўтра", "today", "yesterday", "tomorrow",
     "this", "last", "next", *(f for f in _MONTHS if f.isascii())], key=len, reverse=True))
_MENTION = re.compile(
    r"(?=\d|(?:от|ад|с|з|на|в|во|за|у|ў|dated|from)\s|(?:" + _GATE_WORDS + r")(?![\w]))(?:"
    + _MENTION.pattern + ")",
    re.IGNORECASE,
)
_RELATIVE_YEARS = {"этом": 0, "текущем": 0, "гэтым": 0, "бягучым": 0, "this": 0,
                   "прошлом": -1, "минувшем": -1, "мінулым": -1, "last": -1,
                   "следующем": 1, "будущем": 1, "наступным": 1, "next": 1}
_RELATIVE_DAYS = {"сегодня": 0, "сёння": 0, "today": 0, "вчера": -1, "учора": -1,
                  "yesterday": -1, "завтра": 1, "заўтра": 1, "tomorrow": 1}


def _day_value(d: str, mon: str, y: str | None, base: dt.date | None) -> dt.date | None:
    month = _MONTHS[mon.lower()]
    if y is not None:
        value = _make(int(y), month, int(d))
        return value if isinstance(value, dt.date) else None
    return resolve_year(month, int(d), base) if base is not None else None


def _month_value(mon: str, y: str | None, base: dt.date | None) -> str | None:
    month = _MONTHS[mon.lower()]
    if y is not None:
        return f"{int(y):04d}-{month:02d}"
    if base is None:
        return None
    resolved = resolve_year(month, 15, base)
    return f"{resolved:%Y-%m}" if resolved else None


def _numeric_value(d: str, m: str, y: str) -> dt.date | None:
    value = _make(int(y), int(m), int(d))
    return value if isinstance(value, dt.date) else None


def _mention_value(m: re.Match[str], base: dt.date | None) -> tuple[str, str | None]:
    kind = m.lastgroup or ""
    value: dt.date | str | None
    if kind == "legal":
        if m["ld"]:
            value = _day_value(m["ld"], m["lm"], m["ly"], base)
        elif m["lnd"]:
            value = _numeric_value(m["lnd"], m["lnm"], m["lny"])
        elif m["led"]:
            value = _day_value(m["led"], m["lem"], m["ley"], base)
        else:
            value = _day_value(m["lwd"], m["lwm"], m["lwy"], base)
        return "legal_act", value.isoformat() if value else None
    if kind in ("dayrange", "dashrange"):
        first, last = ("r1", "r2") if kind == "dayrange" else ("r3", "r4")
        end = _day_value(m[last + "d"], m[last + "m"], m[last + "y"], base)
        if end is None:
            return "range", None
        start_month = m[first + "m"] if kind == "dayrange" and m["r1m"] else m[last + "m"]
        start_month_no = _MONTHS[start_month.lower()]
        start_year = end.year - (1 if start_month_no > end.month else 0)
        start = _make(start_year, start_month_no, int(m[first + "d"]))
        if not isinstance(start, dt.date) or start > end:
            return "range", None
        return "range", f"{start.isoformat()}/{end.isoformat()}"
    if kind == "yearrange":
        y1, y2 = (m["y1"], m["y2"]) if m["y1"] else (m["y3"], m["y4"])
        if int(y1) >= int(y2):
            return "range", None
        return "range", f"{y1}/{y2}"
    if kind == "monthrange":
        first_month = _month_value(m["mr1"], m["mry"], base)
        last_month = _month_value(m["mr2"], m["mry"], base)
        both = first_month and last_month
        return "range", f"{first_month}/{last_month}" if both else None
    if kind == "worddate":
        value = _day_value(m["wd"], m["wm"], m["wy"], base)
        return "date", value.isoformat() if value else None
    if kind == "endate":
        value = _day_value(m["ed"], m["em"], m["ey"], base)
        return "date", value.isoformat() if value else None
    if kind == "numdate":
        value = _numeric_value(m["nnd"], m["nnm"], m["nny"])
        return "date", value.isoformat() if value else None
    if kind == "month":
        return "month", _month_value(m["mo"], m["moy"], base)
    if kind == "relyear":
        if base is None:
            return "relative", None
        word = m[0].split()[1 if m[0].split()[0].lower() in ("в", "у", "ў") else 0].lower()
        return "relative", str(base.year + _RELATIVE_YEARS[word])
    if kind == "relative":
        if base is None:
            return "relative", None
        value = base + dt.timedelta(days=_RELATIVE_DAYS[m[0].lower()])
        return "relative", value.isoformat()
    raise AssertionError(f"unhandled date pattern {kind}")


def _is_bare_abbreviation(m: re.Match[str]) -> bool:
    """"5 мар" in "5 марок" is cut by the word boundary, but "3 ноя" could be a column header:
    an abbreviation counts as a month only with its dot or a year after it."""
    if m["wd"] and m["wm"].lower() in _ABBREVIATIONS and not m["wy"]:
        return not m[0].rstrip().endswith(".")
    return False


def find_dates(
    text: str, lang: str = "ru", base: dt.date | dt.datetime | None = None
) -> list[DateMention]:
    """Every date mentioned in ``text``, in order, with its span and normalised value.

    Mentions whose value cannot be known (a year-less date without ``base``, ``31 июня``) are
    left out rather than guessed.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    base_date = _as_date(base)
    mentions: list[DateMention] = []
    for m in _MENTION.finditer(text):
        if m.lastgroup == "worddate" and _is_bare_abbreviation(m):
            continue
        kind, value = _mention_value(m, base_date)
        if value is None:
            continue
        start, end = m.span()
        mentions.append(DateMention(m[0], value, kind, start, end))
    return mentions
