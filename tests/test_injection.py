"""Data is text, never markup: hostile cells reach the built book as visible text.

In a copy of the repository, every free-text cell of every table is replaced by a
payload combining the attacks a contributor could send: script tags, an event
handler, a ``javascript:`` link, a raw HTML block, a ``{download}`` role, include
directives for a file outside the repository, raw LaTeX with ``\\input`` and
``\\write18``. Validation refuses all of it (tests/test_validation.py); here it is
bypassed to test the second line of defence, the rendering. The chapters are
re-executed, the HTML and PDF books built (the copy is the ``rebuilt_copy`` fixture of
conftest.py, which tests/test_stale.py shares: its one changed number is not a text
cell), and then:

- the HTML pages show the payload as text; Chromium runs none of it;
- no file from outside the copy reaches ``_build`` (its marker appears nowhere);
- the PDF's log shows the outside file was never read, and ``\\write18`` ran nothing.
"""

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from browsing import CHROMIUM, CHROMIUM_ARGS, book_pages, serve
from qantar import data

MARK = "INJECTED-CONTENT-4be1"  # the contents of the outside files: must never reach the build


def _payload(outside: Path) -> str:
    secret, tex, flag = outside / "secret.txt", outside / "secret.tex", outside / "write18-ran"
    return (f"Start <script>window.__pwned='script'</script> "
            f"<img src=x onerror=\"window.__pwned='img'\"> [link](javascript:window.__pwned='link') "
            f"{{download}}`{secret}` {{{{ version }}}}\n"
            f"```{{raw}} html\n<script>window.__pwned='raw'</script>\n```\n"
            f"```{{literalinclude}} {secret}\n```\n"
            f"```{{include}} {secret}\n```\n"
            f":::{{raw}} latex\n\\input{{{tex}}}\n:::\n"
            f"```{{raw}} latex\n\\input{{{tex}}}\\immediate\\write18{{touch {flag}}}\n```\n"
            f"End")


def _poison(copy: Path, payload: str) -> list[tuple[str, str]]:
    """Put the payload into every free-text cell of every table; return the (table, column)s."""
    desc = data._descriptor(copy / "data" / "datapackage.json")
    touched = []
    for r in desc["resources"]:
        if "schema" not in r:
            continue
        fields = [f["name"] for f in data._text_fields(r)]
        path = copy / "data" / r["path"]
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        idx = [rows[0].index(f) for f in fields]
        for row in rows[1:]:
            for i in idx:
                row[i] = payload
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        touched += [(r["name"], f) for f in fields]
    return touched


