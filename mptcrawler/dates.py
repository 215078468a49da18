"""Dates as mpt.gov.by writes them, in Russian, Belarusian and English.

``parse_date`` reads one date field; ``find_dates`` lists every date mentioned in running text.
Both use month and weekday tables read from dateparser's own locale data (see ``_locale``) and
regular expressions for the site's formats; dateparser itself is only the last resort of
``parse_date``, always with an explicit language and day-first order, because without them it
reads ``01.11.2022`` as 11 January and guesses a language per call (~13 ms).

Datetimes are aware, in Europe/Minsk, and never depend on the machine's time zone: a written
offset or a known abbreviation (UTC, GMT, MSK, CET, CEST, EET, EEST, …) is converted, a time with
no zone is Minsk time, and an unknown abbreviation makes the string no date at all.

A date with no year is placed in the year that puts it nearest to ``base`` (``28 декабря`` read in
a January article is last December); relative expressions (``вчера``, ``два дня назад``,
``в прошлом году``) are resolved against ``base``. Without a base neither is a date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

MINSK = ZoneInfo("Europe/Minsk")
SUPPORTED_LANGUAGES = ("ru", "be", "en")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# --- patterns compiled on first use ---------------------------------------------------------
# The large patterns below are compiled when first used, not at import: re compiles in Python,
# 0.77 G instructions (~85 ms) for the 14 of them at every start of a process that imports the
# parsers (the 22,876-character _MENTION alone ~45 ms), which `scrapy list` or a run that parses
# no article never needs; re-extracting the replica's 3,000 articles uses 9 of the 14.


class _Later:
    """``re.compile(pattern, flags)`` on first use; each attribute of the compiled pattern
    (``match``, ``finditer`` …) is then kept as this object's own, found without a call here."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:  # only for names not yet kept
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def _compile_later(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _Later(pattern, flags))


# --- the languages' own data ----------------------------------------------------------------
# dateparser's locale data (CLDR plus its own additions) is the source of truth for month and
# weekday forms and for relative expressions. It is read from the installed package's data files
# at import (~1.5 ms for the three languages) rather than through ``import dateparser`` (~66 ms,
# which most runs never need) or a generated copy (which could drift from the dateparser the
# differential test compares against). tests/test_dates_locale.py checks every form against it.


def _locale(lang: str) -> dict[str, Any]:
    spec = importlib.util.find_spec("dateparser")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("dateparser is not installed; mptcrawler.dates reads its locale data")
    folder = Path(next(iter(spec.submodule_search_locations)), "data", "date_translation_data")
    data_spec = importlib.util.spec_from_file_location(f"_mpt_dateparser_{lang}",
                                                       folder / f"{lang}.py")
    if data_spec is None or data_spec.loader is None:
        raise ImportError(f"dateparser has no locale data for {lang!r} in {folder}")
    module = importlib.util.module_from_spec(data_spec)
    data_spec.loader.exec_module(module)
    info: dict[str, Any] = module.info
    return info


LOCALE = {lang: _locale(lang) for lang in SUPPORTED_LANGUAGES}

# Forms the site writes that the locale data lacks: the locative after в/у (в марте, у сакавіку),
# the longer Belarusian abbreviations of the Belarusian press (студз., кастр.), and the
# Belarusian nominative/genitive of May (травень, травеня) beside the data's Russian-looking май.
_EXTRA_MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("январе", "студзені", "студз"),
    2: ("феврале", "лютым"),
    3: ("марте", "сакавіку"),
    4: ("апреле", "красавіку", "крас"),
    5: ("мае", "траўні", "маі", "травеня", "травень"),
    6: ("июне", "чэрвені", "чэрв"),
    7: ("июле", "ліпені"),
    8: ("августе", "жніўні", "жн"),
    9: ("сентябре", "верасні"),
    10: ("октябре", "кастрычніку", "кастр"),
    11: ("ноябре", "лістападзе", "ліст"),
    12: ("декабре", "снежні", "снеж"),
}
_MONTHS: dict[str, int] = {}
for _lang in SUPPORTED_LANGUAGES:
    for _month_no, _name in enumerate(_MONTH_NAMES, 1):
        for _form in LOCALE[_lang][_name]:
            _MONTHS.setdefault(_form.lower(), _month_no)
for _month_no, _forms in _EXTRA_MONTH_FORMS.items():
    for _form in _forms:
        _MONTHS.setdefault(_form, _month_no)
# Forms that only follow "в"/"у" (в марте, у сакавіку): a month named without a day.
_LOCATIVE = frozenset(f for forms in _EXTRA_MONTH_FORMS.values() for f in forms
                      if f.endswith(("е", "і", "у", "ым")) and f not in ("травень",))
# An abbreviation is a short form (five letters at most) that begins a longer form of its month
# (янв, сент, сту; not июня or август) or has no vowel (Стд, Крс), except the short full names
# that begin a longer one (март → марта, люты → лютым). After an abbreviation a dot belongs to
# the date ("5 сент. 2019"), and without its dot or a year it is not read in running text
# ("3 ноя" could be a column header).
_SHORT_FULL_NAMES = frozenset({"март", "люты"})
_ABBREVIATIONS = frozenset(
    f for f, n in _MONTHS.items()
    if f not in _SHORT_FULL_NAMES and len(f) <= 5
    and (any(g != f and g.startswith(f) and _MONTHS[g] == n for g in _MONTHS)
         or not set(f) & set("аеёиоуыэюяіўaeiouy"))
)
_WEEKDAY_FORMS = frozenset(
    form.lower() for lang in SUPPORTED_LANGUAGES for name in _WEEKDAY_NAMES
    for form in LOCALE[lang][name]
)


