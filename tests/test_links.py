"""Every internal link of the built HTML resolves (LinkChecker), and every #anchor exists."""

import csv
import functools
import http.server
import io
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

# LinkChecker's command line, except that it keeps the user's privileges: as root it
# would switch to "nobody", who cannot read a checkout (or its .venv) in a private
# directory. It only reads our own local test server here.
LINKCHECKER = [sys.executable, "-c", "import sys, linkcheck.command.linkchecker as m; "
               "m.drop_privileges = lambda: None; sys.argv[0] = 'linkchecker'; sys.exit(m.linkchecker())"]
CONFIG = Path(__file__).with_name("linkcheckerrc")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "allow")  # a local test server: no rate limit needed
        super().end_headers()

    def log_message(self, *args):
        pass


def broken_links(directory: Path, start: str) -> list[str]:
    """LinkChecker's errors for the site in ``directory``, crawled from ``start``."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{start}"
        out = subprocess.run([*LINKCHECKER, "-f", str(CONFIG), "--no-status", "-o", "csv", url],
                             capture_output=True, text=True).stdout
    finally:
        server.shutdown()
    rows = csv.DictReader(io.StringIO("\n".join(l for l in out.splitlines() if not l.startswith("#"))),
                          delimiter=";")
    return [f"{r['parentname']} -> {r['urlname']}: {r['result']} {r['warningstring']}".strip()
            for r in rows if r["valid"] != "True" or r["warningstring"]]


def broken_anchors(directory: Path) -> list[str]:
    """Links to #fragments (same page or another local page) whose id does not exist."""
    from bs4 import BeautifulSoup

    pages = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in directory.rglob("*.html")
             if "_static" not in p.parts}
    ids = {p: {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all("a", attrs={"name": True})}
           for p, soup in pages.items()}
    problems = []
    for page, soup in pages.items():
        for a in soup.find_all("a", href=True):
            parts = urlsplit(a["href"])
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.suffix != ".html":
                continue
            if target not in ids:
                problems.append(f"{page.relative_to(directory)}: {a['href']} (no such page)")
            elif unquote(parts.fragment) not in ids[target]:
                problems.append(f"{page.relative_to(directory)}: {a['href']} (no such anchor)")
    return problems


def test_internal_links_resolve(html_book):
    assert broken_links(html_book, "intro.html") == []


def test_internal_anchors_resolve(html_book):
    assert broken_anchors(html_book) == []


def test_link_and_anchor_checks_can_fail(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#nope">x</a> <a href="gone.html">y</a> '
                                     '<a href="b.html#ok">z</a> <a href="#top">t</a>')
    (tmp_path / "b.html").write_text('<h1 id="ok">b</h1>')
    links = broken_links(tmp_path, "a.html")
    assert len(links) == 1 and "gone.html" in links[0] and "404" in links[0], links
    anchors = broken_anchors(tmp_path)
    assert sorted(anchors) == ["a.html: #top (no such anchor)", "a.html: b.html#nope (no such anchor)"], anchors
