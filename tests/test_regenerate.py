"""Reproducible to the byte: re-executing the chapters gives exactly the committed notebooks
and figures.

The committed files are themselves an execution (``make notebooks``), and every run of the
suite re-executes every chapter twice: strict nbval in the tree, and
``qantar.notebooks`` in the changed copy of the repository (conftest.py's ``rebuilt_copy``).
The checks share those executions rather than adding one:

- strict nbval compares every output of every cell (text, Markdown, HTML and the glued
  values) with the committed notebook;
- during nbval, each chapter's ``qantar.figures.save`` and ``save_csv`` write nothing and
  fail on any figure or download whose bytes differ from the committed file
  (``qantar.figures.VERIFY_ENV``, set by the top-level conftest.py); the probe below shows
  that this fails a re-execution that draws a different figure;
- the changed copy's re-execution, from each chapter's Markdown, writes notebooks that are
  the committed ones in everything but the outputs and the digest of the inputs (which the
  changed data changes): the same cells, ids, kernel, pairing and recorded reads (but for
  the tables that only validation opens, which the copy skips).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qantar import figures, paths

from conftest import COPY_IGNORE, repo_copy  # noqa: F401 (COPY_IGNORE: imported from here by older tests)


def test_the_copy_really_used_its_own_package(tmp_path):
    """Guard for the tests that run a copy: the subprocess imports qantar from the copy."""
    copy = tmp_path / "repo"
    import shutil

    shutil.copytree(paths.ROOT / "src", copy / "src")
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    out = subprocess.run([sys.executable, "-c", "import qantar.paths as p; print(p.ROOT)"],
                         env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(out) == copy


def test_verify_mode_writes_nothing_and_fails_on_a_difference(tmp_path, monkeypatch):
    target = tmp_path / "f.csv"
    target.write_bytes(b"a\n")
    monkeypatch.setenv(figures.VERIFY_ENV, "1")
    assert figures._write(target, b"a\n")  # the same bytes pass
    with pytest.raises(figures.NotReproduced, match="f.csv"):
        figures._write(target, b"b\n")
    assert target.read_bytes() == b"a\n"
    with pytest.raises(figures.NotReproduced):
        figures._write(tmp_path / "missing.svg", b"x")
    assert not (tmp_path / "missing.svg").exists()
    monkeypatch.delenv(figures.VERIFY_ENV)
    figures._write(target, b"b\n")  # outside verify mode, a difference is written
    assert target.read_bytes() == b"b\n"


def test_strict_nbval_fails_a_chapter_whose_figure_differs(tmp_path):
    """The probe: in a copy, one committed figure loses a byte; strict nbval on the chapter that
    draws it (the shortest chapter with a figure) must fail and name the file, and leave it as it was."""
    copy = repo_copy(tmp_path / "repo")
    svg = copy / "figures" / "05-tracker.svg"
    damaged = svg.read_bytes()[:-1]
    svg.write_bytes(damaged)
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    env.pop(figures.VERIFY_ENV, None)  # set by the top-level conftest.py of the copy, not by this process
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "chapters/05-conclusions.ipynb"], cwd=copy, env=env, capture_output=True, text=True)
    assert out.returncode != 0, out.stdout[-2000:]
    assert "NotReproduced" in out.stdout and "figures/05-tracker.svg" in out.stdout, out.stdout[-3000:]
    assert svg.read_bytes() == damaged


def _structure(nb: dict) -> dict:
    """A notebook without its outputs, execution counts, input digest and recorded reads."""
    nb = json.loads(json.dumps(nb))
    nb["metadata"]["qantar"].pop("inputs_sha256")
    nb["metadata"]["qantar"].pop("reads")
    for cell in nb["cells"]:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return nb


def test_reexecution_writes_the_committed_notebooks_but_for_the_changed_data(rebuilt_copy):
    from test_injection import regenerated

    regenerated(rebuilt_copy)
    copy = rebuilt_copy["copy"]
    committed = sorted(paths.CHAPTERS.glob("*.ipynb"))
    assert committed and {p.name for p in (copy / "chapters").glob("*.ipynb")} == {p.name for p in committed}
    differ = []
    for nb in committed:
        ours = json.loads(nb.read_text(encoding="utf-8"))
        theirs = json.loads((copy / "chapters" / nb.name).read_text(encoding="utf-8"))
        if any(r.startswith("data/") and r.endswith(".csv") for r in ours["metadata"]["qantar"]["reads"]):
            assert theirs["metadata"]["qantar"]["inputs_sha256"] != ours["metadata"]["qantar"]["inputs_sha256"], \
                f"{nb.name} reads a changed table but was not re-executed in the copy"
        if _structure(theirs) != _structure(ours):
            differ.append(nb.name)
        # Validation is skipped in the copy (its text is hostile on purpose), so the tables that
        # only validation opens (to check the keys between tables) are not read there; every
        # other read is the same.
        ours_read, theirs_read = set(ours["metadata"]["qantar"]["reads"]), set(theirs["metadata"]["qantar"]["reads"])
        assert theirs_read <= ours_read, (nb.name, theirs_read - ours_read)
        assert all(r.startswith("data/") and r.endswith(".csv") for r in ours_read - theirs_read), \
            (nb.name, ours_read - theirs_read)
    assert not differ, f"re-executed notebooks differ from the committed ones beyond their outputs: {differ}"
