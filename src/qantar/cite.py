"""How to cite the report and each chapter.

``CITATION.cff`` (title, authors, version, release date), ``_toc.yml`` (chapter
order) and, when set, the site's base URL in ``_config.yml`` (``html.baseurl``)
are the only inputs; chapter titles come from each chapter's first heading.
From them this module renders ``citing.bib`` (one ``@book`` entry and one
``@incollection`` entry per chapter, in the BibTeX dialect of ``qantar.bib``
that classic BibTeX, biber and pandoc all read), ``citing.json`` (CSL-JSON, by
pandoc), the "Cite this chapter" box at the end of every chapter (HTML only,
collapsed) and the "How to cite" page (HTML and PDF).

Usage: ``python -m qantar.cite`` rewrites ``citing.bib`` and ``citing.json``.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from . import fmt, paths
from .markup import code_block, download, md, needspace, show

CFF = paths.ROOT / "CITATION.cff"
TOC = paths.ROOT / "_toc.yml"
CITING_BIB = paths.ROOT / "citing.bib"
CITING_JSON = paths.ROOT / "citing.json"
CONFIG = paths.ROOT / "_config.yml"
HOW_TO_CITE = "92-how-to-cite"  # the "How to cite" page: in the book, but not a citable chapter
BOOK_KEY = "bloodyjanuary"


@dataclass(frozen=True)
class Chapter:
    stem: str  # e.g. "01-timeline"
    number: str  # "1", "2", ... or "A", "B" in the back matter
    kind: str = "Chapter"  # "Chapter", "Annex" (numbered 1, 2, ... in their own part) or "Appendix"

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
    """Chapters in book order: numbered parts count 1, 2, ...; the annexes (the part captioned
    "Annexes", web pages the PDF leaves out) count Annex 1, 2, ...; other unnumbered parts are
    appendices A, B, ... (so the letters match the printed edition)."""
    import yaml

    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    out: list[Chapter] = []
    number, letter, annex = 0, 0, 0
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            file = entry["file"]
            if not file.startswith("chapters/") or Path(file).name == HOW_TO_CITE:
                continue
            if part.get("numbered"):
                number += 1
                out.append(Chapter(Path(file).name, str(number)))
            elif part.get("caption") == "Annexes":
                annex += 1
                out.append(Chapter(Path(file).name, str(annex), "Annex"))
            else:
                letter += 1
                out.append(Chapter(Path(file).name, chr(ord("A") + letter - 1), "Appendix"))
    return out


def chapter(stem: str) -> Chapter:
    for ch in chapters():
        if ch.stem == stem:
            return ch
    raise KeyError(f"{stem!r} is not a chapter in {paths.relative(TOC)}")


def _authors(meta) -> list[str]:
    from .bib import latex

    names = []
    for a in meta["authors"]:
        names.append("{" + latex(a["name"]) + "}" if "name" in a
                     else f"{latex(a['family-names'])}, {latex(a['given-names'])}")
    return names


def _authors_plain(meta) -> str:
    return " and ".join(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in meta["authors"])


def _publisher(meta) -> str:
    """The report is published by its authors (CITATION.cff names no other publisher)."""
    return meta.get("publisher", {}).get("name") or _authors_plain(meta)


def _note(meta) -> str:
    return f"Version {meta['version']}, released {fmt.date(meta['date-released'])}"


def base_url() -> str | None:
    """The site's address (``html.baseurl`` in ``_config.yml``), or None when it is not set."""
    import yaml

    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8")) or {}
    url = ((config.get("html") or {}).get("baseurl") or "").strip()
    return url.rstrip("/") + "/" if url else None


def url(stem: str | None = None, base: str | None = None) -> str | None:
    """The web address of the book (``stem`` None) or of one chapter, when the base URL is known."""
    base = base if base is not None else base_url()
    if not base:
        return None
    return base + (f"chapters/{stem}.html" if stem else "intro.html")


def _key(ch: Chapter | None, year) -> str:
    return f"{ch.key if ch else BOOK_KEY}{year}"


