"""House figure style and byte-reproducible saving.

The palette is Okabe & Ito's colour-blind-safe set. :func:`save` writes a PNG
(for print and the PDF book) and an SVG (for the HTML book) to ``figures/``
with no dates, no software stamp and a fixed SVG hash salt, so regenerating a
figure from unchanged data leaves the files byte-identical.

Phone first. Most readers open the HTML on a phone, where a figure is shown at
the width of the text column (342 CSS px on a 390-px-wide screen). Figures are
therefore drawn :data:`WIDTH` inches wide with no text smaller than
:data:`MIN_FONT` points, and shown at their natural size (never stretched): on
a wide screen a figure is about 500 px wide with text as large as the body
text; on a phone it shrinks to the column and its smallest text stays at 11 CSS
px or more. Labels go above rows rather than beside them, so that the plotting
area keeps the whole width. ``tests/test_figures_phone.py`` measures the
rendered text in Chromium.
"""

from __future__ import annotations

import re

from . import paths

#: Okabe-Ito colour-blind-safe palette, in the order the house style uses it.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

#: Figure width in inches (before the tight crop and its 0.1-inch pad). On a
#: 342-px phone column, 12-point text in a figure of up to 5.18 inches renders at
#: 11 CSS px or more.
WIDTH = 4.9
#: The smallest font size any figure uses, in points.
MIN_FONT = 12

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib; covers Kazakh Cyrillic
    "font.size": MIN_FONT,
    "axes.titlesize": MIN_FONT,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": MIN_FONT,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "svg.hashsalt": "bloody-january",
    "svg.fonttype": "path",
    "path.simplify": True,
}

PNG_DPI = 200


def use_style() -> None:
    """Apply the house style to matplotlib's global settings."""
    import matplotlib as mpl

    mpl.rcParams.update(STYLE)


#: Set (to any value) in the environment of a kernel that re-executes a chapter only to check it
#: (strict nbval in ``make test``): :func:`save` and :func:`save_csv` then write nothing and
#: instead fail, naming the file, when what they would write differs from the committed file.
#: A re-execution that passes has therefore reproduced every figure byte for byte.
VERIFY_ENV = "QANTAR_VERIFY_FIGURES"


class NotReproduced(RuntimeError):
    """A re-executed chapter drew a figure that differs from the committed one."""


def _write(target, content: bytes) -> str:
    """Write ``content`` to ``target`` unless its bytes are already there (see :func:`save`);
    under :data:`VERIFY_ENV`, fail instead of writing."""
    import os

    same = target.exists() and target.read_bytes() == content
    if os.environ.get(VERIFY_ENV):
        if not same:
            raise NotReproduced(f"{paths.relative(target)}: re-executing the chapter gave different bytes "
                                "from the committed file (not reproducible, or the chapter is stale)")
        return paths.relative(target)
    if not same:
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.write_bytes(content)
        os.replace(partial, target)
    return paths.relative(target)


def save(fig, name: str) -> list[str]:
    """Write ``figures/<name>.png`` and ``.svg``; return their repository paths.

    A file whose bytes would not change is left alone (a re-execution that changes
    nothing touches no figure, so ``make book`` has nothing to redo), and a changed
    one is replaced in one step (written beside it, then renamed): a build or a copy
    of the repository made meanwhile, as in the parallel test suite, never reads a
    half-written figure. Under :data:`VERIFY_ENV` nothing is written; a difference fails.
    """
    import io

    import matplotlib as mpl

    paths.FIGURES.mkdir(exist_ok=True)
    written = []
    with mpl.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        for ext, meta in (
            ("png", {"Software": None}),
            ("svg", {"Date": None, "Creator": None}),
        ):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=ext, dpi=PNG_DPI, metadata=meta, bbox_inches="tight")
            content = buffer.getvalue()
            if ext == "svg":
                content = compact_svg(content.decode("utf-8")).encode("utf-8")
            written.append(_write(paths.FIGURES / f"{name}.{ext}", content))
    return written


def save_csv(frame, name: str) -> str:
    """Write a table offered for download as ``figures/<name>.csv`` (UTF-8, ``\\n`` line ends,
    no index), as :func:`save` writes a figure; return its repository path."""
    paths.FIGURES.mkdir(exist_ok=True)
    content = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    return _write(paths.FIGURES / f"{name}.csv", content)


_PATH_DATA = re.compile(r'(\sd=")([^"]*)(")')
_TOKEN = re.compile(r"[A-Za-z]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")
# The command an SVG path repeats when the next coordinates come without a letter.
_IMPLICIT = {"M": "L", "m": "l", "L": "L", "l": "l", "C": "C", "c": "c", "Q": "Q", "q": "q"}


