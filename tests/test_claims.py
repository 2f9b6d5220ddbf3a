"""The claims, cases, responses and glossary tables: rules a schema cannot state."""

import re

import pytest

from conftest import edit_csv
from qantar import claims as cl
from qantar.data import DataError, load, validate

SEEDS = {"justsecurity2023blinken", "freedomnow2023remembering", "ranucci2024bloody",
         "justsecurity2022faltering", "tutumlu2022lessons"}
number_forms = cl.number_forms
quote_states = cl.quote_states


def test_quote_check_can_fail():
    assert quote_states(238, "the deaths of 238 people")
    assert quote_states(2044, "2,044 criminal cases pending")
    assert quote_states(92.3e9, "estimated at 92,3 billion tenge")
    assert not quote_states(239, "the deaths of 238 people")
    assert not quote_states(2045, "2,044 criminal cases pending")
    assert not quote_states(238, "a toll of 1238")
    assert not quote_states(1, "someone was detained")
    assert quote_states(0, "prosecutions with no convictions")
    assert not quote_states(0, "the 10 convicted")
    assert quote_states(3, "ещё трое находятся под домашним арестом") and quote_states(3520, "доставлено 3 тысячи 520 граждан")
    assert not quote_states(1, "одинаковые требования")
    assert quote_states(410.7e6, "Kazakhstan ($410.7m), which") and quote_states(24e9, "nearly $24bn globally")
    assert not quote_states(410.3e6, "Kazakhstan ($410.7m)") and not quote_states(4e6, "a 4mm gap")


def test_every_claim_quote_contains_its_figure():
    claims = load("claims")
    missing = []
    for row in claims.to_dict("records"):
        for col in ("value", "value_high"):
            if not isinstance(row[col], float) or row[col] != row[col]:
                continue
            if not quote_states(row[col], row["quote"]):
                missing.append(f"{row['claim_id']} {col}={row[col]:g}: {row['quote']!r}")
    assert not missing, "\n".join(missing)


# Every figure the issue lists from the five seed articles: (metric, value, qualifier or None).
SEED_FIGURES = [
    ("deaths_total", 238, None), ("deaths_total", 227, None), ("deaths_total", 230, "more_than"),
    ("deaths_law_enforcement", 19, None), ("deaths_civilians_accidental", 20, None),
    ("detained", 10000, "more_than"), ("torture_complaints", 363, "at_least"),
    ("torture_investigations_opened", 243, None), ("torture_investigations_opened", 329, None),
    ("deaths_in_custody", 8, None), ("deaths_in_custody", 6, "at_least"),
    ("officials_detained_abuses", 1, None), ("officials_detained_abuses", 8, None),
    ("complainants_prosecuted", 11, None), ("convicted", 1000, "nearly"),
    ("officials_convicted_abuses", 1, None), ("terrorists_claimed", 20000, None),
]


@pytest.mark.parametrize("metric,value,qualifier", SEED_FIGURES)
def test_seed_figure_is_a_claim_from_a_seed(metric, value, qualifier):
    claims = load("claims")
    hit = claims[(claims["metric"] == metric) & (claims["value"] == value) & claims["source_key"].isin(SEEDS)]
    if qualifier:
        hit = hit[hit["qualifier"] == qualifier]
    assert len(hit) >= 1, (metric, value, qualifier)


def test_at_least_fifteen_metrics_with_official_and_other_versions():
    c = cl.table(load("claims"), load("metrics"), load("sources"))
    assert c["metric"].nunique() >= 15
    both = c.groupby("metric")["side"].agg(lambda s: {"official", "independent"} <= set(s))
    assert both.sum() >= 8, both[both].index.tolist()


def test_stance_rule_matches_stance():
    r = load("responses")
    wrong = r[r["stance_rule"].str[0].map({"S": "supportive", "N": "neutral", "C": "critical"}) != r["stance"]]
    assert wrong.empty, wrong[["response_id", "stance", "stance_rule"]].to_string()


def test_responses_cover_enough_actors():
    r = load("responses")
    assert len(r) >= 40 and r["actor"].nunique() >= 12 and r["actor_group"].nunique() >= 10


def test_seed_cases_are_in_the_cases_table():
    k = load("cases")
    names = " ".join(k["name"]) + " " + " ".join(k["other_spellings"].fillna(""))
    for person in ("Zhanbolat Mamay", "Daulet Zhabarbekov", "Kairat Kozhakhmetov", "Ruzakhunov",
                   "Abdukhapar Orazgali", "Ruslanbek Zhubanazarov", "Karim Massimov", "Kuspan", "Umarova",
                   "Taldykorgan", "Karasai", "Almaty police"):
        assert person in names, person
    assert len(k) >= 25


def test_every_case_and_response_has_a_source():
    k, ks = load("cases"), load("case_sources")
    assert set(k["case_id"]) <= set(ks["case_id"])
    r, rs = load("responses"), load("response_sources")
    assert set(r["response_id"]) <= set(rs["response_id"])


def test_range_must_not_fall(data_copy):
    def edit(rows):
        i = rows[0].index("value_high")
        row = next(r for r in rows[1:] if r[rows[0].index("qualifier")] == "range")
        row[i] = "1"
    edit_csv(data_copy / "claims.csv", edit)
    with pytest.raises(DataError, match=r"claims\.csv, line \d+ \(data row \d+\), column 'value_high': \[order-error\]"):
        validate("claims", data_copy / "datapackage.json")


def test_partial_dates_must_exist(data_copy):
    def edit(rows):
        rows[1][rows[0].index("published")] = "2022-02-30"
    edit_csv(data_copy / "claims.csv", edit)
    with pytest.raises(DataError, match=r"line 2 \(data row 1\), column 'published': \[date-error\]"):
        validate("claims", data_copy / "datapackage.json")


def test_partial_dates_compare_at_shared_precision(data_copy):
    """as_of 2022-01-19 is not 'after' a publication dated only to January 2022; 2022-02-01 is."""
    def ok(rows):
        rows[1][rows[0].index("as_of")] = "2022-01-19"
        rows[1][rows[0].index("published")] = "2022-01"
    edit_csv(data_copy / "claims.csv", ok)
    validate("claims", data_copy / "datapackage.json")

    def bad(rows):
        rows[1][rows[0].index("as_of")] = "2022-02-01"
    edit_csv(data_copy / "claims.csv", bad)
    with pytest.raises(DataError, match="column 'published': \\[order-error\\]"):
        validate("claims", data_copy / "datapackage.json")


def test_case_verdict_before_detention_is_refused(data_copy):
    def edit(rows):
        h = rows[0]
        row = next(r for r in rows[1:] if r[h.index("detained")] and r[h.index("verdict")])
        row[h.index("verdict")] = "2021-01-01"
    edit_csv(data_copy / "cases.csv", edit)
    with pytest.raises(DataError, match="column 'verdict': \\[order-error\\]"):
        validate("cases", data_copy / "datapackage.json")


def test_glossary_spellings_are_cyrillic_and_sourced():
    g = load("glossary")
    for col in ("kk", "ru"):
        filled = g[col].dropna()
        assert all(re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", v) for v in filled), col
    assert g.loc[g["term_id"] == "zhanaozen", "kk"].iloc[0] == "Жаңаөзен"
