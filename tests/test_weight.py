"""Page weight and icons, measured from what Chromium actually loads.

Every chapter page, with everything it loads (HTML, style sheets, scripts, fonts,
images), is at most 1.0 MB as files (the test prints the gzip size too). The
theme's 1.49 MB ``fontawesome.js`` and 156 kB webfont are not loaded; the icons
are drawn from ``qantar-fa-*.woff``, the same glyphs cut down to those in use
(``qantar.theme``), and every icon on a page has its glyph.
"""

import gzip

from fontTools.ttLib import TTFont

from test_browser import book_pages, browser, site, visit  # noqa: F401 (fixtures)

LIMIT = 1_000_000  # bytes as files, per chapter page
NOT_LOADED = ("fontawesome.js", "/webfonts/fa-", "searchindex.js")  # the theme's script, full fonts, index


def loaded_files(page, base: str) -> tuple[dict[str, int], dict[str, bytes]]:
    """What Chromium loaded for an open page: the body size of the document and of every
    resource, by URL (Resource Timing, ``decodedBodySize``), and the bodies themselves
    (fetched again from the same server, to measure their gzip size)."""
    entries = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).map(e => [e.name, e.decodedBodySize])""")
    sizes = dict(entries)
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


def test_chapter_weights_and_icons(browser, site, html_book):
    """Every chapter page weighs at most 1.0 MB as files and loads neither fontawesome.js nor
    the full webfonts (nor the search index); on every page each Font Awesome icon draws a
    glyph that the subset font contains, from that font, which the browser loaded."""
    cmap = TTFont(html_book / "_static" / "styles" / "qantar-fa-solid-900.woff").getBestCmap()
    weights, missing, unwanted = {}, {}, {}
    for rel in book_pages(html_book):
        page, problems = visit(browser, site + rel, site)
        sizes, bodies = loaded_files(page, site)
        icons, faces = icons_drawn(page)
        page.close()
        assert not problems, (rel, problems)
        assert all(sizes[u] == len(bodies[u]) for u in sizes), rel  # the browser received whole files
        if rel.startswith("chapters/"):
            weights[rel] = (sum(sizes.values()), sum(len(gzip.compress(b, 6, mtime=0)) for b in bodies.values()))
        if rel != "search.html":
            unwanted[rel] = [u for u in sizes if any(n in u for n in NOT_LOADED)]
        assert icons, rel
        assert ["Font Awesome 6 Free", "900"] in faces, (rel, faces)
        for classes, content, family, weight in icons:
            if content in ("none", "normal"):
                continue  # a modifier class (fa-lg) on an element whose glyph comes from another class
            glyph = content.strip('"')
            assert "Font Awesome 6 Free" in family and weight == "900", (rel, classes, family, weight)
            if len(glyph) != 1 or ord(glyph) not in cmap:
                missing.setdefault(rel, []).append((classes, glyph))
    table = "\n".join(f"{rel}: {raw / 1e6:.3f} MB as files, {sent / 1e6:.3f} MB with gzip"
                      for rel, (raw, sent) in weights.items())
    print(table)
    assert len(weights) >= 6, weights.keys()
    heavy = {rel: raw for rel, (raw, _) in weights.items() if raw > LIMIT}
    assert not heavy, f"over {LIMIT / 1e6} MB:\n{table}"
    assert not any(unwanted.values()), unwanted
    assert not missing, missing


def test_weight_check_catches_a_heavy_page(browser, site, html_book):
    """The measurement counts what a page loads: a page with a 1.5 MB script weighs more than 1.5 MB."""
    big = html_book / "_static" / "_probe_big.js"
    big.write_bytes(b"/*" + b"x" * 1_500_000 + b"*/")
    bad = html_book / "_probe_heavy.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>probe</title>'
                   '<link rel="icon" href="data:,"><script src="_static/_probe_big.js"></script></head><body></body></html>',
                   encoding="utf-8")
    try:
        page, _ = visit(browser, site + bad.name, site)
        sizes, _ = loaded_files(page, site)
        page.close()
    finally:
        bad.unlink()
        big.unlink()
    assert sum(sizes.values()) > 1_500_000, sizes