def _alternation(words: Iterable[str]) -> str:
    """A regular expression for any of ``words`` (a space matches any run of spaces), written
    as a trie: the engine tries branches one by one, so ``янв|январь|января|…`` costs a test per
    word at every position, ``(?:я(?:нв(?:ар(?:ь|я))?)|…)`` one per distinct letter. Longer words
    are tried first, so that "марта" wins over "мар" and "сентября" over "сент"."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return emit(tree)


_MONTH_RE = _alternation(_MONTHS)
_LOC_RE = _alternation(_LOCATIVE)
_NON_LOC_RE = _alternation(f for f in _MONTHS if f not in _LOCATIVE)
_WEEKDAYS = _alternation(_WEEKDAY_FORMS)
# Year words after a year: the locale's "year" units are duration words (5 лет, 2 years), so the
# labels of a calendar year are written here.
_YEAR_WORD = r"(?:\s?г\.|\s?г(?![\w])|\s(?:года|году|годом|год|годзе|гады|гадоў)(?![\w]))"
_DAY = r"(?<![\d.,:/])(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?(?![\d])"
_YEAR = r"(?P<{}>(?:1[89]|20)\d\d)(?!\d)"
# One lookbehind per length of abbreviation (a lookbehind has a fixed width), each a trie: a
# lookbehind per abbreviation cost ~60 tests after every month name.
_ABBR_DOT = r"(?:" + "|".join(
    "(?<=" + _alternation(a for a in _ABBREVIATIONS if len(a) == n) + ")"
    for n in sorted({len(a) for a in _ABBREVIATIONS})) + r")\."
_MON_WORD = r"(?P<{}>(?:" + _NON_LOC_RE + r"))(?:" + _ABBR_DOT + r")?(?![\w])"


# Time of day: 10:15, 08:45:39, 7 pm, and in words (в 12 часов, у 7 гадзін 10 хвілін) with the
# locale's hour and minute units; утра/дня/вечера say which half of the day.
_HOUR_WORDS = {w.lower() for lang in SUPPORTED_LANGUAGES for w in LOCALE[lang]["hour"]}
_MINUTE_WORDS = {w.lower() for lang in SUPPORTED_LANGUAGES for w in LOCALE[lang]["minute"]
                 if len(w) > 1}  # not en "m"
# Only an abbreviation takes a dot ("10 ч. 30 мин."); after a word the dot ends the sentence.
_UNIT_ABBREVIATIONS = {"ч", "гадз", "мин", "хв", "хвіл", "h", "hr", "hrs", "min", "mins"}
_HOUR_UNITS = (_alternation(_HOUR_WORDS - _UNIT_ABBREVIATIONS | {"гадзіне", "o'clock"}) + "|(?:"
               + _alternation(_HOUR_WORDS & _UNIT_ABBREVIATIONS) + r")\.?")
_MINUTE_UNITS = (_alternation(_MINUTE_WORDS - _UNIT_ABBREVIATIONS) + "|(?:"
                 + _alternation(_MINUTE_WORDS & _UNIT_ABBREVIATIONS) + r")\.?")
_AMPM = r"(?:a\.?\s?m\.?|p\.?\s?m\.?)"
_DAY_PARTS = {"утра": 0, "ночи": 0, "раніцы": 0, "ночы": 0, "дня": 12, "вечера": 12,
              "вечара": 12, "morning": 0, "afternoon": 12, "evening": 12}
_TIME_CORE = (
    r"(?:(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?::(?P<ss>[0-5]\d))?(?:\s?(?P<ap>" + _AMPM
    + r"))?(?![\w:])"
    r"|(?P<wh>[01]?\d|2[0-3])\s?(?:(?:" + _HOUR_UNITS + r")(?:\s+(?P<wm>[0-5]?\d)\s?(?:"
    + _MINUTE_UNITS + r"))?(?:\s+(?:(?:in\s+the|of\s+the)\s+)?(?P<part>"
    + _alternation(_DAY_PARTS) + r"))?|(?P<wap>" + _AMPM + r"))(?![\w]))"
)
_TIME_SEP = r"(?:\s*[,\-—–]?\s*(?:(?:в|во|у|ў|а|at|@)\s*)?)"
_TIME = r"(?:" + _TIME_SEP + _TIME_CORE + r")"
# Zones: an offset (+03:00, +0300, UTC+3) or an abbreviation; which abbreviations are known is
# decided in _zone, so an unknown one is seen, and refused, rather than silently dropped.
_ZONE = (r"(?:\s*\(?(?P<tz>[+-]\d\d:?\d\d|(?:utc|gmt)\s?[+-]\d{1,2}(?::?\d\d)?|z(?![\w])"
         r"|[^\W\d_]{2,5}(?![\w]))\)?)")
_FIXED_ZONES = {"utc": 0, "gmt": 0, "ut": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1,
                "cest": 2, "eet": 2, "eest": 3, "fet": 3, "msd": 4,
                # RFC 822's North American zones, which RSS feeds may carry
                "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8,
                "pdt": -7}
_MOSCOW = ZoneInfo("Europe/Moscow")


def _g(template: str, name: str) -> str:
    return template.format(name)


def _p(template: str, prefix: str) -> str:
    return template.replace("{p}", prefix)


# --- one date field -------------------------------------------------------------------------

_WEEKDAY_PREFIX = r"(?:(?:" + _WEEKDAYS + r")\.?\s*,?\s*)?"
_NUMERIC_BODY = (_WEEKDAY_PREFIX + r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)"
                 + _YEAR_WORD + r"?(?:" + _TIME + r")?")
# Drupal's core "short" and "medium" formats write the month first (`m/d/Y - H:i`); a first
# number over 12 can only be a day (`26/04/2016`).
_SLASH_BODY = (_WEEKDAY_PREFIX + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"
               r"(?:" + _TIME + r")?")
_TODAY_LIST = [w.lower() for lang in SUPPORTED_LANGUAGES
               for w in LOCALE[lang]["relative-type"]["0 day ago"] if w != "till date"]
_TODAY_WORDS = _alternation(_TODAY_LIST)
_WORDS_BODY = (
    r"(?:(?:" + _WEEKDAYS + r"|" + _TODAY_WORDS + r")\.?\s*,?\s*)?(?:the\s+)?"
    + _g(_DAY, "d") + r"(?:\s+of)?\s+" + _g(_MON_WORD, "m")
    + r"(?:,?\s+(?:(?:в|у|ў|of)\s+)?" + _g(_YEAR, "y") + _YEAR_WORD + r"?)?"
    + r"(?:" + _TIME + r")?"
)
_ENGLISH_BODY = (
    _WEEKDAY_PREFIX + _g(_MON_WORD, "m") + r"\s+" + _g(_DAY, "d") + r"(?:,?\s+" + _g(_YEAR, "y")
    + r")?(?:" + _TIME + r")?"
)
_FIELD_NUMERIC = _compile_later("^" + _NUMERIC_BODY + _ZONE + r"?\.?$", re.IGNORECASE)
_FIELD_SLASH = _compile_later("^" + _SLASH_BODY + _ZONE + "?$", re.IGNORECASE)
_FIELD_WORDS = _compile_later("^" + _WORDS_BODY + _ZONE + r"?\.?$", re.IGNORECASE)
_FIELD_ENGLISH = _compile_later("^" + _ENGLISH_BODY + _ZONE + r"?\.?$", re.IGNORECASE)
# The time first, as news sites print it: "10:15, 26 апреля 2016", "12:30 26.04.2016".
_FIELD_TIME_FIRST = _compile_later(
    r"^" + _TIME_CORE + r"\s*[,|/]?\s*(?:" + _g(_DAY, "d") + r"\s+" + _g(_MON_WORD, "m")
    + r"(?:\s+" + _g(_YEAR, "y") + _YEAR_WORD + r"?)?|(?P<nd>\d{1,2})\.\s?(?P<nm>\d{1,2})\.\s?"
    r"(?P<ny>\d{4})" + _YEAR_WORD + r"?)\.?$",
    re.IGNORECASE,
)
# A time alone ("10:15", "в 12 часов", "у 7 гадзін 10 хвілін"): listings print today's items so;
# it is a moment of the base day, and no date without one.
_FIELD_TIME_ONLY = _compile_later(r"^(?:(?:в|во|у|ў|at|@)\s*)?" + _TIME_CORE + _ZONE + r"?\.?$",
                                re.IGNORECASE)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)"
    r"(?:[T ](?P<hh>\d\d):(?P<mm>\d\d)(?::(?P<ss>\d\d)(?:\.\d+)?)?(?P<tz>Z|[+-]\d\d:?\d\d)?)?$"
)


def _zone(token: str | None, naive: dt.datetime) -> dt.tzinfo | None:
    """The zone a written token names at that local time; None for an unknown one."""
    if token is None:
        return MINSK
    t = token.lower().replace(" ", "")
    if t in ("мск", "msk"):
        # Moscow standard time: +03:00, but +04:00 from March 2011 to October 2014
        offset = _MOSCOW.utcoffset(naive)
        dst = _MOSCOW.dst(naive)
        assert offset is not None and dst is not None
        return dt.timezone(offset - dst)
    if t in _FIXED_ZONES:
        return dt.timezone(dt.timedelta(hours=_FIXED_ZONES[t]))
    m = re.fullmatch(r"(?:utc|gmt)?([+-])(\d{1,2}):?(\d\d)?", t)
    if m is None:
        return None
    hours, minutes = int(m[2]), int(m[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if m[1] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _clock(m: re.Match[str]) -> tuple[int, int, int] | None:
    """Hour, minute and second of a matched time (_TIME_CORE), or None if none or invalid."""
    if m["hh"] is not None:
        hour, minute, second = int(m["hh"]), int(m["mm"]), int(m["ss"] or 0)
        ampm = m["ap"]
    elif m["wh"] is not None:
        hour, minute, second = int(m["wh"]), int(m["wm"] or 0), 0
        ampm = m["wap"]
        part = m["part"]
        if part is not None and _DAY_PARTS[part.lower()] and hour < 12:
            hour += 12  # "в 7 часов вечера"
        elif part is not None and not _DAY_PARTS[part.lower()] and hour == 12:
            hour = 0  # "в 12 часов ночи"
    else:
        return None
    if ampm is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    return hour, minute, second


def _make(y: int, m: int, d: int, clock: tuple[int, int, int] | None = None,
          zone: str | None = None) -> dt.date | dt.datetime | None:
    try:
        if clock is None:
            return dt.date(y, m, d)
        naive = dt.datetime(y, m, d, *clock)
    except ValueError:  # 31 июня, 29 февраля 2023
        return None
    tz = _zone(zone, naive)
    if tz is None:
        return None
    return naive.replace(tzinfo=tz).astimezone(MINSK)


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


def _words_date(m: re.Match[str], base: dt.date | None) -> dt.date | dt.datetime | None:
    month = _MONTHS[m["m"].lower()]
    day = int(m["d"])
    clock = _clock(m)
    if (m["hh"] or m["wh"]) and clock is None:
        return None
    zone = m.groupdict().get("tz")
    if m["y"] is None:
        if base is None:
            return None
        resolved = resolve_year(month, day, base)
        if resolved is None:
            return None
        return _make(resolved.year, month, day, clock, zone)
    return _make(int(m["y"]), month, day, clock, zone)


def parse_date(
    text: str, lang: str = "ru", base: dt.date | dt.datetime | None = None
) -> dt.date | dt.datetime | None:
    """The date (or aware Europe/Minsk datetime, when a time is written) in one date field.

    Returns None when ``text`` holds no complete, valid date; a year-less date or a relative
    expression (``вчера``, ``2 недели назад``, ``в прошлом году``) needs ``base``.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    s = " ".join(text.replace("\u00a0", " ").split())
    if not s or len(s) > 200:
        return None
    if m := _FIELD_NUMERIC.match(s):
        clock = _clock(m)
        if m["hh"] is None and m["wh"] is None:
            return None if m["tz"] else _make(int(m["y"]), int(m["m"]), int(m["d"]))
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), clock, m["tz"]) if clock else None
    if m := _FIELD_SLASH.match(s):
        first, second = int(m["a"]), int(m["b"])
        month, day = (second, first) if first > 12 else (first, second)
        clock = _clock(m)
        if clock is None:
            return None if m["tz"] or m["hh"] or m["wh"] else _make(int(m["y"]), month, day)
        return _make(int(m["y"]), month, day, clock, m["tz"])
    if m := _ISO.match(s):
        if m["hh"] is None:
            return _make(int(m["y"]), int(m["m"]), int(m["d"]))
        try:
            value = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value.astimezone(MINSK) if value.tzinfo else value.replace(tzinfo=MINSK)
    if m := (_FIELD_WORDS.match(s) or _FIELD_ENGLISH.match(s)):
        if m["tz"] and not (m["hh"] or m["wh"]):
            return None  # "26 апреля 2016 г" is a date; a zone with no time is not
        return _words_date(m, _as_date(base))
    if m := _FIELD_TIME_FIRST.match(s):
        clock = _clock(m)
        if clock is None:
            return None
        if m["nd"]:
            return _make(int(m["ny"]), int(m["nm"]), int(m["nd"]), clock)
        return _words_date(m, _as_date(base))
    if m := _FIELD_TIME_ONLY.match(s):
        today, clock = _as_date(base), _clock(m)
        if today is None or clock is None:
            return None
        return _make(today.year, today.month, today.day, clock, m["tz"])
    if (relative := _relative_field(s, _as_date(base))) is not None:
        return relative if isinstance(relative, dt.date) else None
    return _dateparser_fallback(s, lang, _as_date(base))


