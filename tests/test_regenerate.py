"""Reproducible to the byte: re-executing every chapter, in a copy of the repository,
gives exactly the committed notebooks and figures.

The committed files are themselves an execution (``make notebooks``), so one more
execution that reproduces them byte for byte shows that two executions agree."""

import os
import subprocess
import sys
from pathlib import Path

from qantar import paths

from conftest import COPY_IGNORE, repo_copy  # noqa: F401 (COPY_IGNORE: imported from here by older tests)


def _snapshot(root: Path) -> dict[str, bytes]:
    files = list((root / "chapters").glob("*.ipynb")) + list((root / "figures").glob("*"))
    return {f.relative_to(root).as_posix(): f.read_bytes() for f in sorted(files)}


def _regenerate(root: Path):
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    subprocess.run([sys.executable, "-m", "qantar.notebooks", "--force"], cwd=root, env=env,
                   check=True, capture_output=True, text=True)


def test_regeneration_is_byte_identical(tmp_path):
    copy = repo_copy(tmp_path / "repo")
    committed = _snapshot(copy)
    assert any(k.endswith(".ipynb") for k in committed) and any(k.endswith(".png") for k in committed)
    # The execution must really rewrite what it reproduces: remove the figures first, so
    # that an identical figure cannot be one left untouched (qantar.figures.save skips
    # writing a file whose bytes would not change).
    for f in (copy / "figures").glob("*.[ps][nv]g"):
        f.unlink()
    _regenerate(copy)
    now = _snapshot(copy)
    assert now.keys() == committed.keys(), "files added or removed"
    changed = [k for k in now if now[k] != committed[k]]
    assert not changed, f"regenerated files differ from the committed ones: {changed}"


def test_the_copy_really_used_its_own_package(tmp_path):
    """Guard for the test above: the subprocess imports qantar from the copy, not the original."""
    copy = tmp_path / "repo"
    import shutil

    shutil.copytree(paths.ROOT / "src", copy / "src")
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    out = subprocess.run([sys.executable, "-c", "import qantar.paths as p; print(p.ROOT)"],
                         env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(out) == copy
