"""Record every repository file a chapter's kernel opens for reading.

This is how the staleness digest (:mod:`qantar.notebooks`) knows *everything* a
chapter read (tables, the data package, the map outline, any other file) without
a list to keep up to date: when :mod:`qantar.notebooks` executes a chapter it sets
``QANTAR_READS`` to a log file for the kernel, and importing :mod:`qantar` then
installs a Python audit hook (:func:`sys.addaudithook`) that appends each file
opened for reading inside the repository to that log. Files under the virtual
environment, ``_build`` and ``figures/`` (which chapters write) are not inputs.
Outside such an execution (nbval, an interactive session) nothing is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import paths

ENV = "QANTAR_READS"
_IGNORED = (".venv", "_build", "figures", ".git", ".ipynb_checkpoints")
_installed = False


def install(log: str | os.PathLike) -> None:
    """Append the repository path of every file opened for reading to ``log`` (once each)."""
    global _installed
    if _installed:
        return
    _installed = True
    root = str(paths.ROOT) + os.sep
    seen: set[str] = set()
    log = os.fspath(log)
    write = open  # bound now: the hook must not recurse through later patches

    def hook(event, args):
        if event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        if (isinstance(mode, str) and any(m in mode for m in "wax+")) or \
                (mode is None and flags & (os.O_WRONLY | os.O_RDWR)):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if not path.startswith(root) or path in seen or path == log:
            return
        rel = path[len(root):].replace(os.sep, "/")
        if rel.split("/", 1)[0] in _IGNORED or not os.path.isfile(path):
            return
        seen.add(path)
        with write(log, "a", encoding="utf-8") as fh:
            fh.write(rel + "\n")

    sys.addaudithook(hook)


def from_env() -> None:
    if os.environ.get(ENV):
        install(os.environ[ENV])


def read_log(log: Path) -> list[str]:
    if not Path(log).exists():
        return []
    return sorted(set(Path(log).read_text(encoding="utf-8").split()))
