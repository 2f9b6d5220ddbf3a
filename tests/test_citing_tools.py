"""The citation files work in the tools readers cite with, and the book's citations read well.

Real clients only: xelatex with classic BibTeX (plain, plainnat) and with biblatex
and biber (authoryear), pandoc's citeproc and its CSL-JSON reader and writer,
and the HTML and PDF books.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pybtex.database import parse_file

from qantar import bib, cite, citestyle, data, paths

from conftest import build_book

BIBS = (paths.BIB, cite.CITING_BIB)
JSONS = (bib.JSON, cite.CITING_JSON)
PDF = paths.ROOT / "_build" / "latex" / "bloody-january.pdf"
MAX_LABEL = 60
PREAMBLE = r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{FreeSerif}
\usepackage{url}
"""


def _need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    assert not missing, f"{', '.join(missing)} missing: run `make system-deps` (apt.txt)"


@pytest.fixture(scope="module")
def entries():
    """Every entry of both .bib files: {key: pybtex entry}."""
    out = {}
    for path in BIBS:
        out.update(parse_file(str(path), bib_format="bibtex").entries)
    return out


@pytest.fixture(scope="module")
def source_urls():
    """The original's address of every source that has one (the others name only a copy, in the note)."""
    return [u for u in data.load("sources")["url"] if isinstance(u, str) and u.strip()]


def _run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _latex_dir(tmp_path: Path, tex: str) -> Path:
    for path in BIBS:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "doc.tex").write_text(tex, encoding="utf-8")
    return tmp_path


def _xelatex(folder: Path):
    result = _run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], folder)
    errors = [l for l in result.stdout.splitlines() if l.startswith("!")]
    assert result.returncode == 0 and not errors, "\n".join(errors) or result.stdout[-2000:]


def _bbl_text(folder: Path) -> str:
    """The .bbl with BibTeX's line breaks undone (it splits long lines with a '%' at the end)."""
    text = (folder / "doc.bbl").read_text(encoding="utf-8")
    return re.sub(r"\s*\n\s*", " ", text.replace("%\n", ""))


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_classic_bibtex_reads_both_files_without_warnings(tmp_path, style, source_urls):
    _need("xelatex", "bibtex")
    natbib = r"\usepackage{natbib}" if style.endswith("nat") else ""
    folder = _latex_dir(tmp_path, PREAMBLE + natbib + "\n\\begin{document}\n\\nocite{*}\n"
                        f"\\bibliographystyle{{{style}}}\n\\bibliography{{references,citing}}\n\\end{{document}}\n")
    _xelatex(folder)
    result = _run(["bibtex", "doc"], folder)
    log = (folder / "doc.blg").read_text(encoding="utf-8")
    warnings = [l for l in log.splitlines() if l.startswith("Warning--") or "error message" in l]
    assert result.returncode == 0 and not warnings, "\n".join(warnings[:20]) or log[-2000:]
    bbl = _bbl_text(folder)
    missing = [u for u in source_urls if f"\\url{{{u}}}" not in bbl and bib.latex(u) not in bbl]
    assert not missing, f"{len(missing)} source URLs not in the .bbl, e.g. {missing[:3]}"
    _xelatex(folder)
    _xelatex(folder)


