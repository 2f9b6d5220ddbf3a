"""The source registry (``data/sources.csv``) rendered as ``references.bib`` and ``references.json``.

The registry is the single place where a source is described; ``python -m
qantar.bib`` generates the BibTeX file from it and the CSL-JSON file from that
(with pandoc), and tests check that both committed files are current.

The BibTeX is written to be read, with no warning, by classic BibTeX styles
(``plain``, ``plainnat``), by biblatex with biber, by pandoc's citeproc and by
pybtex (the book's own bibliography):

- every source is a ``@misc`` (``@techreport`` for a report), types all four know;
- a source without a personal byline has a braced corporate author: the
  organisation that signed it, or else the publishing body, taken from the
  registry's publisher (the text before any parenthesis, comma, semicolon or
  "via", "citing", "relaying"... remark); the note says that no byline was seen.
  An organisation's own abbreviation, written after its name in parentheses in
  the registry ("... Rule of Law (KIBHR)"), becomes its ``shortauthor`` (biblatex
  and the book label it by that);
- months are BibTeX's month macros (``jan``), which classic styles print as
  words and biber and pandoc read as numbers;
- a source cited as the original but read in a copy (registry ``read_at``) says so
  in its note, "Read in a copy at <address>", before the closing URL sentence, so
  that classic styles, biblatex, pandoc and the book (which drops only that last
  sentence and links the copy's address itself) all print it; the address is
  escaped text, not ``\\url``, which the book's reader would print literally;
- the original's URL (registry ``url``) is in ``url`` (with ``urldate``) for
  biblatex, natbib styles and pandoc, and again at the end of ``note`` with the
  access date, because classic ``plain`` prints no ``url`` field. An original
  whose address is not known (a wire story or press release known from a
  verbatim copy) has no ``url`` and no ``urldate``: its note ends with "Read in a
  copy at <address> (accessed <date>)", so no tool presents the copy's address
  as the original's;
- text is LaTeX-escaped (``%``, ``&``, ``$``, ``#``, ``_``...); URLs stay verbatim
  in ``url``; all values are braced (pandoc reads a raw ``%`` in a braced value);
- an undated source has ``year = nodate``: classic BibTeX reads the ``@comment``
  block at the top of the file as a definition (``nodate`` = "n.d.", so natbib
  styles have a year to print), while biber, pandoc and reference managers skip
  the block and see an empty year (biblatex prints "n.d." itself).
"""

from __future__ import annotations

import codecs
import re
import sys

from . import fmt, paths

JSON = paths.ROOT / "references.json"
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
NODATE = "nodate"
#: How a note names the copy a source was read in (followed by its address).
READ_IN_A_COPY = "Read in a copy at "
NODATE_PREAMBLE = (
    '@string{nodate = ""}\n'
    "@comment{Undated sources have year = nodate. Classic BibTeX reads the next line as a\n"
    "definition and prints n.d.; biber and pandoc skip this block and see no year.\n"
    '@string{nodate = "n.d."}}\n'
)
# Where a registry publisher's remark begins: "Kazinform (state news agency)", "TASS, citing ...".
_REMARK = re.compile(r" \(|, |; | (?:via|citing|relaying|reproducing|republishing|based on|for the) ")
_ABBREVIATED = re.compile(r"(?:^|(?<= and ))[^()]*? \(([^()]+)\)")
# Characters that \url cannot take inside another command's argument (biblatex passes
# the note as one); a URL with any of them is written as escaped text instead.
_URL_UNSAFE = set("%#\\^{}~")
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "$": r"\$",
            "^": r"\^{}"}  # braces spelled out: BibTeX counts \{ and \} when it balances braces


def latex(text: str) -> str:
    """Text as LaTeX that prints exactly that text, on one line (specials escaped; Unicode kept)."""
    text = "".join(_SPECIAL.get(ch, ch) for ch in " ".join(str(text).split()))
    import latexcodec  # noqa: F401  (registers the "ulatex" codec)

    return codecs.encode(text, "ulatex+utf8")


def url_markup(url: str) -> str:
    """A URL for a text field: ``\\url{...}`` (breakable), or escaped text if \\url would break."""
    if _URL_UNSAFE & set(url):
        return latex(url)
    return r"\url{" + url + "}"


def corporate_author(row) -> str | None:
    """The author of a source without a personal byline (see the module docstring)."""
    if row["author_kind"] == "organisation":
        return row["author"]
    if row["author_kind"] == "unknown":
        return _REMARK.split(row["publisher"], maxsplit=1)[0].strip()
    return None


def short_name(name: str) -> str | None:
    """``'Kazakhstan International Bureau ... (KIBHR)'`` -> ``'KIBHR'``; None without an abbreviation."""
    short = _ABBREVIATED.sub(lambda m: m.group(1), name)
    return short if short != name else None


def _cell(row, column: str) -> str:
    import pandas as pd

    value = row.get(column)
    return "" if value is None or bool(pd.isna(value)) else str(value).strip()


def read_at(row) -> str:
    """The address of the copy actually read, when the row cites an original it could not open ('' if none)."""
    return _cell(row, "read_at")


def url(row) -> str:
    """The original's address ('' when it is not known and the row names only the copy, ``read_at``)."""
    return _cell(row, "url")


