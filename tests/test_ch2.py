"""Chapter 2 (reported figures) and its annex: the coding of figures, and the classes of
contradiction the editorial review of 0.2.0 found (an official figure coded independent, a
breakdown quoted in part, prosecuted read as convicted, one statement read three ways)."""

import re

import pytest

from qantar import claims as cl, paths
from qantar.data import load

CHAPTER = paths.CHAPTERS / "02-figures.md"
ANNEX = paths.CHAPTERS / "82-annex-figures.md"


@pytest.fixture(scope="module")
def claims():
    return cl.table(load("claims"), load("metrics"), load("sources"))


# --- Who produced a figure, and the coding rule ------------------------------------------------

def test_reporter_type_follows_the_rule(claims):
    wrong = [f"{r['claim_id']}: {r['reporter_type']} but the rule gives "
             f"{cl.reporter_type_rule(r['produced_by_type'], r['body_type'])}"
             for r in claims.to_dict("records")
             if r["reporter_type"] != cl.reporter_type_rule(r["produced_by_type"], r["body_type"])]
    assert not wrong, "\n".join(wrong)


def test_rule_covers_every_input_and_can_fail():
    for produced in ("kazakh_state", "independent", "international"):
        for body in ("official", "media", "independent", "international", "reference"):
            assert cl.reporter_type_rule(produced, body) in cl.REPORTER_LABELS
    assert cl.reporter_type_rule("kazakh_state", "official") == "official"
    assert cl.reporter_type_rule("kazakh_state", "international") == "relayed_official"  # UN News relaying
    assert cl.reporter_type_rule("kazakh_state", "independent") == "relayed_official"  # an NGO relaying
    with pytest.raises(ValueError):
        cl.reporter_type_rule("unknown", "media")


def test_a_figure_from_a_state_body_stays_official(claims):
    """Every claim whose figure originates from a Kazakh state body is official or relayed official."""
    assert (claims.loc[claims["produced_by_type"] == "kazakh_state", "side"] == "official").all()
    assert not (claims.loc[claims["produced_by_type"] != "kazakh_state", "side"] == "official").any()


# Words by which the row's reporter, the source's quote or the row's note says the figure is the state's.
STATE_REPORTER = re.compile(
    r"citing official|relaying official|official (?:figures|numbers|estimates|data|information)|own numbers|"
    r"Prosecutor|(?:Interior|Health|Foreign Affairs) Ministry|President Tokayev|"
    r"Kazakh (?:authorities|officials|government)|^Government", re.I)
STATE_QUOTE = re.compile(r"according to official|official (?:figures|estimates|numbers)", re.I)
STATE_NOTE = re.compile(r"repeats the (?:official|retracted)", re.I)


def test_figures_attributed_to_the_state_are_coded_as_from_the_state(claims):
    """The class of the UN News 164: a relayed official figure coded independent or international."""
    said = claims[claims["reporter"].str.contains(STATE_REPORTER) | claims["quote"].str.contains(STATE_QUOTE)
                  | claims["note"].fillna("").str.contains(STATE_NOTE)]
    assert len(said) >= 100
    wrong = said[said["produced_by_type"] != "kazakh_state"]
    assert not len(wrong), wrong[["claim_id", "reporter", "quote"]].to_string()
    un = claims[claims["source_key"].isin(["unnews2022throssell", "unog2022throssell"]) & (claims["value"] == 164)]
    assert len(un) == 1 and un["side"].iloc[0] == "official"


# --- Breakdowns are shown whole ------------------------------------------------------------------

def _claim_ids(path):
    return set(re.findall(r'"(C\d{3})"', path.read_text(encoding="utf-8")))


def test_a_chapter_that_quotes_part_of_a_breakdown_quotes_all_of_it(claims):
    groups = claims[claims["breakdown"].notna() & (claims["breakdown"] != "")].groupby("breakdown")["claim_id"]
    assert len(groups) >= 2
    members = {name: set(ids) for name, ids in groups}
    assert {"C068", "C274", "C275"} <= members[claims.set_index("claim_id").loc["C068", "breakdown"]]
    for md in sorted(paths.CHAPTERS.glob("*.md")):
        used = _claim_ids(md)
        for name, ids in members.items():
            assert not (used & ids) or ids <= used, f"{md.name} quotes {sorted(used & ids)} of {name}: {sorted(ids)}"


