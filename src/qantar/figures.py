"""House figure style and byte-reproducible saving.

The palette is Okabe & Ito's colour-blind-safe set. :func:`save` writes a PNG
(for print and the PDF book) and an SVG (for the HTML book) to ``figures/``
with no dates, no software stamp and a fixed SVG hash salt, so regenerating a
figure from unchanged data leaves the files byte-identical.
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

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib; covers Kazakh Cyrillic
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
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


def save(fig, name: str) -> list[str]:
    """Write ``figures/<name>.png`` and ``.svg``; return their repository paths."""
    import matplotlib as mpl

    paths.FIGURES.mkdir(exist_ok=True)
    written = []
    with mpl.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        for ext, meta in (
            ("png", {"Software": None}),
            ("svg", {"Date": None, "Creator": None}),
        ):
            target = paths.FIGURES / f"{name}.{ext}"
            fig.savefig(target, format=ext, dpi=PNG_DPI, metadata=meta, bbox_inches="tight")
            written.append(paths.relative(target))
    return written


def directive(name: str, label: str, alt: str, caption: str, data: list[str]):
    """The MyST figure for ``figures/<name>.*``, with alt text and a caption that links its data.

    Built in code so that the alt text can state the figure's finding from the
    same numbers the chart shows. ``data`` lists the data files behind the figure
    (repository paths such as ``data/claims.csv``); the caption links each.
    """
    from .markup import download, join, md, option, show

    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not re.fullmatch(r"[A-Za-z0-9_-]+", label):
        raise ValueError(f"figure name and label must be plain identifiers: {name!r}, {label!r}")
    links = join((download(d) for d in data), ", ")
    head = f"```{{figure}} ../figures/{name}.*\n:name: {label}\n:alt: {option(alt)}\n:width: 100%\n\n"
    return show(md(head.replace("{", "{{").replace("}", "}}") + "{} Data: {}.\n```\n", caption, links))
