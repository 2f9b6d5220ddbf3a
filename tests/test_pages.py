"""Every built page in Chromium: accessibility, phone layout, weight and icons.

Each page is opened once at desktop width and once at phone width (390 CSS px),
for all the browser tests (the ``survey`` fixture, ``tests/browsing.py``); the
tests below assert on what those visits recorded.

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

from browsing import (AXE_TAGS, PHONE, PHONE_AXE, SAMPLE, axe_violations, icons_drawn,  # noqa: F401
                      loaded_files, visit)

BLOCKING = {"critical", "serious", "moderate"}
LIMIT = 1_000_000  # bytes as files, per chapter page
NOT_LOADED = ("fontawesome.js", "/webfonts/fa-", "searchindex.js")  # the theme's script, full fonts, index


def describe(violations) -> list[str]:
    return [f"{v['impact']} {v['id']} x{len(v['nodes'])}: {v['help']} (e.g. {v['nodes'][0]['html'][:160]})"
            for v in violations]


@pytest.fixture(scope="module")
def pages(survey) -> dict[str, dict]:
    """The survey's record of every page (``index.html`` only redirects to the intro, and
    races Chromium's favicon request: it is checked by tests/test_browser.py)."""
    return {rel: r for rel, r in survey.items() if not r["redirect"]}


def test_pages_load_cleanly(pages):
    assert {"intro.html", "chapters/82-annex-figures.html", "bibliography.html"} <= set(pages)
    report = {rel: r["problems"] + r["phone_problems"] for rel, r in pages.items()
              if r["problems"] + r["phone_problems"]}
    assert not report, report


def test_axe_finds_no_serious_problem_on_any_page(pages):
    report, minor = {}, {}
    for rel, r in pages.items():
        for width, violations in (("desktop", r["violations"]), ("phone", r["phone_violations"])):
            blocking = [v for v in violations if v["impact"] in BLOCKING]
            if blocking:
                report[f"{rel} ({width})"] = describe(blocking)
            if len(blocking) < len(violations):
                minor[f"{rel} ({width})"] = describe([v for v in violations if v["impact"] not in BLOCKING])
    assert not report, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in report.items())
    print(f"axe: no critical, serious or moderate finding; minor: {minor or 'none'}")


def test_axe_sample_leaves_out_only_repeated_parts(html_book):
    """What ``SAMPLE`` keeps from axe: on every page, a table's first 10 rows, the first 10
    entries of the bibliography, and all but the regional profiles after the third (which only
    Annex 8 has); it must leave something out where the long parts are, or it tests nothing."""
    from bs4 import BeautifulSoup

    from browsing import book_pages

    (rows,), (entries,), (units,) = SAMPLE["exclude"]
    left_out = {}
    for rel in book_pages(html_book):
        soup = BeautifulSoup((html_book / rel).read_text(encoding="utf-8"), "html.parser")
        for row in soup.select(rows):
            assert row.find_parent("tbody").find_all("tr", recursive=False).index(row) >= 10, rel
        for entry in soup.select(entries):
            assert entry.parent.find_all(class_="citation", recursive=False).index(entry) >= 10, rel
        units_out = soup.select(units)
        if units_out:
            assert rel == "chapters/88-annex-regions.html", rel
            headings = [h for h in units_out if h.name == "h2"]
            first = [h for h in soup.select(".cell_output > h2.rubric") if h.select_one(":scope > span[id^=unit-]")]
            assert headings == first[3:] and len(first) == 17, rel  # every unit but the first three
        left_out[rel] = len(soup.select(rows)) + len(soup.select(entries)) + len(units_out)
    assert left_out["chapters/82-annex-figures.html"] and left_out["bibliography.html"], left_out
    assert left_out["chapters/88-annex-regions.html"] and not left_out["chapters/05-conclusions.html"], left_out


def test_a_narrowed_page_is_laid_out_as_a_fresh_phone_load(pages):
    """The survey narrows each loaded page to phone width instead of loading it again; on the pages
    it also opens fresh at that width, both give the same page width and the same figures."""
    from browsing import PHONE_FRESH

    assert set(PHONE_AXE) <= set(PHONE_FRESH) and any(pages[rel]["figures"] for rel in PHONE_FRESH)
    for rel in PHONE_FRESH:
        fresh = pages[rel]["fresh"]
        assert fresh is not None, rel
        assert fresh["scroll"] == pages[rel]["scroll"], rel
        assert fresh["figures"] == pages[rel]["figures"], rel


def test_no_page_scrolls_sideways_on_a_phone(pages):
    wide = {rel: r["scroll"] for rel, r in pages.items() if r["scroll"] > PHONE["width"]}
    assert not wide, f"pages wider than a 390-px phone (scrollWidth): {wide}"


def test_every_chapter_page_weighs_at_most_1_mb(pages):
    weights = {}
    for rel, r in pages.items():
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
                for rel, r in pages.items() if rel != "search.html"}
    assert not any(unwanted.values()), unwanted


def test_every_icon_has_its_glyph(pages, html_book):
    """Each icon draws a glyph that the subset font contains, from that font, which the
    browser loaded (so the icons look as with the theme's full font)."""
    cmap = TTFont(html_book / "_static" / "styles" / "qantar-fa-solid-900.woff").getBestCmap()
    missing = {}
    for rel, r in pages.items():
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


# The checks above can fail: probes with a known fault (served beside the book, not in it).

def probe(folder, name: str, html: str):
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


def test_axe_check_catches_a_violation(browser, probe_site):
    """A page with an unlabelled button and an image without alt text."""
    folder, base = probe_site
    bad = probe(folder, "_probe_axe.html", '<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body>'
                '<main><img src="_static/favicon.svg"><button></button></main></body></html>')
    page, _ = visit(browser, base + bad.name, base)
    found = {(v["id"], v["impact"]) for v in axe_violations(page, context={"include": [["main"]]})}
    page.close()
    assert {("image-alt", "critical"), ("button-name", "critical")} <= found, found


def test_sideways_check_catches_a_wide_page(browser, probe_site):
    """A page holding a 1,000-px-wide element scrolls sideways on a phone."""
    folder, base = probe_site
    bad = probe(folder, "_probe_wide.html", '<!DOCTYPE html><html lang="en"><head><meta name="viewport" '
                'content="width=device-width"><title>probe</title></head><body><div style="width:1000px">wide</div>'
                '</body></html>')
    page, _ = visit(browser, base + bad.name, base, viewport=PHONE)
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    page.close()
    assert scroll > PHONE["width"]


def test_weight_check_catches_a_heavy_page(browser, probe_site):
    """A page with a 1.5 MB script weighs more than 1.5 MB as measured."""
    folder, base = probe_site
    (folder / "_probe_big.js").write_bytes(b"/*" + b"x" * 1_500_000 + b"*/")
    bad = probe(folder, "_probe_heavy.html", '<!DOCTYPE html><html lang="en"><head><title>probe</title>'
                '<link rel="icon" href="data:,"><script src="_probe_big.js"></script></head><body></body></html>')
    page, _ = visit(browser, base + bad.name, base)
    sizes, _ = loaded_files(page)
    page.close()
    assert sum(sizes.values()) > 1_500_000, sizes