def test_a_breakdown_shares_its_source_and_quote(claims):
    parts = claims[claims["breakdown"].notna() & (claims["breakdown"] != "")]
    for name, g in parts.groupby("breakdown"):
        assert g["source_key"].nunique() == 1, name
        assert len(g) >= 2, name


# --- Prosecuted is not convicted -----------------------------------------------------------------

CONVICTION_WORDS = re.compile(r"convict|sentenc|found guilty|terms of imprisonment|осужд|сотталд", re.I)


def test_a_conviction_figure_is_a_conviction_in_the_source(claims):
    conv = claims[claims["metric"].isin(["convicted", "officials_convicted_abuses", "sentenced_to_prison"])]
    assert len(conv) >= 15
    wrong = conv[~conv["quote"].str.contains(CONVICTION_WORDS)]
    assert not len(wrong), wrong[["claim_id", "quote"]].to_string()
    # and a figure the source calls prosecuted is never filed as convicted
    prosecuted = claims[claims["quote"].str.contains(r"prosecut", case=False)
                        & ~claims["quote"].str.contains(CONVICTION_WORDS)]
    assert len(prosecuted) and not prosecuted["metric"].isin(conv["metric"].unique()).any()


def test_the_two_1400s_are_recorded_as_their_sources_state_them(claims):
    by = claims.set_index("claim_id")
    assert by.loc[cl.SHARED_FACTS["prosecuted_1400"], "metric"] != "convicted"
    assert "prosecut" in by.loc[cl.SHARED_FACTS["prosecuted_1400"], "quote"]
    lemonde = by.loc[cl.SHARED_FACTS["convicted_1400_lemonde"]]
    assert lemonde["metric"] == "convicted" and "convicted" in lemonde["quote"]
    assert lemonde["grade"] != "primary" or "copy" in lemonde["reporter"]


# --- One statement, one reading ------------------------------------------------------------------

def test_shared_facts_exist_and_the_hrw_statement_is_read_whole(claims):
    by = claims.set_index("claim_id")
    for name, cid in cl.SHARED_FACTS.items():
        assert cid in by.index, name
    hrw = [cid for name, cid in cl.SHARED_FACTS.items() if name.startswith("hrw_dec2022")]
    assert {by.loc[c, "source_key"] for c in hrw} == {"hrw2022abuses"}
    # the statement's three parts are all recorded: one officer convicted (abuse of power), none for torture
    assert by.loc[cl.SHARED_FACTS["hrw_dec2022_officer_convicted"], "value"] == 1
    assert "abuse of power" in by.loc[cl.SHARED_FACTS["hrw_dec2022_officer_convicted"], "quote"]
    assert by.loc[cl.SHARED_FACTS["hrw_dec2022_torture_convictions"], "value"] == 0
    assert "no convictions" in by.loc[cl.SHARED_FACTS["hrw_dec2022_torture_convictions"], "quote"]


def test_chapter_uses_the_shared_names_for_shared_facts():
    """A chapter that states a shared fact glues it from its shared name (glue_shared), not its own."""
    text = CHAPTER.read_text(encoding="utf-8")
    assert "cl.glue_shared(c)" in text
    assert not set(cl.SHARED_FACTS.values()) & _claim_ids(CHAPTER)


def test_hrw_sentence_in_the_executed_chapter():
    nb = CHAPTER.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert "convicted of abuse of power" in nb
    assert re.search(r"led to \{ref\}`no <claim-c\d{3}>` convictions", nb)


# --- Deaths in custody: text and table agree with the data ---------------------------------------

def test_deaths_in_custody_text_agrees_with_the_data(claims):
    custody = claims[(claims["metric"] == "deaths_in_custody") & (claims["scope"] == "national")]
    high = custody.loc[custody["side"] == "official", "value"].max()
    direct = custody[custody["reporter_type"] == "official"]
    # The chapter says a relayed official figure is the highest and no state body states it itself.
    assert high not in set(direct["value"]), "a state body now states the highest figure: rewrite the text"
    assert custody.loc[custody["value"] == high, "reporter_type"].eq("relayed_official").all()
    summ = cl.summary(claims).set_index("metric")
    assert summ.loc["deaths_in_custody", "Official high"] == high
    text = CHAPTER.read_text(encoding="utf-8")
    assert "No official source" not in text
    assert '"custody_8": "' + custody.loc[custody["value"] == high, "claim_id"].iloc[0] + '"' in text