def _date_note(row) -> str | None:
    precision, published = row["published_precision"], row["published"]
    if precision == "unknown":
        return "Publication date unknown"
    if precision == "day":
        word = "Published" if row["published_basis"] == "stated" else "Date inferred:"
        return f"{word} {fmt.date(published)}"
    if row["published_basis"] == "inferred":
        return "Date inferred; exact day unknown"
    return None


def fields(row) -> tuple[str, list[tuple[str, str]]]:
    """The BibTeX entry type and its fields (name, value as written) for one registry row."""
    kind = "techreport" if row["entry_type"] == "techreport" else "misc"
    out: list[tuple[str, str]] = []
    corporate = corporate_author(row)
    if corporate is None:
        out.append(("author", " and ".join(latex(n.strip()) for n in row["author"].split(" and "))))
    else:
        out.append(("author", "{" + latex(corporate) + "}"))
        if short_name(corporate):
            out.append(("shortauthor", "{" + latex(short_name(corporate)) + "}"))
    out.append(("title", "{" + latex(row["title"]) + "}"))
    out.append(("institution" if kind == "techreport" else "howpublished", latex(row["publisher"])))
    if row["published_precision"] == "unknown":
        out.append(("year", NODATE))
    else:
        out.append(("year", str(row["published"].year)))
        if row["published_precision"] in ("day", "month"):
            out.append(("month", MONTH_MACROS[row["published"].month - 1]))
    accessed = row["accessed"].date()
    address = url(row)
    if address:
        out.append(("url", address))
        out.append(("urldate", accessed.isoformat()))
    notes = []
    if row["author_kind"] == "unknown":
        notes.append("No byline was visible; cited under the publisher's name")
    if _date_note(row):
        notes.append(_date_note(row))
    if row["grade"] == "mirror":
        notes.append("Read in a copy on another site")
    if read_at(row):
        notes.append(f"{READ_IN_A_COPY}{read_at(row)}" + ("" if address else f" (accessed {fmt.date(accessed)})"))
    notes = [latex(n) for n in notes]
    if address:
        notes.append(f"Available at {url_markup(address)} (accessed {fmt.date(accessed)})")
    out.append(("note", ". ".join(notes)))
    return kind, out


def entry_text(key: str, kind: str, items) -> str:
    """One BibTeX entry: values braced, except macros (months, ``nodate``)."""
    lines = [f"@{kind}{{{key},"]
    for name, value in items:
        bare = (name == "month" and value in MONTH_MACROS) or (name == "year" and value == NODATE)
        lines.append(f"  {name} = {value if bare else '{' + value + '}'},")
    return "\n".join(lines) + "\n}\n"


def render(sources=None) -> str:
    """BibTeX text for every source, in registry order."""
    if sources is None:
        from .data import load

        sources = load("sources")
    header = ("% Generated from data/sources.csv by `python -m qantar.bib`; do not edit by hand.\n"
              "% Read without warnings by classic BibTeX (plain, plainnat), biblatex with biber and pandoc.\n\n")
    entries = [entry_text(r["bibkey"], *fields(r)) for r in sources.to_dict("records")]
    return header + NODATE_PREAMBLE + "\n" + "\n".join(entries)


def _pandoc(source_format: str, text: str) -> list:
    import json
    import subprocess

    result = subprocess.run(["pandoc", f"--from={source_format}", "--to=csljson"], input=text,
                            capture_output=True, text=True, check=True)
    if result.stderr.strip():
        raise RuntimeError(f"pandoc: {result.stderr.strip()}")
    return json.loads(result.stdout)


def csl_json(bibtex: str) -> str:
    """CSL-JSON for BibTeX text, converted by pandoc.

    pandoc gives ``@misc`` no CSL type; every ``@misc`` here is a web page, so it
    gets ``webpage``. The ``nodate`` year (no year for pandoc) is dropped first, or
    pandoc would record year 0. The result is passed through pandoc's CSL-JSON
    reader once more (it turns straight quotes in titles into typographic ones),
    so that the file is what pandoc reads back: it round-trips unchanged."""
    import json

    text = re.sub(rf"^  year = {NODATE},\n", "", bibtex, flags=re.M)
    items = _pandoc("bibtex", text)
    for item in items:
        if not item.get("type"):
            item["type"] = "webpage"
    items = _pandoc("csljson", json.dumps(items, ensure_ascii=False))
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_csl_json(target, bibtex: str) -> None:
    """Write ``target`` from ``bibtex`` with pandoc. Without pandoc (a reader's `make book` before
    `make system-deps`) the BibTeX is still written and this says what was left as it was; the
    test suite, which installs pandoc, checks that the JSON is current."""
    import shutil

    if not shutil.which("pandoc"):
        print(f"pandoc not found: {paths.relative(target)} left as it was (run `make system-deps`, then `make bib`)")
        return
    target.write_text(csl_json(bibtex), encoding="utf-8")
    print(f"wrote {paths.relative(target)}")


def main(argv: list[str] | None = None) -> int:
    """Write references.bib and, unless ``--bibtex-only``, its CSL-JSON twin. (``--bibtex-only`` is
    for the test suite's copy with hostile text, whose book reads only the BibTeX: pandoc's reading
    of that text is checked there on one entry of each kind, not on every entry.)"""
    only = "--bibtex-only" in (sys.argv[1:] if argv is None else argv)
    text = render()
    paths.BIB.write_text(text, encoding="utf-8")
    print(f"wrote {paths.relative(paths.BIB)}")
    if not only:
        write_csl_json(JSON, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
