"""The PDF book as a publication, read back with pdftotext (poppler).

Title page (title, subtitle, the project as author, version and date, licence,
where the data and code are), the summary as an unnumbered front-matter chapter
in the contents, a list of figures, appendix tables numbered A.1, no blank page.
The layout options are in ``_config.yml`` (``latex_elements``).
"""

import re
import subprocess

import pytest
import yaml

from qantar import cite, paths


PDF = paths.ROOT / "_build" / "latex" / "bloody-january.pdf"


@pytest.fixture(scope="module")
def pages(pdf_book) -> list[str]:
    """The text of each page (pdftotext, layout kept), in order."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf_book), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page, the last one too, with a form feed


def flat(text: str) -> str:
    return " ".join(text.split())


def test_title_page_and_imprint(pages):
    """Title page: title, the project, version, release date and the edition's information
    date; verso: who made it and how (a desk study, no interviews), the licences, where the
    annexes are, how to send a correction; no file names in print (editorial review, PDF)."""
    from qantar import tracker

    meta = cite.metadata()
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    title, subtitle = config["title"].split(": ", 1)
    page, verso = flat(pages[0]), flat(pages[1])
    assert page.startswith(f"{title} {subtitle}"), page[:200]
    assert meta["authors"][0]["name"] in page
    assert f"Version {meta['version']}" in page and cite.fmt.date(meta["date-released"]) in page
    as_of = tracker.as_of(tracker.load())
    assert f"Information as of {as_of}" in page and f"Information as of {as_of}" in verso
    assert "Release" not in page
    for needle in ("desk study", "No one was interviewed", "CC BY 4.0", "MIT", "HTML edition", "Corrections",
                   "no public address"):
        assert needle in verso, needle
    for where in ("data/", "src/qantar/", "chapters/", "CITATION.cff", ".csv"):
        assert where not in page + verso, where


def test_contents_list_of_figures_and_summary(pages):
    text = "\f".join(pages)
    contents = next(i for i, p in enumerate(pages) if "CONTENTS" in p)
    toc = flat(" ".join(pages[contents:contents + 2]))
    assert re.search(r"Summary \d+ List of Figures \d+ List of Tables \d+ 1 The timeline", toc), toc[:300]

    figures = sorted(set(re.findall(r"Fig\. (\d+\.\d+):", text)))
    assert len(figures) >= 6, figures
    # A report's order: contents, summary, then the lists of figures and of tables (editorial review).
    summary = next(i for i, p in enumerate(pages) if re.search(r"^\s*SUMMARY\s*$", p, re.M))
    lof = next(i for i, p in enumerate(pages) if re.search(r"^\s*LIST OF FIGURES\s*$", p, re.M))
    lot = next(i for i, p in enumerate(pages) if re.search(r"^\s*LIST OF TABLES\s*$", p, re.M))
    chapter_one = next(i for i, p in enumerate(pages) if "THE TIMELINE" in p and "CHAPTER" in p)
    assert contents < summary < lof < lot < chapter_one
    lof_text = "\n".join(pages[lof:lot])
    listed = re.findall(r"^\s*(\d+\.\d+)\s", lof_text, re.M)
    assert listed == figures, (listed, figures)
    # Short captions: each entry is its caption's first sentence, without sources or downloads.
    for needle in ("Source", "Download", "Data:", "(CSV)"):
        assert needle not in lof_text, needle
    assert re.findall(r"^\s*(\d+\.\d+)\s", "\n".join(pages[lot:chapter_one]), re.M), "no table listed"
    for i in range(summary, lof):  # the summary's running heads say "Summary", never "Contents"
        assert "CONTENTS" not in pages[i].upper().replace("TABLE OF CONTENTS", ""), i + 1
    assert "Summary" in pages[summary + 1]
    assert "Zhanaozen" in pages[summary]


def test_appendix_tables_are_numbered_by_letter(pages):
    start = next(i for i, p in enumerate(pages) if "APPENDIX" in p)
    end = next(i for i, p in enumerate(pages) if re.search(r"^\s*BIBLIOGRAPHY\s*$", p, re.M))
    appendix = "\n".join(pages[start:end])
    numbers = re.findall(r"Table ([A-Z0-9]+)\.(\d+):", appendix)
    assert ("A", "1") in numbers, numbers
    assert all(ch.isalpha() for ch, _ in numbers), numbers
    main = "\n".join(pages[:start])
    assert all(ch.isdigit() for ch, _ in re.findall(r"Table ([A-Z0-9]+)\.(\d+):", main))


def test_no_blank_page(pages):
    # A blank page, or one with only its running head and folio, has well under 100 characters.
    thin = [i + 1 for i, p in enumerate(pages) if len("".join(p.split())) < 100]
    assert not thin, f"pages with (almost) no text: {thin}"


def test_print_reads_as_written(pages):
    """The printed text has no working language or dead reference (editorial review, PDF): no
    file names, no page title dropped into a sentence, no unresolved reference, and every
    reference to an annex, which only the HTML edition holds, says so."""
    summary = next(i for i, p in enumerate(pages) if re.search(r"^\s*SUMMARY\s*$", p, re.M))
    end = next(i for i, p in enumerate(pages) if "APPENDIX" in p)
    body = flat("\n".join(pages[:end]))
    for needle in ("Annex:", ".csv", "Data:", "??", "up to up to", "happening", "when the chapter runs",
                   "data tables", "Download the data"):
        assert needle not in body, needle
    text = flat("\n".join(pages[summary:end]))
    bare = [text[max(0, m.start() - 60):m.end() + 20]
            for m in re.finditer(r"\bAnnex \d\b(?!\s*\(HTML\s*edi-?\s*tion\))", text)]
    assert not bare, bare[:5]
    assert len(re.findall(r"\bAnnex \d\s*\(HTML", text)) >= 7
