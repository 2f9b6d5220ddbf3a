"""Chapter 3 (investigations and prosecutions) and its annex of named cases: the review's
points, each as a class of error a test can catch.

- A case with a verdict or release date, or whose status states a result, has an outcome.
- A figure the prose calls "prosecuted" (or "convicted", "amnestied" ...) counts that, and
  Fig. 3.1 plots each figure as what it counts.
- A phrase quoted in the chapter is in a quote the data hold for the source it cites (so a
  statement cannot be read three ways).
- The chapter narrates cases in prose: no form fields, no case ids, no maintainer notes.
"""

import json
import re

import pandas as pd
import pytest

from qantar import cases as cs, claims as cl, paths
from qantar.data import load

CH3 = paths.ROOT / "chapters" / "03-justice.md"
NB3 = paths.ROOT / "chapters" / "03-justice.ipynb"
ANNEX = paths.ROOT / "chapters" / "83-annex-cases.md"


def _prose(md_path):
    """The Markdown prose of a MyST notebook: front matter and code cells removed."""
    text = md_path.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)


def _glued(nb_path):
    """name -> glued text/markdown or text/plain, from the executed notebook."""
    out = {}
    for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                prefix = o["metadata"]["scrapbook"].get("mime_prefix", "")
                data = o.get("data", {})
                value = data.get(prefix + "text/markdown", data.get(prefix + "text/plain", ""))
                out[name] = "".join(value) if isinstance(value, list) else value
    return out


# --- outcomes ---------------------------------------------------------------------------------


def test_a_case_with_a_result_has_an_outcome():
    gaps = cs.outcome_gaps(load("cases"))
    assert gaps.empty, gaps[["case_id", "name", "verdict", "released", "status"]].to_string()


@pytest.mark.parametrize("kind", ["verdict", "released", "status"])
def test_outcome_check_catches_each_class(kind):
    """Put back each class of the 0.2.0 error ('outcome not found' beside a known result)."""
    k = load("cases").copy()
    if kind == "status":
        i = k.index[k["status"].str.contains(r"\b(?:awarded|Cleared)\b", regex=True)][0]
    else:
        i = k.index[k[kind].notna()][0]
    k.loc[i, "outcome"] = "unknown"
    assert list(cs.outcome_gaps(k)["case_id"]) == [k.loc[i, "case_id"]]


def test_every_outcome_has_a_reader_label():
    k = load("cases")
    assert set(k["outcome"]) <= set(cs.OUTCOME_LABELS)
    assert not any("_" in v for v in cs.OUTCOME_LABELS.values())


# --- what a figure counts -----------------------------------------------------------------------

#: A word in the prose right after a figure, and the stems the figure's own quote or definition must use.
NOUNS = {"prosecuted": ("prosecut",), "convicted": ("convict", "sentenc", "guilty"),
         "amnestied": ("amnest",), "charged": ("charg",), "tried": ("tried", "heard", "trial"),
         "sentenced": ("sentenc",)}


def _claims():
    return cl.table(load("claims"), load("metrics"), load("sources"))


def _linked_claim(glued, name):
    m = re.search(r"<claim-(c\d+)>", glued.get(name + "_link", ""))
    return m.group(1).upper() if m else None


def _noun_checks(prose, glued, claims):
    """(claim id, word, agrees) for each linked figure followed by a counting word."""
    out = []
    for m in re.finditer(r"\{glue:md\}`(\w+)_link:myst`", prose):
        claim_id = _linked_claim(glued, m.group(1))
        if claim_id is None:
            continue
        after = re.split(r"\{glue|[.;:]\s", prose[m.end():m.end() + 120])[0]
        word = next((w for w in re.findall(r"[a-z]+", after) if w in NOUNS), None)
        if word is None:
            continue
        row = claims.loc[claim_id]
        said = re.sub(r"\bnot \w+", "", f"{row['quote']} {row['counts']}".lower())  # "(prosecuted, not convicted)"
        out.append((claim_id, word, any(stem in said for stem in NOUNS[word])))
    return out