def compact_svg(svg: str) -> str:
    """The SVG with its path data shortened: coordinates rounded to 0.1 pt (a fifth of a pixel
    at the largest size the page shows a figure), and a command letter left out where SVG
    repeats it anyway (``L 1 2 L 3 4`` is ``L 1 2 3 4``). The drawing is unchanged to the eye;
    with the indentation dropped, an outline map's file shrinks by about half, which keeps
    a chapter page under 1 MB."""
    def number(tok: str) -> str:
        text = f"{float(tok):.1f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    def path(m):
        out, last = [], None
        for tok in _TOKEN.findall(m.group(2)):
            if tok.isalpha():
                if last is not None and _IMPLICIT.get(last) == tok:
                    continue
                last = tok
                out.append(tok)
            else:
                out.append(number(tok))
        return m.group(1) + " ".join(out) + m.group(3)

    svg = _PATH_DATA.sub(path, svg)
    # Indentation between elements means nothing in SVG (its text is drawn as paths here).
    return "\n".join(line.lstrip() for line in svg.split("\n"))


def pack(spans, gap: float = 0.0) -> list[int]:
    """Levels for items that must not overlap: ``spans`` are ``(start, end)`` pairs
    (in any one unit, e.g. points across the page), taken in order; each gets the
    lowest level (0, 1, 2 ...) whose items it does not touch (``gap`` apart).

    Used to stack markers that fall on the same day and labels that would
    otherwise overprint.
    """
    ends: list[list[tuple[float, float]]] = []
    levels = []
    for start, end in spans:
        for level, taken in enumerate(ends):
            if all(end + gap <= a or start >= b + gap for a, b in taken):
                taken.append((start, end))
                levels.append(level)
                break
        else:
            ends.append([(start, end)])
            levels.append(len(ends) - 1)
    return levels


def place_labels(ax, points, texts, colour="black", candidates=None, avoid=()):
    """Label each point (``(x, y)`` in data units) with its text where it overprints nothing.

    Each label tries the offsets in ``candidates`` (in points: right, left,
    above, below by default) and takes the first that overlaps no label placed
    before it, no marker in ``points`` or ``avoid`` and stays inside the axes;
    if none is free, the least crowded one. Returns the text artists.
    """
    import numpy as np
    from matplotlib.transforms import Bbox

    fig = ax.figure
    candidates = candidates or [((5, 0), "left", "center"), ((-5, 0), "right", "center"),
                                ((0, 6), "center", "bottom"), ((0, -6), "center", "top")]
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    r = 4 * fig.dpi / 72  # marker radius, in pixels
    def num(p):
        return float(ax.xaxis.convert_units(p[0])), float(ax.yaxis.convert_units(p[1]))

    xy = np.array([num(p) for p in list(points) + list(avoid)], dtype=float).reshape(-1, 2)
    markers = [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y in to_px(xy)]
    frame = ax.get_window_extent(renderer)
    placed, artists = [], []
    for (x, y), text in zip(points, texts):
        best = None
        for (dx, dy), ha, va in candidates:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                            color=colour)
            box = t.get_window_extent(renderer)
            clash = sum(box.overlaps(b) for b in placed + markers) + (0 if frame.contains(box.x0, box.y0)
                                                                          and frame.contains(box.x1, box.y1) else 5)
            if best is None or clash < best[0]:
                if best is not None:
                    best[1].remove()
                best = (clash, t, box)
            else:
                t.remove()
            if clash == 0:
                break
        placed.append(best[2])
        artists.append(best[1])
    return artists


def sources_in(what: str, *annexes: str) -> "MyST":
    """A caption's sources sentence for a figure drawn from many rows: 'Sources: {what}, listed
    in Annex 1 and Annex 2.' (each row's sources are listed with it in its annex)."""
    from .markup import annex_ref, join, md

    return md("Sources: {}, listed in {}.", what, join([annex_ref(a) for a in annexes], " and "))


def directive(name: str, label: str, alt: str, caption, sources, data: list[str]):
    """The MyST figure for ``figures/<name>.*``, with alt text, a caption that ends with its
    sources, and (in HTML only) links to download its data.

    Built in code so that the alt text can state the figure's finding from the
    same numbers the chart shows. ``sources`` is the caption's last sentence, starting
    "Source" (the citations, or where each plotted row's source is listed). ``data`` lists
    the data files behind the figure (repository paths such as ``data/claims.csv``); the
    figure's legend links each for download, in the HTML edition only, so the printed list
    of figures shows the caption alone. The figure is shown at its natural size (no
    ``:width:``), capped by the column: see the module docstring.
    """
    from .markup import MyST, download, join, md, option, show

    if not str(sources).startswith("Source"):
        raise ValueError(f"a figure's sources sentence starts 'Source' or 'Sources': {str(sources)[:60]!r}")

    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not re.fullmatch(r"[A-Za-z0-9_-]+", label):
        raise ValueError(f"figure name and label must be plain identifiers: {name!r}, {label!r}")
    # Readers see the tables' titles from the data package, not file names.
    from .data import _descriptor

    titles = {f"data/{r['path']}": r.get("title", r["name"]) for r in _descriptor(paths.DATAPACKAGE)["resources"]}
    links = join((download(d, titles[d].split(" (")[0].lower()) for d in data), ", ")
    head = f"````{{figure}} ../figures/{name}.*\n:name: {label}\n:alt: {option(alt)}\n\n"
    legend = MyST("```{only} html\n") + md("Download the data (CSV): {}.", links) + MyST("\n```\n")
    return show(md(head.replace("{", "{{").replace("}", "}}") + "{} {}\n\n{}````\n", caption, sources, legend))
