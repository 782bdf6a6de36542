"""Dates as Refworld and the State Department print them, to ISO 8601.

The known forms are matched by regular expressions; python-dateutil is imported only for
anything else, and only a date with day, month and year all present is accepted: a date
that does not parse stays raw rather than becoming a wrong date.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from .patterns import LazyPattern

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAY_STEMS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_WEEKDAY = rf"(?:(?:{'|'.join(_WEEKDAY_STEMS)})day,?\s+)?"
_ZONES = ("gmt", "utc", "z")
# "11 June 2003", "Friday, 27 November 2015, 12:04 GMT". The month's letters are ASCII
# ones, case-sensitively: under IGNORECASE "[a-z]" also takes the Kelvin sign and the long
# s, which name no month (to_iso answers alike, tests/test_parser.py), and compiles 6x slower.
_DAY_MONTH_YEAR = LazyPattern(
    _WEEKDAY + r"(\d{1,2})\s+((?-i:[A-Za-z])+)\.?,?\s+(\d{4})"
    rf"(?:,?\s+(\d{{1,2}}):(\d{{2}})(?::(\d{{2}}))?\s*({'|'.join(_ZONES)})?)?",
    re.IGNORECASE,
)
# "June 11, 2003"
_MONTH_DAY_YEAR = LazyPattern(_WEEKDAY + r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
_ISO = LazyPattern(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?"
)


@functools.lru_cache(maxsize=4096)
def to_iso(raw: str) -> str | None:
    """Return the ISO 8601 form of `raw`, or None if it is not a complete, valid date.

    Cached: an archive repeats a handful of publication and update dates thousands of times.
    """
    text = " ".join(raw.split()).strip(" .")
    if not text or len(text) > 80:
        return None
    try:
        return _fast(text) or _fallback(text)
    except (ValueError, OverflowError):
        return None


def _fast(text: str) -> str | None:
    found = _day_month_year(text)
    if found:
        day, month_name, year, hour, minute, second, zone = found
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        if hour is None:
            return date(int(year), month, int(day)).isoformat()
        assert minute is not None  # the pattern takes an hour only with its minutes
        moment = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0))
        if zone:
            return moment.replace(tzinfo=UTC).isoformat()
        return moment.isoformat()
    match = _MONTH_DAY_YEAR.fullmatch(text)
    if match:
        month_name, day, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        return date(int(year), month, int(day)).isoformat() if month else None
    match = _ISO.fullmatch(text)
    if match and match.group(4) is None:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    return None


# Day, month name, year, and hour, minute, second and time zone where printed.
Groups = tuple[str, str, str, str | None, str | None, str | None, str | None]
_WEEKDAYS = frozenset(stem + "day" for stem in _WEEKDAY_STEMS)


def _day_month_year(text: str) -> Groups | None:
    """The groups of `_DAY_MONTH_YEAR.fullmatch(text)` (None: no match). A date printed
    plainly, as Refworld prints them all, is read from its words; any other form by the
    pattern, whose compiling costs 0.2 ms at every start-up (tests/test_parser.py holds
    the two equal)."""
    plain = _plain_day_month_year(text.split(" "))
    if plain is not None:
        return plain
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return None
    day, month, year, hour, minute, second, zone = match.groups()
    return (day, month, year, hour, minute, second, zone)


def _plain_day_month_year(words: list[str]) -> Groups | None:
    """ "[Weekday[,] ]11 June 2003[, 12:04[ GMT]]" with one space between words, else None."""
    if words[0].removesuffix(",").lower() in _WEEKDAYS:
        del words[0]
    hour = minute = zone = None
    if len(words) in (4, 5) and words[2].endswith(","):  # a time after the year
        hour, _, minute = words[3].partition(":")
        zone = words[4] if len(words) == 5 else None
        words = [words[0], words[1], words[2][:-1]]
        timed = _digits(hour, 1, 2) and _digits(minute, 2, 2)
        if not timed or (zone is not None and (zone.lower() not in _ZONES or not zone.isascii())):
            return None
    if len(words) != 3:
        return None
    day, month, year = words
    if _digits(day, 1, 2) and month.isascii() and month.isalpha() and _digits(year, 4, 4):
        return (day, month, year, hour, minute, None, zone)
    return None


def _digits(text: str, fewest: int, most: int) -> bool:
    return fewest <= len(text) <= most and text.isascii() and text.isdigit()


def _fallback(text: str) -> str | None:
    """dateutil for other forms; parsing with two different defaults exposes missing parts."""
    # A four-digit year and at least one more number (the day); without them dateutil would
    # fill the gaps, and the cheap test spares importing it for text that is no date.
    if not re.search(r"\d{4}", text) or len(re.findall(r"\d+", text)) < 2:
        return None
    from dateutil import parser as dateutil_parser

    first = datetime(2001, 1, 1)
    second = datetime(2002, 2, 2, 1, 1)  # same seconds: "12:04" without seconds is a time
    try:
        a = dateutil_parser.parse(text, default=first, tzinfos=_zone)
        b = dateutil_parser.parse(text, default=second, tzinfos=_zone)
    except (dateutil_parser.ParserError, ValueError, OverflowError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None
    if (a.hour, a.minute) != (b.hour, b.minute):
        return a.date().isoformat()  # no time given: a date, not a midnight timestamp
    return a.isoformat()


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """Time zones for dateutil: numeric offsets (UTC and GMT arrive as 0), never guesses.

    Left to itself dateutil reads "12:04 GMTA" as a naive time with a warning on stderr,
    and a zone named like the machine's own ("EST") as local time: an unknown zone makes
    the date unparsed instead, so it stays raw.
    """
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    if name is None:
        return None
    raise ValueError(f"unknown time zone {name!r}")