_IN_LINE = tuple(_compile_later(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)
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


# --- relative expressions -------------------------------------------------------------------
# From the locale data: the fixed phrases of "relative-type" (сегодня, позавчера, в прошлом
# месяце, на следующей неделе, last year …) for days, weeks, months and years — not hours,
# minutes or "now", which are no calendar date — and the unit words, "ago" words and "in"
# words of "N units ago" / "in N units". Small numbers written out are hand-made (the Russian
# data mixes them with ordinals in regular expressions; the Belarusian data has none).

_UNITS = ("day", "week", "month", "year")
_RELATIVE_PHRASES: dict[str, tuple[int, str]] = {}
for _lang in SUPPORTED_LANGUAGES:
    for _key, _phrases in LOCALE[_lang]["relative-type"].items():
        _rel = re.fullmatch(r"(in )?(\d) (day|week|month|year)( ago)?", _key)
        if _rel is None:
            continue
        _sign = 1 if _rel[1] else -1
        for _phrase in _phrases:
            if _phrase != "till date":
                _RELATIVE_PHRASES[_phrase.lower()] = (_sign * int(_rel[2]), _rel[3])
# The same in the words the site also uses, which the data does not list.
_RELATIVE_PHRASES.update({
    "в текущем году": (0, "year"), "в минувшем году": (-1, "year"),
    "в будущем году": (1, "year"), "у бягучым годзе": (0, "year"),
    "в текущем месяце": (0, "month"), "в минувшем месяце": (-1, "month"),
    "на текущей неделе": (0, "week"), "на минувшей неделе": (-1, "week"),
    "паслязаўтра": (2, "day"), "ў мінулым годзе": (-1, "year"), "ў гэтым годзе": (0, "year"),
    "ў наступным годзе": (1, "year"), "у гэтым тыдні": (0, "week"),
})
_UNIT_WORDS: dict[str, str] = {}
for _lang in SUPPORTED_LANGUAGES:
    for _unit in _UNITS:
        for _word in LOCALE[_lang][_unit]:
            # one-letter units (en "d", "y", ru "г") would read "5 г назад" or "in 2 d"; the
            # site writes words
            if len(_word) > 1:
                _UNIT_WORDS.setdefault(_word.lower(), _unit)
_UNIT_WORDS.update({"тыдні": "week", "гады": "year", "месяцы": "month", "дзён": "day"})
# "ago" words; en "before" is left out: "2 days before" counts from some other event.
_AGO_WORDS = [w for lang in SUPPORTED_LANGUAGES for w in LOCALE[lang]["ago"] if w != "before"]
# "in" words, the first word of the data's "in \1 day" patterns (через, праз, in); the data's
# "в течение"/"на працягу" (during) and "after" give a span, not a date.
_IN_WORDS = sorted({p.split(" ", 1)[0] for lang in SUPPORTED_LANGUAGES
                    for key, patterns in LOCALE[lang]["relative-type-regex"].items()
                    if key.startswith("in ") for p in patterns})
_NUMBER_WORDS = {
    "один": 1, "одну": 1, "одна": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "три": 3,
    "трёх": 3, "трех": 3, "четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5,
    "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9,
    "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11, "двенадцать": 12, "пару": 2,
    "адзін": 1, "адну": 1, "адна": 1, "дзве": 2, "тры": 3, "трох": 3, "чатыры": 4,
    "чатырох": 4, "пяць": 5, "шэсць": 6, "сем": 7, "восем": 8, "дзевяць": 9, "дзесяць": 10,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_NUMBER_RE = r"(?:\d{1,3}|" + _alternation(_NUMBER_WORDS) + ")"
_RELATIVE_BODY = (
    r"(?P<rphrase>" + _alternation(_RELATIVE_PHRASES) + r")"
    r"|(?:(?P<rnum>" + _NUMBER_RE + r")\s+)?(?P<runit>" + _alternation(_UNIT_WORDS)
    + r")\s+(?P<rago>" + _alternation(_AGO_WORDS) + r")"
    r"|(?P<rin>" + _alternation(_IN_WORDS) + r")\s+(?:(?P<rnum2>" + _NUMBER_RE + r")\s+)?"
    r"(?P<runit2>" + _alternation(_UNIT_WORDS) + r")(?:'?\s+time)?"  # in 3 weeks' time
)
_FIELD_RELATIVE = _compile_later(r"^(?:" + _RELATIVE_BODY + r")(?:" + _TIME + r")?$", re.IGNORECASE)


def _number(word: str | None) -> int:
    if word is None:
        return 1  # "неделю назад", "через год"
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _relative_offset(group: Callable[[str], Any]) -> tuple[int, str, bool]:
    """(offset, unit, whether it names a whole period: "на прошлой неделе" vs "неделю назад")
    of a match of _RELATIVE_BODY, whose groups ``group`` returns by name."""
    if group("rphrase"):
        offset, unit = _RELATIVE_PHRASES[" ".join(group("rphrase").lower().split())]
        return offset, unit, True
    if group("rago"):
        return -_number(group("rnum")), _UNIT_WORDS[group("runit").lower()], False
    return _number(group("rnum2")), _UNIT_WORDS[group("runit2").lower()], False


def _shift(base: dt.date, offset: int, unit: str) -> dt.date:
    """``base`` moved by ``offset`` units; the day is kept, or the month's last if it has no
    such day (31 May − 1 month = 30 April), as dateparser's relativedelta does."""
    if unit == "day":
        return base + dt.timedelta(days=offset)
    if unit == "week":
        return base + dt.timedelta(weeks=offset)
    months = offset * (12 if unit == "year" else 1)
    year, month = divmod(base.year * 12 + base.month - 1 + months, 12)
    return dt.date(year, month + 1, min(base.day, calendar.monthrange(year, month + 1)[1]))


def _relative_field(s: str, base: dt.date | None) -> dt.date | dt.datetime | bool | None:
    """A relative field resolved against ``base``; False when it is one but cannot be resolved,
    None when it is not one."""
    m = _FIELD_RELATIVE.match(s)
    if m is None:
        return None
    if base is None:
        return False
    offset, unit, _ = _relative_offset(m.group)
    if not -200 <= offset <= 200:
        return False
    day = _shift(base, offset, unit)
    if m["hh"] is None and m["wh"] is None:
        return day
    clock = _clock(m)
    if clock is None or unit != "day":
        return False  # "вчера в 10:15" has a time; "в прошлом году в 10:15" has no day
    return _make(day.year, day.month, day.day, clock) or False


# --- the last resort ------------------------------------------------------------------------

_DATE_SHAPED = _compile_later(
    r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|(?<!\d)\d{4}[./-]\d{1,2}[./-]\d{1,2}(?!\d)"
    r"|(?:^|[^\w])(?:" + _MONTH_RE + r")(?:[^\w]|$)",
    re.IGNORECASE,
)
_ANY_DATE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")  # two years: two dates, not one
# A letter run that could be a zone name: dateparser would read it in the machine's zone or
# drop it, so such strings stay with the rules above, which know the zones they accept.
_ZONE_LIKE = re.compile(r"\d\s*\(?[A-Z]{2,5}\)?$|(?<![\w])(?:UTC|GMT)[+-]")


@cache
def _dateparser_settings(with_base: bool) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": "Europe/Minsk",
        "TO_TIMEZONE": "Europe/Minsk",
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
    if (len(s) > 64 or not _DATE_SHAPED.search(s) or len(_ANY_DATE.findall(s)) > 1
            or _ZONE_LIKE.search(s)):
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

    ``value`` is ISO 8601: ``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month, ``YYYY`` for a
    year, and ``start/end`` (each in its own precision) for a range; ``start``/``end`` are the
    offsets of ``text`` in the searched string.
    """

    text: str
    value: str
    kind: str  # date | month | year | range | legal_act | relative
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "date": self.value, "kind": self.kind,
                "start": self.start, "end": self.end}


_DASH = r"\s*[-–—]\s*"
_LEGAL_NUMBER = r"(?:No\.?|Nr\.?|№|N)\s?(?P<num>[\w][\w\-/.]*[\w]|[\w])"
# A time after a date belongs to its mention ("5 августа 2014 г. в 12:00"); only its span
# matters here, so its groups are renamed out of the way.
_M_TIME = re.sub(r"\(\?P<\w+>", "(?:", _TIME)
_WORD_DATE = (
    _g(_DAY, "{p}d") + r"(?:\s+of)?\s+" + _g(_MON_WORD, "{p}m") + r"(?:,?\s+(?:в|у|ў)\s+"
    + _g(_YEAR, "{p}y") + r"(?=\s?(?:года|году|годзе|г\.))|,?\s+(?:of\s+)?" + _g(_YEAR, "{p}z")
    + r")?" + _YEAR_WORD + r"?"
)
_EN_DATE = (_g(_MON_WORD, "{p}m") + r"\s+" + _g(_DAY, "{p}d") + r"(?:,?\s+" + _g(_YEAR, "{p}y")
            + r")?(?![\w])")
_NUM_DATE = (
    r"(?<![\d.])(?P<{p}nd>[0-3]?\d)\.\s?(?P<{p}nm>[01]?\d)\.\s?(?P<{p}ny>(?:1[89]|20)\d\d)"
    r"(?![\d])(?:" + _YEAR_WORD + r")?"
)
_YEAR_AFTER = r"(?<![\d.,:/№-])"
_YEAR_PREP_WORDS = r"в|во|за|с|со|до|по|к|ко|на|от|у|ў|ад|з|да|па"
_YEAR_PREP = r"(?:" + _YEAR_PREP_WORDS + ")"
_YEARS_WORD = r"(?:\s?гг\.|\s(?:годы|годах|годов|гады|гадах|гадоў|years))"
# Mentions that start with a digit, in order of preference at one position.
_DIGIT_MENTIONS = [
    # 1–15 июня 2016 года
    r"(?P<dashrange>" + _g(_DAY, "r3d") + r"\s?[-–—]\s?" + _p(_WORD_DATE, "r4") + ")",
    # 2016–2022 гг. · 2021-2025 years
    r"(?P<yearrange0>" + _YEAR_AFTER + _g(_YEAR, "y7") + _DASH + _g(_YEAR, "y8") + _YEARS_WORD
    + ")",
    r"(?P<worddate>" + _p(_WORD_DATE, "w") + _M_TIME + "?)",
    r"(?P<numdate>" + _p(_NUM_DATE, "n") + _M_TIME + "?)",
    # 2015 год · 2015 г.
    r"(?P<year0>" + _YEAR_AFTER + _g(_YEAR, "yz") + _YEAR_WORD + ")",
    # 2 дня назад
    r"(?P<relnum>(?P<nn>\d{1,3})\s+(?P<nu>" + _alternation(_UNIT_WORDS) + r")\s+(?P<na>"
    + _alternation(_AGO_WORDS) + r")(?![\w]))",
]
# Mentions that start with a word, in order of preference at one position.
_WORD_MENTIONS = [
    # от 7 апреля 2022 г. № 136 · ад 23 сакавіка 2016 года № 235 ·
    # dated February 2, 2021 No. 66
    r"(?P<legal>(?:(?:от|ад)\s+(?:" + _p(_WORD_DATE, "l") + "|" + _p(_NUM_DATE, "l")
    + r")|dated\s+(?:" + _p(_EN_DATE, "le") + "|" + _p(_WORD_DATE, "lw") + r"))\s*,?\s*"
    + _LEGAL_NUMBER + r")",
    # с 1 по 15 июня 2016 года · с 1 июня по 15 июля · from 1 to 15 June 2016
    r"(?P<dayrange>(?:с|з|from)\s+" + _g(_DAY, "r1d") + r"(?:\s+" + _g(_MON_WORD, "r1m")
    + r")?\s+(?:по|па|да|to|until)\s+" + _p(_WORD_DATE, "r2") + ")",
    # June 1-15, 2016
    r"(?P<endashrange>" + _g(_MON_WORD, "r5m") + r"\s+" + _g(_DAY, "r5d") + r"\s?[-–—]\s?"
    + _g(_DAY, "r6d") + r",?\s+" + _g(_YEAR, "r6y") + ")",
    # на 2021 – 2025 годы · на 2016-2022 годы · for 2021 - 2025 · from 2021 to 2025 ·
    # с 2021 по 2025 год
    r"(?P<yearrange>(?:на|в|за|с|у|for|in|during)\s+" + _YEAR_AFTER + _g(_YEAR, "y1") + _DASH
    + _g(_YEAR, "y2") + _YEARS_WORD
    + r"|(?:на|за|for|from|between|in|during)\s+" + _g(_YEAR, "y3") + _DASH + _g(_YEAR, "y4")
    + r"(?![\d\w])"
    + r"|(?:с|з|from|between)\s+" + _g(_YEAR, "y5")
    + r"(?:\s?г\.|\s(?:года|году))?\s+(?:по|до|па|да|to|until|till|through|and)\s+"
    + _g(_YEAR, "y6") + r"(?:\s?гг\.|\s?г\.|\s(?:годы|годов|года|год|гады|гадоў|years))?"
    r"(?![\d\w]))",
    # в мае-июне · у сакавіку–красавіку 2020 года
    r"(?P<monthrange>(?:в|во|у|ў)\s+(?P<mr1>" + _LOC_RE + r")" + _DASH + r"(?P<mr2>" + _LOC_RE
    + r")(?:\s+" + _g(_YEAR, "mry") + _YEAR_WORD + r"?)?(?![\w]))",
    # Сегодня, 26 апреля: the explicit date wins, one mention
    r"(?P<todaydate>(?:" + _TODAY_WORDS + r"),?\s+" + _p(_WORD_DATE, "t") + _M_TIME + "?)",
    r"(?P<endate>" + _p(_EN_DATE, "e") + _M_TIME + "?)",
    # в марте · в марте 2022 года
    r"(?P<month>(?:в|во|у|ў)\s+(?P<mo>" + _LOC_RE + r")(?:\s+" + _g(_YEAR, "moy") + _YEAR_WORD
    + r"?)?(?![\w]))",
    # in March 2019 · March 2019
    r"(?P<enmonth>(?:(?:in|since|by|until|from|during)\s+)?(?P<emo>"
    + _alternation(f for f in _MONTHS if f.isascii() and f not in _ABBREVIATIONS)
    + r")\s+" + _g(_YEAR, "emy") + r"(?![\w]))",
    # за 2015 год · с 1947 года · в 2015 году · у 2015 годзе · in 2015 · the year 2015
    r"(?P<year>" + _YEAR_PREP + r"\s+" + _YEAR_AFTER + _g(_YEAR, "yy") + _YEAR_WORD
    + r"|(?:in|since|during|year|the\s+year)\s+" + _g(_YEAR, "yen")
    + r"(?![\w]|[.,]\d|\s?[-–—]\s?\d))",
    r"(?P<relative>(?:" + _RELATIVE_BODY.replace("(?P<", "(?P<x") + r")(?![\w]))",
]
# Every mention starts with a number, a preposition and a number or a month, a relative
# expression or an English month name. Testing that first (and in tries, see _alternation) lets
# the engine skip most positions at once: a position that passes costs the alternation of its
# kind (~0.3 µs a branch), so the gate reads as far as the second word, and a run of "в в в …"
# or "1 1 1 …" in hostile input never reaches it. A digit and a word start different branches.
_ASCII_MONTH_FORMS = [f for f in _MONTHS if f.isascii()]
_ASCII_MONTHS = _alternation(_ASCII_MONTH_FORMS)
_DIGIT_GATE = r"(?<![\d.,:/])\d(?:\d{3}|\d{0,2}(?:st|nd|rd|th)?\s*(?:[^\W\d_]|[.\-–—]))"
# The words a mention that starts with a word can start with, one list per branch of the gate.
_BEFORE_YEAR_WORDS = ["dated", "from", "for", "in", "during", "between", "since", "year",
                      "the year", *_YEAR_PREP_WORDS.split("|")]
_BEFORE_MONTH_WORDS = ["в", "во", "у", "ў"]
_BEFORE_EN_MONTH_WORDS = ["in", "since", "by", "until", "from", "during", "dated"]
_WORD_GATE = (
    r"(?<![\w])(?=[^\W\d_])(?:"
    r"(?:" + _alternation(_BEFORE_YEAR_WORDS) + r")\s+\d"
    r"|(?:" + _alternation(_BEFORE_MONTH_WORDS) + r")\s+(?:" + _LOC_RE + r")(?![\w])"
    r"|(?:(?:" + _alternation(_BEFORE_EN_MONTH_WORDS) + r")\s+)?(?:" + _ASCII_MONTHS
    + r")(?![\w])"
    r"|(?:" + _TODAY_WORDS + r")(?![\w])"
    r"|(?:" + _alternation(_RELATIVE_PHRASES) + r")(?![\w])"
    r"|(?:" + _NUMBER_RE + r"\s+)?(?:" + _alternation(_UNIT_WORDS) + r")\s+(?:"
    + _alternation(_AGO_WORDS) + r")(?![\w])"
    r"|(?:" + _alternation(_IN_WORDS) + r")\s+(?:\d|" + _alternation(_NUMBER_WORDS) + r"|"
    + _alternation(_UNIT_WORDS) + r")"
    r")"
)
_MENTION = _compile_later(
    r"(?=" + _DIGIT_GATE + r")(?:" + "|".join(_DIGIT_MENTIONS) + r")"
    r"|(?=" + _WORD_GATE + r")(?:" + "|".join(_WORD_MENTIONS) + r")",
    re.IGNORECASE,
)


# Where a mention can start, found by a much smaller pattern than _MENTION, which the engine
# otherwise tries at every position of the text (~0.15 µs a character). A mention starts where
# one of the two gates above lets it: a digit the gate accepts, or a word start whose first
# word (up to its first non-word character) is the first word of a form in a gate's lists.
# The first character is tested without IGNORECASE against the characters that cannot start
# such a word, so that the engine skips them with its fast character-set search; the rest
# keeps IGNORECASE. Candidates are a superset of the starts: _MENTION decides at each one.
_FIRST_WORDS: dict[str, set[str]] = {}
for _form in (*_BEFORE_YEAR_WORDS, *_BEFORE_MONTH_WORDS, *_BEFORE_EN_MONTH_WORDS,
              *_ASCII_MONTH_FORMS, *_TODAY_LIST, *_RELATIVE_PHRASES, *_NUMBER_WORDS,
              *_UNIT_WORDS, *_IN_WORDS):
    _word = re.match(r"\w+", _form)
    assert _word is not None, _form  # every form starts with a letter
    _FIRST_WORDS.setdefault(_word[0][0], set()).add(_word[0][1:])
_FIRST_LETTER = re.compile("[" + "".join(map(re.escape, _FIRST_WORDS)) + "]", re.IGNORECASE)
# Characters that can start no mention: no digit, and no letter that matches a first letter
# the way IGNORECASE matches (tests/test_dates.py checks each against each first letter).
_NEVER_FIRST = "".join(
    c for c in (*map(chr, range(0x20, 0x7F)), *map(chr, range(0x400, 0x460)),
                "\t", "\n", "\u00a0", "«", "»", "–", "—", "№")
    if not c.isdigit() and not _FIRST_LETTER.match(c))
_MENTION_START = _compile_later(
    r"(?-i:[^" + re.escape(_NEVER_FIRST) + r"])(?:(?<=\d)(?<![\d.,:/]\d)|(?<!\w.)(?:"
    + "|".join(f"(?<={re.escape(first)})" + (f"(?:{_alternation(rests)})" if any(rests) else "")
               for first, rests in sorted(_FIRST_WORDS.items()))
    + r")(?![\w]))",
    re.IGNORECASE,
)


def _mentions(text: str) -> Iterator[re.Match[str]]:
    """``_MENTION.finditer(text)``, tried only where a mention can start (_MENTION_START)."""
    end = 0
    for candidate in _MENTION_START.finditer(text):
        start = candidate.start()
        if start < end:
            continue  # inside the previous mention
        m = _MENTION.match(text, start)  # lookbehinds see the text before start, as in a search
        if m is not None:
            yield m
            end = m.end()


_KINDS = {"yearrange0": "yearrange", "year0": "year", "todaydate": "worddate",
          "relnum": "relative"}


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


def _relative_value(m: re.Match[str], base: dt.date) -> str | None:
    if m.lastgroup == "relnum":  # "2 дня назад"
        names = {"rago": "na", "rnum": "nn", "runit": "nu"}
        offset, unit, whole = _relative_offset(lambda name: m[names[name]] if name in names
                                               else None)
    else:
        offset, unit, whole = _relative_offset(lambda name: m["x" + name])
    if not -200 <= offset <= 200:
        return None
    day = _shift(base, offset, unit)
    if unit == "day" or (unit == "week" and not whole):
        return day.isoformat()  # "вчера", "неделю назад"
    if unit == "week":  # "на прошлой неделе": that week, Monday to Sunday
        monday = day - dt.timedelta(days=day.weekday())
        return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    return f"{day:%Y-%m}" if unit == "month" else f"{day:%Y}"


def _mention_value(m: re.Match[str], base: dt.date | None) -> tuple[str, str | None]:
    group = m.lastgroup or ""
    kind = _KINDS.get(group, group)
    value: dt.date | str | None
    if kind == "legal":
        if m["ld"]:
            value = _day_value(m["ld"], m["lm"], m["ly"] or m["lz"], base)
        elif m["lnd"]:
            value = _numeric_value(m["lnd"], m["lnm"], m["lny"])
        elif m["led"]:
            value = _day_value(m["led"], m["lem"], m["ley"], base)
        else:
            value = _day_value(m["lwd"], m["lwm"], m["lwy"] or m["lwz"], base)
        return "legal_act", value.isoformat() if value else None
    if kind in ("dayrange", "dashrange"):
        first, last = ("r1", "r2") if kind == "dayrange" else ("r3", "r4")
        end = _day_value(m[last + "d"], m[last + "m"], m[last + "y"] or m[last + "z"], base)
        if end is None:
            return "range", None
        start_month = m[first + "m"] if kind == "dayrange" and m["r1m"] else m[last + "m"]
        start_month_no = _MONTHS[start_month.lower()]
        start_year = end.year - (1 if start_month_no > end.month else 0)
        start = _make(start_year, start_month_no, int(m[first + "d"]))
        if not isinstance(start, dt.date) or start > end:
            return "range", None
        return "range", f"{start.isoformat()}/{end.isoformat()}"
    if kind == "endashrange":
        first_day = _day_value(m["r5d"], m["r5m"], m["r6y"], base)
        last_day = _day_value(m["r6d"], m["r5m"], m["r6y"], base)
        if first_day is None or last_day is None or first_day >= last_day:
            return "range", None
        return "range", f"{first_day.isoformat()}/{last_day.isoformat()}"
    if kind == "yearrange":
        y1, y2 = next((m[a], m[b]) for a, b in (("y1", "y2"), ("y3", "y4"), ("y5", "y6"),
                                                ("y7", "y8")) if m[a])
        if int(y1) >= int(y2):
            return "range", None
        return "range", f"{y1}/{y2}"
    if kind == "monthrange":
        first_month = _month_value(m["mr1"], m["mry"], base)
        last_month = _month_value(m["mr2"], m["mry"], base)
        both = first_month and last_month
        return "range", f"{first_month}/{last_month}" if both else None
    if kind == "worddate":
        p = "t" if group == "todaydate" else "w"
        value = _day_value(m[p + "d"], m[p + "m"], m[p + "y"] or m[p + "z"], base)
        return "date", value.isoformat() if value else None
    if kind == "endate":
        value = _day_value(m["ed"], m["em"], m["ey"], base)
        return "date", value.isoformat() if value else None
    if kind == "numdate":
        value = _numeric_value(m["nnd"], m["nnm"], m["nny"])
        return "date", value.isoformat() if value else None
    if kind == "month":
        return "month", _month_value(m["mo"], m["moy"], base)
    if kind == "enmonth":
        return "month", _month_value(m["emo"], m["emy"], base)
    if kind == "year":
        return "year", m["yy"] or m["yz"] or m["yen"]
    if kind == "relative":
        return "relative", _relative_value(m, base) if base is not None else None
    raise AssertionError(f"unhandled date pattern {kind}")


def _is_bare_abbreviation(m: re.Match[str]) -> bool:
    """"5 мар" in "5 марок" is cut by the word boundary, but "3 ноя" could be a column header:
    an abbreviation counts as a month only with its dot or a year after it."""
    if m.lastgroup in ("worddate", "todaydate"):
        p = "w" if m.lastgroup == "worddate" else "t"
        if m[p + "m"].lower() in _ABBREVIATIONS and not (m[p + "y"] or m[p + "z"]):
            return "." not in m[0][m.end(p + "m") - m.start():][:1]
    if m.lastgroup == "endate" and m["em"].lower() in _ABBREVIATIONS and not m["ey"]:
        return not m["em"].endswith(".") and "." not in m[0][m.end("em") - m.start():][:1]
    return False


def find_dates(
    text: str, lang: str = "ru", base: dt.date | dt.datetime | None = None
) -> list[DateMention]:
    """Every date mentioned in ``text``, in order, with its span and normalised value.

    Mentions whose value cannot be known (a year-less date or a relative one without ``base``,
    ``31 июня``) are left out rather than guessed.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGUAGES}")
    base_date = _as_date(base)
    mentions: list[DateMention] = []
    for m in _mentions(text):
        if _is_bare_abbreviation(m):
            continue
        kind, value = _mention_value(m, base_date)
        if value is None:
            continue
        start, end = m.span()
        mentions.append(DateMention(m[0], value, kind, start, end))
    return mentions
