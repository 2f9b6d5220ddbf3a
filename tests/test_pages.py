"""Every built page in Chromium: accessibility, phone layout, weight and icons.

Each page is opened once at desktop width and once at phone width (390 CSS px);
the tests below assert on what those visits recorded.

- **Accessibility.** axe-core (the engine shipped in the ``axe-playwright-python``
  wheel, injected into the page; nothing is fetched) checks every page at desktop
  width, and the phone layout on the pages in ``PHONE_AXE``, against WCAG
  2.0/2.1/2.2 A and AA, best practice and the experimental rules. No critical,
  serious or moderate finding is allowed; the theme's faults are fixed by
  ``_templates/`` and ``qantar.theme``.
- **Phone.** At 390 px no page scrolls sideways; wide tables scroll in their box.
- **Weight.** Every chapter page, with everything Chromium loads for it (HTML,
  style sheets, scripts, fonts, images), is at most 1.0 MB as files (the gzip
  size is printed too). The theme's 1.49 MB ``fontawesome.js``, its full
  webfonts and the search index are not loaded.
- **Icons.** Each Font Awesome icon draws its glyph from ``qantar-fa-*.woff``, the
  theme's fonts cut down to the glyphs in use (``qantar.theme``).
"""

import gzip

import pytest
from fontTools.ttLib import TTFont

from test_browser import book_pages, browser, site, visit  # noqa: F401 (fixtures)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
BLOCKING = {"critical", "serious", "moderate"}
PHONE = {"width": 390, "height": 844}
# axe at phone width: the theme's phone chrome (any page) and a page with full tables.
PHONE_AXE = ("intro.html", "chapters/82-annex-figures.html")
# Long tables and the bibliography are checked on their first 30 rows and entries: the rest
# is the same markup from the same code, and colour-contrast checks on thousands of cells
# would triple the suite's time. (Their text is checked as text by tests/test_injection.py.)
SAMPLE = {"exclude": [["table.qantar-full tbody tr:nth-child(n+31)"],
                      [".citation-list > .citation:nth-child(n+31)"]]}
LIMIT = 1_000_000  # bytes as files, per chapter page
NOT_LOADED = ("fontawesome.js", "/webfonts/fa-", "searchindex.js")  # the theme's script, full fonts, index


def axe_violations(page, context=SAMPLE) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)
    result = page.evaluate("([context, options]) => axe.run(context, options)",
                           [context, {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}])
    return result["violations"]


def describe(violations) -> list[str]:
    return [f"{v['impact']} {v['id']} x{len(v['nodes'])}: {v['help']} (e.g. {v['nodes'][0]['html'][:160]})"
            for v in violations]


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


@pytest.fixture(scope="module")
def survey(browser, site, html_book) -> dict[str, dict]:
    """Visit every page at desktop and phone width; record what the tests check."""
    record = {}
    for rel in book_pages(html_book):
        if 'http-equiv="refresh"' in (html_book / rel).read_text(encoding="utf-8").lower():
            continue  # index.html only redirects to the intro (and races Chromium's favicon request)
        page, problems = visit(browser, site + rel, site)
        sizes, bodies = loaded_files(page)
        icons, faces = icons_drawn(page)
        problems = list(problems)  # before axe runs: its style-sheet preload resolves @import paths itself
        violations = axe_violations(page)
        page.close()
        phone, phone_problems = visit(browser, site + rel, site, viewport=PHONE)
        scroll = phone.evaluate("document.scrollingElement.scrollWidth")
        phone_problems = list(phone_problems)
        phone_violations = axe_violations(phone) if rel in PHONE_AXE else []
        phone.close()
        record[rel] = dict(problems=problems + phone_problems, sizes=sizes, bodies=bodies, icons=icons,
                           faces=faces, violations=violations, scroll=scroll, phone_violations=phone_violations)
    return record


def test_pages_load_cleanly(survey):
    assert {"intro.html", "chapters/82-annex-figures.html", "bibliography.html"} <= set(survey)
    report = {rel: r["problems"] for rel, r in survey.items() if r["problems"]}
    assert not report, report


def test_axe_finds_no_serious_problem_on_any_page(survey):
    report, minor = {}, {}
    for rel, r in survey.items():
        for width, violations in (("desktop", r["violations"]), ("phone", r["phone_violations"])):
            blocking = [v for v in violations if v["impact"] in BLOCKING]
            if blocking:
                report[f"{rel} ({width})"] = describe(blocking)
            if len(blocking) < len(violations):
                minor[f"{rel} ({width})"] = describe([v for v in violations if v["impact"] not in BLOCKING])
    assert not report, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in report.items())
    print(f"axe: no critical, serious or moderate finding; minor: {minor or 'none'}")


