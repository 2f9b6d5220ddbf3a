"""How to cite the report and each chapter.

``CITATION.cff`` (title, authors, version, release date) and ``_toc.yml``
(chapter order) are the only inputs; chapter titles come from each chapter's
first heading. From them this module renders ``citing.bib`` (one ``@book``
entry and one ``@incollection`` entry per chapter, written with pybtex) and the
"Cite this chapter" box shown at the end of every chapter.

Usage: ``python -m qantar.cite`` rewrites ``citing.bib``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import fmt, paths
from .markup import code_block, download, md, show

CFF = paths.ROOT / "CITATION.cff"
TOC = paths.ROOT / "_toc.yml"
CITING_BIB = paths.ROOT / "citing.bib"
BOOK_KEY = "bloodyjanuary"


@dataclass(frozen=True)
class Chapter:
    stem: str  # e.g. "01-timeline"
    number: str  # "1", "2", ... or "A", "B" in the back matter

    @property
    def title(self) -> str:
        """Read when asked for: a chapter's box reads its own file only, so editing one
        chapter does not make the others stale."""
        return _title(paths.CHAPTERS / f"{self.stem}.md")

    @property
    def key(self) -> str:
        return f"{BOOK_KEY}{self.stem.split('-', 1)[1].replace('-', '')}"


def metadata() -> dict:
    import yaml

    meta = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    released = meta["date-released"]
    if not isinstance(released, dt.date):
        released = dt.date.fromisoformat(str(released))
    meta["date-released"] = released
    return meta


def _title(md: Path) -> str:
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{paths.relative(md)}: no '# ' title heading")


def chapters() -> list[Chapter]:
    """Chapters in book order: numbered parts count 1, 2, ...; unnumbered parts A, B, ..."""
    import yaml

    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    out: list[Chapter] = []
    number, letter = 0, 0
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            file = entry["file"]
            if not file.startswith("chapters/"):
                continue
            if part.get("numbered"):
                number += 1
                label = str(number)
            else:
                letter += 1
                label = chr(ord("A") + letter - 1)
            out.append(Chapter(Path(file).name, label))
    return out


def chapter(stem: str) -> Chapter:
    for ch in chapters():
        if ch.stem == stem:
            return ch
    raise KeyError(f"{stem!r} is not a chapter in {paths.relative(TOC)}")


def _authors(meta) -> list[str]:
    names = []
    for a in meta["authors"]:
        names.append("{" + a["name"] + "}" if "name" in a else f"{a['family-names']}, {a['given-names']}")
    return names


def _authors_plain(meta) -> str:
    return " and ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in meta["authors"])


def _note(meta) -> str:
    return f"Version {meta['version']}, released {fmt.date(meta['date-released'])}"


def bibliography(stems=None):
    """pybtex BibliographyData: the book, then each chapter (or only those in ``stems``)."""
    from pybtex.database import BibliographyData, Entry, Person

    meta = metadata()
    year = str(meta["date-released"].year)
    month = fmt.MONTHS[meta["date-released"].month - 1]
    people = {"author": [Person(n) for n in _authors(meta)]}
    bib = BibliographyData()
    common = {"year": year, "month": month, "version": str(meta["version"]), "note": _note(meta)}
    bib.add_entry(f"{BOOK_KEY}{year}", Entry("book", fields={"title": "{" + meta["title"] + "}", **common},
                                             persons=people))
    for ch in chapters():
        if stems is not None and ch.stem not in stems:
            continue
        fields = {"title": "{" + ch.title + "}", "booktitle": "{" + meta["title"] + "}",
                  "chapter": ch.number, **common}
        bib.add_entry(f"{ch.key}{year}", Entry("incollection", fields=fields, persons=people))
    return bib


def render() -> str:
    header = ("% BibTeX entries for citing 'Bloody January' and each of its chapters.\n"
              "% Generated from CITATION.cff and _toc.yml by `python -m qantar.cite`; do not edit by hand.\n\n")
    return header + bibliography().to_string("bibtex")


def plain(stem: str) -> str:
    """A plain-text reference to one chapter."""
    meta, ch = metadata(), chapter(stem)
    where = "Chapter" if ch.number.isdigit() else "Appendix"
    return md("{} ({}). \u201c{}\u201d. {} {} of *{}*, version {}, released {}.", _authors_plain(meta),
              meta["date-released"].year, ch.title, where, ch.number, meta["title"], meta["version"],
              fmt.date(meta["date-released"]))


def box(stem: str):
    """The "Cite this chapter" box, as Markdown for the chapter's last cell."""
    year = metadata()["date-released"].year
    key = f"{chapter(stem).key}{year}"
    entry = re.split(r"\n(?=@)", bibliography([stem]).to_string("bibtex").strip())
    text = next(e for e in entry if e.split("{", 1)[1].startswith(key + ","))
    body = md(":::{{admonition}} Cite this chapter\n:class: tip\n\n{}\n\nBibTeX (this entry and the whole "
              "book's are in {}):\n\n{}:::\n", plain(stem), download("citing.bib"), code_block(text, "bibtex"))
    return show(body)


def main() -> int:
    CITING_BIB.write_text(render(), encoding="utf-8")
    print(f"wrote {paths.relative(CITING_BIB)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
