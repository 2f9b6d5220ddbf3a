"""Prose that reads as written (issue 25): every built page is scanned for generated grammar,
working language, research notes and unresolved references (``qantar.prose``); the scanner
itself is shown to catch what the editorial review of 7 December 2026 found; captions end with
their sources and keep their downloads out of print; the report's own recommendations, the
reconciliation of the death toll and the edition's one information date hold together."""

import datetime as dt
import re

import pytest

from qantar import cite, fmt, paths, prose, recommend, reconcile, tracker
from qantar.data import load


# --- the scanner catches each defect the review quoted, and passes what is not one ----------------

REVIEW_DEFECTS = [
    "The sources date 6 happenings differently.",                      # numeral and schema word
    "Of 45 recommendations, 0 had been implemented in full.",
    "the maximum penalty rose to 3 to 7 years in prison",
    "put its payments at up to up to 1.1 billion tenge",
    "accepted the resignation at an hour no source cited here states",
    "he said, in a report read only in a rewrite, that soldiers had died",
    "the chapter on the death toll follows every version",
    "Annexes: the full Annex: the full chronology, Annex: every reported figure",
    "Table 4 in the annex lists every version with its sources.",
    "a single day for which the chronology records 30 events whose date no source disputes",
    "Every number is computed from the report's data tables, and every row names its source.",
    "The outline comes from a file. Data: timeline of events, places.",
    "in a report time-stamped 15:19, with gunfire heard",
    "see ?? for the sources",
]
NOT_DEFECTS = [
    "On 5 January the government resigned; on 4 to 5 January police used tear gas.",
    "Article 269 of the Criminal Code; Table 2.1 and Fig. 1.3; Chapter 3 sets it out.",
    "At 01:30 a state of emergency took effect; 2 million tenge; 6 or 8 January.",
    "Six officers were convicted; a court gave them three years each.",
    'He wrote "2 soldiers were killed", the source\'s own words.',
]


@pytest.mark.parametrize("text", REVIEW_DEFECTS)
def test_scanner_catches_what_the_review_found(text):
    assert prose.problems(text), text


@pytest.mark.parametrize("text", NOT_DEFECTS)
def test_scanner_passes_written_prose(text):
    assert prose.problems(text) == [], prose.problems(text)


def test_a_footnote_may_note_how_a_source_was_read_but_not_break_other_rules():
    note = "The stored copy read for this report could not be seen on the publisher's page."
    assert prose.problems(note, note=True) == []
    assert prose.problems(note)                                   # in running text it is a research note
    assert prose.problems("It reports 6 happenings.", note=True)   # footnotes still read as written


def test_html_blocks_leave_tables_and_code_out_and_mark_footnotes():
    html = ("<main><p>One.</p><table><tr><td>6 rows</td></tr></table><pre>3 x</pre>"
            "<aside class='footnote brackets'><p>A note.</p></aside></main>")
    assert prose.html_blocks(html) == [("One.", False), ("A note.", True)]


# --- every built page ---------------------------------------------------------------------------------

def _pages(html_book):
    pages = sorted(p.relative_to(html_book).as_posix() for p in html_book.rglob("*.html")
                   if not p.relative_to(html_book).parts[0].startswith("_"))
    return [p for p in pages if p not in prose.SKIP_PAGES]


def test_every_built_page_reads_as_written(html_book):
    pages = _pages(html_book)
    assert set(prose.READER_PAGES) <= set(pages) and len(pages) >= 14, pages
    found = {p: prose.page_problems((html_book / p).read_text(encoding="utf-8"), p in prose.READER_PAGES)
             for p in pages}
    found = {p: f for p, f in found.items() if f}
    assert not found, found


