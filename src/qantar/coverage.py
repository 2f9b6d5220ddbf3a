"""Coverage against the standard references: what each reference reports and whether the report
has it, rendered for the methods appendix from ``data/coverage.csv`` and
``data/coverage_references.csv``.

Every item a reference reports is one row, judged ``has`` (a row of the report carries it),
``differs`` (a row carries it but states it differently) or ``absent`` (left out, with the
reason). Items the report has link to their row in the annex that lists it
(:func:`qantar.markup.ref`); the validator checks that the row exists.
"""

from __future__ import annotations

import pandas as pd

from . import fmt, markup
from .claims import partial_date_text
from .markup import MyST

#: The order of the statuses in tables, and their labels.
STATUSES = {"has": "Has", "differs": "States differently", "absent": "Leaves out"}

#: The word for a row of each table, as a link text reads: 'event E006'.
KIND_WORDS = {"event": "event", "claim": "figure", "case": "case", "response": "response", "rec": "recommendation"}

#: How a reference was found, as the summary table says it.
FOUND_WORDS = {"yes": "yes", "partly": "in part", "no": "no"}


def counts(coverage: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """One row per reference (in the references table's order): its items and how many the
    report has, states differently and leaves out. References with no items count zero."""
    tally = (coverage.groupby(["reference", "status"]).size().unstack(fill_value=0)
             .reindex(columns=list(STATUSES), fill_value=0))
    out = references[["reference", "name", "found"]].merge(tally, left_on="reference", right_index=True, how="left")
    out[list(STATUSES)] = out[list(STATUSES)].fillna(0).astype(int)
    out["items"] = out[list(STATUSES)].sum(axis=1)
    return out.reset_index(drop=True)


def totals(coverage: pd.DataFrame, references: pd.DataFrame) -> dict:
    """The numbers the methods appendix states in prose (as display strings)."""
    missing = references[references["found"] == "no"]
    return {
        "cov_refs": fmt.number(len(references)),
        "cov_refs_read": fmt.number(int((references["found"] != "no").sum())),
        "cov_refs_missing": fmt.number(len(missing)),
        "cov_refs_missing_names": fmt.and_list(list(missing["name"])),
        "cov_items": fmt.number(len(coverage)),
        **{f"cov_{s}": fmt.number(int((coverage["status"] == s).sum())) for s in STATUSES},
    }


def summary_table(coverage: pd.DataFrame, references: pd.DataFrame) -> MyST:
    """The per-reference table for the references read (those not found are named in the text):
    read in full or in part, items, has, states differently, leaves out."""
    c = counts(coverage, references)
    c = c[c["found"] != "no"]
    rows = [[r["name"], FOUND_WORDS[r["found"]], r["items"], *(r[s] for s in STATUSES)] for r in c.to_dict("records")]
    rows.append([markup.trusted("**All references**"), "", int(c["items"].sum()), *(int(c[s].sum()) for s in STATUSES)])
    return markup.table(["Reference", "Read", "Items", *STATUSES.values()], rows,
                        caption="Items reported by each standard reference read, and whether this report has them.",
                        name="tbl-coverage-summary", align="llrrrr", widths=[46, 10, 8, 8, 14, 14])


def in_report(row) -> MyST:
    """What this report does with an item: 'Has it: event E006.' (a link to the row's annex
    anchor), 'States it differently (figure C004). How.' or 'Leaves it out. Why.'"""
    if row["status"] == "absent":
        return markup.md("Leaves it out. {}", row["how_or_why"])
    kind, row_id = row["book_kind"], row["book_id"]
    link = markup.ref(f"{KIND_WORDS[kind]} {row_id}", kind, row_id)
    if row["status"] == "has":
        return markup.md("Has it: {}.", link)
    return markup.md("States it differently ({}). {}", link, row["how_or_why"])


def item_tables(coverage: pd.DataFrame, references: pd.DataFrame) -> MyST:
    """Every item: one small table per reference (in the references table's order, items by
    date), headed by the reference's name."""
    out = []
    for ref in references.to_dict("records"):
        c = coverage[coverage["reference"] == ref["reference"]].sort_values(["item_date", "item_id"], kind="stable")
        if c.empty:
            continue
        rows = [[r["item_id"], partial_date_text(r["item_date"]), r["item"], in_report(r)] for r in c.to_dict("records")]
        out.append(markup.md(":::{{rubric}} {}\n:::\n", ref["name"]))
        out.append(markup.table(["Item", "Date", "What the reference reports", "In this report"], rows,
                                caption=f"Items reported by {ref['name']}.", name=f"tbl-coverage-{ref['reference']}",
                                widths=[8, 14, 38, 40]))
    return markup.join(out, "\n")
