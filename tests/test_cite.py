"""Readers can cite the book and every chapter; version and date agree everywhere."""

import json
import tomllib

import yaml
from pybtex.database import parse_file, parse_string

from qantar import bib as qbib, cite, notebooks, paths


def test_citing_bib_is_current_and_parses():
    text = cite.CITING_BIB.read_text(encoding="utf-8")
    assert text == cite.render(), "run `make bib`"
    assert cite.CITING_JSON.read_text(encoding="utf-8") == qbib.csl_json(text), "run `make bib`"
    bib = parse_file(str(cite.CITING_BIB), bib_format="bibtex")
    year = str(cite.metadata()["date-released"].year)
    assert f"{cite.BOOK_KEY}{year}" in bib.entries
    assert bib.entries[f"{cite.BOOK_KEY}{year}"].type == "book"
    chapters = cite.chapters()
    assert len(chapters) >= 1
    for ch in chapters:
        entry = bib.entries[f"{ch.key}{year}"]
        assert entry.type == "incollection"
        assert entry.fields["title"].strip("{}") == ch.title
        assert entry.fields["chapter"] == ch.number
        assert entry.fields["version"] == cite.metadata()["version"]
    for key, entry in bib.entries.items():
        for name in ("publisher", "year", "month", "version", "note"):
            assert entry.fields.get(name), (key, name)
        assert entry.persons["author"], key


def test_every_chapter_shows_its_citation_box():
    for ch in cite.chapters():
        nb = json.loads((paths.CHAPTERS / f"{ch.stem}.ipynb").read_text(encoding="utf-8"))
        shown = "".join(
            "".join(out.get("data", {}).get("text/markdown", ""))
            for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", []))
        assert "Cite this chapter" in shown, ch.stem
        entry = shown.split("```bibtex\n", 1)[1].split("\n```", 1)[0]
        parsed = parse_string(entry, "bibtex")
        assert list(parsed.entries) == [f"{ch.key}{cite.metadata()['date-released'].year}"], ch.stem
        assert cite.plain(ch.stem) in shown
        # HTML only (the PDF has the How to cite page), collapsed, with links to both files.
        assert "::::{only} html\n:::{dropdown} Cite this chapter" in shown, ch.stem
        assert "citing.bib" in shown and "citing.json" in shown, ch.stem


def test_chapter_boxes_are_collapsed_in_the_html(html_book):
    import re

    for ch in cite.chapters():
        page = (html_book / "chapters" / f"{ch.stem}.html").read_text(encoding="utf-8")
        boxes = re.findall(r"<details[^>]*>\s*<summary[^>]*>.*?</summary>", page, re.S)
        boxes = [b for b in boxes if "Cite this chapter" in b]
        assert len(boxes) == 1, ch.stem
        assert " open" not in boxes[0].split(">", 1)[0], f"{ch.stem}: box open by default"


def test_how_to_cite_page_holds_every_entry():
    nb = json.loads((paths.CHAPTERS / f"{cite.HOW_TO_CITE}.ipynb").read_text(encoding="utf-8"))
    shown = "".join("".join(out.get("data", {}).get("text/markdown", ""))
                    for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", []))
    blocks = [b.split("\n```", 1)[0] for b in shown.split("```bibtex\n")[1:]]
    keys = [k for b in blocks for k in parse_string(b, "bibtex").entries]
    assert keys == list(parse_file(str(cite.CITING_BIB), bib_format="bibtex").entries)
    assert str(cite.plain()) in shown
    for ch in cite.chapters():
        assert str(cite.plain(ch.stem)) in shown, ch.stem
    assert cite.HOW_TO_CITE not in [ch.stem for ch in cite.chapters()]


def test_entries_carry_the_chapter_url_when_the_site_has_one():
    assert cite.base_url() is None or cite.base_url().endswith("/")
    base = "https://example.org/bloody-january/"
    parsed = parse_string(cite.render(base=base), "bibtex")
    year = cite.metadata()["date-released"].year
    assert parsed.entries[f"{cite.BOOK_KEY}{year}"].fields["url"] == base + "intro.html"
    for ch in cite.chapters():
        entry = parsed.entries[f"{ch.key}{year}"]
        assert entry.fields["url"] == f"{base}chapters/{ch.stem}.html"
        assert entry.fields["url"] in entry.fields["note"], "classic styles print no url field"
    if cite.base_url() is None:
        assert "url" not in parse_file(str(cite.CITING_BIB), bib_format="bibtex").entries[
            f"{cite.BOOK_KEY}{year}"].fields


def test_version_and_date_agree():
    meta = cite.metadata()
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    released = cite.fmt.date(meta["date-released"])
    assert project["version"] == meta["version"]
    assert config["parse"]["myst_substitutions"]["version"] == meta["version"]
    assert config["parse"]["myst_substitutions"]["released"] == released
    assert config["sphinx"]["config"]["release"] == meta["version"]
    assert config["sphinx"]["config"]["today"] == released


def test_citation_cff_has_what_cff_requires():
    meta = yaml.safe_load(cite.CFF.read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors", "version", "date-released"):
        assert meta.get(key), key


def test_chapter_digest_covers_citation_inputs():
    md = notebooks.chapter_sources()[0]
    assert cite.CFF in notebooks.inputs(md) and cite.TOC in notebooks.inputs(md)
