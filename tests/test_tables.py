"""The full tables in the HTML book: searchable, sortable and filterable in Chromium,
a plain table without JavaScript, and data shown as text, never as markup.

The full tables are the claims table at the end of chapter 2 and the source
registry in appendix A (``qantar.claims.FullTable``) and every table of at least
``qantar.theme.LONG_TABLE_ROWS`` rows on the annex and appendix pages; simple-datatables, vendored
in ``qantar.theme``, enhances them in place, keeping every row in the page.
"""

import csv

import pandas as pd

from qantar import paths
from qantar.claims import FullTable

from browsing import visit

# Pages holding a full table of one data table: the largest table on the page has all its rows.
PAGES = {"chapters/86-annex-sources.html": "sources", "chapters/83-annex-cases.html": "cases",
         "chapters/84-annex-responses.html": "responses"}


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


def test_search_filters_and_sorts_the_source_registry(browser, site, html_book):
    sources = rows_of("sources")
    keys = [r["source_key"] for r in sources]
    page, problems = visit(browser, site + "chapters/86-annex-sources.html", site)
    wrapper = page.locator(".datatable-wrapper", has=page.locator("th", has_text="What was checked"))
    state = table_state(wrapper)
    assert state["info"] == f"{len(sources)} of {len(sources)} rows", state["info"]
    assert len(state["rows"]) == len(sources)  # no paging: every row stays in the page
    headings = state["headings"]
    key = headings.index("Key")

    # Search all columns for one source key: its row is found, and every row shown contains the term.
    target = keys[-1]
    wrapper.locator(".datatable-search input").fill(target)
    wrapper.locator(".qantar-count", has_text=f"of {len(sources)} rows").wait_for()
    wait_until_filtered(wrapper, len(sources))
    rows = table_state(wrapper)["rows"]
    assert target in [r[key] for r in rows]
    assert all(any(target in cell.lower() for cell in r) for r in rows), rows[:3]
    wrapper.locator(".datatable-search input").fill("")
    wait_count(wrapper, f"{len(sources)} of")

    # Filter one column: the Grade filter keeps exactly the sources of that grade.
    expected = sorted(r["source_key"] for r in sources if "primary" in r["grade"])
    wrapper.locator("details.qantar-filters summary").click()
    wrapper.locator(f'input[data-columns="[{headings.index("Grade")}]"]').fill("primary")
    wait_count(wrapper, f"{len(expected)} of")
    assert sorted(r[key] for r in table_state(wrapper)["rows"]) == expected
    wrapper.locator(f'input[data-columns="[{headings.index("Grade")}]"]').fill("")
    wait_count(wrapper, f"{len(sources)} of")

    # Sort by key, descending after two clicks (keys are lower-case letters and digits).
    sorter = wrapper.locator(".datatable-sorter").nth(key)
    sorter.click()
    sorter.click()
    wrapper.locator("th[aria-sort=descending]").wait_for()
    shown = [r[key] for r in table_state(wrapper)["rows"]]
    page.close()
    assert not problems, problems
    assert shown == sorted(keys, reverse=True)


def wait_until_filtered(wrapper, total: int):
    wrapper.page.wait_for_function(
        "([w, total]) => !w.querySelector('.qantar-count').textContent.startsWith(total + ' of')",
        arg=[wrapper.element_handle(), total])


def test_a_link_to_a_row_lands_on_it(browser, site, html_book):
    """Annex rows carry anchors that chapters link to: the enhanced table keeps them, in view."""
    claim = rows_of("claims")[0]["claim_id"].lower()
    page, problems = visit(browser, site + f"chapters/82-annex-figures.html#claim-{claim}", site)
    box = page.evaluate(f"""() => {{ const e = document.getElementById('claim-{claim}');
        return e && {{inTable: !!e.closest('.datatable-wrapper'), top: e.getBoundingClientRect().top,
                      height: window.innerHeight}}; }}""")
    page.close()
    assert not problems, problems
    assert box and box["inTable"], box
    assert 0 <= box["top"] < box["height"], box


def test_full_tables_scroll_inside_their_box_on_a_phone(browser, site, html_book):
    for rel in ("chapters/86-annex-sources.html", "chapters/84-annex-responses.html"):
        page, problems = visit(browser, site + rel, site, viewport={"width": 390, "height": 844})
        page.wait_for_selector(".datatable-container", state="attached", timeout=30_000)  # the table script's box
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
