"""How the book labels, sorts and shows its sources: pybtex and sphinxcontrib-bibtex plugins.

The plugins are registered as entry points in ``pyproject.toml`` under the name
``qantar`` and selected in ``_config.yml`` (``bibtex_default_style`` and
``bibtex_reference_style``):

- ``pybtex.style.labels``: :class:`LabelStyle`. A label is the author and the
  year, "Human Rights Watch 2022a". The author is, in this order, the entry's
  ``shortauthor`` field (a body's own abbreviation, "KIBHR"), the family names
  of its authors ("Chiacu and Jackson"; three or more: "Menendez et al."), or
  its corporate author, the publishing body when no byline was visible
  (``qantar.bib`` writes it as the author). The year is "n.d." when the
  publication date is unknown. Sources with the same author and year get a
  suffix (2022a, 2022b; n.d.-a) in the order of their titles, so text and
  bibliography agree.
- ``pybtex.style.sorting``: :class:`SortingStyle`. One alphabetical list by
  label, then title (see :func:`collation_key` for the rule).
- ``pybtex.style.formatting``: :class:`Style`, pybtex's ``unsrt`` templates with
  the two styles above, the registry's remarks and the URL with its access date.
- ``sphinxcontrib.bibtex.style.referencing``: :class:`ReferenceStyle`. The ``cite:p``
  role gives "(Human Rights Watch 2022a; TASS 2022c)" and ``cite:t`` "Human Rights
  Watch (2022a)": the text of every citation is its bibliography label.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field as dc_field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, List, Union

from pybtex.backends.plaintext import Backend as _PlainText
from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, href, join, node, optional, optional_field, sentence, words

if TYPE_CHECKING:
    from pybtex.database import Entry

NO_DATE = "n.d."
MAX_NAMES = 2  # more authors than this: "First et al."

# The Kazakh Cyrillic alphabet, which holds the Russian one in its order: a Russian
# name sorts as in a Russian index, and ә, ғ, қ, ң, ө, ұ, ү, һ, і take their Kazakh places.
CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_CYRILLIC_RANK = {ch: i for i, ch in enumerate(CYRILLIC)}
# "Available at \url{...} (accessed ...)": the note's last sentence, written for
# classic BibTeX styles that print no url field; the book shows the url field instead.
AVAILABLE = "Available at "
_PLAIN = _PlainText()  # a plain-text backend, made once (render_as() looks it up on every call)


@lru_cache(maxsize=None)
def plain(latex: str) -> str:
    """BibTeX field text without its LaTeX markup: ``{Human Rights Watch}`` -> ``Human Rights Watch``."""
    return Text.from_latex(latex).render(_PLAIN)


def _char_keys(ch: str):
    if ch in _CYRILLIC_RANK:
        return [(4, _CYRILLIC_RANK[ch])]
    out = []
    for base in unicodedata.normalize("NFD", ch):
        if unicodedata.combining(base):
            continue  # accents: ü sorts as u, ń as n
        if base.isspace():
            out.append((0, 0))
        elif base.isdigit():
            out.append((2, ord(base)))
        elif "a" <= base <= "z":
            out.append((3, ord(base)))
        elif unicodedata.name(base, "").startswith("CYRILLIC"):
            out.append((4, 100 + ord(base)))
        elif base.isalpha():
            out.append((3, 1000 + ord(base)))
        else:
            out.append((1, ord(base)))  # punctuation, below digits and letters
    return out


def collation_key(text: str) -> tuple:
    """The book's alphabetical order: Latin before Cyrillic, case and accents ignored.

    Word by word (a space sorts first), punctuation before digits, digits before
    letters; Latin letters a-z, then Cyrillic in the Kazakh alphabet's order. The
    text itself breaks remaining ties, so the order is total and reproducible.
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    return tuple(k for ch in folded for k in _char_keys(ch)), text


def label_author(entry: "Entry") -> str:
    """The author part of a label (see the module docstring)."""
    if entry.fields.get("shortauthor"):
        return plain(entry.fields["shortauthor"])
    persons = entry.persons.get("author") or entry.persons.get("editor")
    if not persons:
        return plain(entry.fields.get("key") or entry.fields.get("title", entry.key))
    names, others = [], False
    for person in persons:
        name = plain(" ".join(person.prelast_names + person.last_names))
        if name == "others":
            others = True
        else:
            names.append(name)
    if others or len(names) > MAX_NAMES:
        return f"{names[0]} et al."
    return " and ".join(names)


def label_year(entry: "Entry") -> str:
    year = plain(entry.fields.get("year", "")).strip()
    return year if re.fullmatch(r"\d{4}", year) else NO_DATE


def _base_label(entry: "Entry") -> str:
    return f"{label_author(entry)} {label_year(entry)}"


class SortingStyle(BaseSortingStyle):
    """By label (author, year), then title: see :func:`collation_key`."""

    def sorting_key(self, entry):
        return collation_key(_base_label(entry)), collation_key(plain(entry.fields.get("title", ""))), entry.key


class LabelStyle(BaseLabelStyle):
    """'Author Year', with a, b, c for the same author and year (in sorted order)."""

    def format_labels(self, sorted_entries):
        sorted_entries = list(sorted_entries)
        bases = [_base_label(e) for e in sorted_entries]
        counts, seen = Counter(bases), Counter()
        for base in bases:
            if counts[base] == 1:
                yield base
                continue
            letter = suffix(seen[base], counts[base])
            seen[base] += 1
            yield base + ("-" if base.endswith(NO_DATE) else "") + letter


