"""The register of the dead (issue 22): records merge only through decisions, every quote holds
what it supports, the care rules hold, and the annex's counts are counts of rows."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from qantar import paths, register
from qantar.data import load

from conftest import chapter_outputs


@pytest.fixture(scope="module")
def people():
    return load("dead")


@pytest.fixture(scope="module")
def records():
    return register.with_units(load("dead_records"), load("places"))


@pytest.fixture(scope="module")
def facts():
    return load("dead_facts")


@pytest.fixture(scope="module")
def decisions():
    return load("dead_decisions")


def test_only_decisions_merge_records(records, decisions):
    assert register.problems(records, decisions) == []


def test_the_rule_catches_an_undecided_merge_and_an_undecided_look_alike(records, decisions):
    """The check can fail: two records given one person with no decision, and a copy of a record
    under a new person with no decision, are both reported."""
    two = records.drop_duplicates("person_id").head(2)
    merged = records.copy()
    merged.loc[merged["record_id"] == two.iloc[1]["record_id"], "person_id"] = two.iloc[0]["person_id"]
    assert any("no chain" in p for p in register.problems(merged, decisions))
    twin = records.iloc[[0]].assign(record_id="R999", person_id="D999")
    assert any("look alike" in p for p in register.problems(pd.concat([records, twin]), decisions))


def test_matching_sees_spellings_across_scripts():
    assert register.surname_key("Жагипаров") == register.surname_key("Zhagiparov")
    assert register.surname_key("Zhagiparov") == register.surname_key("Shagiparov")
    assert register.normalise("Ерлан Серикович Жагипаров") == register.normalise("Ерлан Жагипаров")


def test_no_two_people_share_name_date_and_place_without_a_decision(people, records, decisions):
    decided = {(d["record_a"], d["record_b"]) for d in decisions.to_dict("records")}
    first = records.groupby("person_id").first()
    seen = {}
    for pid, r in first.iterrows():
        key = (register.normalise(r["name_latin"]), r["date_of_death"], r["place_id"])
        if key in seen:
            a, b = sorted([seen[key][1], r["record_id"]])
            assert (a, b) in decided, (seen[key][0], pid)
        seen[key] = (pid, r["record_id"])


def test_every_record_quote_holds_the_name_as_printed(records):
    for r in records.to_dict("records"):
        assert r["name_as_printed"] in r["quote"], r["record_id"]


def test_every_quoted_age_is_in_its_quote(facts):
    ages = facts[(facts["fact"] == "age") & facts["quote"].notna()]
    assert len(ages) > 0
    for r in ages.to_dict("records"):
        assert re.search(rf"(?<!\d){int(float(r['value']))}(?!\d)", r["quote"]), r["record_id"]


def test_minors_are_named_in_full_only_where_an_outlet_printed_it(people, records, facts):
    """A minor's entry name is either the full name a record prints, or a first name alone."""
    for p in people[people["minor"] == "yes"].to_dict("records"):
        printed = records[records["person_id"] == p["person_id"]]["name_as_printed"]
        words = p["name"].split()
        assert len(words) == 1 or any(len(n.split()) > 1 for n in printed), p["person_id"]


def test_no_label_of_either_side_heads_an_entry(people):
    labels = re.compile(r"terrorist|bandit|martyr|шейит|террорист|бандит", re.I)
    assert not people["name"].str.contains(labels).any()


def test_every_person_has_a_record_and_a_source_for_name_place_and_date_or_says_unknown(people, records):
    assert set(people["person_id"]) == set(records["person_id"])
    for p in people.to_dict("records"):
        assert p["date_precision"] in ("day", "month", "unknown")


def test_no_identity_numbers_or_addresses(records, facts):
    text = " ".join(records["quote"].fillna("")) + " " + " ".join(facts["value"].fillna(""))
    assert not re.search(r"\b\d{12}\b", text)  # an IIN has twelve digits
    assert not re.search(r"\b(ул\.|улица|проспект|д\. \d|кв\. \d)", text)


def test_annex_counts_come_from_the_rows(people, records):
    out = chapter_outputs("89-annex-dead.md", glued=True)
    assert f"'{len(people):,}'" in out or f"{len(people):,}" in out
    html = (paths.ROOT / "chapters" / "89-annex-dead.ipynb").read_text(encoding="utf-8")
    for pid in people["person_id"]:
        assert register.person_label(pid) in html, pid


def test_chapters_link_the_named_dead_to_their_entries(html_book, people):
    """Wherever a reader page names a person of the register, it links to the person's entry."""
    from bs4 import BeautifulSoup

    from qantar import prose

    missing = []
    for page in prose.READER_PAGES:
        soup = BeautifulSoup((html_book / page).read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        text = " ".join(main.get_text(" ").split())
        hrefs = {a.get("href", "") for a in main.find_all("a")}
        for p in people[people["name"].str.contains(" ")].to_dict("records"):
            if p["name"] in text and not any(h.endswith("#" + register.person_label(p["person_id"])) for h in hrefs):
                missing.append((page, p["name"]))
    assert not missing, missing
