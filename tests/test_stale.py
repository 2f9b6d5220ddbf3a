"""Never stale: a data change re-executes exactly the chapters that read it, and the
rebuilt book shows the new number; a prose edit makes only its own chapter (and the
How to cite page, which lists every title) stale."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COPY_IGNORE, edit_csv, repo_copy  # noqa: F401 (COPY_IGNORE: imported from here by older tests)
from qantar import notebooks, paths


@pytest.fixture
def fresh_copy(tmp_path):
    return repo_copy(tmp_path / "repo")


def _run(copy: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    return subprocess.run([sys.executable, "-m", "qantar.notebooks", *args], cwd=copy, env=env,
                          capture_output=True, text=True)


def _readers(table: str) -> set[str]:
    return {md.stem for md in notebooks.chapter_sources() if table in notebooks.tables_used(md)}


def test_committed_notebooks_are_current(fresh_copy):
    assert _run(fresh_copy, "--check").returncode == 0


def test_prose_edit_makes_only_that_chapter_stale(fresh_copy):
    md = fresh_copy / "chapters" / "03-justice.md"
    text = md.read_text(encoding="utf-8")
    md.write_text(text + "\nA sentence of prose added at the end of the chapter.\n", encoding="utf-8")
    out = _run(fresh_copy, "--check")
    assert out.returncode == 1
    # The How to cite page lists every chapter's title, so it reads every chapter's file.
    assert re.findall(r"stale: chapters/(\S+)\.md", out.stdout) == ["03-justice", "92-how-to-cite"]


NEW_VALUE = "9238"  # the official list of 238 names (claim C035), changed


def change_a_number(copy: Path) -> dict:
    """Step 1 of the ``rebuilt_copy`` fixture (conftest.py): change one number in the claims of
    ``copy``; record which chapters ``qantar.notebooks`` then finds stale, the list it executes
    (step 2 re-executes them, with every other chapter)."""
    def edit(rows):
        h = rows[0]
        row = next(r for r in rows[1:] if r[h.index("claim_id")] == "C035")  # the official list of 238 names
        assert r"238" == row[h.index("value")]
        row[h.index("value")] = NEW_VALUE
    edit_csv(copy / "data" / "claims.csv", edit)
    return {"number_check": _run(copy, "--check")}


def test_data_change_reaches_exactly_its_readers_and_the_built_book(rebuilt_copy):
    """``qantar.notebooks`` executes exactly the chapters that ``--check`` lists (one list, in
    ``main``); executing stale chapters makes them current (test_any_file_a_chapter_opens_is_an_input)."""
    readers = _readers("claims")
    assert readers and "91-glossary" not in readers  # not every chapter reads the claims
    assert "02-figures" in readers

    out = rebuilt_copy["number_check"]
    assert out.returncode == 1, out.stderr[-2000:]
    stale = set(re.findall(r"stale: chapters/(\S+)\.md", out.stdout))
    assert stale == readers, out.stdout

    # The book built from the copy, re-executed (after step 2 of the fixture, which changes text cells only).
    from test_injection import regenerated

    regenerated(rebuilt_copy)
    page = (rebuilt_copy["copy"] / "_build" / "html" / "chapters" / "02-figures.html").read_text(encoding="utf-8")
    assert "9,238" in page
    assert "9,238" not in (paths.ROOT / "chapters" / "02-figures.ipynb").read_text(encoding="utf-8")


def test_outline_change_reexecutes_the_timeline_and_redraws_the_map(fresh_copy):
    """The map outline is read outside any table; the recorded reads still cover it."""
    assert "data/geo/kazakhstan.geojson" in notebooks.recorded_reads(paths.CHAPTERS / "01-timeline.md")
    outline = fresh_copy / "data" / "geo" / "kazakhstan.geojson"
    import json
    gj = json.loads(outline.read_text(encoding="utf-8"))
    ring = gj["features"][0]["geometry"]["coordinates"][0]
    ring = ring[0] if isinstance(ring[0][0], list) else ring  # Polygon or MultiPolygon
    ring[1] = [ring[1][0] + 1.5, ring[1][1] + 1.5]  # move one vertex of the border
    outline.write_text(json.dumps(gj), encoding="utf-8")

    out = _run(fresh_copy, "--check")
    assert re.findall(r"stale: chapters/(\S+)\.md", out.stdout) == ["01-timeline"], out.stdout
    before = (fresh_copy / "figures" / "01-protest-map.png").read_bytes()
    out = _run(fresh_copy)
    assert out.returncode == 0, out.stderr[-2000:]
    assert (fresh_copy / "figures" / "01-protest-map.png").read_bytes() != before


def test_any_file_a_chapter_opens_is_an_input(fresh_copy):
    """A chapter that reads a file by any means (here plain open()) is stale when it changes."""
    extra = fresh_copy / "data" / "geo" / "PROVENANCE.md"
    md = fresh_copy / "chapters" / "91-glossary.md"
    text = md.read_text(encoding="utf-8")
    cell = "```{code-cell} ipython3\n:tags: [remove-cell]\n\nopen('../data/geo/PROVENANCE.md').read();\n```\n\n"
    md.write_text(text + "\n" + cell, encoding="utf-8")
    assert _run(fresh_copy).returncode == 0  # the glossary, and the How to cite page that reads its title
    assert _run(fresh_copy, "--check").returncode == 0
    extra.write_text(extra.read_text(encoding="utf-8") + "\nchanged\n", encoding="utf-8")
    out = _run(fresh_copy, "--check")
    assert re.findall(r"stale: chapters/(\S+)\.md", out.stdout) == ["91-glossary"], out.stdout


def _make(copy: Path, *targets, dry=False):
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    bin_dir = Path(sys.executable).parent
    return subprocess.run(["make", "-C", str(copy), *(["-n"] if dry else []), f"BIN={bin_dir}", "STAMP=",
                           *targets], env=env, capture_output=True, text=True)


def test_make_book_regenerates_the_bibliography(fresh_copy):
    """Changing the registry or CITATION.cff makes `make book` rewrite references.bib and citing.bib."""
    import time

    assert _make(fresh_copy, "references.bib", "citing.bib").returncode == 0
    git_bib = (paths.ROOT / "references.bib").read_bytes()
    assert (fresh_copy / "references.bib").read_bytes() == git_bib  # regenerating committed inputs changes nothing
    assert "qantar.bib" not in _make(fresh_copy, "references.bib", dry=True).stdout  # now up to date
    time.sleep(0.05)

    def edit(rows):
        h = rows[0]
        rows[1][h.index("title")] = "A title changed by a contributor"
    edit_csv(fresh_copy / "data" / "sources.csv", edit)
    cff = fresh_copy / "CITATION.cff"
    cff.write_text(cff.read_text(encoding="utf-8").replace("Bloody January", "Bloody January (renamed)", 1),
                   encoding="utf-8")
    plan = _make(fresh_copy, "book", dry=True).stdout
    assert "qantar.bib" in plan and "qantar.cite" in plan, plan
    out = _make(fresh_copy, "references.bib", "citing.bib")
    assert out.returncode == 0, out.stderr
    assert "A title changed by a contributor" in (fresh_copy / "references.bib").read_text(encoding="utf-8")
    assert "Bloody January (renamed)" in (fresh_copy / "citing.bib").read_text(encoding="utf-8")
