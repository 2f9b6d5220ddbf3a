"""The full tables in the HTML book: searchable, sortable and filterable in Chromium,
a plain table without JavaScript, and data shown as text, never as markup.

The full tables are the claims table at the end of chapter 2 and the source
registry in appendix A (``qantar.claims.FullTable``); simple-datatables,
vendored in ``qantar.theme``, enhances them in place.
"""

import csv

import pandas as pd

from qantar import paths
from qantar.claims import FullTable

from test_browser import browser, site, visit  # noqa: F401 (fixtures)

PAGES = {"chapters/02-figures.html": "claims", "chapters/90-methods.html": "sources"}


def rows_of(name: str) -> list[dict]:
    with (paths.DATA / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def table_state(page) -> dict:
    return page.evaluate("""() => {
        const t = document.querySelector('.datatable-wrapper table');
        return {info: document.querySelector('.datatable-info').textContent.trim(),
                rows: Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent.trim())),
                headings: Array.from(t.tHead.rows[0].cells, c => c.textContent.trim())}; }""")


def test_without_javascript_the_full_tables_are_plain_and_complete(browser, site, html_book):
    for rel, name in PAGES.items():
        # (With scripts off Chromium refuses the theme's script preloads: not a problem here.)
        page, _ = visit(browser, site + rel, site, java_script_enabled=False)
        count = page.evaluate("document.querySelectorAll('table.qantar-full tbody tr').length")
        enhanced = page.evaluate("document.querySelectorAll('.datatable-wrapper').length")
        page.close()
        assert enhanced == 0
        assert count == len(rows_of(name)), (rel, count)


def test_search_filters_and_sorts_the_claims_table(browser, site, html_book):
    claims = rows_of("claims")
    page, problems = visit(browser, site + "chapters/02-figures.html", site)
    state = table_state(page)
    assert state["info"].endswith(f"of {len(claims)}"), state["info"]
    headings = state["headings"]
    ids = headings.index("ID")

    # Search every column for one claim id: exactly the rows whose cells contain it.
    target = claims[-1]["claim_id"]
    page.fill(".datatable-search input", target)
    page.wait_for_function(f"document.querySelector('.datatable-info').textContent.includes('of 1')")
    assert [r[ids] for r in table_state(page)["rows"]] == [target]
    page.fill(".datatable-search input", "")

    # Filter one column: the "Source key" filter keeps the claims citing that source.
    key = claims[0]["source_key"]
    expected = sorted(c["claim_id"] for c in claims if key in c["source_key"])
    page.click("details.qantar-filters summary")
    column = headings.index("Source key")
    page.fill(f'input[data-columns="[{column}]"]', key)
    page.wait_for_function(
        f"document.querySelector('.datatable-info').textContent.includes('of {len(expected)}')")
    page.select_option(".datatable-selector", label="all")
    shown = sorted(r[ids] for r in table_state(page)["rows"])
    assert shown == expected
    page.fill(f'input[data-columns="[{column}]"]', "")

    # Sort by ID, descending after two clicks: the first row is the largest id.
    page.wait_for_function(f"document.querySelector('.datatable-info').textContent.includes('of {len(claims)}')")
    sorter = page.locator(".datatable-sorter").nth(ids)
    sorter.click()
    sorter.click()
    page.wait_for_function("document.querySelector('th[aria-sort=descending]') !== null")
    first = table_state(page)["rows"][0][ids]
    page.close()
    assert not problems, problems
    assert first == max(c["claim_id"] for c in claims)


def test_full_tables_scroll_inside_their_box_on_a_phone(browser, site, html_book):
    for rel in PAGES:
        page, problems = visit(browser, site + rel, site, viewport={"width": 390, "height": 844})
        box = page.evaluate("""() => { const c = document.querySelector('.datatable-container');
            return {client: c.clientWidth, scroll: c.scrollWidth, overflow: getComputedStyle(c).overflowX,
                    page: document.scrollingElement.scrollWidth}; }""")
        page.close()
        assert not problems, problems
        assert box["scroll"] > box["client"] and box["overflow"] == "auto", box
        assert box["page"] <= 390, box


def test_full_table_cells_are_text_not_markup():
    frame = pd.DataFrame({"Quote": ['<script>alert("x")</script>', "a & b", "<b>bold</b>"]})
    html = FullTable(frame, note="n")._repr_html_()
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
