"""references.bib and references.json: generated from the registry, complete, and labelled as the book cites."""

import json
import re
import unicodedata

import pytest
from pybtex.database import BibliographyData, Entry, Person, parse_file
from pybtex.richtext import Text

from qantar import bib, citestyle, data, paths

ALLOWED = {"misc", "techreport"}


@pytest.fixture(scope="module")
def bibliography():
    return parse_file(str(paths.BIB), bib_format="bibtex")


@pytest.fixture(scope="module")
def sources():
    return data.load("sources")


@pytest.fixture(scope="module")
def labels(bibliography):
    return citestyle.labels(bibliography.entries.values())


def test_bib_is_current():
    text = paths.BIB.read_text(encoding="utf-8")
    assert text == bib.render(), "run `make bib`"
    assert bib.JSON.read_text(encoding="utf-8") == bib.csl_json(text), "run `make bib`"


def test_every_source_key_resolves(bibliography, sources):
    assert (sources["source_key"] == sources["bibkey"]).all()
    assert set(bibliography.entries) == set(sources["bibkey"])
    items = json.loads(bib.JSON.read_text(encoding="utf-8"))
    assert sorted(i["id"] for i in items) == sorted(sources["bibkey"])


def test_every_data_source_key_is_registered():
    keys = set(data.load("sources")["source_key"])
    for table in ("event_sources", "places"):
        used = set(data.load(table)["source_key"].dropna())
        assert used <= keys, used - keys


def test_entry_types_and_fields(bibliography, sources):
    rows = {r["bibkey"]: r for r in sources.to_dict("records")}
    for key, entry in bibliography.entries.items():
        row = rows[key]
        assert entry.type in ALLOWED, key
        if bib.url(row):
            assert entry.fields["url"] == row["url"], key
            assert entry.fields["urldate"] == row["accessed"].date().isoformat(), key
        else:  # the original's address is not known: no url, and the copy is named in the note
            assert "url" not in entry.fields and "urldate" not in entry.fields, key
            assert bib.read_at(row), f"{key}: neither url nor read_at"
        assert entry.fields["title"].startswith("{"), f"{key}: title not braced"
        assert entry.persons.get("author"), f"{key}: no author, so classic BibTeX cannot sort it"
        note = entry.fields["note"]
        assert "accessed" in note, key
        assert (citestyle.AVAILABLE in note) == bool(bib.url(row)), key
        if row["author_kind"] == "unknown":
            assert "no byline" in note.lower(), key
        else:
            assert "no byline" not in note.lower(), key


def test_sources_without_byline_are_cited_by_their_publisher(sources, labels):
    """Never by title: the corporate author is the publishing body, the start of the registry's publisher."""
    for row in sources.to_dict("records"):
        label = labels[row["bibkey"]]
        if row["author_kind"] == "unknown":
            body = bib.corporate_author(row)
            assert body and row["publisher"].startswith(body), row["bibkey"]
            assert label.startswith(body + " "), (row["bibkey"], label)
        assert label.rpartition(" ")[0] != row["title"], (row["bibkey"], label)


def test_organisation_abbreviations_become_the_label(bibliography, labels):
    short = {k: e for k, e in bibliography.entries.items() if "shortauthor" in e.fields}
    assert short, "no organisation with an abbreviation"
    for key, entry in short.items():
        full = Text.from_latex(entry.persons["author"][0].last_names[0]).render_as("text")
        abbreviation = citestyle.plain(entry.fields["shortauthor"])
        assert all(f"({part})" in full for part in abbreviation.split(" and ")), (full, abbreviation)
        assert labels[key].startswith(abbreviation + " "), labels[key]


def test_same_author_and_year_get_letters_in_title_order(bibliography, labels):
    groups = {}
    for key, entry in bibliography.entries.items():
        groups.setdefault(citestyle._base_label(entry), []).append(key)
    lettered = [g for g in groups.values() if len(g) > 1]
    assert lettered, "expected at least one author with several works in a year"
    for keys in lettered:
        ordered = sorted(keys, key=lambda k: (citestyle.collation_key(  # same title: by key, as the style does
            citestyle.plain(bibliography.entries[k].fields["title"])), k))
        suffixes = [re.search(r"[a-z]+$", labels[k]).group(0) for k in ordered]
        assert suffixes == sorted(suffixes), ordered
        assert suffixes[0] == "a" and len(set(suffixes)) == len(suffixes), ordered
    assert len(set(labels.values())) == len(labels)