def test_figure_captions_end_with_their_sources_and_downloads_are_labelled(html_book):
    from bs4 import BeautifulSoup

    n = 0
    for page in prose.READER_PAGES:
        soup = BeautifulSoup((html_book / page).read_text(encoding="utf-8"), "html.parser")
        for fig in soup.select("figure"):
            caption = fig.find("figcaption")
            for a in caption.select("a.headerlink"):
                a.decompose()
            first = " ".join(caption.find("p").get_text(" ").split())
            assert re.search(r"Sources?: [^.]+.*\.$", first), (page, first[-160:])
            legend = " ".join(caption.get_text(" ").split())
            assert "Download the data (CSV):" in legend and "Data:" not in legend, (page, legend[-200:])
            n += 1
    assert n >= 10, n


def test_cross_references_name_numbered_chapters_and_annexes(html_book):
    intro = " ".join((html_book / "intro.html").read_text(encoding="utf-8").split())
    from qantar import markup
    import yaml

    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = next(p for p in toc["parts"] if p.get("numbered"))["chapters"]
    for i in range(1, len(numbered) + 1):
        assert f"Chapter {i}" in intro, i
    for i in sorted(markup.ANNEXES.values()):
        assert f"Annex {i}</span>" in intro, i


# --- the report's own recommendations -----------------------------------------------------------------

def test_own_recommendations_reach_every_addressee_and_rest_on_rows():
    own, tables = recommend.load()
    assert list(dict.fromkeys(own["addressee"])) == list(recommend.ADDRESSEES)
    assert own["recommendation_id"].is_unique and len(own) >= len(recommend.ADDRESSEES)
    for r in own.to_dict("records"):
        assert recommend.ids(r["evidence"]), r["recommendation_id"]
        # No figure typed into the text (dates may be): figures are printed from the evidence rows.
        undated = re.sub(r"\b(?:\d{1,2} )?(?:(?:%s) )?(?:19|20)\d\d\b|\b\d{1,2} (?:%s)\b" % (prose.MONTHS, prose.MONTHS),
                         "", r["finding"] + r["short"])
        assert not re.search(r"\d", undated), ("figures come from the evidence rows", r["recommendation_id"])
        assert r["status"] == recommend.NEW_STATUS or r["status_source_key"], r["recommendation_id"]


@pytest.mark.parametrize("column, value, expected", [
    ("evidence", "C999", "evidence C999 is not a row of the claims table"),
    ("evidence", "K999", "evidence K999 is not a row of the cases table"),
    ("related", "A999", "related A999 is not a row of the recommendations table"),
])
def test_own_recommendation_evidence_must_resolve(column, value, expected):
    own = load("own_recommendations").copy()
    own.loc[0, column] = value
    tables = {name: load(name) for name, _, _ in recommend.EVIDENCE_TABLES.values()}
    problems = recommend.check(own, tables, tracker.load())
    assert any(expected in p for p in problems), problems


def test_every_addressee_needs_a_recommendation():
    own = load("own_recommendations")
    tables = {name: load(name) for name, _, _ in recommend.EVIDENCE_TABLES.values()}
    problems = recommend.check(own[own["addressee"] != "osce"], tables, tracker.load())
    assert problems == ["no own recommendation is addressed to osce"], problems


def test_introduction_summarises_every_addressee_in_order():
    intro = (paths.ROOT / "intro.md").read_text(encoding="utf-8")
    keys = re.findall(r"^- \*\*(.+?)\*\*: \{glue:text\}`chapters/05-conclusions\.ipynb::own_to_(\w+):`", intro, re.M)
    assert [k for _, k in keys] == list(recommend.ADDRESSEES), keys
    assert all(label == recommend.summary_label(k) for label, k in keys)


def test_recommendations_are_printed_in_the_conclusions_and_summarised_in_the_introduction(html_book):
    own = load("own_recommendations")
    conclusions = " ".join((html_book / "chapters" / "05-conclusions.html").read_text(encoding="utf-8").split())
    intro = " ".join((html_book / "intro.html").read_text(encoding="utf-8").split())
    for heading in recommend.ADDRESSEES.values():
        assert heading in conclusions, heading
    for short in own["short"]:
        assert short in intro.lower() or short[0].upper() + short[1:] in intro, short
    assert not re.search(r"\bB\d\d\b", conclusions + intro), "a row id in the reader's text"


