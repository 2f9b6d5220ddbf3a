"""Coverage against the standard references (issue 13): every item is judged and explained, every
item the report has points to a real row and links to it in the built Methods page, every
reference the issue names is accounted for, and a broken row is refused with file, line and
column."""

import re
from html.parser import HTMLParser

import pytest

from conftest import edit_csv
from qantar import coverage, data, markup

TABLES = {"event": ("events", "event_id"), "claim": ("claims", "claim_id"), "case": ("cases", "case_id"),
          "response": ("responses", "response_id"), "rec": ("recommendations", "recommendation_id")}

#: The references issue 13 names, as (what the issue calls it, a pattern its row's name must match).
NAMED_IN_ISSUE = [
    ("Wikipedia '2022 Kazakh unrest'", r"Wikipedia '2022 Kazakh unrest'"),
    ("HRW", r"Human Rights Watch"), ("the UN human-rights office", r"OHCHR"), ("the OSCE", r"\bOSCE\b"),
    ("CPJ", r"Committee to Protect Journalists"), ("RFE/RL", r"RFE/RL"), ("Kazinform", r"Kazinform"),
    ("NetBlocks", r"NetBlocks"), ("Carnegie", r"Carnegie"), ("Jamestown", r"Jamestown"), ("SCEEUS", r"SCEEUS"),
    ("ISDP", r"ISDP"), ("the Open Dialog Foundation", r"Open Dialog"), ("FIDH", r"FIDH"),
    ("Vlast.kz", r"Vlast\.kz"), ("Orda.kz", r"Orda\.kz"), ("Azattyq's Russian service", r"Azattyq.*Russian"),
    ("Azattyq's Kazakh service", r"Azattyq.*Kazakh"), ("Tengrinews", r"Tengrinews"), ("Informburo", r"Informburo"),
    ("Exclusive.kz", r"Exclusive\.kz"), ("KIBHR", r"KIBHR"), ("regional outlets", r"[Rr]egional outlets"),
    # issue 24: the references a specialist would expect
    ("Amnesty International", r"Amnesty International"), ("Freedom House's Nations in Transit", r"Nations in Transit"),
    ("Freedom House's Freedom in the World", r"Freedom in the World"), ("the US State Department", r"US State Department"),
    ("the UN Committee against Torture", r"Committee against Torture"), ("the UN Human Rights Committee", r"Human Rights Committee"),
    ("the UN Subcommittee on Prevention of Torture", r"Subcommittee on Prevention of Torture"),
    ("the European Parliament", r"European Parliament"), ("International Crisis Group", r"International Crisis Group"),
    ("Eurasianet", r"Eurasianet"), ("The Diplomat", r"The Diplomat"), ("CABAR.asia", r"CABAR"),
    ("PONARS Eurasia", r"PONARS"), ("Meduza", r"Meduza"), ("Novaya Gazeta", r"Novaya Gazeta"),
    ("Kommersant", r"Kommersant"), ("BBC Russian", r"BBC Russian"), ("the Moscow Times", r"Moscow Times"),
    ("published surveys", r"[Ss]urveys"),
]


@pytest.fixture(scope="module")
def items():
    return data.load("coverage")


@pytest.fixture(scope="module")
def refs():
    return data.load("coverage_references")


