"""Re-execute chapters into their paired, committed ``.ipynb`` notebooks.

The MyST Markdown file (``chapters/NN-slug.md``) is the source of truth. This
module reads it with jupytext, executes it with nbclient (no timing metadata),
gives every cell a fixed id, and writes the ``.ipynb`` twin, so executing twice
gives byte-identical files (figures included).

A chapter is *stale* when the digest of its inputs differs from the digest
stored in its notebook's metadata. The inputs are the ``.md`` itself, the
helper package's source, ``data/datapackage.json``, ``CITATION.cff`` and
``_toc.yml`` (for the citation box) and every table the chapter
loads (found from its ``load("name")`` calls), with the tables those refer to.
Jupyter Book's own cache hashes code cells only and would show stale numbers
after a data change; this digest does not.

Usage: ``python -m qantar.notebooks [--force] [--check] [chapter.md ...]``
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

from . import paths

LOAD_CALL = re.compile(r"""\bload\(\s*["']([A-Za-z0-9_-]+)["']""")
PAIRING = "ipynb,md:myst"


def chapter_sources() -> list[Path]:
    return sorted(paths.CHAPTERS.glob("[0-9][0-9]-*.md"))


def notebook_for(md: Path) -> Path:
    return Path(md).with_suffix(".ipynb")


def tables_used(md: Path) -> list[str]:
    from .data import dependencies

    names = set(LOAD_CALL.findall(Path(md).read_text(encoding="utf-8")))
    used = set()
    for name in names:
        used.update(dependencies(name))
    return sorted(used)


def inputs(md: Path) -> list[Path]:
    from .data import resource_path

    # CITATION.cff and _toc.yml feed the "Cite this chapter" box.
    files = [Path(md), paths.DATAPACKAGE, paths.ROOT / "CITATION.cff", paths.ROOT / "_toc.yml"]
    files += sorted(paths.PACKAGE.glob("*.py"))
    files += [resource_path(name) for name in tables_used(md)]
    return files


def digest(md: Path) -> str:
    h = hashlib.sha256()
    for f in inputs(md):
        h.update(paths.relative(f).encode() + b"\0")
        h.update(f.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def stored_digest(nb_path: Path) -> str | None:
    import json

    if not nb_path.exists():
        return None
    meta = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("qantar", {}).get("inputs_sha256")


def is_stale(md: Path) -> bool:
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
    client.execute()
    # The patch level of Python (3.11.2 vs 3.11.7) must not change the file.
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata["qantar"] = {"inputs_sha256": digest(md), "source": md.name}
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
