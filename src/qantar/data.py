"""Load the report's tables, validated against ``data/datapackage.json``.

Validation is done by `frictionless <https://framework.frictionlessdata.io>`_
(types, required fields, enums, ranges, patterns, primary keys and foreign
keys), not by hand-written checks. Any problem raises :class:`DataError`, whose
message names the file, the line and the column; nothing is dropped or coerced.
A few rules that a Table Schema cannot express (an end date before its start
date) are declared in the package under ``"qantar:rules"`` and checked here.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from . import paths


class DataError(ValueError):
    """A data file breaks its schema. ``problems`` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        head = f"{len(problems)} problem(s) in the data:" if len(problems) > 1 else "problem in the data:"
        super().__init__(head + "\n  " + "\n  ".join(problems))


def _descriptor(package_path: Path) -> dict:
    return json.loads(Path(package_path).read_text(encoding="utf-8"))


def resource_names(package_path: Path = paths.DATAPACKAGE) -> list[str]:
    return [r["name"] for r in _descriptor(package_path)["resources"]]


def resource_path(name: str, package_path: Path = paths.DATAPACKAGE) -> Path:
    for r in _descriptor(package_path)["resources"]:
        if r["name"] == name:
            return Path(package_path).parent / r["path"]
    raise KeyError(f"no resource {name!r} in {paths.relative(package_path)}")


def dependencies(name: str, package_path: Path = paths.DATAPACKAGE) -> list[str]:
    """The resource and every resource its foreign keys point to (transitively)."""
    resources = {r["name"]: r for r in _descriptor(package_path)["resources"]}
    seen: list[str] = []
    todo = [name]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.append(n)
        for fk in resources[n].get("schema", {}).get("foreignKeys", []):
            todo.append(fk["reference"].get("resource") or n)
        for rule in resources[n].get("qantar:rules", []):
            if "refersByKind" in rule:
                todo += [table for table, _ in rule["refersByKind"]["resources"].values()]
    return sorted(seen)


# ---------------------------------------------------------------------------------------------
# Validation. Three passes, each run only if the one before found nothing, so that the first
# message names the cause rather than its echoes:
#   1. the file itself (UTF-8, header, one cell per column, at least one row), for the table and
#      every table it refers to, the referred tables first;
#   2. the Table Schema, by frictionless (types, enums, patterns, keys, foreign keys);
#   3. the rules a Table Schema cannot state (``qantar:rules``, partial dates, plausible dates,
#      markup and mangled text in free-text columns).
# Every message names the file, the line as an editor counts it, and the column.

#: A partial ISO date (year, year-month or full date): fields with this pattern are partial dates.
PARTIAL_DATE = "[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"

#: What counts as markup in a free-text cell: HTML tags and comments, MyST roles and directives,
#: code and colon fences, substitutions, LaTeX commands and script URLs.
MARKUP = re.compile(
    r"<\s*/?\s*[A-Za-z!?]"                     # <script, </b, <!-- , <?xml
    r"|\{[A-Za-z][\w:.-]*\}"                   # {download}, {raw}, {literalinclude}
    r"|```|~~~|^\s*:::|\{\{|\}\}"              # fences, colon fences, substitutions
    r"|\\[A-Za-z@]+"                           # \input, \write18
    r"|\b(?:javascript|vbscript|data)\s*:",     # javascript: links
    re.IGNORECASE | re.MULTILINE)

#: Text mangled by a single-byte re-save: '?' inside a word, or a run of them, or U+FFFD.
MANGLED = re.compile(r"\w\?+\w|\?{2,}|\ufffd")


