"""Chapter 1 (the timeline) and its annex: properties the editorial review of 0.2.0 found broken.

Each test names the review point it guards."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from qantar import fmt, notebooks, paths, timeline
from qantar.data import load

from conftest import chapter_outputs


@pytest.fixture(scope="module")
def places():
    return load("places")




# --- the capital's name by date (review 1, "Capital's name") ----------------------------------------

def test_capital_name_follows_the_renamings():
    (first, first_name), (second, second_name) = fmt.CAPITAL_NAMES
    one = dt.timedelta(days=1)
    assert fmt.capital_name(first - one) == fmt.CAPITAL_BEFORE == "Astana"
    assert fmt.capital_name(first) == first_name == "Nur-Sultan"
    assert fmt.capital_name(dt.date(2022, 1, 5)) == "Nur-Sultan"
    assert fmt.capital_name(second - one) == "Nur-Sultan"
    assert fmt.capital_name(second) == second_name == "Astana"
    assert fmt.capital_name(pd.Timestamp("2024-03-19")) == "Astana"


def test_renaming_date_is_the_sourced_event(events):
    """The day the name changes back is the day the events table (with its source) says the decree
    took effect, and that source is in the registry."""
    renamed = fmt.CAPITAL_NAMES[-1][0]
    hit = events[events["summary"].str.contains("renaming the capital Astana takes effect")]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert row["date"].date() == renamed and row["date_precision"] == "day"
    assert "tass2022astana" in row["sources"]
    assert "tass2022astana" in set(load("sources")["source_key"])


def test_annex_names_the_capital_as_it_was_on_each_date(events, places):
    """Every event in the capital shows the name of its date; no 'Nur-Sultan (Astana)' anywhere."""
    capital = events[events["place_id"] == timeline.CAPITAL]
    assert capital["date"].min() < pd.Timestamp(fmt.CAPITAL_NAMES[-1][0]) < capital["date"].max()
    table = str(timeline.chronology_table(capital, places, caption="x", name="tbl-x"))
    for row in capital.to_dict("records"):
        line = next(l for l in table.splitlines() if f"#event-{row['event_id'].lower()}" in l)
        cells = [c.strip() for c in line.split(" | ")]
        assert cells[2] == fmt.capital_name(row["date"]).replace("-", "\\-"), line
    for name in ("01-timeline.md", "81-annex-chronology.md"):
        out = chapter_outputs(name)
        assert "Nur\\-Sultan (Astana)" not in out and "Nur-Sultan (Astana)" not in out
        assert "Nur\\-Sultan \\(Astana\\)" not in out


# --- untimed events do not follow timed ones (review 2, Ch. 1) --------------------------------------

def test_untimed_events_come_before_timed_ones_within_a_day(events):
    day = timeline.ordered(events[events["date"] == "2022-01-05"])
    timed = day["time_local"].notna().tolist()
    assert True in timed and False in timed
    assert timed == sorted(timed), "an untimed event is listed after a timed one"
    times = day["time_local"].dropna().tolist()
    assert times == sorted(times)
    ids = day["event_id"].tolist()
    resignation = events.loc[events["summary"].str.contains("government's resignation"), "event_id"].item()
    airport = events.loc[events["summary"].str.contains("airport is seized"), "event_id"].item()
    assert ids.index(resignation) < ids.index(airport)


def test_annex_marks_untimed_events(events, places):
    day = events[events["date"] == "2022-01-05"]
    table = str(timeline.chronology_table(day, places, caption="x", name="tbl-x"))
    untimed = int(day["time_local"].isna().sum())
    assert table.count("time not stated") == untimed > 0


# --- the annex, not the chapter, holds the chronology (review 2, Ch. 1 and "After January") -----------

def test_every_event_is_in_the_annex_once_and_the_chapter_has_no_chronology(events):
    annex = chapter_outputs("81-annex-chronology.md")
    for event_id in events["event_id"]:
        assert annex.count(f"{{#event-{event_id.lower()}}}") == 1, event_id
    chapter = chapter_outputs("01-timeline.md")
    assert "{#event-" not in chapter
    assert not re.search(r"^- ", chapter, flags=re.M), "the chapter prints a generated list"
    text = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8")
    assert "### Before 2022" not in text and "timeline.chronology(" not in text


def test_annex_periods_are_in_order():
    text = (paths.CHAPTERS / "81-annex-chronology.md").read_text(encoding="utf-8")
    heads = re.findall(r"^## (.+)$", text, flags=re.M)
    assert heads[:3] == ["Before 2022", "The crisis, 1–20 January 2022", "From 21 January 2022"]


# --- disputed dates are all counted (review 1, "Counts") --------------------------------------------

def test_every_dispute_has_two_dated_versions_and_a_label(events):
    for dispute_id, g in events.dropna(subset=["dispute_id"]).groupby("dispute_id"):
        assert dispute_id in timeline.DISPUTE_LABELS, dispute_id
        assert g["date"].nunique() >= 2, dispute_id
        assert all(len(s) for s in g["sources"]), dispute_id


def test_the_disputes_the_review_found_are_in_the_data(events):
    """Massimov's detention (6 or 8 January), the CSTO decision (5 or 6 January) and Abish's
    dismissal (5 or 17 January) are disputes, each version with its own source."""
    expected = {"massimov-detention": {"2022-01-06", "2022-01-08"},
                "csto-decision": {"2022-01-05", "2022-01-06"},
                "abish-dismissal": {"2022-01-05", "2022-01-17"}}
    for dispute_id, dates in expected.items():
        g = events[events["dispute_id"] == dispute_id]
        assert set(g["date"].dt.strftime("%Y-%m-%d")) == dates, dispute_id
        assert timeline.dispute_kinds(events)[dispute_id] == "disagreement"


def test_start_of_protests_is_a_definition_not_a_disagreement(events):
    """Kazinform stands behind both dates, so the two versions date different things."""
    kinds = timeline.dispute_kinds(events)
    assert kinds["protest-start"] == "definition"
    g = events[events["dispute_id"] == "protest-start"]
    assert all("kazinform2025chronology" in s for s in g["sources"])


def test_disputed_dates_counts_in_prose_count_the_data(events):
    kinds = timeline.dispute_kinds(events)
    n_dis = sum(k == "disagreement" for k in kinds.values())
    n_def = sum(k == "definition" for k in kinds.values())
    nb = (notebooks.notebook_for(paths.CHAPTERS / "01-timeline.md")).read_text(encoding="utf-8")
    assert fmt.plural(n_dis, "event") in nb
    assert fmt.plural(n_def, "further event") in nb
    annex = chapter_outputs("81-annex-chronology.md")
    table = annex[annex.index(":name: tbl-disputed-dates"):]
    table = table[:table.index("```")]
    rows = [l for l in table.splitlines() if l.startswith("| ") and "event-e" in l]
    assert len(rows) == events["dispute_id"].notna().sum()
    assert len({r.split(" | ")[0] for r in rows}) == len(kinds)


# --- CSTO withdrawal: one row says what each source says (review 1, "CSTO withdrawal") ---------------

def test_csto_withdrawal_row_matches_its_source(events):
    row = events[events["event_id"] == "E070"].iloc[0]
    sources = load("sources").set_index("source_key")
    assert row["sources"] == ["sbby2022withdrawal"]
    assert row["date"] == pd.Timestamp(sources.loc["sbby2022withdrawal", "published"])
    assert "does not give the day" in row["summary"]
    eu = events[events["sources"].map(lambda s: "eeas2022speech" in s) & events["category"].eq("international")
                & events["summary"].str.contains("withdrawal")]
    assert (eu["date"] == pd.Timestamp(sources.loc["eeas2022speech", "published"])).all() and len(eu) == 1


# --- attribution of the presidential-residence incident (review 1, "Attribution") -------------------

def test_residence_incident_is_attributed_to_just_security(events):
    row = events[events["event_id"] == "E029"].iloc[0]
    assert "according to HRW" not in row["summary"]
    assert "Just Security" in row["summary"] and "4 and 6 January" in row["summary"]
    links = load("event_sources")
    quote = links[(links["event_id"] == "E029") & (links["source_key"] == "justsecurity2022faltering")]["quote"].item()
    assert "Jan. 5" in quote
    text = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8")
    assert "according to HRW's video" not in text


# --- the "night of 5 January" overreach (review 1, "Overreaching findings") -------------------------

def test_violence_is_not_dated_to_the_night_when_timed_reports_precede_it(events):
    findings = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8").split("Key findings")[1]
    findings = findings.split(":::")[0]
    assert "night of 5 January" not in findings
    aktobe = events[(events["place_id"] == "aktobe") & (events["date"] == "2022-01-05")
                    & (events["category"] == "violence")].iloc[0]
    assert aktobe["time_local"] in findings


# --- no working language in the chapter (issue 12, "One voice") -------------------------------------

@pytest.mark.parametrize("name", ["01-timeline.md"])
def test_chapter_prose_has_no_working_language(name):
    # Figure captions link their data files through figures.directive (a book-wide convention, not
    # this chapter's prose): those download roles are left out here.
    out = re.sub(r"\{download\}`[^`]*`", "", chapter_outputs(name))
    text = (paths.CHAPTERS / name).read_text(encoding="utf-8")
    body = text.split("---", 2)[2]  # after the Jupytext header
    prose = "\n".join(body.split("```")[::2])  # outside code cells
    for needle in ("seed article", "[C0", "[K0", "[R0", "[E0", "rule S", "rule N", "rule C", ".csv",
                   "date_note", "data/"):
        assert needle not in prose, needle
        assert needle not in out, needle
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", re.sub(r"\{[^}]*\}`[^`]*`", "", prose)), "column-like name"


# --- glossary: Russian names in dictionary form (review 10) ------------------------------------------

def test_glossary_gives_russian_names_in_dictionary_form():
    g = load("glossary").set_index("term_id")
    assert g.loc["shymkent", "ru"] == "Шымкент"
    assert g.loc["uralsk", "ru"] == "Уральск"
    assert g.loc["pgo", "ru"] == "Генеральная прокуратура"
    # No place name keeps a prepositional ending seen in running text ("в Уральске", "в Шымкенте").
    places = g[g["category"] == "place"]["ru"].dropna()
    assert not places.str.contains(r"(?:ске|нте)$").any(), places.tolist()


# --- the map counts every place an event names (issue 13) -------------------------------------------

def test_map_first_day_is_the_earliest_event_naming_each_place(events):
    links = load("event_places")
    crisis = events[events["date"].between("2022-01-01", "2022-01-11") & (events["date_precision"] == "day")
                    & events["category"].isin(["protest", "violence"])]
    first = timeline.first_reported(crisis, links).set_index("place_id")["first_day"]
    for place_id, day in first.items():
        naming = crisis[(crisis["place_id"] == place_id)
                        | crisis["event_id"].isin(links.loc[links["place_id"] == place_id, "event_id"])]
        assert day == naming["date"].min().day, place_id
    # The cases the review named: Aktau on 2 January, Almaty and Aktobe on 3 January.
    assert (first["aktau"], first["almaty"], first["aktobe"]) == (2, 3, 3)
    # Every linked place is named in its event's summary.
    names = load("places").set_index("place_id")["name"]
    for r in links.merge(events, on="event_id", suffixes=("_linked", "")).to_dict("records"):
        assert names[r["place_id_linked"]].split(" (")[0] in r["summary"], r


# --- one fact, one row: event summaries do not retype a linked figure (issue 12) ---------------------

def test_event_summaries_do_not_retype_their_figures(events):
    from qantar import claims as cl

    claims = cl.table(load("claims"), load("metrics"), load("sources")).set_index("claim_id")
    links = load("event_claims")
    for event_id, g in links.groupby("event_id"):
        summary = events.loc[events["event_id"] == event_id, "summary"].item()
        numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", summary)}
        values = set(claims.loc[g["claim_id"], "value"].dropna())
        assert not numbers & values, (event_id, summary)


def test_count_announcements_in_the_crisis_link_their_figures(events):
    """Every event of the crisis whose summary announces a toll or count is linked to its claims, so
    the chart's 'counts' row is decided by the links, not by numbers in the text."""
    from qantar import claims as cl

    claims = cl.table(load("claims"), load("metrics"), load("sources"))
    links = load("event_claims")
    crisis = events[events["date"].between("2022-01-01", "2022-01-20")]
    kinds = timeline.kinds(crisis, claims, links)
    counted = set(crisis.loc[kinds == "counts", "event_id"])
    assert counted and counted <= set(links["event_id"])
    announcing = crisis[crisis["summary"].str.contains(r"death toll|count of|number of", regex=True)]
    assert set(announcing["event_id"]) <= set(links["event_id"])
