"""The built HTML book, read in a real browser (Debian's Chromium, driven by Playwright).

The pages are served from ``_build/html`` on 127.0.0.1. Every page must load
with no console error, no failed request and no request to any other host; its
images must load and carry alt text. The search page must find a known word and
the table of contents must resolve. Screenshots for review are taken by
``make screenshots`` (``tests/screenshots.py``; one test tries it on one page).

Every page is visited once per width for all the browser tests (the ``survey``
fixture, ``tests/browsing.py``); ``browser`` and ``site`` are fixtures of conftest.py.
"""

from browsing import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, book_pages, visit  # noqa: F401 (imported from here)


def __getattr__(name):
    """``from test_browser import browser, site``, as test modules once did: the fixtures are in
    conftest.py now (shared by every module), so the names imported here are placeholders
    that leave pytest to find conftest's fixtures."""
    if name in ("browser", "site"):
        return None
    raise AttributeError(name)


def test_every_page_loads_cleanly_and_locally(survey, html_book):
    pages = book_pages(html_book)
    assert {"intro.html", "chapters/01-timeline.html", "bibliography.html", "search.html"} <= set(pages)
    assert set(survey) == set(pages)
    report = {}
    for rel in pages:
        problems = list(survey[rel]["problems"])
        for src, loaded, alt in survey[rel]["images"]:
            if not loaded:
                problems.append(f"image did not load: {src}")
            if not (alt or "").strip():
                problems.append(f"image without alt text: {src}")
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
    context = browser.new_context()
    for href in links:
        response = context.request.get(href)
        assert response.status == 200, (href, response.status)
    context.close()


def test_browser_check_catches_a_third_party_request(browser, probe_site):
    """The check above can fail: a page that loads a script from elsewhere is reported."""
    folder, base = probe_site
    bad = folder / "_probe_third_party.html"
    bad.write_text('<html><body><img src="https://example.invalid/x.png" alt="x"></body></html>', encoding="utf-8")
    page, problems = visit(browser, base + bad.name, base)
    page.close()
    assert any("third-party request: https://example.invalid/x.png" in p for p in problems), problems


def test_screenshots_for_review_are_taken_at_both_widths(browser, site, tmp_path):
    """`make screenshots` (tests/screenshots.py), tried on the shortest chapter: a full-page PNG
    per width, the phone one narrower than the desktop one."""
    import struct

    from screenshots import take

    written = take(browser, site, ["chapters/05-conclusions.html"], target=tmp_path)
    assert [p.name for p in written] == ["05-conclusions-desktop.png", "05-conclusions-phone.png"]
    sizes = {}
    for path in written:
        head = path.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n", path
        sizes[path.name] = struct.unpack(">II", head[16:24])  # width, height (device pixels)
    desktop, phone = sizes["05-conclusions-desktop.png"], sizes["05-conclusions-phone.png"]
    assert phone[0] < desktop[0] and phone[1] > phone[0], sizes  # narrow, and the whole (tall) page
