"""Page weight and icons, measured from what Chromium actually loads.

Every chapter page, with everything it loads (HTML, style sheets, scripts, fonts,
images), is at most 1.0 MB as files. The theme's 1.49 MB ``fontawesome.js`` and
156 kB webfont are not loaded; the icons are drawn from ``qantar-icons.woff``,
the same glyphs cut down to those in use, and every icon on a page has its glyph.
"""

import gzip

from fontTools.ttLib import TTFont

from test_browser import book_pages, browser, site, visit  # noqa: F401 (fixtures)

LIMIT = 1_000_000  # bytes as files, per chapter page
NOT_LOADED = ("fontawesome.js", "fa-solid-900", "fa-regular-400", "fa-brands-400", "searchindex.js")


def loaded_files(browser, url: str, base: str) -> tuple[dict[str, int], dict[str, bytes], list[str]]:
    """What Chromium loaded for the page: body size of the document and every resource by URL
    (Resource Timing, ``decodedBodySize``), the bodies themselves (fetched again from the
    same server, to measure gzip) and the problems ``visit`` saw."""
    page, problems = visit(browser, url, base)
    entries = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).map(e => [e.name, e.decodedBodySize])""")
    page.close()
    sizes = dict(entries)
    context = browser.new_context()
    bodies = {}
    for name in sizes:
        response = context.request.get(name)
        assert response.ok, (name, response.status)
        bodies[name] = response.body()
    context.close()
    return sizes, bodies, problems


def chapter_weights(browser, site, html_book) -> dict[str, tuple[int, int, dict[str, int]]]:
    weights = {}
    for rel in book_pages(html_book):
        if not rel.startswith("chapters/"):
            continue
        sizes, bodies, problems = loaded_files(browser, site + rel, site)
        assert not problems, (rel, problems)
        assert all(sizes[u] == len(bodies[u]) for u in sizes), rel  # the browser received whole files
        raw = sum(sizes.values())
        sent = sum(len(gzip.compress(b, 6, mtime=0)) for b in bodies.values())
        weights[rel] = (raw, sent, sizes)
    return weights


def test_every_chapter_page_weighs_at_most_1_mb(browser, site, html_book):
    weights = chapter_weights(browser, site, html_book)
    assert len(weights) >= 6, weights.keys()
    table = "\n".join(f"{rel}: {raw / 1e6:.3f} MB as files, {sent / 1e6:.3f} MB with gzip"
                      for rel, (raw, sent, _) in weights.items())
    print(table)
    heavy = {rel: raw for rel, (raw, _, _) in weights.items() if raw > LIMIT}
    assert not heavy, f"over {LIMIT / 1e6} MB:\n{table}"
    for rel, (_, _, files) in weights.items():
        unwanted = [u for u in files if any(n in u for n in NOT_LOADED)]
        assert not unwanted, (rel, unwanted)


def test_weight_check_catches_a_heavy_page(browser, site, html_book):
    """The measurement counts what a page loads: a page with a 1.5 MB script weighs more than 1.5 MB."""
    big = html_book / "_static" / "_probe_big.js"
    big.write_bytes(b"/*" + b"x" * 1_500_000 + b"*/")
    bad = html_book / "_probe_heavy.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>probe</title>'
                   '<link rel="icon" href="data:,"><script src="_static/_probe_big.js"></script></head><body></body></html>', encoding="utf-8")
    try:
        sizes, _, _ = loaded_files(browser, site + bad.name, site)
    finally:
        bad.unlink()
        big.unlink()
    assert sum(sizes.values()) > 1_500_000, sizes


def test_every_icon_has_its_glyph(browser, site, html_book):
    """Each Font Awesome icon shown on a page draws a glyph that the subset font contains,
    and the browser loaded that font (so icons look as with the theme's full font)."""
    cmap = TTFont(html_book / "_static" / "styles" / "qantar-icons.woff").getBestCmap()
    missing = {}
    for rel in book_pages(html_book):
        page, problems = visit(browser, site + rel, site)
        assert not problems, (rel, problems)
        icons = page.evaluate("""() => Array.from(document.querySelectorAll('[class*="fa-"]'))
            .filter(e => /(^|\\s)fa-/.test(e.className))
            .map(e => [e.className, getComputedStyle(e, '::before').content,
                       getComputedStyle(e).fontFamily, getComputedStyle(e).fontWeight])""")
        faces = page.evaluate("""async () => { await document.fonts.ready;
            return Array.from(document.fonts).filter(f => f.status === 'loaded')
                        .map(f => [f.family.replace(/"/g, ''), f.weight]); }""")
        page.close()
        assert icons, rel
        assert ["Font Awesome 6 Free", "900"] in faces, (rel, faces)
        for classes, content, family, weight in icons:
            if content in ("none", "normal"):
                continue  # a modifier class (fa-lg) on an element whose glyph comes from another class
            glyph = content.strip('"')
            assert "Font Awesome 6 Free" in family and weight == "900", (rel, classes, family, weight)
            if len(glyph) != 1 or ord(glyph) not in cmap:
                missing.setdefault(rel, []).append((classes, glyph))
    assert not missing, missing