def test_suffixes_never_run_out():
    """Many works by one author in one year (27 or more) still get letters, never other characters."""
    entries = [Entry("misc", fields={"title": f"{{T{i:03d}}}", "year": "2022"}, persons={"author": [Person("{X}")]})
               for i in range(60)]
    data_ = BibliographyData({f"k{i}": e for i, e in enumerate(entries)})
    labels = list(citestyle.labels(data_.entries.values()).values())
    assert len(set(labels)) == 60 and all(re.fullmatch(r"X 2022[a-z]{2}", l) for l in labels), labels
    assert labels == sorted(labels, key=citestyle.collation_key)


def test_collation_rule():
    """Latin before Cyrillic; case and accents ignored; Kazakh letters in their Kazakh places."""
    words = ["Ястреб", "zebra", "Әлем", "Alpha", "Ökonom", "абай", "Ғалым", "Ірі", "ыбырай", "Ёж", "ель",
             "Гүл", "10 news", "Ель"]
    ordered = sorted(words, key=citestyle.collation_key)
    assert ordered == ["10 news", "Alpha", "Ökonom", "zebra", "абай", "Әлем", "Гүл", "Ғалым", "Ель", "ель", "Ёж",
                       "ыбырай", "Ірі", "Ястреб"]
    assert citestyle.collation_key("Human Rights Watch 2022") < citestyle.collation_key("Human Rights Watchdog 2020")


def test_latex_escaping_round_trips():
    """Text written into a field reads back as the same text in the book (pybtex) and in pandoc."""
    import subprocess

    texts = ["Over $200 million", "81.31% of votes", "events & persecution", "P09000007S_",
             'the "New Kazakhstan"', "x^2 and ~tilde #1", "Қаңтар оқиғасы — «Ховар»"]
    style = citestyle.Style()
    entries = {f"k{i}": Entry("misc", fields={"title": "{" + bib.latex(t) + "}", "year": "2022"},
                              persons={"author": [Person("{X}")]}) for i, t in enumerate(texts)}
    shown = {e.key: e.text.render_as("text") for e in style.format_entries(BibliographyData(entries).entries.values())}
    bibtex = "".join(bib.entry_text(k, "misc", [("author", "{X}"), ("title", e.fields["title"]), ("year", "2022")])
                     for k, e in entries.items())
    csl = {i["id"]: i["title"] for i in json.loads(subprocess.run(
        ["pandoc", "--from=bibtex", "--to=csljson"], input=bibtex, capture_output=True, text=True,
        check=True).stdout)}
    for i, text in enumerate(texts):
        assert f"X. {text}." in shown[f"k{i}"], shown[f"k{i}"]
        assert csl[f"k{i}"] == text, csl[f"k{i}"]
    for text in ("a {brace", "a back\\slash}"):
        from pybtex.bibtex.utils import scan_bibtex_string

        assert list(scan_bibtex_string(bib.latex(text)))[-1][1] == 0, "unbalanced braces"


def test_cyrillic_author_keeps_its_label():
    """With pybtex's 'alpha' style a Cyrillic author lost its letters; the book's style keeps them."""
    entry = Entry("misc", fields={"title": "{x}", "year": "2022", "url": "https://e.org"},
                  persons={"author": [Person("{Газета.Ru}")]})
    data_ = BibliographyData({"k": entry})
    assert citestyle.labels(data_.entries.values()) == {"k": "Газета.Ru 2022"}
    formatted = list(citestyle.Style().format_entries(data_.entries.values()))[0]
    assert formatted.label == "Газета.Ru 2022" and "Газета.Ru" in formatted.text.render_as("text")


def test_urls_survive_unescaped(bibliography, sources):
    """A source's URL reaches the bibliography exactly as registered (no LaTeX escapes such as \\_)."""
    tricky = sources[sources["url"].str.contains(r"[_%&]", regex=True, na=False)]
    assert len(tricky) > 0
    items = {i["id"]: i for i in json.loads(bib.JSON.read_text(encoding="utf-8"))}
    for row in sources.to_dict("records"):
        if not bib.url(row):
            continue
        assert bibliography.entries[row["bibkey"]].fields["url"] == row["url"], row["bibkey"]
        assert items[row["bibkey"]]["URL"] == row["url"], row["bibkey"]


def test_seeds_are_in_the_bibliography(bibliography):
    """All five seed articles are cited sources with their outlet and URL."""
    urls = {e.fields.get("url", "") for e in bibliography.entries.values()}
    for fragment in (
        "justsecurity.org/85294/",
        "freedom-now.org/remembering-the-january-events-in-kazakhstan",
        "hrf.org/bloody-january-remembered",
        "justsecurity.org/82048/",
        "executiveeducation.blog/themes/conflict/lessons-from-the-january-2022-protests-in-kazakhstan",
    ):
        assert any(fragment in u for u in urls), fragment