def test_no_page_scrolls_sideways_on_a_phone(survey):
    wide = {rel: r["scroll"] for rel, r in survey.items() if r["scroll"] > PHONE["width"]}
    assert not wide, f"pages wider than a 390-px phone (scrollWidth): {wide}"


def test_every_chapter_page_weighs_at_most_1_mb(survey):
    weights = {}
    for rel, r in survey.items():
        assert all(r["sizes"][u] == len(r["bodies"][u]) for u in r["sizes"]), rel  # whole files received
        if rel.startswith("chapters/"):
            weights[rel] = (sum(r["sizes"].values()),
                            sum(len(gzip.compress(b, 6, mtime=0)) for b in r["bodies"].values()))
    table = "\n".join(f"{rel}: {raw / 1e6:.3f} MB as files, {sent / 1e6:.3f} MB with gzip"
                      for rel, (raw, sent) in weights.items())
    print(table)
    assert len(weights) >= 6, weights.keys()
    heavy = {rel: raw for rel, (raw, _) in weights.items() if raw > LIMIT}
    assert not heavy, f"over {LIMIT / 1e6} MB:\n{table}"
    unwanted = {rel: [u for u in r["sizes"] if any(n in u for n in NOT_LOADED)]
                for rel, r in survey.items() if rel != "search.html"}
    assert not any(unwanted.values()), unwanted


def test_every_icon_has_its_glyph(survey, html_book):
    """Each icon draws a glyph that the subset font contains, from that font, which the
    browser loaded (so the icons look as with the theme's full font)."""
    cmap = TTFont(html_book / "_static" / "styles" / "qantar-fa-solid-900.woff").getBestCmap()
    missing = {}
    for rel, r in survey.items():
        assert r["icons"], rel
        assert ["Font Awesome 6 Free", "900"] in r["faces"], (rel, r["faces"])
        for classes, content, family, weight in r["icons"]:
            if content in ("none", "normal"):
                continue  # a modifier class (fa-lg) on an element whose glyph comes from another class
            glyph = content.strip('"')
            assert "Font Awesome 6 Free" in family and weight == "900", (rel, classes, family, weight)
            if len(glyph) != 1 or ord(glyph) not in cmap:
                missing.setdefault(rel, []).append((classes, glyph))
    assert not missing, missing


# The checks above can fail: probes with a known fault.

def probe(html_book, name: str, html: str):
    path = html_book / name
    path.write_text(html, encoding="utf-8")
    return path


def test_axe_check_catches_a_violation(browser, site, html_book):
    """A page with an unlabelled button and an image without alt text."""
    bad = probe(html_book, "_probe_axe.html", '<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body>'
                '<main><img src="_static/favicon.svg"><button></button></main></body></html>')
    try:
        page, _ = visit(browser, site + bad.name, site)
        found = {(v["id"], v["impact"]) for v in axe_violations(page, context={"include": [["main"]]})}
        page.close()
    finally:
        bad.unlink()
    assert {("image-alt", "critical"), ("button-name", "critical")} <= found, found


def test_sideways_check_catches_a_wide_page(browser, site, html_book):
    """A page holding a 1,000-px-wide element scrolls sideways on a phone."""
    bad = probe(html_book, "_probe_wide.html", '<!DOCTYPE html><html lang="en"><head><meta name="viewport" '
                'content="width=device-width"><title>probe</title></head><body><div style="width:1000px">wide</div>'
                '</body></html>')
    try:
        page, _ = visit(browser, site + bad.name, site, viewport=PHONE)
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        page.close()
    finally:
        bad.unlink()
    assert scroll > PHONE["width"]


def test_weight_check_catches_a_heavy_page(browser, site, html_book):
    """A page with a 1.5 MB script weighs more than 1.5 MB as measured."""
    big = html_book / "_static" / "_probe_big.js"
    big.write_bytes(b"/*" + b"x" * 1_500_000 + b"*/")
    bad = probe(html_book, "_probe_heavy.html", '<!DOCTYPE html><html lang="en"><head><title>probe</title>'
                '<link rel="icon" href="data:,"><script src="_static/_probe_big.js"></script></head><body></body></html>')
    try:
        page, _ = visit(browser, site + bad.name, site)
        sizes, _ = loaded_files(page)
        page.close()
    finally:
        bad.unlink()
        big.unlink()
    assert sum(sizes.values()) > 1_500_000, sizes
