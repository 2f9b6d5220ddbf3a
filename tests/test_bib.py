"""references.bib: parses, is generated from the registry, and covers every source key."""

import pytest
from pybtex.database import parse_file

from qantar import bib, data, paths

ALLOWED = {"online", "misc", "techreport", "article"}


@pytest.fixture(scope="module")
def bibliography():
    return parse_file(str(paths.BIB), bib_format="bibtex")


def test_bib_is_current():
    assert paths.BIB.read_text(encoding="utf-8") == bib.render(), "run `make bib`"


def test_every_source_key_resolves(bibliography):
    sources = data.load("sources")
    assert (sources["source_key"] == sources["bibkey"]).all()
    missing = set(sources["bibkey"]) - set(bibliography.entries)
    assert not missing


def test_every_data_source_key_is_registered():
    keys = set(data.load("sources")["source_key"])
    for table in ("event_sources", "places"):
        used = set(data.load(table)["source_key"].dropna())
        assert used <= keys, used - keys


def test_entry_types_and_fields(bibliography):
    for key, entry in bibliography.entries.items():
        assert entry.type in ALLOWED, key
        assert entry.fields.get("url", "").startswith("http"), key
        assert entry.fields["title"].startswith("{"), f"{key}: title not braced"
        if "author" not in entry.persons:
            assert "unknown" in entry.fields.get("note", "").lower() or entry.type == "techreport", key


def test_seeds_are_in_the_bibliography(bibliography):
    """All five seed articles are cited sources with their outlet and URL."""
    urls = {e.fields["url"] for e in bibliography.entries.values()}
    for fragment in (
        "justsecurity.org/85294/",
        "freedom-now.org/remembering-the-january-events-in-kazakhstan",
        "hrf.org/bloody-january-remembered",
        "justsecurity.org/82048/",
        "executiveeducation.blog/themes/conflict/lessons-from-the-january-2022-protests-in-kazakhstan",
    ):
        assert any(fragment in u for u in urls), fragment


def test_cyrillic_author_keeps_its_label():
    """With the 'alpha' style a Cyrillic author lost its letters; the configured style must not."""
    from pybtex.database import Entry, Person
    from pybtex.plugin import find_plugin
    from pybtex.database import BibliographyData

    style = find_plugin("pybtex.style.formatting", "plain")()
    entry = Entry("online", fields={"title": "{x}", "year": "2022", "url": "https://e.org"},
                  persons={"author": [Person("{Газета.Ru}")]})
    formatted = list(style.format_entries(BibliographyData({"k": entry}).entries.values()))[0]
    assert "Газета.Ru" in formatted.text.render_as("text")


def test_urls_survive_unescaped():
    """A source's URL reaches the bibliography exactly as registered (no LaTeX escapes such as \\_)."""
    from pybtex.database import parse_file

    from qantar.data import load

    bib = parse_file(str(paths.BIB), bib_format="bibtex")
    sources = load("sources")
    tricky = sources[sources["url"].str.contains(r"[_%&]", regex=True)]
    assert len(tricky) > 0
    for row in sources.to_dict("records"):
        assert bib.entries[row["bibkey"]].fields["url"] == row["url"], row["bibkey"]