def test_biblatex_and_biber_read_both_files_without_warnings(tmp_path, source_urls):
    _need("xelatex", "biber")
    folder = _latex_dir(tmp_path, r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{FreeSerif}
\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{references.bib}
\addbibresource{citing.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
""")
    _xelatex(folder)
    result = _run(["biber", "doc"], folder)
    log = (folder / "doc.blg").read_text(encoding="utf-8")
    warnings = [l for l in log.splitlines() if "WARN" in l or "ERROR" in l]
    assert result.returncode == 0 and not warnings, "\n".join(warnings[:20]) or log[-2000:]
    bbl = (folder / "doc.bbl").read_text(encoding="utf-8")
    verbatim_urls = set(re.findall(r"^\s*\\verb (\S+)$", bbl, re.M))
    missing = [u for u in source_urls if u not in verbatim_urls]
    assert not missing, f"{len(missing)} source URLs not in the .bbl, e.g. {missing[:3]}"
    _xelatex(folder)
    _xelatex(folder)


def test_pandoc_citeproc_renders_every_key_without_warnings(tmp_path, entries, source_urls):
    _need("pandoc")
    keys = sorted(entries)
    (tmp_path / "doc.md").write_text("Every source and every chapter: [" + "; ".join(f"@{k}" for k in keys)
                                     + "].\n", encoding="utf-8")
    cmd = ["pandoc", "--citeproc", "--wrap=none", "-t", "plain", "doc.md"]
    for path in BIBS:
        cmd.append(f"--bibliography={path}")
    result = _run(cmd, tmp_path)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr[-3000:]
    text = result.stdout
    assert "???" not in text  # citeproc's mark for a key it could not find
    missing = [u for u in source_urls if u not in text]
    assert not missing, f"{len(missing)} source URLs not rendered, e.g. {missing[:3]}"


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.name)
def test_csl_json_round_trips(path, entries):
    _need("pandoc")
    items = json.loads(path.read_text(encoding="utf-8"))
    result = subprocess.run(["pandoc", "--from=csljson", "--to=csljson", str(path)], capture_output=True,
                            text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert json.loads(result.stdout) == items
    for item in items:
        assert item["id"] in entries and item.get("type") and item.get("title"), item["id"]
        assert item.get("author"), item["id"]


# --- The built book --------------------------------------------------------------------------

def _labels_on(page: str) -> list[str]:
    from html import unescape

    return [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(
        r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<span class="fn-bracket">\]</span></span>',
        page)]


@pytest.fixture(scope="module")
def bibliography_page(html_book):
    return (html_book / "bibliography.html").read_text(encoding="utf-8")


def test_labels_are_short_unique_and_in_order(bibliography_page):
    labels = _labels_on(bibliography_page)
    assert len(labels) == len(data.load("sources")), "the bibliography lists every registered source"
    too_long = [l for l in labels if len(l) > MAX_LABEL]
    assert not too_long, too_long
    assert len(set(labels)) == len(labels), "two sources share a label"
    assert labels == sorted(labels, key=citestyle.collation_key), "bibliography not in label order"


def test_citations_in_the_text_are_bibliography_labels(html_book, bibliography_page):
    labels = set(_labels_on(bibliography_page))
    ids = set(re.findall(r'<div class="citation" id="([^"]+)"', bibliography_page))
    cited = 0
    for page in sorted(html_book.glob("**/*.html")):
        text = page.read_text(encoding="utf-8")
        for target, shown in re.findall(r'href="[./]*bibliography\.html#([^"]+)"[^>]*>([^<]*)</a>', text):
            if target == "bibliography":
                continue
            from html import unescape

            cited += 1
            assert target in ids, (page.name, target)
            assert unescape(shown) in labels, (page.name, shown)
            assert len(unescape(shown)) <= MAX_LABEL
    assert cited > 100


def _keys_cited_anywhere() -> set[str]:
    """Source keys in citation roles of the chapters, the intro and the tables the book shows."""
    keys = set()
    for path in [*paths.CHAPTERS.glob("*.ipynb"), paths.ROOT / "intro.md"]:
        text = path.read_text(encoding="utf-8").replace("\\n", "\n")
        for group in re.findall(r"\{cite:[a-z]+\}`([^`]+)`", text):
            keys.update(k.strip() for k in group.split(","))
    for table in ("claims", "event_sources", "case_sources", "response_sources", "places"):
        keys.update(data.load(table)["source_key"].dropna())
    glossary = data.load("glossary")
    keys.update(glossary["source_key"].dropna())
    keys.update(glossary["source_key_2"].dropna())
    return keys


def test_every_key_cited_anywhere_is_in_the_bibliography(bibliography_page):
    labels = citestyle.labels(parse_file(str(paths.BIB), bib_format="bibtex").entries.values())
    shown = set(_labels_on(bibliography_page))
    keys = _keys_cited_anywhere()
    assert len(keys) > 250
    missing = sorted(k for k in keys if labels.get(k) not in shown)
    assert not missing, missing


def test_pdf_has_one_how_to_cite_page_and_no_split_entries(pdf_book):
    """No per-chapter box in the PDF; each BibTeX entry of the How to cite page sits whole on one page."""
    _need("pdftotext", "pdfinfo")
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    assert "This entry, the whole book" not in text, "a chapter's cite box is in the PDF"
    pages = text.split("\f")
    year = cite.metadata()["date-released"].year
    keys = [f"{cite.BOOK_KEY}{year}"] + [f"{ch.key}{year}" for ch in cite.chapters()]
    for key in keys:
        start = [i for i, p in enumerate(pages) if re.search(r"@\w+\{" + key + ",", p)]
        assert len(start) == 1, f"{key}: on {len(start)} pages"
        page = pages[start[0]]
        after = page.split(key + ",", 1)[1]
        # The entry's last field (note) and closing brace are on the same page as its first line.
        assert re.search(r"note = \{[^\n]*\},?\s*\n\s*\}", after), f"{key}: entry runs onto the next page"
