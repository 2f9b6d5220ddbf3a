"""The security regime, the internet shutdown, the CSTO's contingents and the onset of the violence:
properties of the data and of the chapters that show them (issue 13)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from qantar import claims as cl
from qantar import fmt, notebooks, paths, security, timeline
from qantar.data import load

from conftest import chapter_outputs


@pytest.fixture(scope="module")
def changes():
    return load("regime_changes")


@pytest.fixture(scope="module")
def spans(changes, events):
    return security.spans(changes, events)


@pytest.fixture(scope="module")
def names():
    places = load("places")
    return dict(zip(places["place_id"], places["name"]))


@pytest.fixture(scope="module")
def claims():
    return cl.table(load("claims"), load("metrics"), load("sources"))


def _section(md_name: str, heading: str) -> str:
    text = (paths.CHAPTERS / md_name).read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end > 0 else None]


# --- the regimes ------------------------------------------------------------------------------------

def test_each_period_ends_at_the_latest_sourced_lifting(changes, events, spans):
    """A period that was lifted ends at the latest lifting event of its place, regime and level before
    the next imposition; every lifting event has a source."""
    timed = security.when(changes, events)
    timed["level"] = timed["level"].fillna("")
    lifted = spans[spans["end_kind"] == "lifted"]
    assert len(lifted) > 0
    for r in lifted.to_dict("records"):
        same = timed[(timed["place_id"] == r["place_id"]) & (timed["regime"] == r["regime"])
                     & (timed["level"] == r["level"]) & (timed["change"] == "lifted") & (timed["at"] > r["start"])]
        later = spans[(spans["place_id"] == r["place_id"]) & (spans["regime"] == r["regime"])
                      & (spans["level"] == r["level"]) & (spans["start"] > r["start"])]
        if len(later):
            same = same[same["at"] < later["start"].min()]
        assert r["end"] == same["at"].max(), r
        for sources in same["sources"]:
            assert isinstance(sources, list) and sources, r


def test_unlifted_periods_are_marked_as_such(changes, spans):
    """A period drawn to an announced end or the chart's edge has no lifting event; one drawn to an
    announced end had that end announced with it."""
    for r in spans[spans["end_kind"] != "lifted"].to_dict("records"):
        assert r["end_events"] == [], r
        row = changes[(changes["event_id"] == r["start_event"]) & (changes["place_id"] == r["place_id"])
                      & (changes["regime"] == r["regime"])]
        planned = row["planned_end"].dropna()
        if r["end_kind"] == "planned":
            assert r["end"] == planned.iloc[0] + pd.Timedelta(days=1)
        else:
            assert planned.empty


def test_every_area_has_both_regimes_on_the_chart(changes, spans):
    """Every region or city a regime change names gets a row, with an emergency period and a threat level."""
    order = security.row_order(spans)
    assert set(order) == set(changes["place_id"])
    for place in order:
        regimes = set(spans.loc[spans["place_id"] == place, "regime"])
        assert regimes == {"emergency", "threat_level"}, place


def test_alt_text_states_every_lifting_date(spans, names):
    alt = security.regime_alt(spans, names)
    for r in spans[spans["end_kind"] == "lifted"].to_dict("records"):
        assert fmt.day_month(r["end"]) in alt, r
        assert security.place_label(r["place_id"], names) in alt
    for r in spans[spans["end_kind"] != "lifted"].to_dict("records"):
        assert security.place_label(r["place_id"], names) in alt


def test_chapter_shows_the_regime_chart_with_its_computed_alt_text(spans, names):
    out = chapter_outputs("01-timeline.md", glued=True)
    assert "01-security-regime" in out
    alt = security.regime_alt(spans, names)
    assert alt[:120] in out.replace("\\", "")
    assert (paths.FIGURES / "01-security-regime.png").exists()


def test_regime_section_cites_every_regime_event_source(changes, events):
    """Each decree or announcement the chart draws is cited in the chapter's section on it (or, for the
    decrees of 5 and 19 January, in the chapter)."""
    section = _section("01-timeline.md", "## Emergency rule and the counter-terrorist regime")
    chapter = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8")
    for event_id in changes["event_id"].unique():
        keys = events.loc[events["event_id"] == event_id, "sources"].item()
        assert any(k in section for k in keys) or any(k in chapter for k in keys), event_id


# --- the internet shutdown and the press ----------------------------------------------------------

def test_every_shutdown_measure_is_shown_with_its_source(claims):
    """Every version of the shutdown's length and cost, and every press figure of January, is printed in
    the chapter (linked to its row) and its source is cited in the section."""
    section = _section("01-timeline.md", "## The internet shutdown and the press")
    out = chapter_outputs("01-timeline.md", glued=True)
    metrics = ("internet_shutdown_hours", "internet_shutdown_cost", "journalists_detained", "websites_blocked",
               "false_information_penalty", "journalists_jailed", "journalists_summoned")
    rows = claims[claims["metric"].isin(metrics)]
    assert set(rows["metric"]) == set(metrics)
    assert rows.loc[rows["metric"] == "internet_shutdown_hours", "source_key"].nunique() >= 2
    for r in rows.to_dict("records"):
        assert f"<claim-{r['claim_id'].lower()}>" in out, r["claim_id"]
        assert cl.figure_text(r, with_unit=False, prose=True) in out.replace("\\", ""), r["claim_id"]
        assert r["source_key"] in section, r["claim_id"]


def test_both_shutdown_times_are_given_with_their_measurers(events):
    """The nationwide cut of 5 January is timed differently by two measurers: both times are in the text,
    each with its source."""
    cuts = events[events["summary"].str.contains("internet") & (events["date"] == "2022-01-05")
                  & events["time_local"].notna()]
    assert cuts["time_local"].nunique() >= 2
    section = _section("01-timeline.md", "## The internet shutdown and the press")
    for r in cuts.to_dict("records"):
        assert r["time_local"] in section
        assert any(k in section for k in r["sources"]), r["event_id"]


# --- the onset of the violence --------------------------------------------------------------------

def test_both_onset_versions_are_shown(events):
    """The start of the violence is a disputed date: each version's day is in the table of disputed dates,
    and each version's sources are cited in the chapter's section on 5 January."""
    onset = events[events["dispute_id"] == "violence-onset"]
    assert onset["date"].nunique() >= 2
    disputes = str(timeline.disputes_table(events, caption="x"))
    section = _section("01-timeline.md", "## 5 January")
    for r in onset.to_dict("records"):
        assert f"<event-{r['event_id'].lower()}>" in disputes
        assert all(k in section for k in r["sources"]), r["event_id"]
    annex = chapter_outputs("81-annex-chronology.md", glued=True)
    assert timeline.DISPUTE_LABELS["violence-onset"] in annex.replace("\\", "")


def test_mamay_detention_rests_on_more_than_his_wife(events):
    """The detention of 4 January is reported by Vlast.kz as well as by his wife, and the chapter cites both."""
    row = events[(events["date"] == "2022-01-04") & events["summary"].str.contains("Mamay is detained")]
    assert len(row) == 1
    keys = row.iloc[0]["sources"]
    assert {"vlast2022photochronicle", "justsecurity2023blinken"} <= set(keys)
    text = (paths.CHAPTERS / "01-timeline.md").read_text(encoding="utf-8")
    assert "reported only by his wife" not in text
    para = next(p for p in text.split("\n\n") if "Mamay's detention" in p)
    assert "vlast2022photochronicle" in para and "justsecurity2023blinken" in para


# --- the CSTO's contingents -----------------------------------------------------------------------

def test_every_contingent_version_is_in_the_table(claims):
    c = security.contingents(claims)
    assert c["country"].nunique() >= 5  # Russia, Belarus, Armenia, Kyrgyzstan and Tajikistan sent troops
    table = str(security.contingents_table(claims, caption="x", name="tbl-x"))
    out = chapter_outputs("04-international.md", glued=True)
    for r in c.to_dict("records"):
        assert f"<claim-{r['claim_id'].lower()}>" in table
        assert f"<claim-{r['claim_id'].lower()}>" in out, r["claim_id"]
    # Each country's row holds all its versions, and no other country's.
    for line in table.splitlines():
        m = re.match(r"\| (\w+) \|", line)
        if m and m.group(1) in set(c["country"]):
            ids = set(re.findall(r"<claim-(c\d+)>", line))
            assert ids == {i.lower() for i in c.loc[c["country"] == m.group(1), "claim_id"]}


def test_every_contingent_claim_has_its_country(claims):
    """Every CSTO troop claim about part of the force is linked to its country, so none is silently dropped;
    the country comes from the link table, and agrees with the claim's own note."""
    subset = claims[(claims["metric"] == "csto_troops") & (claims["unit"] == "troops") & (claims["scope"] == "subset")]
    c = security.contingents(claims)
    assert len(c) == len(subset) > 0
    for r in c.to_dict("records"):
        stem = r["country"][:5].upper()  # RUSSIan, BELARusian, ARMENian, KYRGYz, TAJIKistan
        assert r["counts"].upper().startswith(stem), (r["claim_id"], r["country"], r["counts"])


