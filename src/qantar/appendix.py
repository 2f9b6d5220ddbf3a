"""The methods and data appendix: the data dictionary and source registry, rendered from the data package."""

from __future__ import annotations

import json

from . import paths


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    bits = []
    if c.get("required"):
        bits.append("required")
    if c.get("unique"):
        bits.append("unique")
    if "enum" in c:
        bits.append("one of: " + ", ".join(c["enum"]))
    if "pattern" in c:
        bits.append("pattern given in the data package")
    for key, word in (("minimum", "at least"), ("maximum", "at most")):
        if key in c:
            bits.append(f"{word} {c[key]}")
    if "maxLength" in c:
        bits.append(f"at most {c['maxLength']} characters")
    return "; ".join(bits)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def data_dictionary(package_path=paths.DATAPACKAGE) -> str:
    """Markdown: every resource with its download link, keys and a table of its fields."""
    desc = json.loads(package_path.read_text(encoding="utf-8"))
    out = []
    for r in desc["resources"]:
        link = f"{{download}}`{r['path']} <../data/{r['path']}>`"
        out.append(f"### {r.get('title', r['name'])}\n\n{_cell(r.get('description', ''))} File: {link}.")
        schema = r.get("schema")
        if not schema:
            out.append("A GeoJSON file (map outline); its provenance is recorded in `data/geo/PROVENANCE.md`.")
            continue
        keys = []
        if schema.get("primaryKey"):
            keys.append("Primary key: " + ", ".join(f"`{k}`" for k in schema["primaryKey"]) + ".")
        for fk in schema.get("foreignKeys", []):
            keys.append(f"`{', '.join(fk['fields'])}` refers to the `{fk['reference']['resource']}` table.")
        for rule in r.get("qantar:rules", []):
            if "ordered" in rule:
                a, b = rule["ordered"]
                keys.append(f"`{a}` may not be later than `{b}`.")
            if "partial_date" in rule:
                keys.append("Partial dates must be real calendar dates: " + ", ".join(f"`{x}`" for x in rule["partial_date"]) + ".")
        if keys:
            out.append(" ".join(keys))
        # A definition list, not a table: long names and value lists flow on a printed page.
        items = []
        for f in schema["fields"]:
            rules = _constraints(f)
            head = f"`{f['name']}` ({f.get('type', 'string')}{'; ' + _cell(rules) if rules else ''})"
            items.append(f"{head}\n: {_cell(f.get('description', '')) or 'See the table description.'}")
        out.append("\n\n".join(items))
    return "\n\n".join(out)


def glossary_list(glossary, category: str) -> str:
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
        keys = ",".join(k for k in (r["source_key"], r["source_key_2"]) if _has(k))
        items.append(f"**{_cell(r['en'])}** ({'; '.join(_cell(x) for x in spell)})\n"
                     f": {_cell(r['description']).rstrip('.')}. {{cite:p}}`{keys}`")
    return "\n\n".join(items)


def _has(value) -> bool:
    return isinstance(value, str) and value.strip() != ""