def suffix(n: int, count: int) -> str:
    """The letters of the ``n``-th of ``count`` works: a ... z; with more than 26 works every
    suffix has two letters (aa, ab ...), so that the labels still sort in the works' order."""
    width = 1
    while 26 ** width < count:
        width += 1
    out = ""
    for _ in range(width):
        n, r = divmod(n, 26)
        out = chr(ord("a") + r) + out
    return out


def labels(entries) -> dict[str, str]:
    """Citation labels of pybtex entries, as the book's bibliography shows them: ``{key: label}``."""
    sorted_entries = SortingStyle().sort(list(entries))
    return {e.key: label for e, label in zip(sorted_entries, LabelStyle().format_labels(sorted_entries))}


def _remarks(note: str) -> str:
    """The note without its last sentence giving the URL (the book shows the url field)."""
    head, sep, _ = note.rpartition(AVAILABLE)
    return head.rstrip(". ") if sep else note


_COPY = re.compile(r"(\S+)(?: \(accessed ([^()]*)\))?")


def _copy(note: str) -> tuple[str, tuple[str, str] | None]:
    """The remarks without their closing "Read in a copy at <address>[ (accessed <date>)]" sentence
    (written by qantar.bib), and that copy's plain address and access date ('' if not given); the
    book shows the address as a link of its own. ``(note, None)`` when the note names no copy."""
    from .bib import READ_IN_A_COPY

    head, sep, tail = note.rpartition(READ_IN_A_COPY)
    found = _COPY.fullmatch(plain(tail).strip()) if sep else None
    if not found:
        return note, None
    return head.rstrip(". "), (found.group(1), found.group(2) or "")


class Style(UnsrtStyle):
    """pybtex's ``unsrt`` entry templates, with the book's labels and order."""

    default_label_style = "qantar"
    default_sorting_style = "qantar"

    def format_entry(self, label, entry, bib_data=None):
        from pybtex.database import Entry

        # pybtex's LaTeX reader keeps the backslash of \$ and \^{} (escaped for LaTeX by qantar.bib).
        fields = {name: value if name == "url" else value.replace(r"\$", "$").replace(r"\^{}", "^")
                  for name, value in entry.fields.items()}
        if "note" in fields:
            fields["note"], copy = _copy(_remarks(fields["note"]))
            if copy:
                fields["copyurl"] = copy[0]
                if copy[1]:
                    fields["copydate"] = copy[1]
            if not fields["note"]:
                del fields["note"]
        if "urldate" in fields:
            from . import fmt

            fields["urldate"] = fmt.date(fields["urldate"])
        shown = Entry(entry.type, fields=fields, persons=entry.persons)
        shown.key = entry.key
        return super().format_entry(label, shown, bib_data=bib_data)

    def get_misc_template(self, e):
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")], optional[date]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        """The original's address (url) and, for a source read in a copy, the copy's, labelled as such."""
        url, copy = field("url", raw=True), field("copyurl", raw=True)
        return join(sep=" ")[
            optional[sentence[words[href(url)[url], optional["(accessed ", field("urldate"), ")"]]]],
            optional[sentence[words["Read in a copy at", href(copy)[copy],
                                    optional["(accessed ", field("copydate", raw=True), ")"]]]],
        ]


# --- sphinxcontrib-bibtex: how a citation reads in the text ------------------------------------

from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, BracketStyle, GroupReferenceStyle  # noqa: E402
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle  # noqa: E402
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle  # noqa: E402
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference  # noqa: E402


@node
def label_text(children, data, part="all"):
    """The citation's bibliography label, or its author or year part."""
    assert not children
    label = data["formatted_entry"].label
    author, _, year = label.rpartition(" ")
    return Text({"all": label, "author": author, "year": year}[part])


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class _Parenthetical(BaseReferenceStyle):
    bracket: BracketStyle = dc_field(default_factory=_round)
    pre_text_sep: Union[Text, str] = " "
    post_text_sep: Union[Text, str] = ", "

    def role_names(self) -> Iterable[str]:
        return ["p", "ps", "alp", "alps"]

    def outer(self, role_name: str, children: List[Text]):
        return self.bracket.outer(children, brackets="al" not in role_name, capfirst=False)

    def inner(self, role_name: str):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text, reference[label_text], post_text]


@dataclass
class _Textual(BaseReferenceStyle):
    bracket: BracketStyle = dc_field(default_factory=_round)
    pre_text_sep: Union[Text, str] = " "
    post_text_sep: Union[Text, str] = ", "

    def role_names(self) -> Iterable[str]:
        return ["t", "ts", "ct", "cts"]

    def outer(self, role_name: str, children: List[Text]):
        return self.bracket.outer(children, brackets=False, capfirst="c" in role_name)

    def inner(self, role_name: str):
        return reference[join[
            label_text(part="author"), " ", self.bracket.left,
            join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, label_text(part="year"), post_text],
            self.bracket.right]]


@dataclass
class ReferenceStyle(GroupReferenceStyle):
    """Citations by bibliography label: ``(Label; Label)`` and ``Author (Year)``."""

    def __post_init__(self):
        self.styles.extend([_Parenthetical(), _Textual(),
                            ExtraLabelReferenceStyle(bracket=_round()), ExtraEmptyReferenceStyle()])
        super().__post_init__()
