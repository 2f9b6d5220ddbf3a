"""The protest map and the chart of deaths by city (issue 13).

The map: each place is drawn at the first day any protest or violence event names it (as its main
place or through the event-places table), at least 20 places are drawn, and no city or town that an
unrest event names is left off. The deaths chart: every place on it traces to a reported figure with
a registered source whose own words give that number, and the alt text states the largest figure.
"""

import re

import pandas as pd
import pytest

from qantar import claims as cl
from qantar import fmt, timeline
from qantar import places as where
from qantar.data import load

START, END = pd.Timestamp("2022-01-01"), pd.Timestamp("2022-01-11")


@pytest.fixture(scope="module")
def unrest():
    events = load("events")
    return events[events["date"].between(START, END) & (events["date_precision"] == "day")
                  & events["category"].isin(["protest", "violence"])]


@pytest.fixture(scope="module")
def located(unrest):
    """The places the chapter's map draws, computed as the chapter computes them."""
    places = load("places")
    first = timeline.first_reported(unrest, load("event_places"))
    return first.merge(places, on="place_id").dropna(subset=["lat"])


def naming_days(unrest):
    """For each place, every day an unrest event names it: computed here row by row, not by the
    package's merge, so that the two computations check each other."""
    links = load("event_places")
    days: dict[str, list] = {}
    for r in unrest.to_dict("records"):
        named = {r["place_id"]} | set(links.loc[links["event_id"] == r["event_id"], "place_id"])
        for p in named:
            days.setdefault(p, []).append(r["date"])
    return days


def test_each_place_is_drawn_at_the_earliest_event_naming_it(unrest, located):
    days = naming_days(unrest)
    for r in located.to_dict("records"):
        assert r["first_day"] == min(days[r["place_id"]]).day, r["place_id"]


def test_the_map_draws_at_least_twenty_places(located):
    assert len(located) >= 20, sorted(located["name"])


def test_every_city_and_town_an_unrest_event_names_is_on_the_map(unrest, located):
    places = load("places").set_index("place_id")
    named = set(naming_days(unrest))
    towns = {p for p in named if places.loc[p, "kind"] in ("city", "town")}
    assert towns, "no city or town is named by an unrest event"
    missing = towns - set(located["place_id"])
    assert not missing, f"named by an event but not drawn (no coordinates?): {sorted(missing)}"


def test_every_drawn_place_has_geonames_coordinates(located):
    assert located["geonames_id"].notna().all()
    assert (located["source_key"] == "geonames2024allthecities").all()
    # Inside Kazakhstan's bounding box (a swapped latitude and longitude would fail).
    assert located["lat"].between(40.5, 55.5).all() and located["lon"].between(46.5, 87.5).all()


def test_each_drawn_place_is_named_in_an_events_summary_or_is_its_main_place(unrest):
    links = load("event_places").merge(unrest, on="event_id", suffixes=("_linked", ""))
    names = load("places").set_index("place_id")["name"]
    for r in links.to_dict("records"):
        assert names[r["place_id_linked"]].split(" (")[0] in r["summary"], r["event_id"]


def test_map_alt_text_names_every_drawn_place_with_its_day(located):
    alt = timeline.map_alt(located)
    assert f"{len(located)} cities and towns" in alt
    for day, names in timeline.first_day_names(located).items():
        assert f"{names} on {day} January" in alt


# --- deaths by city --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def by_place():
    claims = cl.table(load("claims"), load("metrics"), load("sources"))
    return where.deaths_by_place(claims, load("claim_places"), load("places"))


def test_every_place_in_the_deaths_chart_traces_to_a_sourced_claim(by_place):
    claims = load("claims").set_index("claim_id")
    sources = set(load("sources")["source_key"])
    places = load("places").set_index("place_id")
    assert len(by_place) and by_place["claim_id"].is_unique
    for r in by_place.to_dict("records"):
        row = claims.loc[r["claim_id"]]
        assert row["metric"] == "deaths_total" and row["scope"] == "city", r["claim_id"]
        assert row["source_key"] in sources, r["claim_id"]
        # The source's own words give the number that is drawn.
        assert cl.quote_states(r["value"], row["quote"]), (r["claim_id"], row["quote"])
        # ... and the figure is about that place (its name in the quote or in the figure's scope note).
        names = {places.loc[r["place_id"], "name"].split(" (")[0], places.loc[r["place_id"], "name_kk"]}
        text = (row["quote"] + " " + row["counts"]).lower()
        assert any(n.lower()[:5] in text for n in names if isinstance(n, str)), r["claim_id"]
        # dated by its source, or drawn as "date not stated" where the source's date is unknown
        assert pd.notna(r["when"]) or pd.isna(row["published"]), f"{r['claim_id']}: a dated figure lost its date"


def test_deaths_alt_text_states_the_largest_figure(by_place):
    top = by_place.loc[by_place["value"].idxmax()]
    alt = where.deaths_alt(by_place)
    assert f"The largest is {top['name']}, {fmt.number(top['value'])} ({where._when_text(top['when'])})" in alt
    for r in by_place.to_dict("records"):
        assert f"{fmt.number(r['value'])} ({where._when_text(r['when'])})" in alt


def test_every_death_figure_for_one_city_is_on_the_chart(by_place):
    """A city-scope death figure left out of the place links would silently drop a version."""
    claims = load("claims")
    city = claims[(claims["metric"] == "deaths_total") & (claims["scope"] == "city")]
    assert set(city["claim_id"]) <= set(by_place["claim_id"]), sorted(set(city["claim_id"]) - set(by_place["claim_id"]))
