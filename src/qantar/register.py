"""The register of the dead: everyone killed in the January events whom a published source names.

Three tables hold it (``data/dead_records.csv``, ``data/dead.csv``, ``data/dead_decisions.csv``):

- a **record** is one person as one source presents them: the name as printed, and what that source
  says of age, date, place and circumstance, with its words;
- a **person** is the report's reconciled identity: the records that name one person share its id;
- a **decision** says, for two records, whether they name the same person or different people, and
  on what basis. Records are merged only through decisions: two records share a person only if a
  chain of "same" decisions joins them, and any two records that :func:`propose` finds alike but
  that stay apart have a "different" decision. So a build never merges by itself, and a new record
  that looks like an old one stops the tests until someone decides.

The register is a minimum, those named in the sources read for this report, never a toll.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from . import fmt
from .markup import MyST, cite, escape, join, md

#: Cyrillic (Russian and Kazakh letters) to Latin, for matching only (the register prints names as
#: the sources print them, and each person's documented Latin form).
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "k", "n", "o", "u", "u", "h", "i"]))
#: Patronymics and their Kazakh forms, dropped before comparing names.
_PATRONYMIC = re.compile(r"\b\w+(ovich|evich|ovna|evna|ich|uly|ulu|kyzy|qyzy)\b")


def normalise(name: str) -> str:
    """A name reduced for comparison: Latin letters, lower case, no patronymic, and the sounds that
    transliterations write differently made one (zh/j/sh at a word's start, kh/h, y/i, -ev/-iev)."""
    s = "".join(_TRANSLIT.get(ch, ch) for ch in str(name).lower())
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = _PATRONYMIC.sub(" ", s)
    s = re.sub(r"[^a-z ]", " ", s)
    s = re.sub(r"\b(zh|j|sh)", "j", s)
    s = s.replace("kh", "h").replace("y", "i").replace("ie", "e")
    return " ".join(sorted(s.split()))


def surname_key(name: str) -> str:
    """The longest word of the normalised name (the surname, in the sources' forms)."""
    words = normalise(name).split()
    return max(words, key=len) if words else ""


def propose(records, threshold: float = 80.0) -> pd.DataFrame:
    """Pairs of records that may name one person: similar names (rapidfuzz's token-set ratio of the
    normalised names, or the same surname), blocked so that records in different units of
    January 2022 with known, different days more than three days apart are never proposed.
    Columns ``record_a``, ``record_b`` (a < b) and ``score``."""
    from rapidfuzz import fuzz

    recs = records.to_dict("records")
    out = []
    for i, a in enumerate(recs):
        for b in recs[i + 1:]:
            na, nb = normalise(a["name_latin"]), normalise(b["name_latin"])
            score = fuzz.token_set_ratio(na, nb)
            if surname_key(a["name_latin"]) and surname_key(a["name_latin"]) == surname_key(b["name_latin"]):
                score = max(score, 90.0)
            if score < threshold:
                continue
            da, db = a.get("date_of_death"), b.get("date_of_death")
            if (a.get("unit") and b.get("unit") and a["unit"] != b["unit"] and isinstance(da, str)
                    and isinstance(db, str) and len(da) == len(db) == 10
                    and abs((pd.Timestamp(da) - pd.Timestamp(db)).days) > 3):
                continue
            ra, rb = sorted([a["record_id"], b["record_id"]])
            out.append({"record_a": ra, "record_b": rb, "score": round(score, 1)})
    return pd.DataFrame(out, columns=["record_a", "record_b", "score"])


def components(records, decisions) -> dict[str, str]:
    """Each record's group under the "same" decisions (union-find): record id -> the smallest record
    id of its group."""
    parent = {r: r for r in records["record_id"]}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in decisions[decisions["decision"] == "same"].to_dict("records"):
        a, b = find(d["record_a"]), find(d["record_b"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {r: find(r) for r in parent}


def problems(records, decisions) -> list[str]:
    """What breaks the rule that only decisions merge records: records of one person not joined by
    "same" decisions, records joined by them but given different persons, a decision that
    contradicts the person ids, and proposed pairs with no decision."""
    out = []
    group = components(records, decisions)
    person = dict(zip(records["record_id"], records["person_id"]))
    by_person = records.groupby("person_id")["record_id"].agg(list)
    for pid, recs in by_person.items():
        if len({group[r] for r in recs}) > 1:
            out.append(f"{pid}: records {', '.join(recs)} share the person but no chain of 'same' decisions joins them")
    for d in decisions.to_dict("records"):
        same = person[d["record_a"]] == person[d["record_b"]]
        if (d["decision"] == "same") != same:
            out.append(f"decision {d['record_a']}/{d['record_b']} says {d['decision']} but the records have "
                       f"persons {person[d['record_a']]} and {person[d['record_b']]}")
    decided = {(d["record_a"], d["record_b"]) for d in decisions.to_dict("records")}
    decided |= {(b, a) for a, b in decided}
    for p in propose(records).to_dict("records"):
        if person[p["record_a"]] != person[p["record_b"]] and (p["record_a"], p["record_b"]) not in decided:
            out.append(f"records {p['record_a']} and {p['record_b']} look alike (score {p['score']}) and no "
                       "decision says whether they are one person")
    return out


def with_units(records, places) -> pd.DataFrame:
    """Records with the unit of January 2022 of their place (``unit``)."""
    return records.merge(places[["place_id", "unit_2022"]], on="place_id", how="left").rename(
        columns={"unit_2022": "unit"})


# ---------------------------------------------------------------------------------------------
# The annex


def person_label(person_id: str) -> str:
    """The cross-reference label of a person's entry in the register (``markup.label``)."""
    from .markup import label

    return label("dead", person_id)


def person_ref(text, person_id: str) -> MyST:
    """``text`` as a link to the person's entry in the register (plain text if it cannot be a link)."""
    from .markup import ref_or_text

    return ref_or_text(text, "dead", person_id)


def counts(people, places, units, by: str) -> pd.Series:
    """People named, by unit of January 2022 (``by="unit"``) or by day of death (``by="day"``);
    unknown places and days counted as such."""
    if by == "unit":
        u = people.merge(places[["place_id", "unit_2022"]], on="place_id", how="left")["unit_2022"]
        names = dict(zip(units["unit_id"], units["name"]))
        return u.map(names).fillna("place not stated").value_counts()
    days = people.apply(lambda r: fmt.date(r["date_of_death"]) if r["date_precision"] == "day" else "day not stated",
                        axis=1)
    return days.value_counts()


def entry(person, records, facts, places) -> MyST:
    """One person's entry: an anchor, the name as the report spells it, then each fact with every
    source's version and words."""
    names = dict(zip(places["place_id"], places["name"]))
    head = MyST(f"({person_label(person['person_id'])})=\n### ")
    if person["withheld"] == "yes":
        return head + escape("Name withheld") + MyST("\n\n") + escape(
            "The family asked for this entry to be removed; the person still counts in this annex's figures.") + MyST("\n")
    recs = records[records["person_id"] == person["person_id"]]
    head += escape(person["name"])
    lines = []
    spellings = list(dict.fromkeys(recs["name_as_printed"]))
    lines.append(md("Name as printed: {}.", "; ".join(spellings)))
    where = names.get(person["place_id"], "place not stated") if not pd.isna(person["place_id"]) else "place not stated"
    when = (fmt.date(person["date_of_death"]) if person["date_precision"] == "day"
            else "day not stated" if pd.isna(person["date_of_death"]) else person["date_of_death"])
    lines.append(md("Died: {}, {}.", when, where))
    if not pd.isna(person["case_id"]):
        from .markup import ref

        lines.append(md("The case in the annex of named cases: {}.", ref(person["case_id"], "case", person["case_id"])))
    for fact, label in FACT_LABELS.items():
        f = facts[(facts["record_id"].isin(recs["record_id"])) & (facts["fact"] == fact)]
        if f.empty:
            continue
        versions = []
        for r in f.merge(recs[["record_id", "source_key"]], on="record_id").to_dict("records"):
            words = md(" (“{}”)", r["quote"]) if not pd.isna(r["quote"]) else MyST("")
            versions.append(md("{}{} {}", r["value"], words, cite(r["source_key"])))
        lines.append(md("{}: ", label) + join(versions, "; ") + MyST("."))
    return head + MyST("\n\n") + join(lines, "\n\n") + MyST("\n")


#: The facts a record can give, in the order an entry prints them.
FACT_LABELS = {"age": "Age", "date": "Date of death", "place": "Place", "circumstance": "What the source says happened",
               "in_custody": "In custody", "security_forces": "Member of the security forces",
               "official_category": "How officials classed the death, as reported"}


def glue_summary(people) -> None:
    """Glue, for a chapter's prose, how many people the register names (``register_n``), how many
    of them were members of the security forces (``register_forces``) and how many died in custody
    (``register_custody``)."""
    from myst_nb import glue

    glue("register_n", fmt.number(len(people)), display=False)
    glue("register_forces", fmt.count((people["security_forces"] == "yes").sum()), display=False)
    glue("register_custody", fmt.count((people["in_custody"] == "yes").sum()), display=False)
