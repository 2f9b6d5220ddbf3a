"""Re-execute chapters into their paired, committed ``.ipynb`` notebooks.

The MyST Markdown file (``chapters/NN-slug.md``) is the source of truth. This
module reads it with jupytext, executes it with nbclient (no timing metadata),
gives every cell a fixed id, and writes the ``.ipynb`` twin, so executing twice
gives byte-identical files (figures included).

A chapter is *stale* when the digest of its inputs differs from the digest
stored in its notebook's metadata. The inputs are the ``.md`` itself, the helper
package's source, ``data/datapackage.json``, ``CITATION.cff`` and ``_toc.yml``
(for the citation box), and every other repository file the chapter's kernel
opened for reading when it last ran: the tables it loads and those they refer
to, the map outline, any file at all. Those are recorded as they happen (see
:mod:`qantar.reads`) and stored in the notebook's metadata with the digest, so no
list of inputs has to be kept by hand. Jupyter Book's own cache hashes code cells
only and would show stale numbers after a data change; this digest does not.

Usage: ``python -m qantar.notebooks [--force] [--check] [chapter.md ...]``
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from . import paths

PAIRING = "ipynb,md:myst"


def chapter_sources() -> list[Path]:
    return sorted(paths.CHAPTERS.glob("[0-9][0-9]-*.md"))


def notebook_for(md: Path) -> Path:
    return Path(md).with_suffix(".ipynb")


def _metadata(nb_path: Path) -> dict:
    import json

    if not nb_path.exists():
        return {}
    return json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {}).get("qantar", {})


def recorded_reads(md: Path) -> list[str] | None:
    """The repository files (POSIX paths) the chapter read when it was last executed."""
    return _metadata(notebook_for(md)).get("reads")


def tables_used(md: Path) -> list[str]:
    """The data-package resources among the files the chapter read when it last ran."""
    from .data import _descriptor

    read = set(recorded_reads(md) or [])
    return sorted(r["name"] for r in _descriptor(paths.DATAPACKAGE)["resources"] if f"data/{r['path']}" in read)


def inputs(md: Path, reads: list[str] | None = None) -> list[Path]:
    """Every input of a chapter: the fixed ones and the files it read (recorded ones by default)."""
    # CITATION.cff and _toc.yml feed the "Cite this chapter" box.
    files = [Path(md), paths.DATAPACKAGE, paths.ROOT / "CITATION.cff", paths.ROOT / "_toc.yml"]
    files += sorted(paths.PACKAGE.glob("*.py"))
    reads = recorded_reads(md) if reads is None else reads
    files += [paths.ROOT / r for r in reads or []]
    return list(dict.fromkeys(files))


def digest(md: Path, reads: list[str] | None = None) -> str:
    """sha256 over every input's path and content; a missing input counts as such."""
    h = hashlib.sha256()
    for f in inputs(md, reads):
        h.update(paths.relative(f).encode() + b"\0")
        h.update(f.read_bytes().replace(b"\r\n", b"\n") if f.exists() else b"\0missing\0")
        h.update(b"\0")
    return h.hexdigest()


def stored_digest(nb_path: Path) -> str | None:
    return _metadata(nb_path).get("inputs_sha256")


def is_stale(md: Path) -> bool:
    if recorded_reads(md) is None:
        return True
    return stored_digest(notebook_for(md)) != digest(md)


def execute(md: Path) -> Path:
    """Execute ``md`` and write its ``.ipynb`` twin; return the notebook path."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    md = Path(md)
    nb = jupytext.read(md, fmt="md:myst")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.setdefault("jupytext", {})["formats"] = PAIRING
    stem = md.stem
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem}-{i:03d}"
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(md.parent)}},
    )
    import os
    import tempfile

    from . import reads

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "reads.txt"
        log.touch()
        before = os.environ.get(reads.ENV)
        os.environ[reads.ENV] = str(log)  # the kernel inherits it; importing qantar starts recording
        try:
            client.execute()
        finally:
            if before is None:
                os.environ.pop(reads.ENV, None)
            else:
                os.environ[reads.ENV] = before
        read = reads.read_log(log)
    if not any(r.startswith("src/qantar/") for r in read):
        raise RuntimeError(f"{paths.relative(md)} never imported qantar, so its inputs could not be recorded")
    # The patch level of Python (3.11.2 vs 3.11.7) must not change the file.
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata["qantar"] = {"inputs_sha256": digest(md, read), "reads": read, "source": md.name}
    target = notebook_for(md)
    text = nbformat.writes(nb, version=4)
    target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="chapter .md files (default: all)")
    parser.add_argument("--force", action="store_true", help="execute even if up to date")
    parser.add_argument("--check", action="store_true", help="only report stale chapters; exit 1 if any")
    args = parser.parse_args(argv)
    chapters = [Path(c).resolve() for c in args.chapters] or chapter_sources()
    stale = [md for md in chapters if args.force or is_stale(md)]
    if args.check:
        for md in stale:
            print(f"stale: {paths.relative(md)}")
        return 1 if stale else 0
    for md in chapters:
        if md in stale:
            print(f"executing {paths.relative(md)}", flush=True)
            execute(md)
        else:
            print(f"up to date: {paths.relative(md)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
