"""The full tables in the HTML book: searchable, sortable and filterable in Chromium,
a plain table without JavaScript, and data shown as text, never as markup.

The full tables are the claims table at the end of chapter 2 and the source
registry in appendix A (``qantar.claims.FullTable``) and every table of at least
``qantar.theme.LONG_TABLE_ROWS`` rows (the annexes); simple-datatables, vendored
in ``qantar.theme``, enhances them in place, keeping every row in the page.
"""

import csv

import pandas as pd

from qantar import paths
from qantar.claims import FullTable

from test_browser import browser, site, visit  # noqa: F401 (fixtures)

PAGES = {"chapters/02-figures.html": "claims", "chapters/90-methods.html": "sources",
         "chapters/82-annex-figures.html": "claims"}



def rows_of(name: str) -> list[dict]:
    with (paths.DATA / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def table_state(wrapper) -> dict:
    return wrapper.evaluate("""w => { const t = w.querySelector('table');
        return {info: w.querySelector('.qantar-count').textContent.trim(),
                rows: Array.from(t.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent.trim())),
                headings: Array.from(t.tHead.rows[0].cells, c => c.textContent.trim())}; }""")


def wait_count(wrapper, prefix: str):
    wrapper.locator(".qantar-count", has_text=prefix).wait_for()


def test_without_javascript_the_full_tables_are_plain_and_complete(browser, site, html_book):
    for rel, name in PAGES.items():
        # (With scripts off Chromium refuses the theme's script preloads: not a problem here.)
        page, _ = visit(browser, site + rel, site, java_script_enabled=False)
        count = page.evaluate("""Math.max(...Array.from(document.querySelectorAll('table.qantar-full'),
                                                        t => t.tBodies[0].rows.length))""")
        enhanced = page.evaluate("document.querySelectorAll('.datatable-wrapper').length")
        page.close()
        assert enhanced == 0
        assert count == len(rows_of(name)), (rel, count)


def test_search_filters_and_sorts_the_claims_table(browser, site, html_book):
    claims = rows_of("claims")
    page, problems = visit(browser, site + "chapters/02-figures.html", site)
    wrapper = page.locator(".datatable-wrapper", has=page.locator("th", has_text="Source key"))
    state = table_state(wrapper)
    assert state["info"] == f"{len(claims)} of {len(claims)} rows", state["info"]
    assert len(state["rows"]) == len(claims)  # no paging: every row stays in the page
    headings = state["headings"]
    ids = headings.index("ID")

    # Search every column for one claim id: exactly the rows whose cells contain it.
    target = claims[-1]["claim_id"]
    wrapper.locator(".datatable-search input").fill(target)
    wait_count(wrapper, "1 of")
    assert [r[ids] for r in table_state(wrapper)["rows"]] == [target]
    wrapper.locator(".datatable-search input").fill("")

    # Filter one column: the "Source key" filter keeps the claims citing that source.
    key = claims[0]["source_key"]
    expected = sorted(c["claim_id"] for c in claims if key in c["source_key"])
    wrapper.locator("details.qantar-filters summary").click()
    column = headings.index("Source key")
    wrapper.locator(f'input[data-columns="[{column}]"]').fill(key)
    wait_count(wrapper, f"{len(expected)} of")
    shown = sorted(r[ids] for r in table_state(wrapper)["rows"])
    assert shown == expected
    wrapper.locator(f'input[data-columns="[{column}]"]').fill("")

    # Sort by ID, descending after two clicks: the first row is the largest id.
    wait_count(wrapper, f"{len(claims)} of")
    sorter = wrapper.locator(".datatable-sorter").nth(ids)
    sorter.click()
    sorter.click()
    wrapper.locator("th[aria-sort=descending]").wait_for()
    first = table_state(wrapper)["rows"][0][ids]
    page.close()
    assert not problems, problems
    assert first == max(c["claim_id"] for c in claims)


def test_a_link_to_a_row_lands_on_it(browser, site, html_book):
    """Annex rows carry anchors that chapters link to: the enhanced table keeps them, in view."""
    claim = rows_of("claims")[-1]["claim_id"].lower()
    page, problems = visit(browser, site + f"chapters/82-annex-figures.html#claim-{claim}", site)
    box = page.evaluate(f"""() => {{ const e = document.getElementById('claim-{claim}');
        return e && {{inTable: !!e.closest('.datatable-wrapper'), top: e.getBoundingClientRect().top,
                      height: window.innerHeight}}; }}""")
    page.close()
    assert not problems, problems
    assert box and box["inTable"], box
    assert 0 <= box["top"] < box["height"], box


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
