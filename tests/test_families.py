"""Chapter 2, "The families": named victims, aid, the missing and memory, from local reporting.

Properties: every version a source gives of a child victim's age or day of death is shown in the
executed chapter with that source's citation; disagreements are read from the sources' own words;
every local outlet the section cites is coded Russian or Kazakh; every figure the section glues
is printed and linked to its row."""

import json
import re

import pandas as pd
import pytest

from qantar import claims as cl, families, paths
from qantar.data import load

CHAPTER = paths.CHAPTERS / "02-figures.md"
HEADING = "## The families: aid, the missing and memory"
# Kazakhstani outlets (and RFE/RL's Kazakh service) whose editions in Russian or Kazakh are local reporting.
LOCAL_OUTLETS = ("azattyq", "vlast", "orda", "kaztag", "informburo", "exclusive", "tengri", "liter", "nur.kz",
                 "qazaq", "newtimes", "mgorod", "bizmedia", "1tv.kz", "masa", "365info", "spik", "adamdar",
                 "abay online", "global news", "the village", "dat (")
ENGLISH_EDITION = re.compile(r"//en\.|/en/|/english/")


def section_text() -> str:
    text = CHAPTER.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.index("\n## ", start + len(HEADING))
    return text[start:end]


def cited_keys(text: str) -> set[str]:
    return {k for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}


@pytest.fixture(scope="module")
def notebook_outputs() -> str:
    """All text outputs of the executed chapter (tables shown, and glued values), joined."""
    nb = json.loads(CHAPTER.with_suffix(".ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            for mime in ("text/markdown", "text/plain", "application/papermill.record/text/markdown",
                         "application/papermill.record/text/plain"):
                value = out.get("data", {}).get(mime)
                if value:
                    parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def child_cases() -> list[str]:
    """The victims the section's versions table covers, read from the chapter's own code."""
    m = re.search(r"child_versions = families\.versions\([^\[]*\[([^\]]*)\]", section_text())
    assert m, "the section builds its versions table with families.versions"
    return re.findall(r'"(K\d{3})"', m.group(1))


def test_section_sits_before_injuries():
    text = CHAPTER.read_text(encoding="utf-8")
    assert text.index(HEADING) < text.index("## Injuries and detentions")
    assert text.index("## Who the dead were") < text.index(HEADING)


def test_every_version_of_a_child_victim_is_shown_with_its_source(notebook_outputs):
    """Each source's words about each child, and its citation, are in the executed table."""
    links = load("case_sources")
    ids = child_cases()
    assert len(ids) >= 2
    rows = links[links["case_id"].isin(ids)]
    assert len(rows) >= len(ids)
    for r in rows.to_dict("records"):
        # The table escapes MyST punctuation; compare the quote's letters and digits, in order.
        words = re.findall(r"\w+", r["quote"])
        pattern = r"\W+".join(re.escape(w) for w in words)
        line = next((l for l in notebook_outputs.splitlines() if re.search(pattern, l)), None)
        assert line is not None, (r["case_id"], r["source_key"])
        assert f"{{cite:p}}`{r['source_key']}`" in line, (r["case_id"], r["source_key"])


def test_disagreements_are_read_from_the_sources_and_stated(notebook_outputs):
    """Where two sources give a child different days of death, the chapter gives every day."""
    rows = families.versions(load("cases"), load("case_sources"), load("sources"), child_cases())
    found = families.disagreements(rows)
    # The property must be able to fail: the versions hold at least one real disagreement.
    assert found, "no disagreement found: the versions table would hide nothing, check the data"
    glued = notebook_outputs
    names = rows.drop_duplicates("case_id").set_index("case_id")["name"]
    for case_id, facts in found.items():
        for day in facts.get("day", []):
            assert f"{day} January 2022" in glued, (case_id, day)
        assert names[case_id] in section_text() or names[case_id] in glued


def test_parsers_read_ages_and_days_in_three_languages():
    assert families.age_in_quote("погиб 12-летний Султан К.") == 12
    assert families.age_in_quote("Жертвой беспорядков 6 января стала четырехлетняя девочка.") == 4
    assert families.age_in_quote("Қаңтарда оққа ұшқан 4 жасар Айкөркем") == 4
    assert families.age_in_quote("shot dead in Almaty") is None
    assert families.january_day_in_quote("on their way to a grocery store on January 7, 2022") == 7
    assert families.january_day_in_quote("вечером 5 января погиб") == 5
    assert families.january_day_in_quote("2022 жылғы 5 қаңтарда") == 5
    assert families.january_day_in_quote("в феврале") is None


def test_one_age_per_victim_or_the_chapter_must_say_otherwise():
    """The chapter glues one age per child; if sources come to disagree on an age, this fails."""
    rows = families.versions(load("cases"), load("case_sources"), load("sources"), child_cases())
    ages = rows.dropna(subset=["age"]).groupby("case_id")["age"].nunique()
    assert (ages == 1).all(), ages[ages > 1]


def test_local_outlets_cited_in_the_section_are_coded_russian_or_kazakh():
    sources = load("sources").set_index("source_key")
    keys = cited_keys(section_text())
    assert keys <= set(sources.index), keys - set(sources.index)
    local = [k for k in keys if any(o in sources.loc[k, "publisher"].lower() for o in LOCAL_OUTLETS)]
    assert len(local) >= 15
    # The address of the page read: the original's, or the copy's when only a copy was read.
    read = {k: sources.loc[k, "url"] if isinstance(sources.loc[k, "url"], str) else sources.loc[k, "read_at"]
            for k in local}
    wrong = [k for k in local if not ENGLISH_EDITION.search(read[k])
             and sources.loc[k, "language"] not in families.LOCAL_LANGUAGES]
    assert not wrong, wrong


def test_most_of_the_section_rests_on_local_languages():
    sources = load("sources").set_index("source_key")
    keys = cited_keys(section_text())
    share = sum(sources.loc[k, "language"] in families.LOCAL_LANGUAGES for k in keys) / len(keys)
    assert share >= 0.6, share


def test_every_glued_figure_is_printed_with_its_link(notebook_outputs):
    text = section_text()
    names = re.findall(r'"(\w+)": "C\d{3}"', text)
    assert len(names) >= 10
    for name in names:
        assert f"{{glue:md}}`{name}_link:myst`" in text, name
    for cid in re.findall(r'"\w+": "(C\d{3})"', text):
        assert f"claim-{cid.lower()}" in notebook_outputs, cid


def test_aid_figures_come_from_the_state_and_the_missing_from_volunteers():
    c = cl.table(load("claims"), load("metrics"), load("sources"))
    aid = c[c["metric"].isin(["aid_paid", "aid_per_victim", "aid_recipients"])]
    assert len(aid) >= 5 and (aid["side"] == "official").all()
    missing = c[c["metric"] == "missing_people"]
    assert len(missing) >= 1 and (missing["side"] == "independent").all()


def test_named_victims_are_named_in_the_chapter_as_their_sources_name_them():
    cases = load("cases").set_index("case_id")
    links = load("case_sources")
    text = section_text()
    for cid in child_cases() + ["K152", "K153"]:
        assert cid in set(links["case_id"]), cid
        name = cases.loc[cid, "name"]
        if name.startswith("Unnamed"):
            continue
        assert name in text, name
