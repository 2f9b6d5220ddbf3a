"""Validation without gaps: each way a contributor can break a table (honestly or not) fails
with a message whose first line names the file, the line an editor shows, and the column.

Every test breaks a throw-away copy of data/ (the ``data_copy`` fixture), never the real files.
"""

import csv
import re

import pytest

from conftest import edit_csv
from qantar import data

#: Payloads a hostile change could put into a free-text cell (see test_injection.py for what
#: the built book does with them when validation is bypassed).
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "```{raw} html\n<script>alert(1)</script>\n```",
    "{download}`/etc/hostname`",
    "```{literalinclude} /etc/hostname\n```",
    "```{include} /etc/hostname\n```",
    "```{raw} latex\n\\input{/etc/hostname}\n```",
    "\\write18{id}",
]


def _text_fields():
    out = []
    for name in data.resource_names():
        desc = next(r for r in data._descriptor(data.paths.DATAPACKAGE)["resources"] if r["name"] == name)
        if "schema" in desc:
            out += [(name, f["name"]) for f in data._text_fields(desc)]
    return out


TEXT_FIELDS = _text_fields()


def _first_problem(data_copy, table):
    with pytest.raises(data.DataError) as info:
        data.validate(table, data_copy / "datapackage.json")
    return info.value.problems[0], str(info.value)


def _assert_no_problem(data_copy, table, code):
    """The table validates with no problem of rule ``code`` (others may remain)."""
    try:
        data.validate(table, data_copy / "datapackage.json")
    except data.DataError as error:
        assert f"[{code}]" not in str(error), str(error)


def _set(data_copy, table, line, column, value):
    """Set one cell (``line`` as an editor counts it, in a file without multi-line cells)."""
    def edit(rows):
        rows[line - 1][rows[0].index(column)] = value
    edit_csv(data_copy / f"{table}.csv", edit)


def test_free_text_fields_are_found():
    # The markup rule must reach the fields that chapters print.
    for field in [("events", "summary"), ("cases", "summary"), ("cases", "note"), ("responses", "summary"),
                  ("claims", "reporter"), ("claims", "quote"), ("sources", "title"), ("glossary", "description")]:
        assert field in TEXT_FIELDS


