"""Accessibility and phone layout of every built page, in Chromium.

axe-core (the engine shipped in the ``axe-playwright-python`` wheel, injected
into the page; nothing is fetched) checks every page at desktop width, and the
phone layout on the pages in ``PHONE_AXE``, against WCAG 2.0/2.1/2.2 A and AA,
best practice and the experimental rules. No critical, serious or moderate finding is allowed; the theme's own
faults are fixed by ``_templates/`` and ``qantar.theme``. At 390 CSS px (a
phone) no page may scroll sideways: wide tables scroll inside their own box.
"""

from test_browser import book_pages, browser, site, visit  # noqa: F401 (fixtures)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
BLOCKING = {"critical", "serious", "moderate"}
PHONE = {"width": 390, "height": 844}
# axe at phone width: the theme's phone chrome (any page) and the pages with full tables.
PHONE_AXE = ("intro.html", "chapters/82-annex-figures.html")


# Long tables and the bibliography are checked on their first 30 rows and entries: the rest
# is the same markup from the same code, and colour-contrast checks on thousands of cells
# would triple the suite's time. (Their text is checked as text by tests/test_injection.py.)
SAMPLE = {"exclude": [["table.qantar-full tbody tr:nth-child(n+31)"],
                      [".citation-list > .citation:nth-child(n+31)"]]}


def axe_violations(page, context=SAMPLE) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)
    result = page.evaluate("([context, options]) => axe.run(context, options)",
                           [context, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}])
    return result["violations"]


def describe(violations) -> list[str]:
    return [f"{v['impact']} {v['id']} x{len(v['nodes'])}: {v['help']} (e.g. {v['nodes'][0]['html'][:160]})"
            for v in violations]


def test_axe_finds_no_serious_problem_on_any_page(browser, site, html_book):
    report, minor = {}, {}
    for rel in book_pages(html_book):
        page, problems = visit(browser, site + rel, site)
        problems = list(problems)  # before axe runs: its style-sheet preload resolves @import paths itself
        violations = axe_violations(page)
        page.close()
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking or problems:
            report[rel] = problems + describe(blocking)
        if len(blocking) < len(violations):
            minor[rel] = describe([v for v in violations if v["impact"] not in BLOCKING])
    assert not report, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in report.items())
    print(f"axe (desktop): no critical, serious or moderate finding; minor: {minor or 'none'}")


def test_axe_check_catches_a_violation(browser, site, html_book):
    """The check above can fail: a page with an unlabelled button and an image without alt text."""
    bad = html_book / "_probe_axe.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body><main>'
                   '<img src="_static/favicon.svg"><button></button></main></body></html>', encoding="utf-8")
    try:
        page, _ = visit(browser, site + bad.name, site)
        found = {(v["id"], v["impact"]) for v in axe_violations(page, context={"include": [["main"]]})}
        page.close()
    finally:
        bad.unlink()
    assert {("image-alt", "critical"), ("button-name", "critical")} <= found, found


def page_scroll_width(browser, url: str, base: str, axe: bool = False):
    """At phone width: the page's scroll width, the problems ``visit`` saw, and axe's findings if asked."""
    page, problems = visit(browser, url, base, viewport=PHONE)
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    problems = list(problems)
    violations = axe_violations(page) if axe else []
    page.close()
    return scroll, problems, violations


def test_phone_every_page_fits_and_passes_axe(browser, site, html_book):
    """At 390 px no page scrolls sideways; the phone layout (theme chrome and full tables,
    on the pages in PHONE_AXE) has no critical, serious or moderate axe finding."""
    pages = book_pages(html_book)
    assert set(PHONE_AXE) <= set(pages)
    wide, report = {}, {}
    for rel in pages:
        scroll, problems, violations = page_scroll_width(browser, site + rel, site, axe=rel in PHONE_AXE)
        assert not problems, (rel, problems)
        if scroll > PHONE["width"]:
            wide[rel] = scroll
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            report[rel] = describe(blocking)
    assert not wide, f"pages wider than a 390-px phone (scrollWidth): {wide}"
    assert not report, report


def test_sideways_check_catches_a_wide_page(browser, site, html_book):
    """The check above can fail: a page holding a 1,000-px-wide element scrolls sideways."""
    bad = html_book / "_probe_wide.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><meta name="viewport" content="width=device-width">'
                   '<title>probe</title></head><body><div style="width:1000px">wide</div></body></html>',
                   encoding="utf-8")
    try:
        scroll, _, _ = page_scroll_width(browser, site + bad.name, site)
    finally:
        bad.unlink()
    assert scroll > 390
