"""Data is text, never markup: the one layer between data cells and the book's MyST.

Chapters and helpers emit Markdown (MyST) cells that Jupyter Book parses. A data
cell spliced into such a string could carry live markup: raw HTML, a
``{download}`` role or an ``{include}`` directive, a ``{raw} latex`` block. This
module makes that impossible by construction:

- :class:`MyST` is a ``str`` subclass for *trusted* markup. It is built on
  :class:`markupsafe.Markup` (the escaping string type Jinja uses) with the
  escape function swapped for MyST's: when a plain ``str`` (or any other value)
  meets a ``MyST`` template through ``+``, ``%``, :meth:`~MyST.format` or
  :meth:`~MyST.join`, it is escaped first; a ``MyST`` value passes unchanged.
- :func:`escape` turns any value into MyST that renders as exactly that text:
  every ASCII punctuation character is backslash-escaped (CommonMark allows it
  for all of them) and runs of whitespace, newlines included, become one space,
  so a cell can never start a line (a fence, a directive, a heading, a table).
  Sphinx then escapes the resulting text nodes for HTML and for LaTeX.
- The constructors that must put data *inside* markup check it instead:
  :func:`cite` accepts only registry-shaped keys, :func:`link` only ``http`` and
  ``https`` URLs, :func:`download` only plain repository paths,
  :func:`option` (a directive option such as ``:alt:``) only one line of text,
  :func:`code_block` picks a fence longer than any backtick run in its text.
- :func:`show` is the only way a chapter or helper emits Markdown output: it
  refuses anything that is not :class:`MyST`. A test checks that nothing else in
  the package or the chapters constructs ``IPython.display.Markdown``.

Literal templates are marked trusted with :func:`trusted` (or ``MyST("...")``);
they must not contain data.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote, urlsplit

from markupsafe import Markup

_PUNCT = frozenset(string.punctuation)
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:-]*\Z")
_PATH = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\Z")


class MyST(Markup):
    """Trusted MyST markup. Plain strings combined with it are escaped by :func:`escape`."""

    __slots__ = ()

    @classmethod
    def escape(cls, s) -> "MyST":  # markupsafe calls this for every operand
        return escape(s)

    def __repr__(self) -> str:
        return f"MyST({str.__repr__(self)})"


def escape(value) -> MyST:
    """``value`` as MyST that renders literally (one line; every ASCII punctuation escaped)."""
    if isinstance(value, MyST):
        return value
    text = re.sub(r"\s+", " ", str(value))  # one line; a space at either end is kept (joined pieces)
    return MyST("".join("\\" + ch if ch in _PUNCT else ch for ch in text))


def trusted(template: str) -> MyST:
    """Mark a literal template (written in code, never read from data) as MyST."""
    return MyST(template)


def md(template: str, *args, **kwargs) -> MyST:
    """``template.format(...)`` with every argument escaped unless it is already MyST."""
    return MyST(template).format(*args, **kwargs)


def join(parts, sep: str = "") -> MyST:
    return MyST(sep).join(parts)


def cite(keys, mode: str = "p") -> MyST:
    """A citation role for registry keys; any other shape of key is refused."""
    if isinstance(keys, str):
        keys = [keys]
    keys = list(keys)
    if not keys:
        raise ValueError("a citation needs at least one source key")
    for key in keys:
        if not isinstance(key, str) or not _KEY.match(key):
            raise ValueError(f"not a source key: {key!r}")
    if mode not in ("p", "t"):
        raise ValueError(f"unknown citation mode: {mode!r}")
    return MyST(f"{{cite:{mode}}}`{','.join(keys)}`")


#: The annexes (HTML edition only), numbered as their titles number them.
ANNEXES = {"annex-chronology": 1, "annex-figures": 2, "annex-cases": 3, "annex-responses": 4,
           "annex-tracker": 5, "annex-sources": 6, "annex-coverage": 7,
           "annex-regions": 8, "annex-dead": 9}


def annex_ref(label: str) -> MyST:
    """A reference to an annex by its number: ``annex_ref("annex-figures")`` -> 'Annex 2' (a link;
    in print, 'Annex 2 (HTML edition)')."""
    return MyST(f"{{ref}}`Annex {ANNEXES[label]} <{label}>`")


def link(text, url) -> MyST:
    """A link to an ``http``/``https`` URL; any other scheme (``javascript:``, ``file:``) gives plain text."""
    url = str(url).strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return escape(text)
    target = quote(url, safe="/:?#[]@!$&'*+,;=%-._~")
    return MyST("[") + escape(text) + MyST(f"](<{target}>)")


def download(path: str, text: str | None = None) -> MyST:
    """A ``{download}`` role for a repository file (from a chapter, so the target is ``../path``),
    labelled with ``text`` (plain words) or with its path. Only plain relative paths inside the
    repository are accepted."""
    if not isinstance(path, str) or not _PATH.match(path) or ".." in path.split("/"):
        raise ValueError(f"not a plain repository path: {path!r}")
    if text is not None and not re.fullmatch(r"[\w ,.()'-]+", text):
        raise ValueError(f"a download label must be plain words: {text!r}")
    return MyST(f"{{download}}`{text or path} <../{path}>`")


def option(value) -> str:
    """A directive option value (``:alt:``): one line of plain text (options are not parsed as markup)."""
    return " ".join(str(value).split())


_ROW_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def label(kind: str, row_id: str) -> str:
    """The cross-reference label of a data row shown in an annex: ``label("claim", "C035")`` ->
    ``'claim-c035'``."""
    if not _ROW_ID.match(kind) or not _ROW_ID.match(str(row_id)):
        raise ValueError(f"not a row id: {kind!r}, {row_id!r}")
    return f"{kind}-{row_id}".lower()


def anchor(kind: str, row_id: str) -> MyST:
    """The row id as shown in an annex table cell, carrying the row's label (a link target in
    HTML and PDF alike): ``[C035]{#claim-c035}``."""
    return MyST(f"[{row_id}]{{#{label(kind, row_id)}}}")


def ref(text, kind: str, row_id: str) -> MyST:
    """``text`` as a link to a data row's anchor in its annex. The text is shown as written
    (a figure such as 'at least 238'), so it may not contain role syntax."""
    text = " ".join(str(text).split())
    if not text or re.search(r"[`<>{}\\]", text):
        raise ValueError(f"cannot be a link text: {text!r}")
    return MyST(f"{{ref}}`{text} <{label(kind, row_id)}>`")


def ref_or_text(text, kind: str, row_id: str) -> MyST:
    """:func:`ref`, or, for a text that cannot be a link text (it holds role syntax: backticks,
    braces, angle brackets), the text shown as plain text: data text never breaks a link."""
    try:
        return ref(text, kind, row_id)
    except ValueError:
        return escape(text)


def code(text) -> MyST:
    """Inline code (shown verbatim; code spans are never parsed as markup)."""
    text = " ".join(str(text).split())
    runs = [len(m) for m in re.findall(r"`+", text)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MyST(f"{ticks}{pad}{text}{pad}{ticks}")


def code_block(text: str, language: str = "") -> MyST:
    """A fenced code block holding ``text`` verbatim."""
    if not re.fullmatch(r"[A-Za-z0-9_+-]*", language):
        raise ValueError(f"not a language name: {language!r}")
    runs = [len(m) for m in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return MyST(f"{fence}{language}\n{text.rstrip()}\n{fence}\n")


def table(header, rows, *, caption, name: str, widths=None, align=None) -> MyST:
    """A numbered MyST table (``{table}`` directive) whose every cell is escaped text (or MyST).

    ``align`` is a string of ``l``/``r`` per column; ``widths`` a list of integers."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ValueError(f"a table name must be a plain identifier: {name!r}")
    rows = list(rows)
    if not rows:  # a table with a header and no body breaks the LaTeX writer, and says nothing
        raise ValueError(f"table {name!r} has no rows: did a filter drop every row?")
    align = align or "l" * len(header)
    if len(align) != len(header) or any(len(r) != len(header) for r in rows):
        raise ValueError("every row of a table needs one cell per column")
    def line(cells):
        return MyST("| ") + join((escape(c) for c in cells), " | ") + MyST(" |")
    head = f":name: {name}\n" + (f":widths: {' '.join(str(int(w)) for w in widths)}\n" if widths else "")
    sep = MyST("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    return join([MyST("```{table} ") + escape(caption), MyST(head), line(header), sep,
                 *(line(r) for r in rows), MyST("```\n")], "\n")


def needspace(lines: int) -> MyST:
    """PDF only: start a new page here unless ``lines`` lines still fit on this one (LaTeX
    ``needspace``, loaded in ``_config.yml``), so that a block after it is not split."""
    if isinstance(lines, bool) or not isinstance(lines, int) or not 1 <= lines <= 60:
        raise ValueError(f"not a line count: {lines!r}")
    return MyST(f"```{{raw}} latex\n\\needspace{{{lines}\\baselineskip}}\n```\n")


def only(builder: str, content: MyST) -> MyST:
    """``content`` (MyST) for one output format only: ``only("html", ...)`` or ``only("latex", ...)``."""
    if builder not in ("html", "latex"):
        raise ValueError(f"unknown output format: {builder!r}")
    runs = [len(m) for m in re.findall(r"`+", escape(content))]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return MyST(f"{fence}{{only}} {builder}\n") + escape(content) + MyST(f"\n{fence}\n")


def show(markup: MyST):
    """The Markdown output of a cell. Only :class:`MyST` is accepted, never a plain string."""
    from IPython.display import Markdown

    if not isinstance(markup, MyST):
        raise TypeError(f"show() needs MyST built by qantar.markup, not {type(markup).__name__}")
    return Markdown(str(markup))