def test_prose_calls_each_figure_what_it_counts():
    """'nearly 1,400 people prosecuted' must come from a claim that counts prosecutions; a
    conviction count may not be called 'prosecuted', nor the reverse."""
    checks = _noun_checks(_prose(CH3), _glued(NB3), _claims().set_index("claim_id"))
    assert len(checks) >= 5
    assert all(ok for _, _, ok in checks), [c for c in checks if not c[2]]


def test_noun_check_catches_prosecuted_read_as_convicted():
    prose = _prose(CH3)
    bad = prose.replace("{glue:md}`pros_1400_link:myst` people prosecuted",
                        "{glue:md}`pros_1400_link:myst` people convicted")
    assert bad != prose
    checks = _noun_checks(bad, _glued(NB3), _claims().set_index("claim_id"))
    assert ("C136", "convicted", False) in checks


def _fig31_problems(series):
    """What Fig. 3.1 would misplot: a series holding figures that count something else."""
    conv, pros, off = series["convicted"], series["prosecuted"], series["officials"]
    problems = []
    if not pros["counts"].str.contains("prosecut").all():
        problems.append("the prosecuted series holds a figure that does not count prosecutions")
    if conv["counts"].str.contains("prosecut").any() or not (conv["metric"] == "convicted").all():
        problems.append("the convicted series holds a figure that does not count convictions")
    if not (conv["side"] == "official").all():
        problems.append("the official line holds a figure that is not official")
    if not (off["metric"] == "officials_convicted_abuses").all():
        problems.append("the officials series holds a figure that is not a count of convictions")
    # The 0.2.0 error: the prosecuted figure plotted again as a count of convictions.
    lo, hi = pros["value"].min() * 0.95, pros["value"].max() * 1.05
    if conv["value"].between(lo, hi).any():
        problems.append("a conviction count equals the prosecuted figure")
    return problems


def test_fig31_plots_each_figure_as_what_it_counts():
    """The 0.2.0 Fig. 3.1 plotted 'nearly 1,400' (people prosecuted) as people convicted."""
    series = cs.two_track_series(_claims())
    assert len(series["convicted"]) >= 4 and len(series["prosecuted"]) == 1 and len(series["officials"]) >= 4
    assert _fig31_problems(series) == []
    # The prose's "prosecuted" figure is the plotted one.
    assert _linked_claim(_glued(NB3), "pros_1400") in set(series["prosecuted"]["claim_id"])


def test_fig31_check_catches_the_prosecuted_figure_plotted_as_convictions():
    series = cs.two_track_series(_claims())
    relabelled = series["prosecuted"].assign(metric="convicted", side="official",
                                             counts="people convicted over the January events")
    bad = dict(series, convicted=pd.concat([series["convicted"], relabelled]))
    assert "a conviction count equals the prosecuted figure" in _fig31_problems(bad)


# --- quotations -------------------------------------------------------------------------------


def _norm(text):
    text = re.sub(r"[\u2018\u2019\u201c\u201d'\"]", "", str(text))
    return " ".join(text.lower().split())


def _quotes_by_source():
    out = {}
    for table, col in (("claims", "quote"), ("case_sources", "quote"), ("event_sources", "quote"),
                       ("response_sources", "quote")):
        for key, quote in load(table)[["source_key", col]].dropna().itertuples(index=False):
            out.setdefault(key, []).append(_norm(quote))
    return out


def test_every_quoted_phrase_is_in_the_cited_sources_quotes():
    """A phrase in quotation marks is what the cited source says, as the data hold it."""
    prose = _prose(CH3)
    quotes = _quotes_by_source()
    found = 0
    for m in re.finditer(r'"([^"{}`]+)"', prose):
        phrase = _norm(m.group(1))
        cite = re.search(r"\{cite:p\}`([^`]+)`", prose[m.end():m.end() + 600])
        assert cite, m.group(1)
        keys = cite.group(1).split(",")
        assert any(phrase in q for key in keys for q in quotes.get(key, [])), (m.group(1), keys)
        found += 1
    assert found >= 10