def _batches(table):
    """The payloads in groups that fit the table's data rows 2, 3, ... (a small table, such as the
    lists of the dead, takes them in several validations)."""
    with (data.paths.DATA / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        n = sum(1 for _ in csv.reader(fh)) - 2  # data rows from row 2 on
    assert n >= 1, f"{table}.csv has too few rows for this test"
    return [PAYLOADS[i:i + n] for i in range(0, len(PAYLOADS), n)]


@pytest.mark.parametrize("table,column", TEXT_FIELDS)
def test_markup_in_any_free_text_field_is_refused(data_copy, tmp_path, table, column):
    """Each payload in its own row (data rows 2, 3, ...), so that one validation shows that
    every one of them is refused, each named by the line an editor shows and the column; a
    table with fewer rows than payloads takes them in batches, one validation each."""
    import shutil

    pristine = tmp_path / "pristine.csv"
    shutil.copy(data_copy / f"{table}.csv", pristine)
    for batch in _batches(table):
        shutil.copy(pristine, data_copy / f"{table}.csv")
        _refuses_each(data_copy, table, column, batch)


def _refuses_each(data_copy, table, column, payloads):
    rows_with = {}

    def edit(rows):
        for k, payload in enumerate(payloads, start=2):
            rows[k][rows[0].index(column)] = f"A plain start, then {payload} and the rest."
            rows_with[k] = payload
    edit_csv(data_copy / f"{table}.csv", edit)
    starts, end = [], 0  # the editor line on which each row starts (multi-line cells shift them)
    with (data_copy / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        for _ in reader:
            starts.append(end + 1)
            end = reader.line_num
    with pytest.raises(data.DataError) as info:
        data.validate(table, data_copy / "datapackage.json")
    problems = info.value.problems
    for k, payload in rows_with.items():
        where = rf"{table}\.csv, line {starts[k]} \(data row {k}\), column '{column}': "
        assert any(re.match(rf"(data/)?{where}\[markup\] markup is not allowed in data: `", p) or
                   re.search(rf"/{where}\[markup\] markup is not allowed in data: `", p) for p in problems), \
            (payload, [p for p in problems if f"(data row {k})" in p] or problems[:3])


def test_markup_message_quotes_the_markup(data_copy):
    _set(data_copy, "events", 3, "summary", "Protest <script>alert(1)</script>")
    first, _ = _first_problem(data_copy, "events")
    assert "markup is not allowed in data: `<script" in first


def test_ordinary_text_is_not_markup():
    # Things real sources say must not trip the rule.
    for text in ["203 < 243 (14 Mar 2022)", "Over $200 million in damages", "a 400,000 Tenge fine (885 US$)",
                 "«Қаңтар» оқиғалары", "Is this the case? Yes", "e-mail: not a link"]:
        assert not data.MARKUP.search(text), text


def test_only_http_urls(data_copy):
    _set(data_copy, "sources", 4, "url", "javascript:alert(1)")
    first, _ = _first_problem(data_copy, "sources")
    assert re.search(r"sources\.csv, line 4 \(data row 3\), column 'url': .*http", first), first


def test_impossible_partial_date_in_responses(data_copy):
    _set(data_copy, "responses", 5, "date", "2022-02-30")
    first, _ = _first_problem(data_copy, "responses")
    assert re.search(r"responses\.csv, line 5 \(data row 4\), column 'date': \[date-error\] no such date", first)


@pytest.mark.parametrize("table,column,value", [
    ("claims", "published", "1899-05"), ("claims", "as_of", "2099"), ("cases", "verdict", "2099-01-05"),
    ("responses", "date", "1899"), ("sources", "published", "1899-01-01"), ("events", "date_end", "2099-01-01"),
])
def test_implausible_years(data_copy, table, column, value):
    def edit(rows):
        h = rows[0]
        # the first row where the change breaks no other rule (an end date needs a start before it)
        row = next(r for r in rows[1:] if column != "date_end" or r[h.index("date")] < value)
        row[h.index(column)] = value
        edit.line = rows.index(row) + 1
    edit_csv(data_copy / f"{table}.csv", edit)
    first, _ = _first_problem(data_copy, table)
    assert f"{table}.csv, line {edit.line} " in first and f"column {column!r}: [date-range]" in first, first


def test_accessed_before_published(data_copy):
    _set(data_copy, "sources", 6, "published", "2026-11-20")
    _set(data_copy, "sources", 6, "accessed", "2026-11-01")
    first, _ = _first_problem(data_copy, "sources")
    assert re.search(r"sources\.csv, line 6 \(data row 5\), column 'accessed': \[order-error\] accessed "
                     r"2026-11-01 is before published 2026-11-20", first), first


def test_header_without_rows(data_copy):
    edit_csv(data_copy / "glossary.csv", lambda rows: rows.__delitem__(slice(1, None)))
    first, _ = _first_problem(data_copy, "glossary")
    assert re.search(r"glossary\.csv, line 1: \[no-rows\]", first), first


@pytest.mark.parametrize("content", ["", "header-only"])
def test_empty_sources_is_named_first(data_copy, content):
    path = data_copy / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n" if content else "", encoding="utf-8")
    first, whole = _first_problem(data_copy, "claims")
    assert re.search(r"sources\.csv, line 1: \[(no-rows|empty-file)\]", first), first
    assert "foreign-key" not in whole


def test_single_byte_resave_is_refused(data_copy):
    # A re-save in an encoding without Cyrillic turns it into '?': valid text, wrong content.
    path = data_copy / "glossary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("ascii", errors="replace"))
    first, _ = _first_problem(data_copy, "glossary")
    line = next(i for i, l in enumerate(text.splitlines(), start=1) if re.search("[\u0400-\u04ff]", l))
    assert re.search(rf"glossary\.csv, line {line} \(data row {line - 1}\), column '(kk|ru|variants|en|description)': "
                     r"\[mangled-text\]", first), first


def test_non_utf8_file_gives_line_row_column_and_character(data_copy):
    path = data_copy / "glossary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1251", errors="replace"))
    line = next(i for i, l in enumerate(text.splitlines(), start=1) if re.search("[\u0400-\u04ff]", l))
    col = next(j for j, ch in enumerate(text.splitlines()[line - 1], start=1) if "\u0400" <= ch <= "\u04ff")
    first, _ = _first_problem(data_copy, "glossary")
    assert re.search(rf"glossary\.csv, line {line} \(data row {line - 1}\), column '\w+', character {col}: "
                     r"\[encoding-error\]", first), first


def test_unescaped_comma_is_an_extra_cell(data_copy):
    path = data_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(csv.reader([lines[7]]))
    row[1] = row[1] + ", 2022"  # what a hand edit of an unquoted date cell looks like
    lines[7] = ",".join(row) + "\n" if not any("," in c or '"' in c for c in row[2:]) else None
    if lines[7] is None:  # keep the rest of the row exactly as CSV would write it
        import io
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(row[:1])
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(row[2:])
        lines[7] = buf.getvalue().rstrip("\n") + "," + row[1] + "," + out.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    first, _ = _first_problem(data_copy, "events")
    assert re.search(r"events\.csv, line 8 \(data row 7\): \[extra-cell\]", first), first


