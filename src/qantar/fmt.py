"""Numbers and dates as the book prints them (one place, so prose and tables agree)."""

from __future__ import annotations

import datetime as _dt

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


def plural(n: int, word: str, words: str | None = None) -> str:
    """``plural(1, 'event')`` -> ``'1 event'``; ``plural(80, 'event')`` -> ``'80 events'``."""
    return f"{number(n)} {word if n == 1 else (words or word + 's')}"


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
