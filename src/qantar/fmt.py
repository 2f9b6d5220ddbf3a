"""Numbers and dates as the book prints them (one place, so prose and tables agree)."""

from __future__ import annotations

import datetime as _dt
import re

MONTHS = (
    "January February March April May June July August "
    "September October November December"
).split()


def number(n) -> str:
    """An integer with thousands separators: ``10000`` -> ``'10,000'``."""
    if n != int(n):
        raise ValueError(f"not a whole number: {n!r}")
    return f"{int(n):,}"


def as_date(d) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if hasattr(d, "to_pydatetime"):  # pandas Timestamp
        return d.to_pydatetime().date()
    return _dt.date.fromisoformat(str(d))


def date(d, precision: str = "day") -> str:
    """``2022-01-05`` -> ``'5 January 2022'``; month precision -> ``'January 2022'``."""
    d = as_date(d)
    if precision == "day":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if precision == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if precision == "year":
        return str(d.year)
    raise ValueError(f"unknown date precision: {precision!r}")


def day_month(d) -> str:
    """``2022-01-05`` -> ``'5 January'``."""
    d = as_date(d)
    return f"{d.day} {MONTHS[d.month - 1]}"


def date_range(start, end, precision: str = "day") -> str:
    """``'22–24 August 2022'``, ``'30 December 2022 – 2 January 2023'``."""
    start, end = as_date(start), as_date(end)
    if end < start:
        raise ValueError(f"range ends before it starts: {start} > {end}")
    if start == end:
        return date(start, precision)
    if precision != "day":
        return f"{date(start, precision)} – {date(end, precision)}"
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{day_month(start)} – {day_month(end)} {end.year}"
    return f"{date(start)} – {date(end)}"


def and_list(items) -> str:
    """``['a']`` -> 'a'; ``['a', 'b']`` -> 'a and b'; ``['a', 'b', 'c']`` -> 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


#: Whole numbers under ten as prose writes them (house style: "six officers", "none").
NUMBER_WORDS = "none one two three four five six seven eight nine".split()


def count(n) -> str:
    """A count as prose writes it: ``0`` -> 'none', ``6`` -> 'six', ``1205`` -> '1,205'.

    Every count the chapters print in running text goes through here (figures glued from
    the claims table, tallies of the tracker, of responses, of versions), so no sentence
    can read "0 had been implemented" or "6 happenings". Tables keep digits."""
    if n != int(n) or n < 0:
        raise ValueError(f"not a count: {n!r}")
    return NUMBER_WORDS[int(n)] if n < 10 else number(n)


def count_before_noun(n) -> str:
    """A count before its noun: like :func:`count`, but ``0`` -> 'no' ('no recommendations')."""
    return "no" if n == 0 else count(n)


def plural(n: int, word: str, words: str | None = None) -> str:
    """``plural(1, 'event')`` -> ``'one event'``; ``plural(80, 'event')`` -> ``'80 events'``;
    ``plural(0, 'event')`` -> ``'no events'``."""
    return f"{count_before_noun(n)} {word if n == 1 else (words or word + 's')}"


_SMALL_DURATION = re.compile(r"(?<![\w.,])([0-9])(?= (?:years?|months?|weeks?|days?|hours?)\b)")


def durations_in_words(text: str) -> str:
    """A sentence or term as prose writes it: '3 years each' -> 'three years each',
    '8 years suspended' -> 'eight years suspended'; '15 years' stays. For running text only:
    tables keep the source's digits."""
    return _SMALL_DURATION.sub(lambda m: NUMBER_WORDS[int(m.group(1))], text)


#: The capital's names, each with the day it took effect. Astana was renamed Nur-Sultan by the
#: decree of 23 March 2019; Tokayev signed the amendments and the decree renaming it Astana again
#: on 17 September 2022, and the decree took effect on its publication on 19 September 2022
#: (source ``tass2022astana``; the events table holds both days).
CAPITAL_NAMES = (
    (_dt.date(2019, 3, 23), "Nur-Sultan"),
    (_dt.date(2022, 9, 19), "Astana"),
)
#: The name before the first renaming listed above.
CAPITAL_BEFORE = "Astana"


def capital_name(d) -> str:
    """The capital's name on day ``d``: ``'Nur-Sultan'`` from 23 March 2019 to 18 September 2022,
    ``'Astana'`` before and after."""
    d = as_date(d)
    name = CAPITAL_BEFORE
    for start, new in CAPITAL_NAMES:
        if d >= start:
            name = new
    return name