# --- how the 238 are made up ----------------------------------------------------------------------------

def test_reconciliation_is_built_from_rows_and_refuses_what_is_not_a_count_of_people():
    from qantar import claims as cl

    c = cl.table(load("claims"), load("metrics"), load("sources"))
    rows = reconcile.parts(c, [("All", ["C004"]), ("Rioters", ["C068"])])
    assert list(rows["part"]) == ["All", "Rioters"] and reconcile.value(rows, "C004") == 238
    with pytest.raises(KeyError, match="C999"):
        reconcile.parts(c, [("All", ["C999"])])
    money = c[c["unit"] != "people"]["claim_id"].iloc[0]
    with pytest.raises(ValueError, match="not people"):
        reconcile.parts(c, [("Money", [money])])


@pytest.mark.parametrize("name", ["01-timeline.md", "02-figures.md", "05-conclusions.md"])
def test_the_reconciliation_table_is_cited_where_the_toll_is_discussed(name):
    assert "{numref}`tbl-toll-parts`" in (paths.CHAPTERS / name).read_text(encoding="utf-8")


# --- one date for the edition ---------------------------------------------------------------------------

def _dated_facts():
    """Every date a fact of the data carries (partial ISO dates as text)."""
    out = []
    for table, cols in {"claims": ["as_of", "published"], "events": ["date", "date_end"],
                        "cases": ["detained", "charged", "trial_start", "verdict", "released", "status_as_of"],
                        "sources": ["published"], "recommendations": ["date", "status_as_of"],
                        "own_recommendations": ["status_as_of"], "responses": ["date"]}.items():
        t = load(table)
        for col in cols:
            for v in t[col].dropna():
                out.append((table, col, v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)))
    return out


def test_no_fact_is_newer_than_the_information_date_and_the_release_is_not_older():
    as_of = max(load("recommendations")["status_as_of"])
    later = [(t, c, v) for t, c, v in _dated_facts() if v and v[:len(as_of)] > as_of[:len(v)]]
    assert not later, later[:5]
    released = cite.metadata()["date-released"]
    assert dt.date.fromisoformat(as_of) <= released, (as_of, released)
    assert set(load("own_recommendations")["status_as_of"]) == {as_of}


def test_the_information_date_is_the_same_on_every_page_and_in_print(html_book):
    as_of = tracker.as_of(tracker.load())
    intro = " ".join((html_book / "intro.html").read_text(encoding="utf-8").split())
    assert re.search(r"information is as of (<[^>]+>\s*)*" + re.escape(as_of), intro)
    config = (paths.ROOT / "_config.yml").read_text(encoding="utf-8")
    assert set(re.findall(r"Information as of ([0-9]+ \w+ [0-9]{4})", config)) == {as_of}
    conclusions = (html_book / "chapters" / "05-conclusions.html").read_text(encoding="utf-8")
    # Every "as of" date of the edition itself (the figures' own dates are years older) is the one date.
    stated = set(re.findall(r"[Aa]s of (?:<[^>]+>\s*)*([0-9]{1,2} \w+ 202[6-9])", conclusions))
    assert stated == {as_of}, stated


# --- numbers in words -----------------------------------------------------------------------------------

@pytest.mark.parametrize("n, words, before", [(0, "none", "no"), (1, "one", "one"), (9, "nine", "nine"),
                                              (10, "10", "10"), (1205, "1,205", "1,205")])
def test_counts_in_prose(n, words, before):
    assert fmt.count(n) == words and fmt.count_before_noun(n) == before


def test_terms_under_ten_years_in_words_in_prose_only():
    assert fmt.durations_in_words("3 years each (medium-security prison)") == "three years each (medium-security prison)"
    assert fmt.durations_in_words("15 years; 8 years suspended") == "15 years; eight years suspended"
    with pytest.raises(ValueError):
        fmt.count(2.5)
