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
FOUND_WORDS = {"yes": "yes", "partly": "in part or in copies", "no": "not found"}


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
    """The per-reference table: found or not, items, has, states differently, leaves out."""
    c = counts(coverage, references)
    rows = [[r["name"], FOUND_WORDS[r["found"]], r["items"], *(r[s] for s in STATUSES)] for r in c.to_dict("records")]
    rows.append([markup.trusted("**All references**"), "", int(c["items"].sum()), *(int(c[s].sum()) for s in STATUSES)])
    return markup.table(["Reference", "Found", "Items", *STATUSES.values()], rows,
                        caption="Items reported by each standard reference, and whether this report has them.",
                        name="tbl-coverage-summary", align="llrrrr", widths=[40, 16, 8, 8, 14, 14])


def book_link(row) -> MyST:
    """The row of the report that carries an item, as a link to its annex anchor; a dash for
    an item the report leaves out."""
    if row["status"] == "absent":
        return markup.escape("none")
    kind, row_id = row["book_kind"], row["book_id"]
    return markup.ref(f"{KIND_WORDS[kind]} {row_id}", kind, row_id)


def item_table(coverage: pd.DataFrame, references: pd.DataFrame) -> MyST:
    """Every item, grouped by reference in the references table's order, then by date."""
    order = {ref: i for i, ref in enumerate(references["reference"])}
    names = dict(zip(references["reference"], references["name"]))
    c = coverage.assign(_ref=coverage["reference"].map(order)).sort_values(["_ref", "item_date", "item_id"], kind="stable")
    rows = []
    for r in c.to_dict("records"):
        reason = r["how_or_why"] if isinstance(r["how_or_why"], str) else ""
        rows.append([r["item_id"], names[r["reference"]], partial_date_text(r["item_date"]), r["item"],
                     STATUSES[r["status"]], book_link(r), reason])
    return markup.table(["Item", "Reference", "Date", "What the reference reports", "This report", "Row",
                         "How it differs, or why it is left out"], rows,
                        caption="Every item checked, with the row of this report that carries it.",
                        name="tbl-coverage-items", widths=[6, 14, 10, 25, 9, 10, 26])
