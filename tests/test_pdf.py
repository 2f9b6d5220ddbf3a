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


def test_title_page(pages):
    meta = cite.metadata()
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    title, subtitle = config["title"].split(": ", 1)
    page = flat(pages[0])
    assert page.startswith(f"{title} {subtitle}"), page[:200]
    assert meta["authors"][0]["name"] in page
    assert f"Version {meta['version']}" in page and cite.fmt.date(meta["date-released"]) in page
    assert "Release" not in page
    assert "CC BY 4.0" in page and "MIT" in page
    for where in ("data/", "src/qantar/", "chapters/", "CITATION.cff"):
        assert where in page, where


def test_contents_list_of_figures_and_summary(pages):
    text = "\f".join(pages)
    contents = next(i for i, p in enumerate(pages) if "CONTENTS" in p)
    toc = flat(" ".join(pages[contents:contents + 2]))
    assert re.search(r"List of Figures \d+ Summary \d+ 1 The timeline", toc), toc[:300]

    figures = sorted(set(re.findall(r"Fig\. (\d+\.\d+):", text)))
    assert len(figures) >= 6, figures
    lof = next(i for i, p in enumerate(pages) if "LIST OF FIGURES" in p)
    summary = next(i for i, p in enumerate(pages) if re.search(r"^\s*SUMMARY\s*$", p, re.M))
    listed = re.findall(r"^\s*(\d+\.\d+)\s", "\n".join(pages[lof:summary]), re.M)
    assert listed == figures, (listed, figures)

    chapter_one = next(i for i, p in enumerate(pages) if "THE TIMELINE" in p and "CHAPTER" in p)
    assert summary < chapter_one
    for i in range(summary, chapter_one):  # the summary's running heads say "Summary", never "Contents"
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
