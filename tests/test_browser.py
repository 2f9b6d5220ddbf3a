"""The built HTML book, read in a real browser (Debian's Chromium, driven by Playwright).

The pages are served from ``_build/html`` on 127.0.0.1. Every page must load
with no console error, no failed request and no request to any other host; its
images must load and carry alt text. The search page must find a known word and
the table of contents must resolve. A screenshot of each chapter is saved under
``_build/screenshots/`` for review.
"""

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from qantar import paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's own probe: no background traffic to Google's hosts, no sandbox as root.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = paths.ROOT / "_build" / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(html_book):
    handler = functools.partial(_QuietHandler, directory=str(html_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium missing: run `make system-deps` (Debian package chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def book_pages(html: Path) -> list[str]:
    skip = {"_static", "_sources", "_downloads", "_images"}
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not skip & set(p.relative_to(html).parts))


def visit(browser, url: str, base: str, viewport=None, **context):
    """Open ``url``; return (page, problems) where problems lists everything a reader would hit.
    ``context`` options (e.g. ``java_script_enabled=False``) apply to this page only."""
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900}, **context)
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"third-party request: {r.url}")
            if not r.url.startswith(base) and urlsplit(r.url).scheme not in ("data", "blob", "about") else None)
    page.goto(url, wait_until="networkidle")
    return page, problems


def test_every_page_loads_cleanly_and_locally(browser, site, html_book):
    pages = book_pages(html_book)
    assert {"intro.html", "chapters/01-timeline.html", "bibliography.html", "search.html"} <= set(pages)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    report = {}
    for rel in pages:
        page, problems = visit(browser, site + rel, site)
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0, e.getAttribute('alt')])")
        for src, loaded, alt in images:
            if not loaded:
                problems.append(f"image did not load: {src}")
            if not (alt or "").strip():
                problems.append(f"image without alt text: {src}")
        if rel.startswith("chapters/"):
            page.screenshot(path=str(SCREENSHOTS / (Path(rel).stem + ".png")), full_page=True)
        page.close()
        if problems:
            report[rel] = problems
    assert not report, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in report.items())


def test_search_finds_a_known_word(browser, site):
    page, problems = visit(browser, site + "search.html?q=Zhanaozen", site)
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    page.close()
    assert not problems, problems
    assert any("chapters/01-timeline.html" in h for h in hits), hits


def test_table_of_contents_links_resolve(browser, site):
    page, problems = visit(browser, site + "intro.html", site)
    links = page.eval_on_selector_all("nav.bd-docs-nav a.reference", "els => els.map(e => e.href)")
    page.close()
    assert not problems, problems
    assert len(links) >= 2, links
    for href in links:
        response = browser.new_context().request.get(href)
        assert response.status == 200, (href, response.status)


def test_browser_check_catches_a_third_party_request(browser, site, html_book, tmp_path):
    """The check above can fail: a page that loads a script from elsewhere is reported."""
    bad = html_book / "_probe_third_party.html"
    bad.write_text('<html><body><img src="https://example.invalid/x.png" alt="x"></body></html>', encoding="utf-8")
    try:
        page, problems = visit(browser, site + bad.name, site)
        page.close()
    finally:
        bad.unlink()
    assert any("third-party request: https://example.invalid/x.png" in p for p in problems), problems
