"""The built book in Chromium: serving, visiting, and one survey of every page.

Helpers shared by the browser tests (the fixtures ``browser``, ``site`` and
``survey`` are in ``conftest.py``). The survey opens every page of the book once,
at desktop width, then narrows the same page to phone width (390 CSS px), and
records all that the tests assert on, so each page is loaded once and checked by
axe-core once per width where it is checked at both:

- at desktop width: what went wrong loading it (console errors, failed or
  third-party requests), its images (loaded? alt text?), every file Chromium
  loaded (sizes and bodies), the icons drawn and font faces loaded, axe-core's
  findings;
- at phone width: what went wrong after narrowing it, how wide the page scrolls,
  each figure's image as rendered, and axe-core's findings on the pages in
  ``PHONE_AXE``.

Narrowing a loaded page costs a relayout where a second load would cost a whole
page (most of the survey's time): the theme lays out for phones with media
queries, which apply at once. ``tests/test_tables.py`` and
``tests/test_figures_phone.py`` open pages fresh at phone width.

``tests/test_browser.py``, ``tests/test_pages.py`` and ``tests/test_figures_phone.py``
assert on the record. Screenshots for review are taken apart from the tests
(``make screenshots``, ``tests/screenshots.py``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

from qantar import paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's own probe: no background traffic to Google's hosts, no sandbox as root.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = paths.ROOT / "_build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
# axe at phone width: the theme's phone chrome (any page) and a page with full tables (the
# shortest annex: every annex's full tables are the same markup from the same code).
PHONE_AXE = ("intro.html", "chapters/83-annex-cases.html")
# Pages also opened fresh at phone width (the phone axe pages and a chapter with figures), so
# that a test can compare them with the narrowed desktop page (tests/test_pages.py).
PHONE_FRESH = PHONE_AXE + ("chapters/02-figures.html",)
# Long generated parts are checked on a sample: every table on its first 10 rows, the
# bibliography on its first 10 entries, the regional profiles (Annex 8) on their first three
# units. The rest is the same markup from the same code (the same function writes every row,
# entry and unit), and colour-contrast checks on thousands of cells would double the suite's
# time. (Their text is checked as text by tests/test_injection.py; tests/test_pages.py checks
# what the sample leaves out.)
SAMPLE = {"exclude": [["table tbody tr:nth-child(n+11)"],
                      [".citation-list > .citation:nth-child(n+11)"],
                      [".cell_output > h2.rubric:has(> span[id^=\"unit-\"]):nth-of-type(3) ~ *"]]}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1; yield its base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@contextlib.contextmanager
def launch():
    """Debian's Chromium, driven by Playwright's sync API (in the calling thread)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium missing: run `make system-deps` (Debian package chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def book_pages(html: Path) -> list[str]:
    skip = {"_static", "_sources", "_downloads", "_images"}
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not skip & set(p.relative_to(html).parts))


def visit(browser, url: str, base: str, viewport=None, **context):
    """Open ``url``; return (page, problems) where problems lists everything a reader would hit.
    ``context`` options (e.g. ``java_script_enabled=False``) apply to this page only."""
    page = browser.new_page(viewport=viewport or DESKTOP, **context)
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"third-party request: {r.url}")
            if not r.url.startswith(base) and urlsplit(r.url).scheme not in ("data", "blob", "about") else None)
    page.goto(url, wait_until="networkidle")
    return page, problems


def axe_violations(page, context=SAMPLE) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(_axe_script())
    result = page.evaluate("([context, options]) => axe.run(context, options)",
                           [context, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}])
    return result["violations"]


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def images(page) -> list[list]:
    """[src, loaded, alt] of every image on the page."""
    return page.eval_on_selector_all(
        "img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0, e.getAttribute('alt')])")


def loaded_files(page) -> tuple[dict[str, int], dict[str, bytes]]:
    """What Chromium loaded for an open page: the body size of the document and of every
    resource, by URL (Resource Timing, ``decodedBodySize``), and the bodies themselves
    (fetched again from the same server, to measure their gzip size)."""
    sizes = dict(page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).map(e => [e.name, e.decodedBodySize])"""))
    bodies = {}
    for name in sizes:
        response = page.context.request.get(name)
        assert response.ok, (name, response.status)
        bodies[name] = response.body()
    return sizes, bodies


def icons_drawn(page) -> tuple[list, list]:
    """Every Font Awesome icon element with the glyph its ::before draws, its font family and
    weight; and the font faces the page loaded."""
    icons = page.evaluate("""() => Array.from(document.querySelectorAll('[class*="fa-"]'))
        .filter(e => /(^|\\s)fa-/.test(e.className))
        .map(e => [e.className, getComputedStyle(e, '::before').content,
                   getComputedStyle(e).fontFamily, getComputedStyle(e).fontWeight])""")
    faces = page.evaluate("""async () => { await document.fonts.ready;
        return Array.from(document.fonts).filter(f => f.status === 'loaded')
                    .map(f => [f.family.replace(/"/g, ''), f.weight]); }""")
    return icons, faces


def figure_boxes(page) -> list[list]:
    """[currentSrc, complete, naturalWidth, rendered width] of every figure's image on the page."""
    return page.eval_on_selector_all(
        "figure img", "els => els.map(e => [e.currentSrc, e.complete, e.naturalWidth, e.getBoundingClientRect().width])")


def survey(browser, site: str, html: Path) -> dict[str, dict]:
    """Visit every page at desktop width, then narrowed to phone width; record what the tests check."""
    record = {}
    for rel in book_pages(html):
        redirect = 'http-equiv="refresh"' in (html / rel).read_text(encoding="utf-8").lower()
        page, problems_live = visit(browser, site + rel, site)
        found = images(page)
        if redirect:  # index.html only redirects to the intro (and races Chromium's favicon request)
            record[rel] = dict(redirect=True, problems=list(problems_live), images=found)
            page.close()
            continue
        sizes, bodies = loaded_files(page)
        icons, faces = icons_drawn(page)
        problems = list(problems_live)  # before axe runs: its style-sheet preload resolves @import paths itself
        violations = axe_violations(page)
        # The same page at phone width: the viewport narrowed, and whatever that loads or breaks
        # recorded from then on (the theme's layout is media queries; tests/test_tables.py and
        # tests/test_figures_phone.py also open pages fresh at phone width).
        before = len(problems_live)
        page.set_viewport_size(PHONE)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(100)  # let layout and any resize handlers settle
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        figures = figure_boxes(page)
        phone_problems = list(problems_live[before:])
        page.close()
        fresh = phone_violations = None
        if rel in PHONE_FRESH:  # opened again at phone width, to check the narrowing above
            phone, fresh_problems = visit(browser, site + rel, site, viewport=PHONE)
            fresh = dict(scroll=phone.evaluate("document.scrollingElement.scrollWidth"),
                         figures=figure_boxes(phone))
            phone_problems += list(fresh_problems)
            phone_violations = axe_violations(phone) if rel in PHONE_AXE else None
            phone.close()
        record[rel] = dict(redirect=False, problems=problems, phone_problems=phone_problems, images=found,
                           sizes=sizes, bodies=bodies, icons=icons, faces=faces, violations=violations,
                           scroll=scroll, figures=figures, phone_violations=phone_violations or [], fresh=fresh)
    return record
