"""What the reader's text must not show: generated grammar, working language, research notes.

One list of patterns, used by the tests on every built HTML page and on the PDF's text
(``tests/test_prose.py``, ``tests/test_pdf.py``), so a sentence builder in this package or a
chapter's prose cannot bring them back. Quoted words of a source are left out of the check:
a source may write "2 soldiers"; the report does not.

- numerals under ten before a word ("6 happenings", "0 had been implemented", "3 to 7 years"),
  where house style writes words (see :func:`qantar.fmt.count`); dates ("4 to 5 January"),
  article and table numbers, times and money are not counts and pass;
- a word or a pair of words doubled ("up to up to");
- research notes left in the text ("read only in a rewrite", "no source seen");
- cross-references that do not resolve to a numbered object ("Table 4 in the annex", a page
  title dropped into a sentence: "the full Annex: the full chronology");
- on the reader's pages (the introduction and the chapters; Methods and the annexes may name
  tables and rows), the words of the data schema ("happenings", "rows", "claims", "seed").
"""

from __future__ import annotations

import re

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
#: Words before a numeral that make it a label, not a count.
_LABEL_BEFORE = re.compile(r"(?:Article|Articles|Chapter|Chapters|Annex|Appendix|Table|Tables|Figure|Figures|Fig\.|"
                           r"Section|Part|No\.|UTC|level|version|point|page|pp?\.|§|Stage|Phase)\s*$", re.I)

SMALL_NUMERAL = re.compile(
    r"(?<![\w.,:/+\-–§$€£])"
    r"(?P<n>[0-9])(?![\w.,:%/–\-])"
    r"(?!\s*(?:" + MONTHS + r")\b)"                                       # 5 January
    r"(?!\s+(?:to|and|or|–|-)\s+[0-9]{1,2}\s+(?:" + MONTHS + r")\b)"      # 4 to 5 January, 6 or 8 January
    r"(?!\s+(?:million|billion|per cent|percent)\b)"
    r"\s+(?P<word>[a-z][a-z-]*)")
DOUBLED = re.compile(r"\b(?P<w>\w+(?: \w+)?)\s+(?P=w)\b", re.IGNORECASE)
RESEARCH_NOTES = [
    "read only in a rewrite", "no source cited here states", "no source seen", "whose own day no source",
    "time-stamped", "could not be seen on", "in no source seen", "sources seen", "source found gives",
    "the chapter on the death toll", "when the chapter runs",
]
BROKEN_REFS = [
    re.compile(r"\b(?:the|full|and|a|of|in) Annex: "),            # a page title dropped into a sentence
    re.compile(r"\bTable \d+ in the annex\b"),
    re.compile(r"\?\?"),                                          # an unresolved Sphinx reference
]
SCHEMA_WORDS = re.compile(
    r"\b(?:happenings?|rows?|claims table|seed articles?|seeds?|datasets?|data tables?|"
    r"whose date no source disputes|recorded here|[\w-]+\.csv)\b|\bData:", re.IGNORECASE)
#: Quoted words are the source's, not the report's.
_QUOTED = re.compile(r"[“\"«‘][^”\"»’]{0,600}[”\"»’]")


def unquoted(text: str) -> str:
    return _QUOTED.sub("“…”", text)


def problems(text: str, reader_page: bool = True, note: bool = False) -> list[str]:
    """Every generated-language problem in ``text`` (one block of running text), each with a
    little context; empty when there is none. ``note``: the block is a footnote, where a
    note on how a source was read belongs."""
    text = unquoted(" ".join(text.split()))
    found = []

    def near(m):
        return text[max(0, m.start() - 40):m.end() + 30]

    for m in SMALL_NUMERAL.finditer(text):
        if _LABEL_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        found.append(f"numeral {m.group('n')!r} before a word: …{near(m)}…")
    for m in DOUBLED.finditer(text):
        if not m.group("w").isdigit():
            found.append(f"doubled {m.group('w')!r}: …{near(m)}…")
    low = text.lower()
    for phrase in ([] if note else RESEARCH_NOTES):
        i = low.find(phrase)
        if i >= 0:
            found.append(f"research note {phrase!r}: …{text[max(0, i - 40):i + len(phrase) + 30]}…")
    for rx in BROKEN_REFS:
        for m in rx.finditer(text):
            found.append(f"unresolved reference: …{near(m)}…")
    if reader_page:
        for m in SCHEMA_WORDS.finditer(text):
            found.append(f"working word {m.group(0)!r}: …{near(m)}…")
    return found


#: The pages a reader reads as the report's argument; Methods and the annexes may name the
#: project's tables, rows and files.
READER_PAGES = ("intro.html", "chapters/01-timeline.html", "chapters/02-figures.html",
                "chapters/03-justice.html", "chapters/06-regions.html", "chapters/04-international.html",
                "chapters/05-conclusions.html")
#: Generated pages with no running text of the report's own.
SKIP_PAGES = ("genindex.html", "search.html", "bibliography.html")


def html_blocks(html: str) -> list[tuple[str, bool]]:
    """The running text of one built page: paragraphs, list items, captions and headings of
    the page's main content, tables and code left out (a table shows data, not prose), each
    with whether it is (in) a footnote."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for t in main.find_all(["table", "pre", "script", "style"]):
        t.decompose()
    for a in main.find_all("a", class_="headerlink"):
        a.decompose()
    blocks = []
    for el in main.find_all(["p", "li", "figcaption", "caption", "h1", "h2", "h3", "h4", "dt", "dd"]):
        if el.find(["p", "li"]):       # the inner blocks are read on their own
            continue
        text = " ".join(el.get_text(" ").split())
        if text:
            blocks.append((text, el.find_parent(class_=re.compile("footnote")) is not None))
    return blocks


def page_problems(html: str, reader_page: bool) -> list[str]:
    return [p for text, note in html_blocks(html) for p in problems(text, reader_page, note)]