class _File:
    """A CSV file read as an editor shows it: its rows and the line each row starts on."""

    def __init__(self, path: Path):
        import csv
        import io

        self.path, self.name = path, paths.relative(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise DataError([f"{self.name}, {self._place(raw, err.start)}: [encoding-error] the file is not "
                             f"valid UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8"]) from None
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        self.rows, self.lines = [], []
        end = 0
        for row in reader:
            self.lines.append(end + 1)  # a row starts on the line after the previous one ended
            end = reader.line_num
            self.rows.append(row)

    @staticmethod
    def _place(raw: bytes, at: int) -> str:
        """Where byte ``at`` of a file that is not UTF-8 lies: its line and character, and the
        data row and column of the cell it is in (the file read as a lenient editor would)."""
        import csv
        import io

        line = raw[:at].count(b"\n") + 1
        character = at - (raw.rfind(b"\n", 0, at) + 1) + 1
        place = f"line {line}, character {character}"
        before = raw[:at].decode("utf-8", errors="replace").removeprefix("\ufeff")
        header = next(csv.reader(io.StringIO(raw.decode("utf-8", errors="replace").removeprefix("\ufeff"),
                                             newline="")), [])
        rows = list(csv.reader(io.StringIO(before, newline="")))
        if before.endswith(("\n", "\r")) or not rows:  # the byte opens a row
            index, field = len(rows), 0
        else:
            index, field = len(rows) - 1, len(rows[-1]) - 1
        if index > 0 and field < len(header):
            place = f"line {line} (data row {index}), column {header[field]!r}, character {character}"
        return place

    def line(self, index: int) -> int:
        """The editor line of logical row ``index`` (0 = header)."""
        return self.lines[index] if index < len(self.lines) else index + 1

    def where(self, index: int, column: str | None = None) -> str:
        out = f"{self.name}, line {self.line(index)}"
        if index > 0:
            out += f" (data row {index})"
        return out + (f", column {column!r}" if column else "")


def _shown(value, key: bool) -> str:
    """A cell value for a message: keys with non-ASCII characters escaped, so that a look-alike
    Cyrillic letter is visible ('\u0421003', not 'С003')."""
    return ascii(value) if key else repr(value)


def _key_fields(desc: dict) -> set[str]:
    schema = desc.get("schema", {})
    keys = set(schema.get("primaryKey", []))
    for fk in schema.get("foreignKeys", []):
        keys.update(fk["fields"])
    keys.update(f["name"] for f in schema.get("fields", []) if "pattern" in f.get("constraints", {}))
    return keys


def _structure(desc: dict, package_path: Path) -> tuple[list[str], _File | None]:
    """Pass 1: the file as a file. Returns (problems, the parsed file)."""
    path = package_path.parent / desc["path"]
    try:
        f = _File(path)
    except DataError as err:
        return err.problems, None
    except FileNotFoundError:
        return [f"{paths.relative(path)}: [file-missing] the file does not exist"], None
    if not f.rows:
        return [f"{f.name}, line 1: [empty-file] the file is empty (not even a header)"], f
    expected = [fld["name"] for fld in desc["schema"]["fields"]]
    header = f.rows[0]
    problems = []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for c in missing:
        problems.append(f"{f.where(0, c)}: [missing-column] the header has no column {c!r}, which the data "
                        "package describes")
    if extra:
        problems.append(f"{f.where(0)}: [extra-column] the header has column(s) the data package does not "
                        "describe: " + ", ".join(_shown(c, True) for c in extra))
    if not problems and header != expected:
        problems.append(f"{f.where(0)}: [column-order] the columns must be in the order " + ", ".join(expected))
    if problems:
        return problems, f
    for i, row in enumerate(f.rows[1:], start=1):
        if len(row) > len(header):
            problems.append(f"{f.where(i)}: [extra-cell] {len(row)} cells where the header has {len(header)}; "
                            f"the extra cell starts after column {header[-1]!r} (value {row[len(header)]!r}): "
                            "is a comma inside a value not quoted?")
        elif len(row) < len(header) and any(row):
            problems.append(f"{f.where(i)}: [missing-cell] {len(row)} cells where the header has {len(header)}; "
                            f"the first missing one is column {header[len(row)]!r}")
    if not problems and len(f.rows) < 2:
        problems.append(f"{f.where(0)}: [no-rows] the table has a header but no rows")
    return problems, f


def _format_error(err: dict, f: _File, keys: set[str]) -> str:
    row = err.get("rowNumber")
    field = err.get("fieldName")
    where = [f.name]
    if row is not None:
        where.append(f"line {f.line(row - 1)} (data row {row - 1})")
    if field:
        where.append(f"column {field!r}")
    elif err.get("fieldNames"):
        where.append("columns " + ", ".join(repr(x) for x in err["fieldNames"]))
    key = field in keys or any(x in keys for x in err.get("fieldNames", []))
    value = f" (value {_shown(err['cell'], key)})" if err.get("cell") not in (None, "") else ""
    note = err.get("note") or err.get("message")
    if key:  # quoted values in frictionless's note, escaped like the value
        note = re.sub(r'"([^"]*)"', lambda m: ascii(m.group(1)), note)
    return f"{', '.join(where)}: [{err.get('type')}] {note}{value}"


@functools.lru_cache(maxsize=4)
def _frictionless_package(package_path: str, descriptor: bytes):
    """The data package as frictionless reads it, built once per process and descriptor: building
    it checks the whole descriptor (0.1 s), which every table's validation would otherwise
    repeat. Keyed by the descriptor's bytes, so an edited descriptor is read again; the
    tables themselves are read anew by each validation."""
    import frictionless

    return frictionless.Package(package_path, basepath=str(Path(package_path).parent))


def validate(name: str, package_path: Path = paths.DATAPACKAGE) -> None:
    """Validate one tabular resource (with its foreign keys) or raise DataError."""
    package_path = Path(package_path)
    resources = {r["name"]: r for r in _descriptor(package_path)["resources"]}
    # Pass 1, the tables this one refers to first: an empty sources.csv is named as such,
    # not as hundreds of broken references in the table that points to it.
    problems, parsed = [], None
    for dep in [d for d in dependencies(name, package_path) if d != name] + [name]:
        found, f = _structure(resources[dep], package_path)
        problems += found
        if dep == name:
            parsed = f
    if problems:
        raise DataError(problems)
    package = _frictionless_package(str(package_path), package_path.read_bytes())
    report = package.get_resource(name).validate()
    keys = _key_fields(resources[name])
    errors = list(report.errors) + [e for task in report.tasks for e in task.errors]
    problems = [_format_error(e.to_descriptor(), parsed, keys) for e in errors]
    if not problems:
        problems = _check_rules(resources[name], parsed, package_path)
    if problems:
        raise DataError(problems)


def _partial_date_ok(text: str) -> bool:
    import datetime as dt

    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _comparable(field_type: str, a: str, b: str):
    """Both values in a form that orders correctly: numbers as numbers; ISO dates
    (full or partial) cut to the precision they share, so 2022-01 is not before
    2022-01-19."""
    if field_type in ("number", "integer"):
        return float(a), float(b)
    n = min(len(a), len(b))
    return a[:n], b[:n]


def date_bounds(package_path: Path = paths.DATAPACKAGE) -> tuple[str, str]:
    """The plausible range of every date in the data: from the earliest background event the
    report covers (``qantar:earliestDate`` in the data package) to today, the latest possible
    access date."""
    import datetime as dt

    return _descriptor(package_path)["qantar:earliestDate"], dt.date.today().isoformat()


def _date_fields(desc: dict) -> list[str]:
    return [f["name"] for f in desc["schema"]["fields"]
            if f.get("type") == "date" or f.get("constraints", {}).get("pattern") == PARTIAL_DATE]


def _text_fields(desc: dict) -> list[dict]:
    """Free-text columns: strings with no enum, pattern or format that are not keys."""
    keys = _key_fields(desc)
    return [f for f in desc["schema"]["fields"] if f.get("type", "string") == "string" and f["name"] not in keys
            and not {"enum", "pattern"} & set(f.get("constraints", {})) and "format" not in f]


def _check_rules(desc: dict, f: _File, package_path: Path) -> list[str]:
    """Pass 3: row rules the Table Schema cannot state.

    - ``{"ordered": [a, b]}`` in ``qantar:rules``: a <= b (numbers numerically, dates by their
      shared precision);
    - ``{"requiredWhen": {"field": f, "column": c, "values": [...]}}``: ``f`` may not be empty in a
      row whose ``c`` is one of the values; ``emptyWhen`` (same shape): ``f`` must be empty there;
    - ``{"refersByKind": {"kind": k, "id": i, "resources": {kind: [table, key column]}}}``: a
      foreign key whose table depends on the row (column ``k`` names the kind, ``i`` the row of
      that kind's table), which a Table Schema cannot state;
    - ``{"patternWhen": {"field": f, "column": c, "values": [...], "pattern": p, "why": w}}``: in a
      row whose ``c`` is one of the values, ``f`` matches the regular expression ``p`` whole (an
      author recorded as a person is written 'Last, First');
    - ``{"anyOf": [a, b, ...]}`` in ``qantar:rules``: at least one of the columns is filled (a
      source needs the original's address or the address of the copy it was read in);
    - every partial date (a field with the :data:`PARTIAL_DATE` pattern) is a real calendar date;
    - every date lies in :func:`date_bounds`;
    - URLs are ``http`` or ``https``;
    - free-text cells hold no markup (:data:`MARKUP`), and columns marked ``qantar:nonLatin``
      (they hold Cyrillic) show no sign of a lossy re-save (:data:`MANGLED`).
    """
    from urllib.parse import urlsplit

    fields = desc["schema"]["fields"]
    types = {fld["name"]: fld.get("type", "string") for fld in fields}
    partial = [fld["name"] for fld in fields if fld.get("constraints", {}).get("pattern") == PARTIAL_DATE]
    dates = _date_fields(desc)
    urls = [fld["name"] for fld in fields if fld.get("format") == "uri"]
    text = _text_fields(desc)
    earliest, latest = date_bounds(package_path)
    header = f.rows[0]
    problems = []
    targets = {}  # refersByKind: kind -> (table name, the set of its keys)
    for rule in desc.get("qantar:rules", []):
        if "refersByKind" in rule:
            for kind, (table, key) in rule["refersByKind"]["resources"].items():
                target = _File(resource_path(table, package_path))
                column = target.rows[0].index(key)
                targets[kind] = (table, {r[column] for r in target.rows[1:] if len(r) > column})
    for i, cells in enumerate(f.rows[1:], start=1):
        row = dict(zip(header, cells))

        def where(col):
            return f.where(i, col)

        for col in partial:
            if row[col] and not _partial_date_ok(row[col]):
                problems.append(f"{where(col)}: [date-error] no such date (value {row[col]!r})")
        for col in dates:
            v = row[col]
            if v and (v[: len(earliest)] < earliest[: len(v)] or v[: len(latest)] > latest[: len(v)]):
                problems.append(f"{where(col)}: [date-range] {v} is outside the plausible range "
                                f"{earliest} to {latest} (the earliest background event to today)")
        for rule in desc.get("qantar:rules", []):
            for name, must in (("requiredWhen", True), ("emptyWhen", False)):
                if name in rule:
                    r = rule[name]
                    if row.get(r["column"]) in r["values"] and bool(row.get(r["field"])) != must:
                        problems.append(f"{where(r['field'])}: [{'required' if must else 'not-empty'}-when] "
                                        f"{r['field']} must {'be given' if must else 'be empty'} when "
                                        f"{r['column']} is {row[r['column']]} (value {row.get(r['field'])!r})")
            if "patternWhen" in rule:
                r = rule["patternWhen"]
                if row.get(r["column"]) in r["values"] and not re.fullmatch(r["pattern"], row.get(r["field"], "")):
                    problems.append(f"{where(r['field'])}: [pattern-when] {r['field']} does not have the form "
                                    f"required when {r['column']} is {row[r['column']]}: {r['why']} "
                                    f"(value {row.get(r['field'])!r})")
            if "refersByKind" in rule:
                r = rule["refersByKind"]
                kind, ref = row.get(r["kind"]), row.get(r["id"])
                if ref and not kind:
                    problems.append(f"{where(r['kind'])}: [foreign-key] {r['id']} {ref!r} needs {r['kind']} "
                                    "to say which table it refers to")
                elif ref and ref not in targets[kind][1]:
                    problems.append(f"{where(r['id'])}: [foreign-key] no row {ascii(ref)} in the "
                                    f"{targets[kind][0]} table (the table {r['kind']} {kind!r} names)")
            if "ordered" in rule:
                a, b = rule["ordered"]
                if row.get(a) and row.get(b):
                    x, y = _comparable(types[a], row[a], row[b])
                    if y < x:
                        verb = "is less than" if types[a] in ("number", "integer") else "is before"
                        problems.append(f"{where(b)}: [order-error] {b} {row[b]} {verb} {a} {row[a]}")
            if "anyOf" in rule and not any(row.get(c, "").strip() for c in rule["anyOf"]):
                cols = rule["anyOf"]
                problems.append(f"{where(cols[0])}: [missing-value] {' and '.join(cols)} are all empty; fill at "
                                f"least one" + (f" ({rule['why']})" if rule.get("why") else ""))
        for col in urls:
            if row[col] and urlsplit(row[col]).scheme.lower() not in ("http", "https"):
                problems.append(f"{where(col)}: [url-scheme] only http and https URLs are allowed "
                                f"(value {row[col]!r})")
        for fld in text:
            v = row[fld["name"]]
            hit = MARKUP.search(v)
            if hit:
                problems.append(f"{where(fld['name'])}: [markup] markup is not allowed in data: "
                                f"`{v[hit.start():hit.end() + 6].strip()}`")
            # Every free-text column, not only those that hold Cyrillic: an English text with a
            # name such as "Türk" comes out as "T?rk" from an encoding that lacks the letter.
            bad = MANGLED.search(v)
            if bad:
                problems.append(f"{where(fld['name'])}: [mangled-text] {bad.group(0)!r} inside a word: was the "
                                "file re-saved in an encoding that cannot hold Cyrillic? Save it as UTF-8")
    return problems


def blank(value) -> bool:
    """True for an empty cell: None, a missing value (NaN, NA) or only whitespace."""
    import pandas as pd

    return value is None or bool(pd.isna(value)) or str(value).strip() == ""


def with_source_keys(table, links, id_col: str):
    """``table`` with a ``sources`` column: the sorted source keys its link table gives
    each row. Raises ValueError naming every row that has no source (none is dropped)."""
    keys = links.groupby(id_col)["source_key"].agg(lambda s: tuple(sorted(set(s))))
    out = table.merge(keys.rename("sources"), left_on=id_col, right_index=True, how="left")
    missing = out[out["sources"].isna()]
    if len(missing):
        raise ValueError(f"rows without a source ({id_col}): {', '.join(missing[id_col])}")
    return out


_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}


