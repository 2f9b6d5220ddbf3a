"""Chapter 4 (international response) and its annex: counts count what they say, the stance rule table
decides every code, like statements are coded alike, figures are linked rather than retyped, and the
chapter speaks to readers, not maintainers."""

import ast
import json
import re

import pandas as pd
import pytest

from qantar import claims as cl, international as intl, paths
from qantar.data import load

CHAPTER = paths.CHAPTERS / "04-international"
ANNEX = paths.CHAPTERS / "84-annex-responses"


@pytest.fixture(scope="module")
def r():
    return intl.with_sources(load("responses"), load("response_sources"))


@pytest.fixture(scope="module")
def claims():
    return cl.table(load("claims"), load("metrics"), load("sources"))


def _glued(stem) -> dict[str, str]:
    """The values a chapter's executed notebook glued, by name."""
    nb = json.loads(stem.with_suffix(".ipynb").read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                data = o["data"]
                markdown = data.get("application/papermill.record/text/markdown")
                out[name] = markdown if markdown is not None else \
                    ast.literal_eval(data["application/papermill.record/text/plain"])
    return out


def _markdown_outputs(stem) -> str:
    nb = json.loads(stem.with_suffix(".ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(o["data"]["text/markdown"]) if isinstance(o["data"]["text/markdown"], list)
                     else o["data"]["text/markdown"]
                     for cell in nb["cells"] for o in cell.get("outputs", [])
                     if "text/markdown" in o.get("data", {}))


def _prose(stem) -> str:
    """The chapter's Markdown outside code cells and the front matter."""
    text = stem.with_suffix(".md").read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)


# --- Counts count actors, not spellings ----------------------------------------------------------

@pytest.mark.parametrize("name", ["Antony Blinken", "Stanislav Zas", "Alexander Lukashenko", "Josep Borrell|EEAS",
                                  "Zbigniew Rau", "Human Rights Watch", "Freedom House", "Amnesty", "OSCE/ODIHR",
                                  "Sadyr Japarov", "Michelle Bachelet|Volker Türk|Liz Throssell"])
def test_one_actor_however_the_sources_name_it(r, name):
    """Rows whose actor is the same person or body (named first) count as one actor."""
    hits = r[r["actor"].str.match(f"(?:{name})")]
    assert len(hits) >= 1, name
    assert hits["actor_name"].nunique() == 1, hits[["response_id", "actor", "actor_name"]].to_string()


def test_an_actor_belongs_to_one_group(r):
    groups = r.groupby("actor_name")["actor_group"].nunique()
    assert (groups == 1).all(), groups[groups > 1]


def test_chapter_and_annex_print_distinct_actors(r):
    expected = f"{intl.count_actors(r):,}"
    assert _glued(CHAPTER)["n_actors"] == expected
    assert _glued(ANNEX)["n_actors"] == expected
    # Blinken alone had several spellings: counting spellings gives a larger, wrong number.
    assert intl.count_actors(r) < r["actor"].nunique()


# --- What Table 4.1 counts --------------------------------------------------------------------------

def test_no_pre_event_context_counted_as_a_response(r):
    assert (r["when"] >= pd.Timestamp("2022-01-01")).all(), r.loc[r["when"] < "2022-01-01", "response_id"].tolist()
    table = str(intl.stance_table(r, "caption", "tbl-x"))
    assert "Before 2022" not in table and "2019" not in table
    with pytest.raises(ValueError):
        intl.period("2019")


def test_legislators_are_not_filed_under_a_government(r):
    """US senators (and any parliament or group of members) are not the US government."""
    senators = r[r["actor"].str.contains("Senator")]
    assert len(senators) and (senators["actor_group"] == "us_congress").all()
    government_groups = ["united_states", "russia", "china"]
    wrong = r[r["actor_group"].isin(government_groups) & (r["actor_type"] == "parliament")]
    assert wrong.empty, wrong[["response_id", "actor"]].to_string()


def test_us_and_eu_after_january_are_printed_as_the_data_show(r):
    """The chapter's findings on the US and EU after January 2022 are glued from the data, not asserted."""
    g = _glued(CHAPTER)
    after = r[r["when"] > pd.Timestamp("2022-01-31")]
    assert g["us_after"] == intl.stance_counts(after[after["actor_group"] == "united_states"])
    assert g["eu_after"] == intl.stance_counts(after[after["actor_group"] == "eu_institutions"])
    prose = _prose(CHAPTER)
    assert "later for accountability" not in prose


# --- The stance rule table decides the code -----------------------------------------------------------

def test_rule_table_decides_every_code(r):
    wrong = [(x["response_id"], x["stance_fits"], x["stance_rule"], x["stance"]) for x in r.to_dict("records")
             if intl.decide(x["fits"]) != (x["stance_rule"], x["stance"])]
    assert not wrong, wrong


def test_rule_table_order_and_schema_agree():
    order = [stance for _, stance, _ in intl.STANCE_RULES]
    assert order == sorted(order, key=["critical", "supportive", "neutral"].index)
    schema = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    fields = {f["name"]: f for res in schema["resources"] if res["name"] == "responses"
              for f in res["schema"]["fields"]}
    assert fields["stance_rule"]["constraints"]["enum"] == [code for code, _, _ in intl.STANCE_RULES] or \
        sorted(fields["stance_rule"]["constraints"]["enum"]) == sorted(code for code, _, _ in intl.STANCE_RULES)


def test_mixed_act_takes_the_most_critical_rule():
    assert intl.decide(["S1", "S3", "C2"]) == ("C2", "critical")
    assert intl.decide("N2; S3") == ("S3", "supportive")
    with pytest.raises(ValueError):
        intl.decide("X9")


CALL = re.compile(r"\b(call|ask|urg|propos|suggest|recommend|demand)\w*\b[^.;]*\b(investigat|inquiry)", re.I)
WELCOMES_OWN = re.compile(r"\b(support|welcom)\w*\b[^.;]*\bown\b[^.;]*\binvestigation", re.I)


def test_like_statements_coded_alike(r):
    """Every call for an investigation of the killings or abuses fits the investigation rule (so it is
    critical), whoever makes it and whatever kind of investigation it asks for; welcoming the
    authorities' own investigation fits the supportive rule."""
    calls = r[r["summary"].map(lambda t: bool(CALL.search(t)))]
    assert len(calls) >= 10
    missing = calls[~calls["fits"].map(lambda f: "C2" in f)]
    assert missing.empty, missing[["response_id", "summary"]].to_string()
    assert (calls["stance"] == "critical").all()
    own = r[r["summary"].map(lambda t: bool(WELCOMES_OWN.search(t)))]
    assert len(own) and own["fits"].map(lambda f: "S3" in f).all()
    # The cases the review named: the High Commissioner (Türk) and his office, and the two hybrid proposals.
    by = r.set_index("response_id")
    assert by.loc["R077", "stance_rule"] == by.loc["R034", "stance_rule"] == "C2"
    assert by.loc["R054", "stance"] == by.loc["R052", "stance"] == "critical"


# --- Readings and dates that must agree with the source ------------------------------------------------

def test_hrw_december_2022_statement_read_as_written(r, claims):
    """HRW, 20 December 2022: no convictions on torture complaints, but one officer convicted (of abuse
    of power) over a death. A summary may say 'no convictions' only about torture, and the response
    links the officer figure."""
    for x in r.to_dict("records"):
        for clause in re.split(r"[.;:]", x["summary"]):
            if re.search(r"\bno convictions?\b", clause):
                assert "tortur" in clause, (x["response_id"], clause)
    hrw = r[r["sources"].map(lambda s: "hrw2022abuses" in s)]
    assert len(hrw) == 1
    linked = claims[claims["claim_id"].isin(hrw.iloc[0]["claim_ids"])]
    convicted_officials = claims[(claims["source_key"] == "hrw2022abuses")
                                 & claims["metric"].str.startswith("officials_convicted")]
    assert set(convicted_officials["claim_id"]) <= set(linked["claim_id"])
    assert "officer" in hrw.iloc[0]["summary"] and "abuse of power" in hrw.iloc[0]["summary"]


def test_csto_withdrawal_every_version_shown(r):
    """The end of the CSTO withdrawal: each source's version, dated by the source, is in the chapter's
    table. The rows that hold it are listed in the failure message so chapter 1 can agree."""
    wd = intl.withdrawal_completion(r)
    sources = load("sources").set_index("source_key")
    held = wd[["response_id", "date", "actor_name"]].to_string()
    assert wd["sources"].map(tuple).nunique() >= 3, held
    assert wd["date"].nunique() >= 2, held
    for x in wd.to_dict("records"):  # each version is dated when its source says it
        assert any(str(sources.loc[k, "published"])[:10] == x["date"] for k in x["sources"]), \
            (x["response_id"], [str(sources.loc[k, "published"]) for k in x["sources"]], held)
    # The chapter gives each version, dated from its row and cited to its source.
    g, prose = _glued(CHAPTER), _prose(CHAPTER)
    glued = {"R039": "wd_plan_date", "R044": "wd_eu_date", "R045": "wd_report_date"}
    assert set(glued) == set(wd["response_id"]), held
    for x in wd.to_dict("records"):
        name = glued[x["response_id"]]
        assert g[name] == cl.partial_date_text(x["date"]), (x["response_id"], held)
        after = prose[prose.index(f"{{glue:text}}`{name}`"):]
        cited = re.search(r"\{cite:p\}`([^`]*)`", after).group(1).split(",")
        assert set(x["sources"]) <= set(cited), (x["response_id"], cited)


# --- Figures are linked, never retyped -----------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w+\-–])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w+])")
_DATE_NEAR = re.compile(r"^\s*(January|February|March|April|May|June|July|August|September|October|November|"
                        r"December)\b")
_SYNONYMS = {"deaths": r"death|dead|died|killed|killing", "csto": r"troop|soldier|vehicle|personnel|contingent",
             "detained": r"detain|detention|arrest", "convicted": r"convict", "terrorists": r"terrorist",
             "torture": r"tortur", "officials": r"official|officer"}


_GENERIC = {"opened", "total", "claimed", "share", "surveyed", "closed", "official"}


def _subject(metric: str) -> re.Pattern:
    words = [w for w in metric.split("_") if len(w) >= 4 and w not in _GENERIC]
    alternatives = [_SYNONYMS.get(w, re.escape(w[:5])) for w in words]
    return re.compile("|".join(alternatives), re.I)


def retyped(r, claims):
    """(response, number, claim) where a summary retypes a reported figure: a number equal to a claim's
    value from the same source, or on the same subject (the claim's measure is named near the number)."""
    hits = []
    values = {}
    for c in claims.to_dict("records"):
        for v in (c["value"], c["value_high"]):
            if pd.notna(v):
                values.setdefault(float(v), []).append(c)
    for x in r.to_dict("records"):
        text = x["summary"]
        for m in _NUMBER.finditer(text):
            if _DATE_NEAR.match(text[m.end():]) or re.fullmatch(r"(19|20)\d\d", m.group()):
                continue
            around = text[max(0, m.start() - 60):m.end() + 60]
            for c in values.get(float(m.group().replace(",", "")), []):
                if c["source_key"] in x["sources"] or _subject(c["metric"]).search(around):
                    hits.append((x["response_id"], m.group(), c["claim_id"]))
    return hits


def test_no_claim_figure_retyped_in_a_response_summary(r, claims):
    assert not retyped(r, claims)


def test_the_retyping_check_catches_the_csto_vehicles(r, claims):
    poisoned = r.copy()
    i = poisoned.index[poisoned["response_id"] == "R038"][0]
    poisoned.loc[i, "summary"] = "Kazakh officials put the mission at 2,030 troops and 250 vehicles."
    found = {(h[0], h[2]) for h in retyped(poisoned, claims)}
    assert {("R038", "C248"), ("R038", "C250")} <= found


def test_linked_claims_exist(r, claims):
    linked = set(r["claim_ids"].explode().dropna())
    assert linked and linked <= set(claims["claim_id"])


# --- The chapter reads as a report ---------------------------------------------------------------------

def test_chapter_opens_with_findings_and_ends_with_a_conclusion():
    headings = re.findall(r"^## (.+)$", _prose(CHAPTER), flags=re.M)
    assert headings[0] == "Key findings" and headings[-1] == "Conclusion"
    findings = _prose(CHAPTER).split("## Key findings")[1].split("\n## ")[0]
    bullets = re.findall(r"^- ", findings, flags=re.M)
    assert 3 <= len(bullets) <= 6 and "{glue:" in findings


def test_chapter_has_no_working_language_and_no_long_lists():
    text = _prose(CHAPTER) + "\n" + _markdown_outputs(CHAPTER)
    # The figure helper links each figure's data file ({download} role, shared by every chapter).
    text = re.sub(r"\{download\}`[^`]*`", "", text)
    for pattern in (r"\b[SNC][1-4]\b", r"\[R0\d\d\]", r"\bR0\d\d\b", r"\brule [SNC]", r"seed", r"\.csv",
                    r"\b[a-z]+_[a-z_]+\b(?![^`]*`)", r"responses table", r"stance_rule"):
        found = [m.group() for m in re.finditer(pattern, re.sub(r"\{(cite:p|glue:\w+|ref|numref)\}`[^`]*`", "", text),
                                                flags=re.I if pattern == "seed" else 0)]
        assert not found, (pattern, found[:5])
    runs = [len(m.group().splitlines()) for m in re.finditer(r"(?:^- .*\n(?:  .*\n)*)+", text, flags=re.M)]
    assert max(runs, default=0) <= 12 * 4


def test_numbers_in_chapter_prose_are_glued():
    """Digits typed in the prose are only days, years and the treaty article; every figure is glued."""
    prose = re.sub(r"\{(cite:p|glue:\w+|ref|numref)\}`[^`]*`", "", _prose(CHAPTER))
    prose = re.sub(r"^\(.*\)=$", "", prose, flags=re.M)
    for m in _NUMBER.finditer(prose):
        after = prose[m.end():]
        ok = (_DATE_NEAR.match(after) or re.fullmatch(r"(19|20)\d\d", m.group())
              or prose[max(0, m.start() - 8):m.start()].endswith("Article ")
              or re.match(r"^\s*inclusive", after) or prose[max(0, m.start() - 9):m.start()].endswith("January "))
        assert ok, prose[max(0, m.start() - 40):m.end() + 40]


def test_annex_table_has_every_response_with_its_anchor(r):
    text = _markdown_outputs(ANNEX)
    for rid in r["response_id"]:
        assert f"[{rid}]{{#response-{rid.lower()}}}" in text, rid
    assert "tbl-stance-rules" in text
