"""One voice: the reader's text shows no working language and no generated-grammar slips.

Scans the built HTML of the intro and the chapters (not Methods, the annexes, the glossary or
the bibliography, where ids and file names belong)."""

import re

import pytest

from qantar import prose
from test_build import _text

READER_PAGES = list(prose.READER_PAGES)
FORBIDDEN = ["seed article", "[C0", "[K0", "[R0", "[E0", "rule S", "rule N", "rule C", "_id", ".csv"]
ID = re.compile(r"\b[CKREA]\d{3}\b")


@pytest.mark.parametrize("page", READER_PAGES)
def test_no_working_language(html_book, page):
    text = _text(html_book / page)
    found = [w for w in FORBIDDEN if w.lower() in text.lower()]
    assert not found, (page, found)
    assert not ID.findall(text), (page, sorted(set(ID.findall(text)))[:10])


BLOCKS = ["p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "figcaption", "caption"]


def _blocks(page):
    """The text of each block (paragraph, list item, table cell...) of the page's main content:
    words may not run on from one cell or heading into the next."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    return [" ".join(b.get_text(" ").split()) for b in main.find_all(BLOCKS)]


@pytest.mark.parametrize("page", READER_PAGES)
def test_number_agreement_and_no_doubled_words(html_book, page):
    text = " \n ".join(_blocks(html_book / page))
    singular_plural = re.findall(r"(?<![\d.,])\b1 (?!January|February|March|April|May|June|July|August|September"
                                 r"|October|November|December)([a-z]+s)\b", text)
    assert not [w for w in singular_plural if w not in ("is", "was", "has", "percent", "news")], (page, singular_plural)
    doubled = [m.group(0) for m in re.finditer(r"\b(\w+)[ \t]+\1\b", text, flags=re.IGNORECASE)
               if not m.group(1).isdigit()]
    assert not doubled, (page, doubled)


def test_the_checks_can_fail(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<main><p>about <span>about 2,500</span> troops; 1 officials; see [C035] in claims.csv</p>"
                    "<table><tr><td>officials</td><td>Officials</td></tr></table></main>")
    text = " \n ".join(_blocks(page))
    assert re.search(r"\b(\w+)[ \t]+\1\b", text) and "1 officials" in text and ".csv" in text and ID.search(text)
    assert "officials Officials" not in text  # separate cells are not a doubled word


@pytest.mark.parametrize("page", READER_PAGES[1:])
def test_every_chapter_opens_with_key_findings_and_ends_with_a_conclusion(html_book, page):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_book / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup  # the page body, without the side navigation
    elements = article.find_all(True)
    h2 = [e for e in elements if e.name == "h2"]
    title = lambda e: " ".join(e.get_text(" ").split()).rstrip("#").strip()  # noqa: E731
    findings = next(i for i, e in enumerate(elements)
                    if e.name in ("h2", "p") and title(e).endswith("Key findings"))
    first_other = next(elements.index(e) for e in h2 if not title(e).endswith("Key findings"))
    assert findings < first_other, f"{page}: key findings come after {title(elements[first_other])!r}"
    assert re.search(r"Conclusion", title(h2[-1])), (page, [title(e) for e in h2[-3:]])