def read(name: str, package_path: Path = paths.DATAPACKAGE):
    """Read a resource into a typed DataFrame (no validation: see :func:`load`)."""
    import pandas as pd

    desc = next(r for r in _descriptor(package_path)["resources"] if r["name"] == name)
    path = Path(package_path).parent / desc["path"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for field in desc["schema"]["fields"]:
        col, kind = field["name"], field.get("type", "string")
        values = frame[col].replace("", pd.NA)
        if kind in ("date", "datetime"):
            frame[col] = pd.to_datetime(values, format="ISO8601")
        elif kind in _PANDAS_TYPES:
            if kind == "boolean":
                values = values.map({"true": True, "false": False}, na_action="ignore")
            frame[col] = values.astype(_PANDAS_TYPES[kind])
        else:
            frame[col] = values.astype("string")
    return frame


def _validation_key(name: str, package_path: Path) -> str:
    """A digest of everything a validation of ``name`` depends on: this module's code, the
    validator's version, the descriptor and the bytes of the table and of every table it refers
    to. Any change to any of them gives a new key."""
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes() + version("frictionless").encode() + b"\0")
    h.update(package_path.read_bytes() + b"\0" + name.encode() + b"\0")
    for dep in dependencies(name, package_path):
        h.update(dep.encode() + b"\0" + resource_path(dep, package_path).read_bytes() + b"\0")
    return h.hexdigest()


