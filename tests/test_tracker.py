"""The accountability tracker: its table, its rules and the Conclusions chapter that prints it.

The expected values are computed here from data/recommendations.csv with the csv module, not
with qantar.tracker, so that a counting bug in the helper cannot agree with itself."""

import csv
import json
import re
from collections import Counter

import pytest

from conftest import edit_csv
from qantar import paths, tracker
from qantar.data import DataError, validate

STATUSES = {"implemented", "partly", "not_implemented", "no_information"}
CHAPTER = paths.CHAPTERS / "05-conclusions.ipynb"


def rows(path=paths.DATA / "recommendations.csv"):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def source_keys():
    return {r["source_key"] for r in rows(paths.DATA / "sources.csv")}


def bib_keys():
    return set(re.findall(r"^@\w+\{([^,\s]+),", paths.BIB.read_text(encoding="utf-8"), re.MULTILINE))


def glued(nb_path=CHAPTER) -> dict[str, str]:
    """Every value the chapter glues, by name, as its text (from the committed notebook)."""
    out = {}
    for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                data = o["data"]
                md = data.get("application/papermill.record/text/markdown")
                out[name] = md if md is not None else data["application/papermill.record/text/plain"].strip("'\"")
    return out


def markdown_outputs(nb_path=CHAPTER) -> str:
    return "\n".join("".join(o["data"]["text/markdown"]) for cell in
                     json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
                     for o in cell.get("outputs", []) if "text/markdown" in o.get("data", {}))


def test_tracker_validates_and_has_enough_rows():
    validate("recommendations")
    recs = rows()
    assert len(recs) >= 25, len(recs)
    ids = [r["recommendation_id"] for r in recs]
    assert len(set(ids)) == len(ids)


def test_every_recommendation_has_status_date_and_resolving_sources():
    known, bib = source_keys(), bib_keys()
    for r in rows():
        rid = r["recommendation_id"]
        assert r["status"] in STATUSES, rid
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", r["status_as_of"]), rid
        assert r["date"] and r["quote"].strip(), rid
        assert r["source_key"] in known and r["source_key"] in bib, (rid, r["source_key"])
        if r["status_source_key"]:
            assert r["status_source_key"] in known and r["status_source_key"] in bib, rid
        # The evidence for a status cannot predate the recommendation (shared precision).
        n = min(len(r["date"]), len(r["status_as_of"]))
        assert r["status_as_of"][:n] >= r["date"][:n], rid


def test_a_status_other_than_no_information_has_a_status_source():
    for r in rows():
        if r["status"] != "no_information":
            assert r["status_source_key"] and r["status_quote"].strip(), r["recommendation_id"]
    assert tracker.check(tracker.load()) == []


def test_missing_status_source_is_refused(data_copy):
    def drop(table):
        i = table[0].index("status_source_key")
        s = table[0].index("status")
        row = next(r for r in table[1:] if r[s] == "not_implemented")
        row[i] = ""
    edit_csv(data_copy / "recommendations.csv", drop)
    with pytest.raises(DataError, match="needs status_source_key"):
        tracker.load(data_copy / "datapackage.json")


@pytest.mark.parametrize("column,value,error", [
    ("status", "done", "constraint-error"),
    ("actor_type", "un_body", "constraint-error"),
    ("recommendation_id", "B001", "constraint-error"),
    ("source_key", "nosuch2022source", "foreign-key"),
    ("status_source_key", "nosuch2022source", "foreign-key"),
    ("quote", "x" * 201, "constraint-error"),
    ("status_as_of", "2021-12", "order-error"),
    ("date", "2022-02-30", "date-error"),
])
def test_schema_refuses_broken_rows(data_copy, column, value, error):
    def breaks(table):
        table[1][table[0].index(column)] = value
    edit_csv(data_copy / "recommendations.csv", breaks)
    with pytest.raises(DataError, match=error):
        validate("recommendations", data_copy / "datapackage.json")


