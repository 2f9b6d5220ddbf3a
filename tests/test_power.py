"""Power, the official account, concessions and Zhanaozen 2011 (issue 13): properties of the data and of
the executed chapters, derived from the tables rather than copied from them."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from qantar import claims as cl, fmt, markup, notebooks, paths, timeline
from qantar.data import load

from conftest import chapter_outputs

#: Measures whose every version the timeline chapter compares in a table.
COMPARED = {"zhanaozen_deaths": "tbl-zhanaozen-toll", "referendum_turnout": "tbl-referendum-turnout"}
#: The event whose sources word the order of 7 January, and the words every version shares.
ORDER_EVENT, ORDER_PHRASE = "E043", "without warning"
#: The id ranges of this work (events, claims, cases).
NEW_EVENTS = re.compile(r"E2\d\d")


def _glued(md_name: str) -> dict:
    """The plain-text values a chapter's notebook glues, by name."""
    nb = json.loads(notebooks.notebook_for(paths.CHAPTERS / md_name).read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                prefix = o["metadata"]["scrapbook"].get("mime_prefix", "")
                out[name] = "".join(o["data"].get(prefix + "text/plain", "")).strip("'\"")
    return out


def _table(text: str, name: str) -> list[str]:
    """The body lines of the numbered table ``name`` in a notebook's Markdown outputs."""
    start = text.index(f":name: {name}\n")
    body = text[start:text.index("```", start)]
    return [line for line in body.splitlines() if line.startswith("| ")][1:]


@pytest.fixture(scope="module")
def claims():
    return cl.table(load("claims"), load("metrics"), load("sources"))


@pytest.fixture(scope="module")
def ch1():
    return chapter_outputs("01-timeline.md")


@pytest.mark.parametrize("metric", sorted(COMPARED))
def test_every_version_of_a_compared_figure_is_in_its_table_with_its_source(claims, ch1, metric):
    """Each version of the toll of Zhanaozen and of the referendum turnout is a row of the chapter's
    comparison table, linking to its own row of the annex and citing its own source."""
    rows = _table(ch1, COMPARED[metric])
    versions = claims[claims["metric"] == metric]
    assert len(versions) >= 2 and versions["value"].nunique() >= 2, "a comparison needs differing versions"
    assert len(rows) == len(versions)
    for r in versions.to_dict("records"):
        hit = [line for line in rows if f"<{markup.label('claim', r['claim_id'])}>" in line]
        assert len(hit) == 1, r["claim_id"]
        assert str(markup.cite(r["source_key"])) in hit[0], r["claim_id"]
        assert cl.figure_text(r, with_unit=False) in hit[0]


def test_zhanaozen_toll_shows_official_and_unofficial_versions(claims):
    """The versions of the 2011 toll are not all official: the table sets an unofficial count against them."""
    sides = set(claims.loc[claims["metric"] == "zhanaozen_deaths", "side"])
    assert {"official", "independent"} <= sides


def test_every_wording_of_the_order_is_shown_with_its_source(ch1):
    """The order of 7 January is shown in every wording its sources quote, each with its citation, and
    the wordings really differ."""
    versions = timeline.wordings(load("event_sources"), load("sources"), ORDER_EVENT)
    assert versions["quote"].nunique() == len(versions) >= 3
    assert versions["quote"].str.contains(ORDER_PHRASE).all()  # each quotes the order itself
    assert (versions["body_type"] == "official").any() and (versions["body_type"] != "official").any()
    rows = _table(ch1, "tbl-order-wording")
    assert len(rows) == len(versions)
    for r in versions.to_dict("records"):
        escaped = str(markup.escape(r["quote"]))
        hit = [line for line in rows if escaped in line]
        assert len(hit) == 1 and str(markup.cite(r["source_key"])) in hit[0], r["source_key"]
    # state bodies' versions come first
    assert versions["body_type"].iloc[0] == "official"


def test_new_events_are_in_the_chronology_annex_at_their_date():
    """Every event of this work is a row of the annex chronology, at the date the events table gives."""
    events = load("events")
    new = events[events["event_id"].str.fullmatch(NEW_EVENTS.pattern)]
    assert len(new) >= 20
    annex = chapter_outputs("81-annex-chronology.md")
    for r in new.to_dict("records"):
        anchor = str(markup.anchor("event", r["event_id"]))
        line = next((x for x in annex.splitlines() if x.startswith(f"| {anchor} |")), None)
        assert line is not None, r["event_id"]
        assert str(markup.escape(timeline.when(r))) in line, r["event_id"]


def test_new_events_have_sources_in_the_registry():
    links = load("event_sources")
    keys = set(load("sources")["source_key"])
    events = load("events")
    new = set(events.loc[events["event_id"].str.fullmatch(NEW_EVENTS.pattern), "event_id"])
    cited = links[links["event_id"].isin(new)]
    assert new == set(cited["event_id"])
    assert set(cited["source_key"]) <= keys


def test_figures_of_this_work_are_in_the_annex(claims):
    """Every figure of the new groups (power and reforms; Zhanaozen) is a row of the annex of figures."""
    annex = chapter_outputs("82-annex-figures.md")
    new = claims[claims["group"].isin(["politics", "background"])]
    assert len(new) >= 20
    for claim_id in new["claim_id"]:
        assert str(markup.anchor("claim", claim_id)) in annex, claim_id


def test_abish_dismissal_is_told_as_the_sources_date_it(events):
    """The chronology dates Abish's dismissal by its sources: the date most sources give is the one the
    justice chapter prints, and the case notes no longer call the date disputed without saying why."""
    versions = events[events["dispute_id"] == "abish-dismissal"]
    counts = versions.set_index("event_id")["sources"].map(len)
    best = counts.idxmax()
    assert counts[best] >= 3 and counts[best] > counts.drop(best).max()
    day = versions.set_index("event_id").loc[best, "date"]
    assert _glued("03-justice.md")["abish_dismissal"] == fmt.date(day)
    note = load("cases").set_index("case_id").loc["K013", "note"]
    assert "disputed (5 vs 17" not in note and f"{day.day} {day.strftime('%b')} {day.year}" in note


def test_official_claims_in_the_account_are_attributed():
    """In the section on the official account, every sentence that carries one of the state's charges
    (coup, terrorists, aggression, bandits, beheading, foreign militants) ends in a citation, or is a
    sentence about the sources' readings of those charges."""
    text = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8")
    start = text.index("## The official account and its critics")
    section = text[start:text.index("\n## ", start + 1)]
    prose = re.sub(r"```.*?```", "", section, flags=re.S)
    sentences = re.split(r"(?<=[.;])\s+(?=[A-Z])", " ".join(prose.split()))
    charged = [s for s in sentences if re.search(r"coup|terroris|aggression|bandit|behead|militant", s, re.I)]
    assert len(charged) >= 5
    for s in charged:
        assert "{cite:p}" in s or "readings, not findings" in s or "no evidence" in s or "share one reading" in s, s


def test_glued_numbers_of_the_new_sections_are_data(claims):
    """Each figure the new prose glues is the figure of its claim as the annex states it, written as
    running text writes it (a whole count under ten in words: "five", not "5")."""
    glued = _glued("01-timeline.md")
    text = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8")
    pairs = re.findall(r'"(\w+)": "(C3\d\d)"', text)
    assert len(pairs) >= 20
    by_id = claims.set_index("claim_id")
    for name, claim_id in pairs:
        row = by_id.loc[claim_id]
        assert glued[name] == cl.figure_text(row, with_unit=False, prose=True), (name, claim_id)
        assert re.sub(r"\D", "", glued[name]) in ("", re.sub(r"\D", "", cl.figure_text(row, with_unit=False))), name
