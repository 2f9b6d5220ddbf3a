"""Readers can cite the book and every chapter; version and date agree everywhere."""

import json
import tomllib

import yaml
from pybtex.database import parse_file, parse_string

from qantar import cite, notebooks, paths


def test_citing_bib_is_current_and_parses():
    assert cite.CITING_BIB.read_text(encoding="utf-8") == cite.render(), "run `python -m qantar.cite`"
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