def test_linked_response_is_the_same_statement():
    """A recommendation linked to a row of the responses table is dated to the same month."""
    responses = {r["response_id"]: r for r in rows(paths.DATA / "responses.csv")}
    linked = [r for r in rows() if r["response_id"]]
    assert linked
    for r in linked:
        other = responses[r["response_id"]]["date"]
        n = min(len(r["date"]), len(other), 7)
        assert r["date"][:n] == other[:n], (r["recommendation_id"], r["response_id"])


def words(n: int) -> str:
    """A count as house style prints it in prose, written out here independently of qantar.fmt."""
    n = int(n)
    return "none one two three four five six seven eight nine".split()[n] if n < 10 else f"{n:,}"


def test_chapter_counts_equal_the_table():
    recs = rows()
    g = glued()
    status = Counter(r["status"] for r in recs)
    assert g["rec_n"] == words(len(recs))
    for s in STATUSES:
        assert g[f"rec_{s}"] == words(status[s]), s
    actors = Counter(r["actor_type"] for r in recs)
    for a in ("un", "osce", "eu", "coe", "ngo", "government"):
        assert g[f"rec_actor_{a}"] == words(actors[a]), a
    inv = [r for r in recs if r["topic"] == "investigation"]
    assert g["rec_topic_investigation"] == words(len(inv))
    for s, name in (("not_implemented", "rec_inv_not"), ("partly", "rec_inv_partly"),
                    ("implemented", "rec_inv_implemented"), ("no_information", "rec_inv_no_information")):
        assert g[name] == words(sum(r["status"] == s for r in inv)), name
    latest = max(r["status_as_of"] for r in recs)
    y, m, d = (int(x) for x in latest.split("-"))
    assert g["rec_as_of"].startswith(str(d)) and g["rec_as_of"].endswith(str(y)), g["rec_as_of"]


def test_annex_lists_every_recommendation_and_the_figure_states_the_counts():
    annex = markdown_outputs(paths.CHAPTERS / "85-annex-tracker.ipynb")
    for r in rows():
        assert "{#rec-" + r["recommendation_id"].lower() + "}" in annex, r["recommendation_id"]
    text = markdown_outputs()
    # The chapter's table by topic adds up to the whole table.
    assert re.search(rf"All topics \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| {len(rows())} \|", text)
    alt = re.search(r"^:alt: (.*)$", text, re.MULTILINE).group(1)
    status = Counter(r["status"] for r in rows())
    for s, words in (("implemented", "implemented"), ("partly", "partly implemented"),
                     ("not_implemented", "not implemented"), ("no_information", "no information")):
        assert re.search(rf"In all:.*\b{status[s]} {words}\b", alt), (s, alt)
    assert f"{len(rows())} recommendations" in alt


def test_chapter_figures_come_from_claims():
    """Every figure the chapter names links to its row in the annex of reported figures."""
    g = glued()
    links = {k: v for k, v in g.items() if k.endswith("_link")}
    assert len(links) >= 20
    claim_ids = {r["claim_id"] for r in rows(paths.DATA / "claims.csv")}
    for name, md in links.items():
        m = re.fullmatch(r"\{ref\}`[^<]+ <claim-(c\d+)>`", md)
        assert m and m.group(1).upper() in claim_ids, (name, md)


def test_table_shows_hostile_text_as_text():
    recs = tracker.load()
    recs.loc[recs.index[0], "actor"] = "<script>x()</script> {download}`/etc/passwd` **bold**"
    recs.loc[recs.index[0], "recommendation"] = "line one\n```{raw} html\n<b>x</b>\n```"
    out = str(tracker.table(recs, caption="Tracker", name="tab-test"))
    assert "<script>" not in out and "{download}`" not in out and "\n```{raw}" not in out
    assert r"\<script\>" in out and r"\{download\}" in out
