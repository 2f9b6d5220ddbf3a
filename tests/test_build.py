"""The HTML and PDF books build with zero warnings and contain what readers need."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qantar import paths

from conftest import build_book

PDF = paths.ROOT / "_build" / "latex" / "bloody-january.pdf"


def test_html_pages(html_book):
    for page in ("intro.html", "chapters/01-timeline.html", "bibliography.html"):
        assert (html_book / page).exists(), page


def test_timeline_page_has_figures_with_alt_text_and_citations(html_book):
    page = (html_book / "chapters" / "01-timeline.html").read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", page)
    figures = [i for i in images if "01-timeline-days" in i or "01-protest-map" in i]
    assert len(figures) == 2
    assert all(re.search(r'alt="[^"]{40,}"', i) for i in figures)
    assert "{cite" not in page and "{glue" not in page
    for img in figures:
        src = re.search(r'src="([^"]+)"', img).group(1)
        assert (html_book / "chapters" / src).resolve().exists(), src
    assert "Жаңаөзен" in page


def test_bibliography_lists_the_seeds(html_book):
    page = (html_book / "bibliography.html").read_text(encoding="utf-8")
    for title in ("Bloody January Remembered", "Remembering the January Events in Kazakhstan",
                  "Faltering Investigations", "Lessons from the January 2022 Protests",
                  "Political Prisoners Wait"):
        assert title in page, title


def test_pdf_book():
    assert shutil.which("xelatex") and shutil.which("pdftotext"), "TeX or poppler missing: run `make system-deps`"
    build_book("--builder", "pdflatex")
    assert PDF.exists()
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("Жаңаөзен", "Қанды Қаңтар", "The timeline", "Bibliography", "Bloody January Remembered"):
        assert needle in text, needle
    assert len(set(re.findall(r"Fig\. \d+\.\d+", text))) >= 2
