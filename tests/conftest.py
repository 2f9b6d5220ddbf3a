import shutil
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
