"""The HTML and PDF books build with zero warnings and contain what readers need."""

import re
import shutil
import subprocess
from pathlib import Path


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


def test_pdf_book(pdf_book):
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("Жаңаөзен", "Қанды Қаңтар", "The timeline", "Bibliography", "Bloody January Remembered"):
        assert needle in text, needle
    assert len(set(re.findall(r"Fig\. \d+\.\d+", text))) >= 2


def _text(page: Path) -> str:
    """Visible text of a built page (tags removed, whitespace collapsed)."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_chapter_page_is_built(html_book):
    from qantar import cite

    for ch in cite.chapters():
        assert (html_book / "chapters" / f"{ch.stem}.html").exists(), ch.stem


def test_no_python_reprs_in_pages(html_book):
    for page in (html_book / "chapters").glob("*.html"):
        text = _text(page)
        assert not re.search(r"np\.(int|float)\d*\(|<NA>|\bnan\b|NaT", text), page.name


def test_seed_figures_appear_with_their_sources(html_book):
    """Every figure of the five articles the project began from is in the book: in the annex of
    reported figures, on its own row (anchor, figure as stated, source citation), and the five
    publications are cited by name."""
    from bs4 import BeautifulSoup

    from qantar import claims as cl
    from qantar.data import load

    soup = BeautifulSoup((html_book / "chapters" / "82-annex-figures.html").read_text(encoding="utf-8"),
                         "html.parser")
    c = load("claims")
    seeds = c[c["source_key"].isin(["justsecurity2023blinken", "freedomnow2023remembering", "ranucci2024bloody",
                                     "justsecurity2022faltering", "tutumlu2022lessons"])]
    assert len(seeds) >= 20
    for row in seeds.to_dict("records"):
        anchor = soup.find(id=f"claim-{row['claim_id'].lower()}")
        assert anchor is not None, row["claim_id"]
        cells = anchor.find_parent("tr").find_all("td")
        assert cells[1].get_text(" ", strip=True) == cl.figure_text(row), row["claim_id"]
        assert cells[3].find("a", href=re.compile(r"bibliography")), row["claim_id"]
    from pybtex.database import parse_file

    from qantar import citestyle

    labels = citestyle.labels(parse_file(str(paths.BIB), bib_format="bibtex").entries.values())
    annex = _text(html_book / "chapters" / "82-annex-figures.html")
    chapter = _text(html_book / "chapters" / "02-figures.html")
    for key in seeds["source_key"].unique():
        for text in (annex, chapter):
            assert re.search(r"\([^()]*" + re.escape(labels[key]) + r"[^()]*\)", text), labels[key]


def test_seed_cases_appear_with_sources(html_book):
    """Each case of the articles the project began from is narrated in chapter 3, its name linking
    to its row in the annex of named cases (a person who died: to their entry in the register of the
    dead, which links to the case), and that row cites its sources."""
    from qantar import register
    from qantar.data import load

    dead = load("dead").dropna(subset=["case_id"]).set_index("case_id")["person_id"]
    page = (html_book / "chapters" / "03-justice.html").read_text(encoding="utf-8")
    annex = (html_book / "chapters" / "83-annex-cases.html").read_text(encoding="utf-8")
    register_page = (html_book / "chapters" / "89-annex-dead.html").read_text(encoding="utf-8")
    for name, case_id in (("Zhanbolat Mamay", "K001"), ("Daulet Zhabarbekov", "K002"), ("Kairat Kozhakhmetov", "K003"),
                          ("Vikram Ruzakhunov", "K004"), ("Abdukhapar Orazgali", "K005"),
                          ("Ruslanbek Zhubanazarov", "K006"), ("Karim Massimov", "K009")):
        label = f"case-{case_id.lower()}"
        if case_id in dead.index:
            entry = register.person_label(dead[case_id])
            assert re.search(r'<a [^>]*href="89-annex-dead\.html#' + entry + r'"[^>]*>(?:<[^>]+>)*' + re.escape(name),
                             page), name
            section = re.search(r'id="' + entry + r'".*?(?=<section|</article)', register_page, flags=re.S)
            assert section and f'href="83-annex-cases.html#{label}"' in section.group(0), case_id
        else:
            assert re.search(r'<a [^>]*href="83-annex-cases\.html#' + label + r'"[^>]*>(?:<[^>]+>)*' + re.escape(name),
                             page), name
        row = re.search(r'id="' + label + r'".*?</tr>', annex, flags=re.S)
        assert row and 'href="../bibliography.html#' in row.group(0), case_id
    text = _text(html_book / "chapters" / "03-justice.html")
    for needle in ("Taldykorgan", "Karasai", "Kuspan", "Umarova", "amnesty"):
        assert needle in text, needle
    assert "Almaty police torture trial" in _text(html_book / "chapters" / "83-annex-cases.html")


def test_seed_international_actions_appear(html_book):
    text = _text(html_book / "chapters" / "04-international.html")
    for needle in ("CSTO", "European Parliament", "Blinken", "Kyrgyz", "hybrid", "$7 million", "$600,000",
                   "Cite this chapter"):
        assert needle in text, needle


def test_pdf_is_a_reader_grade_book(pdf_book):
    """Title page, version, date, chapters, appendices, all Kazakh letters."""
    text = subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    from qantar import cite

    meta = cite.metadata()
    assert meta["version"] in text and cite.fmt.date(meta["date-released"]) in text
    for ch in cite.chapters():
        assert ch.title in text, ch.title
    for letter in "әғқңөұүһі":
        assert letter in text, letter
    assert "Appendix" in text or "APPENDIX" in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(PDF)], capture_output=True,
                                                              text=True, check=True).stdout).group(1))
    assert pages >= 40


def test_pdf_chapters_carry_the_book(pdf_book):
    """At most half of the printed pages are appendices, the How to cite page and the
    bibliography; the annexes (web pages and data files) are left out with a pointer."""
    text = subprocess.run(["pdftotext", str(pdf_book), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    if not pages[-1].strip():
        pages = pages[:-1]
    first_back = next(i for i, p in enumerate(pages) if re.search(r"^APPENDIX\s*\n+\s*A\s*$", p, re.M))
    chapter_one = next(i for i, p in enumerate(pages) if re.search(r"^CHAPTER\s*\n+\s*ONE\s*$", p, re.M))
    assert chapter_one < first_back
    back = len(pages) - first_back
    assert back <= len(pages) / 2, f"{back} of {len(pages)} pages are back matter"
    assert not re.search(r"^ANNEX: ", text, re.M), "an annex is printed"
    contents = pdf_book.with_suffix(".toc").read_text(encoding="utf-8")
    assert "Methods and data" in contents and "Annex:" not in contents, "an annex is in the contents"
    assert "part of the HTML edition only" in " ".join(text.split())
    assert "Annex 2 (HTML edition)" in " ".join(text.split()), "a reference to an annex does not say where it is"


def test_citations_find_pybtex_plugins_without_scanning_every_package(monkeypatch):
    """qantar.theme registers the plain-text backend that sphinxcontrib-bibtex looks up once per
    citation, so no lookup scans the installed packages' entry points (17 s of a 40 s build)."""
    import pybtex.plugin

    from qantar.theme import _plugins_found_once

    _plugins_found_once()

    def scan(**query):
        raise AssertionError(f"entry points scanned for {query}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", scan)
    from pybtex.backends.plaintext import Backend

    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is Backend
