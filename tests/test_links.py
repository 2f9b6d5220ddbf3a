"""Every internal link and anchor of the built HTML resolves (checked with LinkChecker)."""

import csv
import functools
import http.server
import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest

LINKCHECKER = str(Path(sys.executable).with_name("linkchecker"))
CONFIG = Path(__file__).with_name("linkcheckerrc")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def broken_links(directory: Path, start: str) -> list[str]:
    """LinkChecker's errors and anchor warnings for the site in ``directory``, from ``start``."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{start}"
        out = subprocess.run([LINKCHECKER, "-f", str(CONFIG), "--no-status", "-o", "csv", url],
                             capture_output=True, text=True).stdout
    finally:
        server.shutdown()
    rows = csv.DictReader(io.StringIO("\n".join(l for l in out.splitlines() if not l.startswith("#"))),
                          delimiter=";")
    problems = []
    for row in rows:
        if row["valid"] != "True" or row["warningstring"]:
            problems.append(f"{row['parentname']} -> {row['urlname']}: {row['result']} {row['warningstring']}")
    return problems


def test_internal_links_and_anchors_resolve(html_book):
    assert broken_links(html_book, "intro.html") == []


def test_link_check_catches_broken_anchor_and_page(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#nope">x</a> <a href="gone.html">y</a> <a href="b.html#ok">z</a>')
    (tmp_path / "b.html").write_text('<h1 id="ok">b</h1>')
    problems = broken_links(tmp_path, "a.html")
    assert len(problems) == 2, problems
    assert any("#nope" in p and "Anchor" in p for p in problems)
    assert any("gone.html" in p and "404" in p for p in problems)