def test_lookalike_letter_in_a_key_is_shown_escaped(data_copy):
    # 'С' below is CYRILLIC CAPITAL LETTER ES, which prints like a Latin C.
    _set(data_copy, "claims", 2, "claim_id", "\u0421001")
    first, _ = _first_problem(data_copy, "claims")
    assert "'\\u0421001'" in first and "claims.csv, line 2 (data row 1), column 'claim_id'" in first, first


def test_line_numbers_count_quoted_newlines(data_copy):
    # A quoted newline makes one row span two lines; later rows are reported at the line an editor shows.
    def edit(rows):
        h = rows[0]
        rows[2][h.index("summary")] = rows[2][h.index("summary")] + "\nSecond line of the same cell."
        rows[10][h.index("category")] = "nonsense"
    edit_csv(data_copy / "events.csv", edit)
    first, _ = _first_problem(data_copy, "events")
    assert re.search(r"events\.csv, line 12 \(data row 10\), column 'category'", first), first


def test_source_needs_url_or_read_at(data_copy):
    """A source may lack the original's address (url) only if it names the copy it was read in (read_at)."""
    _set(data_copy, "sources", 4, "url", "")
    _set(data_copy, "sources", 4, "read_at", "")
    _set(data_copy, "sources", 5, "url", "")
    _set(data_copy, "sources", 5, "read_at", "https://copy.example.org/the-text")
    first, text = _first_problem(data_copy, "sources")
    assert re.search(r"sources\.csv, line 4 \(data row 3\), column 'url': .*url and read_at are all empty", first), first
    assert "line 5 " not in text, text


def test_an_author_not_in_the_registry_form_is_refused(data_copy):
    """A person is 'Last, First' (several joined by ' and '); no byline seen is 'unknown'."""
    _set(data_copy, "sources", 4, "author_kind", "person")
    _set(data_copy, "sources", 4, "author", "Joanna Lillis")
    _set(data_copy, "sources", 6, "author_kind", "unknown")
    _set(data_copy, "sources", 6, "author", "unknown (a correspondent)")
    first, text = _first_problem(data_copy, "sources")
    assert re.search(r"sources\.csv, line 4 \(data row 3\), column 'author': \[pattern-when\].*'Joanna Lillis'", first), first
    assert re.search(r"line 6 \(data row 5\), column 'author': \[pattern-when\]", text), text
    _set(data_copy, "sources", 4, "author", "Lillis, Joanna and Moldabekov, Daniyar")
    _set(data_copy, "sources", 6, "author", "unknown")
    _assert_no_problem(data_copy, "sources", "pattern-when")


def test_a_stated_date_must_say_where_it_was_seen(data_copy):
    _set(data_copy, "sources", 4, "published_basis", "stated")
    _set(data_copy, "sources", 4, "checked", "Stored copy seen; quoted words verbatim.")
    first, _ = _first_problem(data_copy, "sources")
    assert re.search(r"sources\.csv, line 4 \(data row 3\), column 'checked': \[pattern-when\].*where on the page", first), first
    _set(data_copy, "sources", 4, "checked", "Stored copy seen. Date: the page shows '8 January 2022, 17:07'.")
    _assert_no_problem(data_copy, "sources", "pattern-when")


def test_an_inferred_event_date_must_say_how(data_copy):
    _set(data_copy, "events", 3, "date_basis", "inferred")
    _set(data_copy, "events", 3, "date_note", "")
    first, _ = _first_problem(data_copy, "events")
    assert re.search(r"events\.csv, line 3 \(data row 2\), column 'date_note': \[required-when\]", first), first


def test_a_table_resaved_in_cp1251_is_refused_with_its_place(data_copy):
    """A re-save in cp1251 (Windows Cyrillic) turns the letters it lacks (Kazakh letters, 'ü') into
    '?'. Even a table of English text, such as the coverage items, is caught, by file, line and column."""
    path = data_copy / "coverage.csv"
    text = path.read_text(encoding="utf-8")
    assert text.encode("cp1251", errors="replace") != text.encode("utf-8")  # the table has such letters
    path.write_bytes(text.encode("cp1251", errors="replace"))
    with pytest.raises(data.DataError) as info:
        data.validate("coverage", data_copy / "datapackage.json")
    assert any(re.search(r"coverage\.csv, line \d+ \(data row \d+\), column '\w+'(, character \d+)?: \[(mangled-text|encoding)", p)
               for p in info.value.problems), info.value.problems[:3]