def _filled(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def test_every_absent_or_differing_item_says_why(items):
    for r in items.to_dict("records"):
        if r["status"] in ("absent", "differs"):
            assert _filled(r["how_or_why"]) and len(r["how_or_why"].split()) >= 5, (r["item_id"], r["how_or_why"])


def test_every_item_the_report_has_points_to_an_existing_row(items):
    ids = {kind: set(data.load(table)[key]) for kind, (table, key) in TABLES.items()}
    judged = items[items["status"].isin(["has", "differs"])]
    assert len(judged) > 0
    for r in judged.to_dict("records"):
        assert r["book_kind"] in ids and r["book_id"] in ids[r["book_kind"]], (r["item_id"], r["book_kind"], r["book_id"])
    absent = items[items["status"] == "absent"]
    assert absent["book_id"].isna().all() and absent["book_kind"].isna().all()


def test_at_least_fifty_references_are_compared(refs):
    assert len(refs) >= 50 and refs["reference"].is_unique, len(refs)


def test_every_reference_named_in_the_issue_is_accounted_for(refs):
    for said, pattern in NAMED_IN_ISSUE:
        hits = refs[refs["name"].str.contains(pattern, regex=True)]
        assert len(hits) >= 1, f"the references checked lack {said}"


def test_a_reference_not_found_has_no_items_and_one_found_has_some(items, refs):
    per_ref = items.groupby("reference").size()
    for r in refs.to_dict("records"):
        n = int(per_ref.get(r["reference"], 0))
        if r["found"] == "no":
            assert n == 0, (r["reference"], n)
            assert _filled(r["note"])
        else:
            assert n >= 1, r["reference"]


def test_summary_counts_add_up(items, refs):
    c = coverage.counts(items, refs)
    table = str(coverage.summary_table(items, refs))
    for r in c.to_dict("records"):  # every reference read has its row; one not found is named in the text
        assert (markup.escape(r["name"]) in table) == (r["found"] != "no"), r["reference"]
    assert c["items"].sum() == len(items)
    for status in coverage.STATUSES:
        assert c[status].sum() == (items["status"] == status).sum()
    assert list(c["reference"]) == list(refs["reference"])


@pytest.mark.parametrize("column,value,code", [
    ("how_or_why", "", "required-when"),  # an absent item without a reason
    ("book_id", "E999", "foreign-key"),    # a row that does not exist
])
def test_a_bad_row_is_refused_with_file_line_and_column(data_copy, column, value, code):
    def edit(rows):
        h = rows[0]
        status = "absent" if column == "how_or_why" else "has"
        row = next(r for r in rows[1:] if r[h.index("status")] == status)
        row[h.index(column)] = value
        edit.line = rows.index(row) + 1
    edit_csv(data_copy / "coverage.csv", edit)
    with pytest.raises(data.DataError) as info:
        data.validate("coverage", data_copy / "datapackage.json")
    first = info.value.problems[0]
    assert (f"data/coverage.csv, line {edit.line} (data row {edit.line - 1}), column {column!r}: [{code}]"
            in first), first


def test_an_id_of_the_wrong_table_is_refused(data_copy):
    # A claim id filed as an event: the kind decides the table.
    def edit(rows):
        h = rows[0]
        row = next(r for r in rows[1:] if r[h.index("book_kind")] == "claim")
        row[h.index("book_kind")] = "event"
        edit.line = rows.index(row) + 1
    edit_csv(data_copy / "coverage.csv", edit)
    with pytest.raises(data.DataError) as info:
        data.validate("coverage", data_copy / "datapackage.json")
    assert re.search(rf"data/coverage\.csv, line {edit.line} .*column 'book_id': \[foreign-key\] no row 'C\d+' "
                    r"in the events table", info.value.problems[0]), info.value.problems[0]


def test_a_reference_unknown_to_the_references_table_is_refused(data_copy):
    def edit(rows):
        rows[5][rows[0].index("reference")] = "no-such-reference"
    edit_csv(data_copy / "coverage.csv", edit)
    with pytest.raises(data.DataError) as info:
        data.validate("coverage", data_copy / "datapackage.json")
    assert re.search(r"data/coverage\.csv, line 6 \(data row 5\), columns? 'reference': \[foreign-key\].*"
                     r"no-such-reference", info.value.problems[0]), info.value.problems[0]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])


def _parse(path):
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_coverage_annex_links_each_item_to_its_anchor(html_book, items):
    methods = _parse(html_book / "chapters" / "87-annex-coverage.html")
    targets = {}
    for page in (html_book / "chapters").glob("8*-annex-*.html"):
        for anchor in _parse(page).ids:
            targets[anchor] = page.name
    for r in items[items["status"].isin(["has", "differs"])].to_dict("records"):
        label = markup.label(r["book_kind"], r["book_id"])
        page = targets.get(label)
        assert page, f"no anchor {label} in any annex ({r['item_id']})"
        assert any(h.endswith(f"{page}#{label}") for h in methods.hrefs), f"{r['item_id']}: no link to {page}#{label}"
