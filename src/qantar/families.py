"""The families of the dead: named victims as local reporting names them, and where its versions differ.

Local reporting (Russian and Kazakh) often disagrees on a victim's age or the day of death. The
cases table holds one row per victim and the case-sources table one row per source, with the
source's own words; the functions here read the versions from those words, so that a chapter
shows every version with its source and never picks one silently.
"""

from __future__ import annotations

import re

import pandas as pd

from . import fmt
from .markup import MyST, cite, md, table

#: Languages of local (Kazakhstani) reporting in the source registry.
LOCAL_LANGUAGES = ("ru", "kk")

_AGE = [
    re.compile(r"(\d{1,2})-летн"),               # 12-летний, 12-летнего (Russian)
    re.compile(r"(\d{1,2})-year-old"),            # 4-year-old (English)
    re.compile(r"(\d{1,2}) жасар"),               # 4 жасар (Kazakh)
]
_RU_AGE_WORDS = {"четырехлетн": 4, "четырёхлетн": 4}
_JANUARY_DAY = [
    re.compile(r"(\d{1,2}) январ"),               # 6 января (Russian)
    re.compile(r"January (\d{1,2})\b"),           # January 7 (English)
    re.compile(r"(\d{1,2}) қаңтар"),              # 5 қаңтар (Kazakh)
]


def age_in_quote(quote: str):
    """The age a quote gives a victim ('12-летний Султан' -> 12, 'четырехлетняя девочка' -> 4), or None."""
    for pattern in _AGE:
        m = pattern.search(quote)
        if m:
            return int(m.group(1))
    low = quote.lower()
    for stem, age in _RU_AGE_WORDS.items():
        if stem in low:
            return age
    return None


def january_day_in_quote(quote: str):
    """The day of January 2022 a quote gives ('6 января' -> 6, 'January 7, 2022' -> 7), or None."""
    for pattern in _JANUARY_DAY:
        m = pattern.search(quote)
        if m:
            return int(m.group(1))
    return None


def versions(cases, case_sources, sources, case_ids) -> pd.DataFrame:
    """One row per victim and source: case id, name, source key, publisher, language, publication
    date, the quote, and the age and day of death the quote states (None where it states none)."""
    picked = case_sources[case_sources["case_id"].isin(list(case_ids))]
    out = picked.merge(cases[["case_id", "name"]], on="case_id", validate="many_to_one").merge(
        sources[["source_key", "publisher", "language", "published", "published_precision"]], on="source_key",
        validate="many_to_one")
    out["age"] = out["quote"].map(age_in_quote)
    out["day"] = out["quote"].map(january_day_in_quote)
    order = {cid: i for i, cid in enumerate(case_ids)}
    out["_order"] = out["case_id"].map(order)
    return out.sort_values(["_order", "published", "source_key"], kind="stable").drop(columns="_order") \
        .reset_index(drop=True)


def disagreements(rows: pd.DataFrame) -> dict:
    """For each victim (by case id) whose sources disagree on the age or the day, the values each
    gives: ``{case_id: {"age": [4], "day": [6, 7]}}``, only the facts on which two sources differ.
    Keyed by id, not name: a name is text and may hold anything."""
    out = {}
    for case_id, g in rows.groupby("case_id", sort=False):
        found = {}
        for fact in ("age", "day"):
            values = sorted({int(v) for v in g[fact].dropna()})
            if len(values) > 1:
                found[fact] = values
        if found:
            out[case_id] = found
    return out


def _what(row) -> str:
    parts = []
    if not pd.isna(row["age"]):
        parts.append(f"age {int(row['age'])}")
    if not pd.isna(row["day"]):
        parts.append(f"killed on {fmt.date(pd.Timestamp(2022, 1, int(row['day'])))}")
    return "; ".join(parts) if parts else "names the victim"


def _published(row) -> str:
    if row["published_precision"] == "unknown" or pd.isna(row["published"]):
        return "date not stated"
    return fmt.date(pd.Timestamp(row["published"]), row["published_precision"])


_LANGUAGE_NAMES = {"ru": "Russian", "kk": "Kazakh", "en": "English"}


def versions_table(rows: pd.DataFrame, *, caption: str, name: str) -> MyST:
    """The versions as a numbered table: victim, what the source states (age, day), the source's
    own words with their language, and the source (publisher, date, citation)."""
    lines = []
    for r in rows.to_dict("records"):
        words = md("\u201c{}\u201d ({})", r["quote"], _LANGUAGE_NAMES.get(r["language"], r["language"]))
        lines.append([r["name"], _what(r), words,
                      md("{}, {} {}", r["publisher"], _published(r), cite(r["source_key"]))])
    return table(["Victim", "What the source states", "In the source's words", "Source"], lines,
                 caption=caption, name=name, widths=[16, 16, 40, 28])


def claims_table(claims, claim_ids, *, caption: str, name: str) -> MyST:
    """Reported figures (from the joined claims table) as a short numbered table in date order:
    the figure (linked to its annex row), what it counts, who gave it, when, and the citation."""
    from .claims import figure_text, partial_date_text, _sentence
    from .markup import ref

    picked = claims[claims["claim_id"].isin(list(claim_ids))].sort_values(["published_date", "claim_id"])
    missing = set(claim_ids) - set(picked["claim_id"])
    if missing:
        raise KeyError(f"no claims {sorted(missing)}")
    lines = []
    for r in picked.to_dict("records"):
        lines.append([ref(figure_text(r), "claim", r["claim_id"]), _sentence(r["counts"]),
                      md("{} {}", r["reporter"], cite(r["source_key"])), partial_date_text(r["published"])])
    return table(["Figure", "What it counts", "Who gave it", "Published"], lines, caption=caption, name=name,
                 widths=[16, 38, 30, 16])