def test_hrw_december_2022_statement_is_read_as_it_reads():
    """Every figure of HRW's 20 December 2022 statement used in the chapter is linked to its
    row, and the chapter's quote of its torture finding is in the data."""
    c = _claims()
    hrw = set(c.loc[c["source_key"] == "hrw2022abuses", "claim_id"])
    glued = _glued(NB3)
    used = {_linked_claim(glued, n[:-5]) for n in glued if n.endswith("_link")} & hrw
    assert {"C220", "C165"} <= used
    prose = _prose(CH3)
    assert "with no convictions" in prose  # R065's quote, checked against the data above


# --- cases as prose ---------------------------------------------------------------------------


def test_chapter_narrates_cases_without_form_fields_ids_or_notes():
    prose = _prose(CH3)
    for field in ("Outcome:", "Note:", "Status as of", "Charges:", "Dates:", "outcome not found"):
        assert field not in prose, field
    assert not re.search(r"\b[KCRE]\d{3}\b", prose)
    k = load("cases")
    for note in k["note"].dropna():
        for sentence in re.split(r"(?<=\.)\s+", note):
            if len(sentence) >= 40:
                assert sentence.rstrip(".") not in prose, sentence
    narrated = set(re.findall(r"\{glue:md\}`(k\d{3})_link:myst`", prose))
    assert 8 <= len({n for n in narrated}) and len(re.findall(r"^### ", prose, flags=re.M)) in range(8, 11)


def test_annex_lists_every_case_with_its_anchor_and_sources():
    k = cs.with_sources(load("cases"), load("case_sources"))
    table = str(cs.cases_table(k, "All cases."))
    for r in k.to_dict("records"):
        assert f"[{r['case_id']}]{{#case-{r['case_id'].lower()}}}" in table, r["case_id"]
    assert table.count("{cite:p}") == len(k)
    for note in k["note"].dropna():
        assert note[:60] not in table


def _rendered(prose, glued):
    """The chapter's prose as a reader sees it: glued values in place, roles reduced to their text."""
    def glue_value(m):
        value = glued[m.group(2)]
        return value.strip("'") if m.group(1) == "text" else value

    text = re.sub(r"\{glue:(text|md)\}`(\w+)(?::myst)?`", glue_value, prose)
    text = re.sub(r"\{(?:ref|numref)\}`([^`<]*?)\s*(?:<[^>]+>)?`", r"\1", text)
    text = re.sub(r"\{cite:p\}`[^`]+`", "[source]", text)
    return " ".join(text.split())


def test_no_doubled_words_in_the_rendered_chapter():
    text = _rendered(_prose(CH3), _glued(NB3))
    assert "{glue" not in text
    doubled = re.findall(r"\b(\w+(?: \w+)?) \1\b", text, flags=re.I)
    assert not doubled, doubled
    assert re.search(r"\b(\w+ \w+) \1\b", "a victims' lawyer counts at least at least 98")


def test_no_number_agreement_errors_in_the_rendered_chapter():
    text = _rendered(_prose(CH3), _glued(NB3))
    assert not re.search(r"(?<![\d,.])1 (?:officials|officers|people|cases|verdicts|versions)\b", text)


def test_a_case_name_with_markup_is_shown_as_text_not_linked():
    """A name that cannot be a link text stays text (the injection tests poison every name)."""
    from qantar.cases import _link

    assert str(_link("Zhanbolat Mamay", "K001")) == "{ref}`Zhanbolat Mamay <case-k001>`"
    shown = str(_link("x`{raw} html` <script>", "K001"))
    assert "{ref}" not in shown and "\\`" in shown and "\\<script\\>" in shown


def test_every_value_the_prose_uses_is_glued_and_not_empty():
    glued = _glued(NB3)
    names = re.findall(r"\{glue:(?:text|md)\}`(\w+?)(?::myst)?`", _prose(CH3))
    assert len(names) >= 50
    empty = [n for n in names if glued.get(n, "").strip("'\" ") == ""]
    assert not empty, empty
