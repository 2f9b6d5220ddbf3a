"""Helpers for the *Bloody January* report.

Chapters import from here and keep only narrative-level code:

- :mod:`qantar.paths`: where things live, resolved from this file (so Jupyter
  Book, nbval and a plain Python process agree whatever the working directory);
- :mod:`qantar.data`: load a table from ``data/``, validated against
  ``data/datapackage.json``;
- :mod:`qantar.fmt`: numbers and dates as the prose prints them;
- :mod:`qantar.figures`: the house figure style and byte-reproducible saving;
- :mod:`qantar.bib`: the source registry rendered as ``references.bib``;
- :mod:`qantar.notebooks`: re-execute a chapter into its paired ``.ipynb``.

Nothing here touches the network, and importing the package is cheap: the
heavy libraries are imported inside the functions that need them.
"""

__version__ = "0.1.0"

from . import reads as _reads

_reads.from_env()  # inside `qantar.notebooks` execution only: record the files the chapter reads
