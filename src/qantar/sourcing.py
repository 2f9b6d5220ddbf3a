"""Which facts rest on copies alone, and the annex source cell that says so.

A registry source counts as *read in a copy* when its grade is ``mirror`` (the
registry cites the copy itself, because the original could not be identified or
its address is unknown) or when it has a ``read_at`` address (the registry cites
the original, but the text was read in a copy elsewhere). A fact (a row of the
chronology, the reported figures, the cases or the responses) *rests on copies
alone* when every source it cites is read in a copy.

:func:`sources_cell` is the one way the annex tables write a sources cell: the
citation, followed by :data:`COPY_ONLY` when the fact rests on copies alone.
"""

from __future__ import annotations

from functools import lru_cache

from . import markup
from .data import blank

#: What the annex tables print after the citations of a fact that rests on copies alone.
COPY_ONLY = "(copy only)"

#: The annex tables' facts: (name, link table or None, id column, source column).
FACT_TABLES = [
    ("events", "event_sources", "event_id"),
    ("claims", None, "claim_id"),
    ("cases", "case_sources", "case_id"),
    ("responses", "response_sources", "response_id"),
]


def read_in_copy(row) -> bool:
    """True if the registry row was read only in a copy: a mirror, or an original with ``read_at``."""
    return row["grade"] == "mirror" or not blank(row.get("read_at"))


def copy_keys(sources) -> frozenset:
    """Keys of the registry rows read only in a copy (see :func:`read_in_copy`)."""
    return frozenset(r["source_key"] for r in sources.to_dict("records") if read_in_copy(r))


@lru_cache(maxsize=1)
def _registry_copy_keys() -> frozenset:
    from .data import load

    return copy_keys(load("sources"))


def rests_on_copies(keys, copies=None) -> bool:
    """True if every one of ``keys`` (one key or several) was read only in a copy."""
    keys = [keys] if isinstance(keys, str) else list(keys)
    copies = _registry_copy_keys() if copies is None else copies
    return bool(keys) and all(k in copies for k in keys)


def sources_cell(keys, copies=None) -> markup.MyST:
    """An annex sources cell: the citation of ``keys``, then :data:`COPY_ONLY` if the fact rests on
    copies alone. ``copies`` defaults to the registry's (:func:`copy_keys`)."""
    cell = markup.cite(keys)
    if rests_on_copies(keys, copies):
        cell = cell + markup.escape(" " + COPY_ONLY)
    return cell


def fact_sources(name: str) -> dict:
    """``{fact id: tuple of source keys}`` for one of :data:`FACT_TABLES` (its rows' citations)."""
    from .data import load, with_source_keys

    _, links, id_col = next(t for t in FACT_TABLES if t[0] == name)
    table = load(name)
    if links is None:
        return {i: (k,) for i, k in zip(table[id_col], table["source_key"])}
    table = with_source_keys(table, load(links), id_col)
    return dict(zip(table[id_col], table["sources"]))


def counts(sources=None) -> dict:
    """Counts for the Methods appendix: registry size, mirrors, originals read in a copy, sources read
    in a copy either way, and per annex table the facts and those resting on copies alone."""
    from .data import load

    sources = load("sources") if sources is None else sources
    copies = copy_keys(sources)
    out = {
        "sources": len(sources),
        "mirrors": int((sources["grade"] == "mirror").sum()),
        "read_at": int(sum(not blank(v) for v in sources["read_at"])),
        "copies": len(copies),
    }
    facts = on_copies = 0
    for name, _, _ in FACT_TABLES:
        rows = fact_sources(name)
        n = sum(rests_on_copies(keys, copies) for keys in rows.values())
        out[f"{name}_facts"], out[f"{name}_on_copies"] = len(rows), n
        facts, on_copies = facts + len(rows), on_copies + n
    out["facts"], out["facts_on_copies"] = facts, on_copies
    return out


#: The standard openings of the registry's notes on how a source was checked, written as a letter in
#: the annex (its legend says what each stands for); the data keep the whole words.
CHECK_PHRASES = {
    "S": "Stored copy, opening only, seen with the search tool; quoted words verbatim",
    "E": "Seen through the search tool (pages corpus), stored copy's opening excerpt only; quoted phrases seen verbatim",
    "X": "Seen through the search tool (pages corpus), stored copy's excerpt only; quoted phrases seen verbatim",
    "F": "Stored copy found; quoted phrases seen verbatim",
    "P": "Stored copy found; only part of what the notes said could be confirmed",
}
#: A note longer than this is shown cut, at a word, in the annex; the data keep it whole.
CHECK_NOTE_CHARS = 200


def check_note(text: str, limit: int = CHECK_NOTE_CHARS) -> str:
    """A registry note as the annex shows it: its standard opening as a letter of
    :data:`CHECK_PHRASES` ('S, checked 2026-12-07.'), the rest cut to about ``limit`` characters."""
    import re

    text = str(text)
    for code, phrase in CHECK_PHRASES.items():
        m = re.match(re.escape(phrase) + r" \(checked (\d{4}-\d{2}-\d{2})\)\.? ?", text)
        if m:
            text = f"{code}, checked {m.group(1)}. " + text[m.end():]
            break
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " … (the whole note is in the data)"
    return text


def check_legend() -> str:
    """The legend of the letters :func:`check_note` writes."""
    return "; ".join(f"{code}: {phrase}" for code, phrase in CHECK_PHRASES.items())
