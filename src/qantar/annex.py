"""Annex tables: every row of a data table, one line each, with the row's anchor.

Each annex table is a numbered MyST table built by :func:`qantar.markup.table`, so
every cell is escaped text. Its first column is the row id carrying the row's label
(:func:`qantar.markup.anchor`), which the chapters link to (:func:`qantar.markup.ref`,
``{glue:md}`name_link:myst```) in HTML and PDF alike.
"""

from __future__ import annotations

from . import markup
from .sourcing import sources_cell
from .claims import REPORTER_LABELS, SCOPE_LABELS, figure_text, partial_date_text


#: The annex of reported figures, one table per group of measures: (group, heading, caption).
CLAIM_GROUPS = [
    ("casualties", "Deaths and injuries", "Reported figures on deaths and injuries."),
    ("detentions", "Detentions", "Reported figures on detentions."),
    ("prosecutions", "Prosecutions and convictions", "Reported figures on prosecutions and convictions."),
    ("amnesty", "Amnesty", "Reported figures on the 2022 amnesty."),
    ("torture", "Torture and ill-treatment", "Reported figures on torture and ill-treatment."),
    ("accountability", "Investigations and trials of officials",
     "Reported figures on investigations and trials of officials."),
    ("scale", "Scale of the unrest and the response", "Reported figures on the scale of the unrest, "
     "the foreign troops and the damage."),
    ("international", "Context: foreign support before 2022", "Figures on foreign support for civil society "
     "before the events, cited as context."),
    ("politics", "Power, the official account and reforms", "Reported figures on the purge of the former "
     "president's circle, the official account, the concessions, the referendum and the election."),
    ("background", "Background: Zhanaozen 2011 and the courts", "Figures on the Zhanaozen killings of 2011 and "
     "their trials, and a rating of judicial independence, cited as background."),
]


def claims_table(claims, caption: str, name: str = "tbl-annex-claims") -> markup.MyST:
    """Every reported figure of ``claims``, one table row each: id (the row's anchor), figure,
    measure and scope, who gave it with the source's citation, whose figure it is (side and
    reporter type: official, official relayed, independent, international), publication date.
    Six columns, so that a row takes few lines on a printed page."""
    rows = []
    for r in claims.to_dict("records"):
        scope = "" if r["scope"] == "national" else f" ({SCOPE_LABELS[r['scope']]})"
        rows.append([markup.anchor("claim", r["claim_id"]), figure_text(r), f"{r['label']}{scope}",
                     markup.md("{} ", r["reporter"]) + sources_cell(r["source_key"]),
                     REPORTER_LABELS[r["reporter_type"]], short_date(r["published"])])
    return markup.table(["Id", "Figure", "Measure", "Given by (source)", "Whose figure", "Published"], rows,
                        caption=caption, name=name, widths=[7, 12, 20, 38, 12, 11])


def short_date(text) -> str:
    """A partial ISO date, short for a table cell: '6 Jan 2022', 'Jun 2022', '2025', 'not stated'."""
    full = partial_date_text(text)
    parts = full.split()
    return " ".join(p[:3] if p[:1].isupper() and p.isalpha() and len(p) > 3 else p for p in parts)


SIDE_LABELS = {"official": "Official", "independent": "Independent", "international": "International"}


def claims_by_group(claims):
    """The annex's sub-tables: (heading, MyST table) per group of measures, in the groups' order;
    every claim appears in exactly one."""
    out = []
    for group, heading, caption in CLAIM_GROUPS:
        g = claims[claims["group"] == group]
        if len(g):
            out.append((heading, claims_table(g, caption, name=f"tbl-annex-claims-{group}")))
    missing = set(claims["group"]) - {g for g, _, _ in CLAIM_GROUPS}
    if missing:
        raise ValueError(f"claims in groups without an annex table: {sorted(missing)}")
    return out


def claims_group_table(claims, group: str) -> markup.MyST:
    """The annex sub-table of one group of measures (see :data:`CLAIM_GROUPS`)."""
    _, _, caption = next(g for g in CLAIM_GROUPS if g[0] == group)
    return claims_table(claims[claims["group"] == group], caption, name=f"tbl-annex-claims-{group}")


#: The kinds of publishing body of the source registry, as the coding rule's table names them.
PUBLISHER_KINDS = {"official": "a Kazakh state body or state outlet", None: "any other body"}


def coding_rule_table(name: str = "tbl-annex-coding-rule") -> markup.MyST:
    """The coding rule (:data:`qantar.claims.REPORTER_RULE`) as a table: produced by, published by, side, type."""
    from .claims import PRODUCED_BY_LABELS, REPORTER_RULE, SIDE

    rows = []
    for produced, publisher, reporter_type, reading in REPORTER_RULE:
        rows.append([PRODUCED_BY_LABELS[produced], PUBLISHER_KINDS[publisher] if produced == "kazakh_state"
                     else "any body", REPORTER_LABELS[reporter_type], SIDE_LABELS[SIDE[reporter_type]]])
    return markup.table(["Figure produced by", "Source published by", "Whose figure", "Compared as"], rows,
                        caption="How the coding of a figure follows from who produced it and who published it.",
                        name=name, widths=[25, 35, 20, 20])
