"""The report's own recommendations (``data/own_recommendations.csv``).

Each is addressed to a named actor, follows from a finding of the report and names the rows
its evidence rests on (reported figures, events, cases, international responses), and the
tracker's recommendations that asked for the same before. They keep the tracker's form
(status, date, source) so that a later edition can record what became of each; a
recommendation made in the current edition is ``not_yet_assessed``.

The text a reader sees never shows a row id: evidence is linked from its figure, date or name,
an earlier request from who made it and what became of it.
"""

from __future__ import annotations

from . import fmt, markup
from .claims import figure_text, partial_date_text
from .markup import MyST, join, md
from .tracker import STATUS_LABELS

#: Who the recommendations are addressed to, in the order the report gives them.
ADDRESSEES = {
    "president_government": "To the President and the Government of Kazakhstan",
    "prosecutor_general": "To the Prosecutor General of Kazakhstan",
    "parliament": "To the Parliament of Kazakhstan",
    "interior_knb": "To the Interior Ministry and the National Security Committee",
    "courts": "To the courts of Kazakhstan",
    "csto": "To the CSTO and its member states",
    "eu": "To the European Union and its member states",
    "united_states": "To the United States",
    "un": "To the UN human-rights bodies",
    "osce": "To the OSCE",
}
#: The addressee as a short name in running text ("the Prosecutor General").
ADDRESSEE_NAMES = {
    "president_government": "the President and the government",
    "prosecutor_general": "the Prosecutor General",
    "parliament": "parliament",
    "interior_knb": "the Interior Ministry and the National Security Committee",
    "courts": "the courts",
    "csto": "the CSTO and its members",
    "eu": "the European Union and its members",
    "united_states": "the United States",
    "un": "the UN human-rights bodies",
    "osce": "the OSCE",
}
NEW_STATUS = "not_yet_assessed"
#: The table each kind of evidence id refers to: (id prefix -> table name, key column, anchor kind).
EVIDENCE_TABLES = {"C": ("claims", "claim_id", "claim"), "E": ("events", "event_id", "event"),
                   "K": ("cases", "case_id", "case"), "R": ("responses", "response_id", "response")}


def ids(cell) -> list[str]:
    """The ids of a semicolon-separated cell ('' -> [])."""
    return [] if not isinstance(cell, str) or not cell.strip() else [x.strip() for x in cell.split(";")]


def check(own, tables: dict, recs) -> list[str]:
    """Rules the Table Schema cannot state: every evidence id names a row of its table, every
    related id a row of the tracker, and every addressee has at least one recommendation.
    ``tables`` maps table names (claims, events, cases, responses) to their loaded tables."""
    problems = []
    keys = {name: set(tables[name][key]) for name, key, _ in EVIDENCE_TABLES.values()}
    tracker_ids = set(recs["recommendation_id"])
    for r in own.to_dict("records"):
        for i in ids(r["evidence"]):
            name, _, _ = EVIDENCE_TABLES[i[0]]
            if i not in keys[name]:
                problems.append(f"own recommendation {r['recommendation_id']}: evidence {i} is not a row of the "
                                f"{name} table")
        for i in ids(r["related"]):
            if i not in tracker_ids:
                problems.append(f"own recommendation {r['recommendation_id']}: related {i} is not a row of the "
                                "recommendations table")
    for a in sorted(set(ADDRESSEES) - set(own["addressee"])):
        problems.append(f"no own recommendation is addressed to {a}")
    return problems


def load(package_path=None):
    """The report's recommendations, validated against the data package and :func:`check`."""
    from . import paths, tracker
    from .data import DataError
    from .data import load as load_table

    pkg = package_path or paths.DATAPACKAGE
    own = load_table("own_recommendations", pkg)
    from .claims import table as claims_table

    tables = {name: load_table(name, pkg) for name, _, _ in EVIDENCE_TABLES.values()}
    # Figures are linked by what they count: the claims joined with their metric's label.
    tables["claims"] = claims_table(tables["claims"], load_table("metrics", pkg), load_table("sources", pkg))
    problems = check(own, tables, tracker.load(pkg))
    if problems:
        raise DataError(problems)
    return own, tables


def _evidence_link(i: str, tables) -> MyST:
    name, key, kind = EVIDENCE_TABLES[i[0]]
    row = tables[name][tables[name][key] == i].iloc[0]
    if name == "claims":
        text = f"{figure_text(row, with_unit=False, prose=True)} ({row['label'].lower()})"
    elif name == "events":
        d = row["date"]
        text = fmt.date(d) if hasattr(d, "strftime") else partial_date_text(d)
    elif name == "cases":
        text = row["name"]
    else:
        text = f"{row['actor_name']}, {partial_date_text(row['date'])}"
    return markup.ref_or_text(text, kind, i)


def short_actor(actor: str) -> str:
    """A tracker actor as running text names it: 'Human Rights Watch (Letta Tayler)' -> 'Human
    Rights Watch'; 'Liz Throssell, spokesperson, UN Office ...' -> 'Liz Throssell'."""
    return actor.split(" (")[0].split(", ")[0].strip()


def _earlier(r, recs) -> MyST:
    related = recs[recs["recommendation_id"].isin(ids(r["related"]))]
    parts = [md("{} ({}, {})", markup.ref_or_text(short_actor(x["actor"]), "rec", x["recommendation_id"]),
                partial_date_text(x["date"]), STATUS_LABELS[x["status"]])
             for x in related.sort_values(["date", "recommendation_id"]).to_dict("records")]
    return join(parts, "; ")


def markdown(own, tables, recs) -> MyST:
    """The recommendations as the report prints them: a heading per addressee, then each
    recommendation with the finding it follows from, links to its evidence and the chapter, and
    the earlier requests to the same effect with what became of them."""
    out = []
    for addressee, heading in ADDRESSEES.items():
        out.append(md("### {}\n", heading))
        for r in own[own["addressee"] == addressee].to_dict("records"):
            evidence = join([_evidence_link(i, tables) for i in ids(r["evidence"])], "; ")
            item = md("- **{}** {} Evidence: {} ({}).", r["recommendation"], r["finding"], evidence,
                      MyST(f"{{numref}}`Chapter %s <{r['chapter']}>`"))
            if ids(r["related"]):
                item = item + md(" Asked for before by: {}.", _earlier(r, recs))
            out.append(item + MyST("\n"))
        out.append(MyST("\n"))
    return join(out)


def summary(own) -> dict[str, str]:
    """For each addressee, in order, its recommendations in a few words ('Hold the trials in
    public ...'), plain text: the introduction prints each after the addressee's name
    (:func:`summary_label`), through ``{glue:text}``, the only glue another page can read."""
    lines = {}
    for addressee in ADDRESSEE_NAMES:
        text = "; ".join(own[own["addressee"] == addressee]["short"])
        lines[addressee] = text[0].upper() + text[1:] + "."
    return lines


def summary_label(addressee: str) -> str:
    """The addressee as the introduction's list names it: 'The President and the government'."""
    name = ADDRESSEE_NAMES[addressee]
    return name[0].upper() + name[1:]


def glue_counts(own) -> dict[str, str]:
    """Glue ``own_n`` (how many recommendations the report makes) and ``own_addressees``."""
    from myst_nb import glue

    out = {"own_n": fmt.count(len(own)), "own_addressees": fmt.count(own["addressee"].nunique())}
    for name, text in out.items():
        glue(name, text, display=False)
    return out
