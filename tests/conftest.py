import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qantar import paths


@pytest.fixture
def data_copy(tmp_path):
    """A throw-away copy of data/, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def edit_csv(path: Path, edit):
    """Apply ``edit(rows)`` to a CSV's rows (header first) and write it back."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


JB = str(Path(sys.executable).with_name("jupyter-book"))
HTML = paths.ROOT / "_build" / "html"


def build_book(*extra, root: Path = paths.ROOT):
    """Build the book strictly (-W -n); fail with the warnings if there are any."""
    result = subprocess.run([JB, "build", str(root), "-W", "-n", "--keep-going", *extra],
                            capture_output=True, text=True)
    log = result.stdout + result.stderr
    warnings = [l for l in log.splitlines() if "WARNING" in l or "ERROR" in l]
    assert result.returncode == 0 and not warnings, "\n".join(warnings) or log[-3000:]


PDF = paths.ROOT / "_build" / "latex" / "bloody-january.pdf"


@pytest.fixture(scope="session")
def pdf_book():
    """The PDF book, built once per test session (strictly), so no test reads a stale PDF."""
    import shutil as _shutil

    assert _shutil.which("xelatex") and _shutil.which("pdftotext"), "TeX or poppler missing: run `make system-deps`"
    build_book("--builder", "pdflatex")
    assert PDF.exists()
    return PDF


@pytest.fixture(scope="session")
def html_book():
    """The HTML book, built once per test session from the committed notebooks."""
    build_book()
    return HTML