# --- Table 2.1 -----------------------------------------------------------------------------------

def test_spread_table_labels_are_unique_and_about_the_events(claims):
    summ = cl.summary(claims)
    assert summ["Metric"].is_unique
    assert not summ["metric"].isin(claims.loc[~claims["group"].isin(cl.EVENT_GROUPS), "metric"]).any()
    assert "Foreign support for civil society" not in set(summ["Metric"])


# --- Detentions chart ------------------------------------------------------------------------------

def test_detention_chart_shows_every_dated_version(claims):
    metrics = [m for m, _, _ in cl.DETENTION_SERIES]
    points, undated = cl.detention_points(claims)
    national = claims[claims["metric"].isin(metrics) & (claims["scope"] == "national")]
    assert len(points) + len(undated) == len(national)
    assert set(points["metric"]) == set(metrics)
    alt = cl.detentions_alt(points)
    for metric, label, _ in cl.DETENTION_SERIES:
        g = points[points["metric"] == metric]
        assert label.lower() in alt
        assert cl.figure_text(g.loc[g["value"].idxmax()]) in alt
        assert (cl.plural_versions(len(g)) if len(g) > 1 else "one version") in alt


# --- Built pages -----------------------------------------------------------------------------------

def _page_text(html_book, name):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_book / "chapters" / name).read_text(encoding="utf-8"), "html.parser")
    return " ".join((soup.find("main") or soup).get_text(" ").split())


def test_chapter_reads_as_a_report(html_book):
    text = _page_text(html_book, "02-figures.html")
    assert text.index("Key findings") < text.index("The death toll") < text.index("Conclusion")
    for bad in ("seed article", "[C0", "[C1", "[C2", "_id", "claims table", "rule S", "rule N"):
        assert bad not in text, bad
    assert not re.search(r"\b1 (officials|cases|complaints|investigations|people)\b", text)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_book / "chapters" / "02-figures.html").read_text(encoding="utf-8"), "html.parser")
    prose = [" ".join(p.get_text(" ").split()) for p in soup.find_all(["p", "li", "figcaption"])]
    doubled = [m.group(0) for para in prose for m in re.finditer(r"\b(\w+) \1\b", para, re.I)
               if not m.group(1).isdigit()]
    assert not doubled, doubled
    assert not re.search(r"\b(about|at least|more than|nearly|over) (about|at least|more than|nearly)\b", text)


def test_annex_lists_every_figure_once_with_its_side(html_book, claims):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_book / "chapters" / "82-annex-figures.html").read_text(encoding="utf-8"),
                         "html.parser")
    for r in claims.to_dict("records"):
        anchors = soup.find_all(id=f"claim-{r['claim_id'].lower()}")
        assert len(anchors) == 1, r["claim_id"]
        cells = [td.get_text(" ", strip=True) for td in anchors[0].find_parent("tr").find_all("td")]
        assert cells[1] == cl.figure_text(r), r["claim_id"]
        assert cells[4] == cl.REPORTER_LABELS[r["reporter_type"]], r["claim_id"]
        assert cells[4].split(",")[0].lower() == r["side"], r["claim_id"]


def test_annex_states_the_coding_rule():
    from qantar import annex

    table = str(annex.coding_rule_table())
    assert table.count("\n|") - 2 == len(cl.REPORTER_RULE)  # header and separator, then one line per rule
    for _, _, reporter_type, _ in cl.REPORTER_RULE:
        assert cl.REPORTER_LABELS[reporter_type].replace(",", "\\,") in table


def test_official_toll_steps_only_rise_and_skip_rounded_relays(claims):
    """A rounded relay of an official figure ('over 200') is not an announcement: the steps only rise."""
    steps, left_out = cl.official_toll(claims, exclude_claims=["C032"], retracted=[164])
    assert steps["value"].is_monotonic_increasing and steps["when"].is_monotonic_increasing
    assert set(steps["qualifier"]) <= {"exact", "at_least"}
    rounded = left_out[(left_out["side"] == "official") & left_out["qualifier"].isin(["more_than", "about"])]
    assert len(rounded) >= 2  # HRW's "over 200" and the joint statement's "over 240" are kept, as points
