"""Never stale: a data change re-executes exactly the chapters that read it, and the
rebuilt book shows the new number; a prose edit makes only its own chapter stale."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_book, edit_csv
from qantar import notebooks, paths
from test_regenerate import COPY_IGNORE


@pytest.fixture
def repo_copy(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(paths.ROOT, copy, ignore=COPY_IGNORE)
    return copy


def _run(copy: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    return subprocess.run([sys.executable, "-m", "qantar.notebooks", *args], cwd=copy, env=env,
                          capture_output=True, text=True)


def _readers(table: str) -> set[str]:
    return {md.stem for md in notebooks.chapter_sources() if table in notebooks.tables_used(md)}


def test_committed_notebooks_are_current(repo_copy):
    assert _run(repo_copy, "--check").returncode == 0


def test_prose_edit_makes_only_that_chapter_stale(repo_copy):
    md = repo_copy / "chapters" / "03-justice.md"
    md.write_text(md.read_text(encoding="utf-8").replace("This chapter follows", "This chapter traces"), encoding="utf-8")
    out = _run(repo_copy, "--check")
    assert out.returncode == 1
    assert re.findall(r"stale: chapters/(\S+)\.md", out.stdout) == ["03-justice"]


def test_data_change_reaches_exactly_its_readers_and_the_built_book(repo_copy):
    readers = _readers("claims")
    assert readers and "01-timeline" not in readers and "91-glossary" not in readers

    def edit(rows):
        h = rows[0]
        row = next(r for r in rows[1:] if r[h.index("claim_id")] == "C035")  # the official list of 238 names
        assert r"238" == row[h.index("value")]
        row[h.index("value")] = "9238"
    edit_csv(repo_copy / "data" / "claims.csv", edit)

    out = _run(repo_copy)
    assert out.returncode == 0, out.stderr[-2000:]
    executed = set(re.findall(r"executing chapters/(\S+)\.md", out.stdout))
    assert executed == readers, out.stdout

    build_book(root=repo_copy)
    page = (repo_copy / "_build" / "html" / "chapters" / "02-figures.html").read_text(encoding="utf-8")
    assert "9,238" in page
    assert "9,238" not in (paths.ROOT / "chapters" / "02-figures.ipynb").read_text(encoding="utf-8")
