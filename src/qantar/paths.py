"""Project paths, resolved from the package's own location."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
DATAPACKAGE = DATA / "datapackage.json"
CHAPTERS = ROOT / "chapters"
FIGURES = ROOT / "figures"
BIB = ROOT / "references.bib"
PACKAGE = Path(__file__).resolve().parent


def relative(path: Path) -> str:
    """A path as shown to people: relative to the repository, POSIX style."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()