def entries(base: str | None = None, stems=None) -> list[tuple[str, str, list]]:
    """(key, type, fields) for the book, then each chapter (or only those in ``stems``);
    fields as ``qantar.bib.entry_text`` takes them."""
    from .bib import MONTH_MACROS, latex, url_markup

    meta = metadata()
    released = meta["date-released"]
    title = "{" + latex(meta["title"]) + "}"
    common_head = [("author", " and ".join(_authors(meta)))]
    out = []
    for ch in [None, *(ch for ch in chapters() if stems is None or ch.stem in stems)]:
        fields = list(common_head)
        if ch is None:
            fields.append(("title", title))
        else:
            fields += [("title", "{" + latex(ch.title) + "}"), ("booktitle", title), ("chapter", ch.number)]
            if ch.kind != "Chapter":
                fields.append(("type", ch.kind))
        fields += [("publisher", latex(_publisher(meta))), ("year", str(released.year)),
                   ("month", MONTH_MACROS[released.month - 1]), ("version", latex(str(meta["version"])))]
        note = latex(_note(meta))
        address = url(ch.stem if ch else None, base)
        if address:
            fields += [("url", address), ("urldate", released.isoformat())]
            note += f". Available at {url_markup(address)}"
        fields.append(("note", note))
        out.append((_key(ch, released.year), "book" if ch is None else "incollection", fields))
    return out


def render(base: str | None = None) -> str:
    from .bib import entry_text

    header = ("% BibTeX entries for citing 'Bloody January' and each of its chapters.\n"
              "% Generated from CITATION.cff and _toc.yml by `python -m qantar.cite`; do not edit by hand.\n\n")
    return header + "\n".join(entry_text(k, t, f) for k, t, f in entries(base))


def entry_bibtex(stem: str | None) -> str:
    """The BibTeX entry of the book (``stem`` None) or of one chapter."""
    from .bib import entry_text

    key = _key(chapter(stem) if stem else None, metadata()["date-released"].year)
    return next(entry_text(k, t, f) for k, t, f in entries(stems=[stem] if stem else [])
                if k == key)


def plain(stem: str | None = None):
    """A reference to the book (``stem`` None) or to one chapter, as MyST."""
    meta = metadata()
    released = meta["date-released"]
    if stem is None:
        return md("{} ({}). *{}*, version {}, released {}.", _authors_plain(meta), released.year,
                  meta["title"], meta["version"], fmt.date(released))
    ch = chapter(stem)
    where = ch.kind
    return md("{} ({}). \u201c{}\u201d. {} {} of *{}*, version {}, released {}.", _authors_plain(meta),
              released.year, ch.title, where, ch.number, meta["title"], meta["version"], fmt.date(released))


def _files():
    return md("{} (BibTeX) and {} (CSL-JSON, for Zotero and pandoc)", download("citing.bib"),
              download("citing.json"))


def box(stem: str):
    """The "Cite this chapter" box for the chapter's last cell: HTML only, collapsed until opened.

    The PDF has one "How to cite" page instead (:func:`page`)."""
    body = md("::::{{only}} html\n:::{{dropdown}} Cite this chapter\n:icon: quote\n\n{}\n\n"
              "This entry, the whole book's and every chapter's are in {}, and on the {} page:\n\n{}:::\n::::\n",
              plain(stem), _files(), md("{{ref}}`how-to-cite`"), code_block(entry_bibtex(stem), "bibtex"))
    return show(body)


def page():
    """The body of the "How to cite" page: every reference, then every BibTeX entry."""
    refs = [md("- The whole report: {}", plain())]
    refs += [md("- {}", plain(ch.stem)) for ch in chapters()]
    parts = [md("## References\n\n{}\n", md("\n").join(refs)),
             md("## BibTeX\n\nThe same entries are in {}.\n", _files())]
    for stem in [None, *(ch.stem for ch in chapters())]:
        text = entry_bibtex(stem)
        # In the PDF an entry starts on a new page when the rest of this one cannot hold it whole.
        parts.append(needspace(text.count("\n") + 2))
        parts.append(code_block(text, "bibtex"))
    return show(md("\n").join(parts))


def main() -> int:
    from .bib import write_csl_json

    text = render()
    CITING_BIB.write_text(text, encoding="utf-8")
    print(f"wrote {paths.relative(CITING_BIB)}")
    write_csl_json(CITING_JSON, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