def _stamp(name: str, package_path: Path) -> Path:
    """Where a passed validation of ``name`` is recorded: ``_build/.validated/<key>`` beside the data."""
    return package_path.parent.parent / "_build" / ".validated" / _validation_key(name, package_path)


@functools.lru_cache(maxsize=None)
def _validated(name: str, package_path: str) -> None:
    """Validate each table once per process, however many tables refer to it, and once per
    content: a table that passed is recorded under ``_build/.validated`` by the digest of what its
    validation depends on (:func:`_validation_key`), so the next process (each chapter's kernel)
    skips frictionless for the same bytes. A failure is never recorded: a broken table is
    validated, and refused, every time."""
    path = Path(package_path)
    stamp = _stamp(name, path)
    if stamp.exists():
        return
    validate(name, path)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:  # a read-only checkout still validates, every time
        pass


#: Set to "1" only by the injection tests, to show what the *rendering* does with data that
#: validation would refuse. Never set it to build the book.
SKIP_VALIDATION_ENV = "QANTAR_UNSAFE_SKIP_VALIDATION"


@functools.lru_cache(maxsize=None)
def _load_cached(name: str, package_path: str):
    import os

    if os.environ.get(SKIP_VALIDATION_ENV) != "1":
        for dep in dependencies(name, Path(package_path)):
            _validated(dep, package_path)
    return read(name, Path(package_path))


def load(name: str, package_path: Path = paths.DATAPACKAGE):
    """Validate ``name`` and the tables it refers to, then return it as a DataFrame.

    Validation runs once per process and table; each call returns a fresh copy.
    """
    return _load_cached(name, str(Path(package_path).resolve())).copy()