def inject(copy: Path, outside: Path) -> dict:
    """Step 2 of the ``rebuilt_copy`` fixture (conftest.py): poison every text cell of ``copy``
    and regenerate the bibliography, the citation files and every chapter from it; the
    files outside the copy that the payload names are in ``outside``."""
    outside.mkdir()
    (outside / "secret.txt").write_text(MARK + "\n", encoding="utf-8")
    (outside / "secret.tex").write_text(MARK + "\n", encoding="utf-8")
    touched = _poison(copy, _payload(outside))
    env = dict(os.environ, PYTHONPATH=str(copy / "src"), **{data.SKIP_VALIDATION_ENV: "1"})

    def run(module, *args):
        return subprocess.Popen([sys.executable, "-m", module, *args], cwd=copy, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def failure(process):
        out, err = process.communicate()
        return None if process.returncode == 0 else (" ".join(process.args[2:]), out[-1500:], err[-3000:])

    # The bibliography is written while the chapters run: no chapter reads it (see their recorded
    # reads). Only the BibTeX, which the book reads: pandoc's CSL reader would spend a minute on
    # the same payload in every entry; test_pandoc_reads_the_hostile_bibliography gives it one
    # entry of each kind instead.
    bib = run("qantar.bib", "--bibtex-only")
    failed = failure(run("qantar.cite")) or failure(run("qantar.notebooks"))
    failed = failure(bib) or failed
    reads = {r for nb in (copy / "chapters").glob("*.ipynb")
             for r in json.loads(nb.read_text(encoding="utf-8"))["metadata"]["qantar"]["reads"]}
    assert not reads & {"references.bib", "references.json"}, "a chapter reads the bibliography: write it first"
    return {"outside": outside, "touched": touched, "regenerated": failed}


def regenerated(poisoned):
    """Fail, with what went wrong, if the poisoned copy could not be regenerated and built."""
    assert poisoned["regenerated"] is None, poisoned["regenerated"]
    assert poisoned["built"] is None, poisoned["built"]


@pytest.fixture(scope="module")
def poisoned(rebuilt_copy):
    regenerated(rebuilt_copy)
    return rebuilt_copy


def test_every_text_field_was_poisoned(poisoned):
    tables = {t for t, _ in poisoned["touched"]}
    assert {"events", "claims", "cases", "responses", "sources", "glossary", "metrics"} <= tables


def test_payload_is_shown_as_text_in_the_html(poisoned):
    from bs4 import BeautifulSoup

    html = poisoned["copy"] / "_build" / "html"
    # The chronology's event texts are printed in its annex (chapter 1 narrates and links to it).
    for page in ("chapters/81-annex-chronology.html", "chapters/02-figures.html", "chapters/03-justice.html",
                 "chapters/04-international.html", "chapters/91-glossary.html"):
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        text = soup.get_text(" ")
        assert "<script>window.__pwned='script'</script>" in text, page
        assert "{download}`" in text and "```{raw} html" in text, page
        assert not [s for s in soup.find_all("script") if "__pwned" in (s.string or "")], page
        assert not soup.select("[onerror]") and not soup.select('a[href^="javascript"]'), page


def test_nothing_from_outside_reaches_the_build(poisoned, rebuilt_pdf):
    build = poisoned["copy"] / "_build"  # the HTML and the PDF builds
    leaked = [p for p in build.rglob("*") if p.is_file() and MARK.encode() in p.read_bytes()]
    assert not leaked, leaked
    downloads = build / "html" / "_downloads"
    assert not [p for p in downloads.rglob("secret*")] if downloads.exists() else True


def test_no_script_runs_in_chromium(poisoned):
    from playwright.sync_api import sync_playwright

    html = poisoned["copy"] / "_build" / "html"
    dialogs = []
    with serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pages = [rel for rel in book_pages(html)
                 if 'http-equiv="refresh"' not in (html / rel).read_text(encoding="utf-8")]  # index.html redirects
        assert {"chapters/01-timeline.html", "chapters/81-annex-chronology.html"} <= set(pages)
        for rel in pages:
            page.goto(base + rel, wait_until="networkidle")
            assert page.evaluate("window.__pwned === undefined"), (rel, page.evaluate("window.__pwned"))
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            assert not [h for h in hrefs if h.lower().startswith("javascript")], rel
        browser.close()
    assert not dialogs


def test_pdf_reads_no_outside_file(poisoned, rebuilt_pdf):
    result = rebuilt_pdf
    latex = poisoned["copy"] / "_build" / "latex"
    assert result.returncode == 0 and (latex / "bloody-january.pdf").exists(), result.stdout[-3000:]
    log = (latex / "bloody-january.log").read_text(encoding="utf-8", errors="replace")
    # TeX logs each file it opens as "(/path"; lines wrap at 79 characters, so join them first.
    # (The payload's own text also appears in the log, in box warnings, but never after "(".)
    opened = set(re.findall(r"\((/[^\s()]+)", log.replace("\n", "")))
    assert opened, "no file opens found in the log: the check would be vacuous"
    outside = [f for f in opened if not f.startswith((str(poisoned["copy"]), "/usr/share/", "/etc/texmf",
                                                        "/var/lib/texmf", "/usr/local/share/texmf"))]
    assert not outside, outside
    assert not [f for f in opened if f.startswith(str(poisoned["outside"]))]
    assert not (poisoned["outside"] / "write18-ran").exists()
    text = subprocess.run(["pdftotext", str(latex / "bloody-january.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert MARK not in text
    assert "window.__pwned" in text  # the payload is printed as text


def test_pandoc_reads_the_hostile_bibliography(poisoned):
    """pandoc (the CSL-JSON of `make book`, and what reference managers import) reads the hostile
    BibTeX: one entry of each entry type, and one with a note on the copy read, keep the payload as
    text and read no outside file. (The entries differ only in their fields: the payload is the
    same in every one.)"""
    from qantar import bib

    text = (poisoned["copy"] / "references.bib").read_text(encoding="utf-8")
    entries = ["@" + e for e in re.split(r"(?m)^@", text)[1:]]
    chosen = {}
    for entry in entries:
        kind = entry[1:entry.index("{")].lower()
        if kind in ("comment", "string", "preamble"):  # not entries
            continue
        chosen.setdefault(kind, entry)
        if "note" not in chosen and re.search(r"(?m)^\s*note\s*=", entry):
            chosen["note"] = entry
    assert {"misc", "techreport"} <= set(chosen) and "note" in chosen, sorted(chosen)
    items = json.loads(bib.csl_json("\n".join(dict.fromkeys(chosen.values()))))
    assert len(items) == len(set(chosen.values())), [i.get("id") for i in items]
    dumped = json.dumps(items, ensure_ascii=False)
    assert "window.__pwned" in dumped and MARK not in dumped
