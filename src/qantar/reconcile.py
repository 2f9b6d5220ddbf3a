"""How the official death toll is made up: one table that sets every division of the 238 dead
side by side (the Prosecutor General's categories, the security forces, the deaths in custody,
the civilians, the families paid) with the independent lists, each version from its row of the
claims table, and the arithmetic the book can and cannot do with them.

The parts are named in the chapter (a narrative choice); every figure, who gave it, when and the
citation come from the claims table, so the table, the prose and the Conclusions read the same.
"""

from __future__ import annotations

import pandas as pd

from .claims import PRODUCED_BY_LABELS, figure_text, partial_date_text
from .markup import MyST, cite, md, ref, table


def parts(claims, spec) -> pd.DataFrame:
    """One row per version: ``spec`` is a list of ``(part, [claim ids])`` in the order the
    table shows them; each claim must exist and count people. Returns the joined claims rows
    with the part's name in ``part`` and its position in ``order``."""
    rows = []
    for order, (part, ids) in enumerate(spec):
        for claim_id in ids:
            hit = claims[claims["claim_id"] == claim_id]
            if len(hit) != 1:
                raise KeyError(f"no claim {claim_id!r} (part {part!r})")
            row = hit.iloc[0].to_dict()
            if row["unit"] != "people":
                raise ValueError(f"claim {claim_id} counts {row['unit']!r}, not people (part {part!r})")
            rows.append({**row, "part": part, "order": order})
    return pd.DataFrame(rows)


def value(rows, claim_id: str) -> int:
    """The figure of one claim in the reconciliation (a whole number of people)."""
    hit = rows[rows["claim_id"] == claim_id]
    if len(hit) != 1:
        raise KeyError(f"claim {claim_id!r} is not in the reconciliation")
    return int(hit.iloc[0]["value"])


def when_text(row) -> str:
    """'as of 16 August 2022' when the figure's own date is known, else 'published ...'."""
    if isinstance(row["as_of"], str) and row["as_of"]:
        return f"as of {partial_date_text(row['as_of'])}"
    if isinstance(row["published"], str) and row["published"]:
        return f"published {partial_date_text(row['published'])}"
    return "date not stated"


def reconciliation_table(rows, *, caption: str, name: str) -> MyST:
    """The reconciliation as a numbered table: the part of the count (named once, on its first
    version), each figure linked to its entry in the annex of reported figures, whose figure it
    is (official, independent), who gave it and when, and the citation."""
    lines = []
    previous = None
    for r in rows.sort_values(["order", "published_date", "claim_id"], na_position="last").to_dict("records"):
        lines.append([r["part"] if r["part"] != previous else "",
                      ref(figure_text(r, with_unit=False), "claim", r["claim_id"]),
                      PRODUCED_BY_LABELS[r["produced_by_type"]],
                      md("{}, {} {}", r["reporter"], when_text(r), cite(r["source_key"]))])
        previous = r["part"]
    return table(["Part of the count", "Figure", "Whose figure", "Who gave it, when, source"], lines,
                 caption=caption, name=name, widths=[30, 12, 14, 44])
