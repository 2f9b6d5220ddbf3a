"""The regions (issue 21): every place in Kazakhstan resolves to its unit of January 2022 and of
today; the profiles, the matrix, the map and the comparison table are counts of rows."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from qantar import claims as cl
from qantar import paths, regions
from qantar.data import load

from conftest import chapter_outputs


@pytest.fixture(scope="module")
def units():
    return load("units")


@pytest.fixture(scope="module")
def places():
    return load("places")


@pytest.fixture(scope="module")
def profiles():
    return load("region_profiles")


def test_seventeen_units_of_2022_and_twenty_of_today(units):
    assert (units["in_2022"] == "yes").sum() == 17
    assert (units["today"] == "yes").sum() == 20
    cities = units[(units["kind"] == "city") & (units["in_2022"] == "yes")]["name"]
    assert sorted(cities) == ["Almaty (city)", "Nur-Sultan (city)", "Shymkent (city)"]


def test_every_unit_of_2022_became_units_of_today(units):
    today = set(units.loc[units["today"] == "yes", "unit_id"])
    became = set()
    for r in regions.units_2022(units).to_dict("records"):
        parts = r["became"].split(";")
        assert set(parts) <= today, r["unit_id"]
        became |= set(parts)
    assert became == today  # no unit of today comes from nowhere


def test_every_place_in_kazakhstan_resolves_to_one_unit_then_and_now(places, units):
    in_2022 = set(units.loc[units["in_2022"] == "yes", "unit_id"])
    today = set(units.loc[units["today"] == "yes", "unit_id"])
    became = dict(zip(units["unit_id"], units["became"]))
    kazakh = places[~places["kind"].isin(["abroad", "country"])]
    assert len(kazakh) > 0
    for r in kazakh.to_dict("records"):
        assert r["unit_2022"] in in_2022, r["place_id"]
        assert r["unit_today"] in today, r["place_id"]
        assert r["unit_today"] in became[r["unit_2022"]].split(";"), r["place_id"]
    abroad = places[places["kind"].isin(["abroad", "country"])]
    assert abroad["unit_2022"].isna().all() and abroad["unit_today"].isna().all()


def test_places_moved_in_2022_are_in_their_new_units(places):
    """The three regions of June 2022 take the places the decree names (Semey, Taldykorgan, Zhezkazgan)."""
    p = places.set_index("place_id")
    assert p.loc["semey", "unit_today"] == "abai" and p.loc["semey", "unit_2022"] == "east-kazakhstan"
    assert p.loc["taldykorgan", "unit_today"] == "zhetysu"
    assert p.loc["zhezkazgan", "unit_today"] == "ulytau"
    assert p.loc["nur-sultan", "unit_today"] == "astana-city"


def test_every_unit_was_under_the_emergency(units, places):
    """The state of emergency reached every region and city: each of the 17 units has a regime row."""
    changes = load("regime_changes").merge(regions.place_units(places), on="place_id")
    assert set(changes["unit_2022"]) == set(regions.units_2022(units)["unit_id"])


def test_events_per_unit_counts_each_event_once_per_unit(units, places):
    events, links = load("events"), load("event_places")
    n = regions.events_per_unit(events, links, places, units)
    pairs = regions.event_units(events, links, places)
    assert not pairs.duplicated().any()
    assert n.sum() == len(pairs)
    assert list(n.index) == list(regions.units_2022(units)["unit_id"])


def test_every_unit_has_five_sourced_events(units, places):
    events, links = load("events"), load("event_places")
    sourced = set(load("event_sources")["event_id"])
    assert set(events["event_id"]) <= sourced
    n = regions.events_per_unit(events, links, places, units, load("regime_changes"))
    assert (n >= 5).all(), n[n < 5].to_dict()


def test_profile_rows_are_sourced_or_say_what_was_searched(profiles):
    """A sourced row states the source's words, or only points to rows that do (regions.check)."""
    sourced = profiles[profiles["status"] == "sourced"]
    stated = sourced["source_key"].notna()
    assert (sourced.loc[stated, "quote"].notna() & sourced.loc[stated, "text"].notna()).all()
    assert sourced.loc[~stated, "evidence"].notna().all() and sourced.loc[~stated, "text"].isna().all()
    regions.check(profiles, load("events"), load("claims"), load("cases"))
    searched = profiles[profiles["status"] == "no_source_found"]
    assert searched["searched"].notna().all() and searched["source_key"].isna().all()
    assert set(profiles["facet"]) <= set(regions.FACET_NAMES)


def test_profile_quotes_hold_their_numbers(profiles):
    """A profile sentence that states a count has that count in its quote."""
    for r in profiles[profiles["status"] == "sourced"].to_dict("records"):
        if pd.notna(r["value"]):
            assert cl.quote_states(r["value"], r["quote"]), r["profile_id"]


@pytest.mark.parametrize("unit", regions.units_2022(load("units"))["unit_id"])
def test_each_unit_has_eighty_percent_of_its_facets_sourced(profiles, units, unit):
    share = regions.sourced_share(regions.matrix(profiles, units))
    assert share[unit] >= 0.8, share[unit]


def test_every_facet_without_a_source_says_what_was_searched(profiles, units):
    m = regions.matrix(profiles, units)
    assert not (m == "").any().any(), m[(m == "").any(axis=1)].index.tolist()


def test_matrix_counts_are_the_rows(profiles, units):
    m = regions.matrix(profiles, units)
    for (unit, facet), g in profiles.groupby(["unit_id", "facet"]):
        assert (m.loc[unit, facet] == "sourced") == (g["status"] == "sourced").any()
    assert (m == "sourced").sum().sum() == profiles[profiles["status"] == "sourced"][["unit_id", "facet"]].drop_duplicates().shape[0]


def test_region_outlines_cover_the_units_of_2022(units):
    rings = regions.outlines()
    assert set(rings) == set(regions.units_2022(units)["unit_id"])
    gj = json.loads((paths.DATA / "geo" / "kazakhstan-regions-2022.geojson").read_text(encoding="utf-8"))
    assert len(gj["features"]) == 17


def test_map_values_equal_the_rows(units, places):
    claims = cl.table(load("claims"), load("metrics"), load("sources"))
    by_unit = regions.claims_by_unit(claims, load("claim_places"), places)
    alt = regions.map_alt(by_unit, units)
    for metric, _ in regions.MEASURES:
        v = regions.map_values(by_unit, units, metric)
        rows = claims[claims["metric"] == metric].merge(load("claim_places"), on="claim_id").merge(
            regions.place_units(places), on="place_id")
        assert sorted(v["claim_id"]) == sorted(rows["claim_id"])
        for r in v.to_dict("records"):
            assert f"{r['value']:,.0f}" in alt, r["claim_id"]
