"""Annex tables: every row of a data table, one line each, with the row's anchor.

Each annex table is a numbered MyST table built by :func:`qantar.markup.table`, so
every cell is escaped text. Its first column is the row id carrying the row's label
(:func:`qantar.markup.anchor`), which the chapters link to (:func:`qantar.markup.ref`,
``{glue:md}`name_link:myst```) in HTML and PDF alike.
"""

from __future__ import annotations

from . import markup
from .claims import REPORTER_LABELS, SCOPE_LABELS, figure_text, partial_date_text


def claims_table(claims, caption: str, name: str = "tbl-annex-claims") -> markup.MyST:
    """Every reported figure: id, figure, measure and scope, who gave it, when, source."""
    rows = []
    for r in claims.to_dict("records"):
        scope = "" if r["scope"] == "national" else f" ({SCOPE_LABELS[r['scope']]})"
        rows.append([markup.anchor("claim", r["claim_id"]), figure_text(r), f"{r['label']}{scope}",
                     f"{r['reporter']} ({REPORTER_LABELS[r['reporter_type']].lower()})",
                     partial_date_text(r["published"]), markup.cite(r["source_key"])])
    return markup.table(["Id", "Figure", "Measure", "Given by", "Published", "Source"], rows,
                        caption=caption, name=name, widths=[8, 16, 26, 26, 12, 12])
