"""Each chapter's .md and executed .ipynb are a faithful, current, fully executed pair."""

import json

import jupytext
import pytest

from qantar import notebooks, paths

CHAPTERS = notebooks.chapter_sources()


def test_there_are_chapters():
    assert CHAPTERS, "no chapters/NN-slug.md found"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_pair_exists_and_matches(md):
    nb_path = notebooks.notebook_for(md)
    assert nb_path.exists(), f"{paths.relative(nb_path)} is missing: run `make notebooks`"
    text_nb = jupytext.read(md, fmt="md:myst")
    stored = json.loads(nb_path.read_text(encoding="utf-8"))
    mine = [(c.cell_type, c.source) for c in text_nb.cells]
    theirs = [(c["cell_type"], "".join(c["source"])) for c in stored["cells"]]
    assert mine == theirs, f"{nb_path.name} cells differ from {md.name}: run `make notebooks`"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_every_code_cell_was_executed(md):
    stored = json.loads(notebooks.notebook_for(md).read_text(encoding="utf-8"))
    counts = [c.get("execution_count") for c in stored["cells"] if c["cell_type"] == "code"]
    assert counts and None not in counts
    assert counts == list(range(1, len(counts) + 1)), "cells were not executed in one clean run"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_outputs_are_current(md):
    """The stored outputs were made from the current .md, data and package."""
    assert not notebooks.is_stale(md), f"{md.name} is stale: run `make notebooks`"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_no_machine_paths_or_errors_in_outputs(md):
    text = notebooks.notebook_for(md).read_text(encoding="utf-8")
    assert str(paths.ROOT) not in text and "/home/" not in text and "/tmp/" not in text
    assert '"output_type": "error"' not in text and '"name": "stderr"' not in text


def test_inputs_cover_the_data_a_chapter_loads():
    """The digest that decides re-execution covers the .md, every table loaded (and
    the tables they refer to), the data package and the helper package."""
    md = paths.CHAPTERS / "01-timeline.md"
    used = set(notebooks.inputs(md))
    for name in ("events.csv", "event_sources.csv", "sources.csv", "places.csv", "datapackage.json"):
        assert paths.DATA / name in used, name
    assert md in used and paths.PACKAGE / "data.py" in used
