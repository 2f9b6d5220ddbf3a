"""The source registry (``data/sources.csv``) rendered as ``references.bib``.

The registry is the single place where a source is described; the BibTeX file
is generated from it with pybtex (``python -m qantar.bib``), and a test checks
that the committed file is current.
"""

from __future__ import annotations

import sys

from . import fmt, paths

_MONTHS = fmt.MONTHS
_TEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def tex(text) -> str:
    """Registry text as a BibTeX field value: backslashes and braces (which BibTeX would read as
    commands and groups) written as LaTeX text commands, one line. pybtex escapes the rest."""
    return "".join(_TEX.get(ch, ch) for ch in " ".join(str(text).split()))


def _entry(row):
    from pybtex.database import Entry, Person

    fields = {"title": "{" + tex(row["title"]) + "}", "howpublished": tex(row["publisher"]), "url": row["url"]}
    notes = []
    if row["entry_type"] == "techreport":
        fields["institution"] = tex(row["publisher"])
        del fields["howpublished"]
    persons = {}
    if row["author_kind"] == "person":
        persons["author"] = [Person(tex(name)) for name in row["author"].split(" and ")]
    elif row["author_kind"] == "organisation":
        persons["author"] = [Person("{" + tex(row["author"]) + "}")]
    else:
        notes.append("Author unknown: no byline was visible")
    precision = row["published_precision"]
    published = row["published"]
    if precision != "unknown":
        fields["year"] = str(published.year)
        if precision in ("day", "month"):
            fields["month"] = _MONTHS[published.month - 1]
        if precision == "day":
            word = "Published" if row["published_basis"] == "stated" else "Date inferred"
            notes.append(f"{word} {fmt.date(published)}")
        elif row["published_basis"] == "inferred":
            notes.append("Date inferred; exact day unknown")
    else:
        notes.append("Publication date unknown")
    fields["urldate"] = row["accessed"].date().isoformat()
    if row["grade"] == "mirror":
        notes.append("Read in a copy on another site")
    if notes:
        fields["note"] = ". ".join(notes)
    return Entry(row["entry_type"], fields=fields, persons=persons)


def render(sources=None) -> str:
    """BibTeX text for every source, in registry order."""
    from pybtex.database import BibliographyData

    if sources is None:
        from .data import load

        sources = load("sources")
    bib = BibliographyData()
    for row in sources.to_dict("records"):
        bib.add_entry(row["bibkey"], _entry(row))
    header = "% Generated from data/sources.csv by `python -m qantar.bib`; do not edit by hand.\n\n"
    return header + _unescape_urls(bib.to_string("bibtex"))


def _unescape_urls(text: str) -> str:
    """pybtex's writer escapes _ % & # as for LaTeX text; a url field must stay verbatim
    (sphinxcontrib-bibtex and biblatex treat it as a URL), or links break."""
    import re

    def fix(match):
        return match.group(1) + re.sub(r"\\([_%&#$])", r"\1", match.group(2)) + match.group(3)

    return re.sub(r'^(    url = ")(.*)(",?)$', fix, text, flags=re.M)


def main() -> int:
    paths.BIB.write_text(render(), encoding="utf-8")
    print(f"wrote {paths.relative(paths.BIB)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
