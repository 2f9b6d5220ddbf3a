"""The source registry cites originals, says where a text was read, and the book shows which facts rest on copies.

- mirrors (copies cited as sources of their own) are at most a tenth of the registry;
- a row that cites an original read in a copy names that copy (``read_at``): an http(s)
  address other than the original's;
- the annex tables mark a fact whose every source was read in a copy, and only such a fact
  (examples taken from the data, checked in the built HTML book);
- the bibliography note "Read in a copy at ..." reaches classic BibTeX's output.
"""

import csv
import html
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pandas as pd
import pytest

from qantar import bib, markup, paths, sourcing
from qantar.data import load

MAX_MIRROR_SHARE = 0.10


def _registry_rows():
    with open(paths.ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_mirrors_are_at_most_a_tenth_of_the_registry():
    rows = _registry_rows()
    mirrors = [r["source_key"] for r in rows if r["grade"] == "mirror"]
    share = len(mirrors) / len(rows)
    assert share <= MAX_MIRROR_SHARE, (f"{len(mirrors)} of {len(rows)} sources ({share:.0%}) are mirrors; "
                                       f"at most {MAX_MIRROR_SHARE:.0%} allowed")


def test_read_at_is_another_http_address():
    rows = [r for r in _registry_rows() if r["read_at"].strip()]
    assert rows, "no source records a copy it was read in"
    for r in rows:
        parts = urlsplit(r["read_at"])
        assert parts.scheme in ("http", "https") and parts.netloc, (r["source_key"], r["read_at"])
        assert r["read_at"].strip() != r["url"].strip(), r["source_key"]
        assert r["grade"] != "mirror", f"{r['source_key']}: a mirror is itself the copy; read_at is for originals"


def test_copy_keys_follow_grade_and_read_at():
    sources = load("sources")
    keys = sourcing.copy_keys(sources)
    for r in sources.to_dict("records"):
        expected = r["grade"] == "mirror" or not (pd.isna(r["read_at"]) or not str(r["read_at"]).strip())
        assert (r["source_key"] in keys) == expected, r["source_key"]


def test_sources_cell_marks_only_facts_resting_on_copies():
    sources = load("sources")
    copies = sourcing.copy_keys(sources)
    copy_key = sorted(copies)[0]
    original_key = sorted(set(sources["source_key"]) - copies)[0]
    marker = markup.escape(sourcing.COPY_ONLY)
    assert sourcing.sources_cell([copy_key], copies).endswith(marker)
    assert marker not in sourcing.sources_cell([original_key], copies)
    assert marker not in sourcing.sources_cell([copy_key, original_key], copies)
    assert sourcing.sources_cell([original_key], copies) == markup.cite([original_key])


# ---------------------------------------------------------------- the built annexes


ANNEXES = {"claims": "82-annex-figures", "events": "81-annex-chronology"}
KINDS = {"claims": "claim", "events": "event"}


def _examples(name):
    """A fact of ``name`` whose only source is a mirror, and one citing an original read at its own address."""
    sources = load("sources")
    mirrors = set(sources.loc[sources["grade"] == "mirror", "source_key"])
    originals = set(sources["source_key"]) - sourcing.copy_keys(sources)
    facts = sourcing.fact_sources(name)
    on_mirror = sorted(i for i, keys in facts.items() if len(keys) == 1 and keys[0] in mirrors)
    on_original = sorted(i for i, keys in facts.items() if set(keys) & originals)
    assert on_mirror and on_original, f"the data have no example for {name}"
    return on_mirror[0], on_original[0]


def _row_text(page: str, kind: str, row_id: str) -> str:
    """The text of the table row that carries ``row_id``'s anchor."""
    target = f'id="{markup.label(kind, row_id)}"'
    at = page.find(target)
    assert at >= 0, f"{row_id}: no anchor {target} in the page"
    start, end = page.rfind("<tr", 0, at), page.find("</tr>", at)
    assert start >= 0 and end > at, f"{row_id}: anchor not in a table row"
    return html.unescape(re.sub(r"<[^>]+>", " ", page[start:end]))


@pytest.mark.parametrize("name", sorted(ANNEXES))
def test_copy_only_marker_in_the_built_annex(html_book, name):
    on_mirror, on_original = _examples(name)
    page = (html_book / "chapters" / f"{ANNEXES[name]}.html").read_text(encoding="utf-8")
    assert sourcing.COPY_ONLY in _row_text(page, KINDS[name], on_mirror), on_mirror
    assert sourcing.COPY_ONLY not in _row_text(page, KINDS[name], on_original), on_original


# ---------------------------------------------------------------- the bibliography


def test_read_in_a_copy_note_reaches_classic_bibtex(tmp_path):
    assert shutil.which("bibtex"), "bibtex missing: run `make system-deps` (apt.txt)"
    sources = load("sources")
    rows = [r for r in sources.to_dict("records") if bib.read_at(r)]
    assert rows, "no source records a copy it was read in"
    shutil.copy(paths.BIB, tmp_path / "references.bib")
    keys = [r["bibkey"] for r in rows]
    (tmp_path / "doc.aux").write_text("".join(f"\\citation{{{k}}}\n" for k in keys)
                                      + "\\bibstyle{plain}\n\\bibdata{references}\n", encoding="utf-8")
    result = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    bbl = re.sub(r"\s*\n\s*", " ", bbl.replace("%\n", ""))
    for r in rows:
        entry = bbl[bbl.index(f"\\bibitem{{{r['bibkey']}}}"):]
        entry = entry[:entry.find("\\bibitem", 1)] if "\\bibitem" in entry[1:] else entry
        assert f"Read in a copy at {bib.latex(bib.read_at(r))}" in entry, r["bibkey"]


# ---------------------------------------------------------------- originals whose address is not known


def _copy_only_originals():
    rows = [r for r in load("sources").to_dict("records") if not bib.url(r)]
    assert rows, "every source has the original's address: nothing to test"
    return rows


def test_an_original_without_address_names_its_copy():
    """A row without the original's address cites the original, read in a copy: read_at set, not a mirror."""
    for r in _copy_only_originals():
        assert bib.read_at(r), f"{r['source_key']}: neither url nor read_at"
        assert r["grade"] != "mirror", f"{r['source_key']}: a mirror's url is the copy itself"


def test_no_tool_takes_the_copy_for_the_original():
    """No url/urldate in the BibTeX of an original without address; the note names the copy and its access date."""
    from pybtex.database import parse_file

    entries = parse_file(str(paths.BIB), bib_format="bibtex").entries
    for r in _copy_only_originals():
        entry = entries[r["bibkey"]]
        assert "url" not in entry.fields and "urldate" not in entry.fields, r["bibkey"]
        note = entry.fields["note"]
        assert f"{bib.READ_IN_A_COPY}{bib.latex(bib.read_at(r))} (accessed " in note, r["bibkey"]
        assert "Available at" not in note, r["bibkey"]


def test_the_book_links_the_copy_labelled_as_a_copy():
    """The book's bibliography style shows the copy's address as a link, after "Read in a copy at"."""
    from pybtex.database import parse_file

    from qantar import citestyle

    entries = parse_file(str(paths.BIB), bib_format="bibtex").entries
    rows = [r for r in load("sources").to_dict("records") if bib.read_at(r)]
    with_url = [r for r in rows if bib.url(r)]
    without = [r for r in rows if not bib.url(r)]
    assert with_url and without, "the data have no example of both kinds"
    for r in with_url[:3] + without:
        formatted = next(iter(citestyle.Style().format_entries([entries[r["bibkey"]]])))
        page = formatted.text.render_as("html")
        copies = [html.unescape(a) for a in re.findall(r'Read in a copy at <a href="([^"]*)"', page)]
        hrefs = [html.unescape(a) for a in re.findall(r'<a href="([^"]*)"', page)]
        assert copies == [bib.read_at(r)], (r["bibkey"], page)
        assert hrefs == ([bib.url(r)] if bib.url(r) else []) + [bib.read_at(r)], (r["bibkey"], page)


# ---------------------------------------------------------------- retired keys


def _retired():
    with open(paths.ROOT / "research" / "retired-keys.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_retired_keys_are_gone_and_their_replacements_registered():
    """A retired key (a duplicate registration or a redundant copy) is no longer a registry row, no data
    table or chapter cites it, and its replacement, when it names one, is a registry row."""
    retired = _retired()
    assert retired, "research/retired-keys.csv lists no key"
    keys = {r["source_key"] for r in _registry_rows()}
    gone = {r["retired"] for r in retired}
    assert not gone & keys, sorted(gone & keys)
    for r in retired:
        assert r["reason"].strip(), r["retired"]
        assert not r["replacement"] or r["replacement"] in keys, (r["retired"], r["replacement"])
    for path in sorted((paths.ROOT / "data").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for col, value in row.items():
                    if col and "source_key" in col and path.name != "sources.csv":
                        assert value not in gone, (path.name, col, value)
    for path in sorted((paths.ROOT / "chapters").glob("*.md")):
        for group in re.findall(r"\{cite:[a-z]+\}`([^`]*)`", path.read_text(encoding="utf-8")):
            cited = {k.strip() for k in group.split(",")}
            assert not cited & gone, (path.name, sorted(cited & gone))
