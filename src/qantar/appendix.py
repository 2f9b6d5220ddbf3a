"""The methods and data appendix: the data dictionary and source registry, rendered from the data package."""

from __future__ import annotations

import json

from . import paths
from .data import PARTIAL_DATE
from .markup import MyST, cite, code, download, join, md


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    bits = []
    if c.get("required"):
        bits.append("required")
    if c.get("unique"):
        bits.append("unique")
    if "enum" in c:
        bits.append("one of: " + ", ".join(c["enum"]))
    if c.get("pattern") == PARTIAL_DATE:
        bits.append("a year, a year and month, or a full date, which must exist")
    elif "pattern" in c:
        bits.append("pattern given in the data package")
    for key, word in (("minimum", "at least"), ("maximum", "at most")):
        if key in c:
            bits.append(f"{word} {c[key]}")
    if "maxLength" in c:
        bits.append(f"at most {c['maxLength']} characters")
    return "; ".join(bits)


def _described(text: str) -> MyST:
    """A schema description: text, with `backticked` names shown as code (and nothing else as markup)."""
    import re

    parts = re.split(r"`([^`\n]+)`", " ".join(str(text).split()))
    return join(code(p) if i % 2 else p for i, p in enumerate(parts))


def data_dictionary(package_path=paths.DATAPACKAGE) -> MyST:
    """Markdown: every resource with its download link, keys and a table of its fields."""
    desc = json.loads(package_path.read_text(encoding="utf-8"))
    out = []
    for r in desc["resources"]:
        # A rubric, not a heading: the list is shown in the HTML edition only, and an `only`
        # block cannot hold sections.
        out.append(md(":::{{rubric}} {}\n:::\n\n{} File: {}.", r.get("title", r["name"]), _described(r.get("description", "")),
                      download("data/" + r["path"])))
        schema = r.get("schema")
        if not schema:
            out.append(md("A GeoJSON file (map outline); its provenance is recorded in {}.", code("data/geo/PROVENANCE.md")))
            continue
        keys = []
        if schema.get("primaryKey"):
            keys.append(md("Primary key: {}.", join((code(k) for k in schema["primaryKey"]), ", ")))
        for fk in schema.get("foreignKeys", []):
            keys.append(md("{} refers to the {} table.", code(", ".join(fk["fields"])), code(fk["reference"]["resource"])))
        for rule in r.get("qantar:rules", []):
            if "ordered" in rule:
                a, b = rule["ordered"]
                keys.append(md("{} may not be later than {}.", code(a), code(b)))
            for name, verb in (("requiredWhen", "is required"), ("emptyWhen", "must be empty")):
                if name in rule:
                    r = rule[name]
                    keys.append(md("{} {} when {} is {}.", code(r["field"]), verb, code(r["column"]),
                                   " or ".join(r["values"])))
            if "refersByKind" in rule:
                r = rule["refersByKind"]
                tables = ", ".join(f"{kind}: {table}" for kind, (table, _) in r["resources"].items())
                keys.append(md("{} refers to a row of the table that {} names ({}).", code(r["id"]), code(r["kind"]),
                               tables))
            if "anyOf" in rule:
                keys.append(md("Every row has {}.", join((code(c) for c in rule["anyOf"]), " or ")))
        if keys:
            out.append(join(keys, " "))
        # A definition list, not a table: long names and value lists flow on a printed page.
        items = []
        for f in schema["fields"]:
            rules = _constraints(f)
            items.append(md("{} ({}{})\n: {}", code(f["name"]), f.get("type", "string"), "; " + rules if rules else "",
                            _described(f.get("description", "")) or "See the table description."))
        out.append(join(items, "\n\n"))
    return join(out, "\n\n")


def glossary_list(glossary, category: str) -> MyST:
    """Markdown definition list: one entry per term with its spellings, description and sources.

    A list rather than a table, so that long Cyrillic words and citation labels
    flow on the printed page.
    """
    g = glossary[glossary["category"] == category].sort_values("en")
    items = []
    for r in g.to_dict("records"):
        spell = [f"Kazakh {r['kk']}" if _has(r["kk"]) else "Kazakh: none seen",
                 f"Russian {r['ru']}" if _has(r["ru"]) else "Russian: none seen"]
        if _has(r["variants"]):
            spell.append("also " + r["variants"].replace(";", ","))
        keys = [k for k in (r["source_key"], r["source_key_2"]) if _has(k)]
        items.append(md("**{}** ({})\n: {}. {}", r["en"], "; ".join(spell), r["description"].rstrip("."), cite(keys)))
    return join(items, "\n\n")


def _has(value) -> bool:
    return isinstance(value, str) and value.strip() != ""