def test_a_contingent_claim_without_a_country_is_refused(claims):
    countries = load("claim_countries")
    with pytest.raises(ValueError, match="claim_countries.csv: contingent claims with no country"):
        security.contingents(claims, countries.iloc[1:])


def test_money_figures_print_the_stated_amount(claims):
    """A sum of money is printed as the source states it (410.3 million, not 41 or 410): the printed
    number times its scale word gives back the value."""
    scale = {"billion": 1e9, "million": 1e6}
    money = claims[claims["unit"].isin(["tenge", "usd"])]
    assert len(money) > 0
    for r in money.to_dict("records"):
        for col in ("value", "value_high"):
            if pd.isna(r[col]):
                continue
            text = cl.amount(r[col], r["unit"])
            m = re.search(r"([\d.,]+) (billion|million)", text)
            number = float(m.group(1)) * scale[m.group(2)] if m else float(re.sub(r"[^\d.]", "", text))
            assert abs(number - r[col]) < 1e-6 * r[col], (r["claim_id"], text)


def _glued(md_name: str) -> dict:
    """Each glued name of a chapter's executed notebook and its text (a link's text for ``_link`` names)."""
    nb = json.loads(notebooks.notebook_for(paths.CHAPTERS / md_name).read_text(encoding="utf-8"))
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            data = out.get("data", {})
            text = data.get("application/papermill.record/text/markdown") or \
                data.get("application/papermill.record/text/plain", "")
            if name:
                text = "".join(text)
                link = re.match(r"\{ref\}`(.*) <[^>]+>`$", text)
                values[name] = link.group(1) if link else text.strip("'")
    return values


@pytest.mark.parametrize("md_name", ["01-timeline.md", "04-international.md"])
def test_no_qualifier_is_printed_twice(md_name):
    """Glued figures carry their own qualifier ('at least 8'); the prose must not add another."""
    text = (paths.CHAPTERS / md_name).read_text(encoding="utf-8")
    glued = _glued(md_name)
    uses = list(re.finditer(r"\{glue:(?:md|text)\}`(\w+?)(?::myst)?`", text))
    assert uses
    for m in uses:
        before = " ".join(text[max(0, m.start() - 30):m.start()].split())
        for word in ("at least", "more than", "about", "nearly", "up to"):
            if glued[m.group(1)].startswith(word + " "):
                assert not before.endswith(word), f"{word} {m.group(0)}"
