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
    return sorted(seen)


def _format_error(err: dict, file: str) -> str:
    row = err.get("rowNumber")
    field = err.get("fieldName")
    where = [file]
    if row is not None:
        where.append(f"line {row} (data row {row - 1})")
    if field:
        where.append(f"column {field!r}")
    elif err.get("fieldNames"):
        where.append("columns " + ", ".join(repr(f) for f in err["fieldNames"]))
    value = f" (value {err['cell']!r})" if err.get("cell") not in (None, "") else ""
    return f"{', '.join(where)}: [{err.get('type')}] {err.get('note') or err.get('message')}{value}"


def validate(name: str, package_path: Path = paths.DATAPACKAGE) -> None:
    """Validate one tabular resource (with its foreign keys) or raise DataError."""
    import frictionless

    package_path = Path(package_path)
    package = frictionless.Package(str(package_path), basepath=str(package_path.parent))
    resource = package.get_resource(name)
    file = paths.relative(package_path.parent / resource.path)
    report = resource.validate()
    problems = [_format_error(e.to_descriptor(), file) for e in report.errors]
    for task in report.tasks:
        problems += [_format_error(e.to_descriptor(), file) for e in task.errors]
    if not problems:
        problems = _check_rules(name, package_path)
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


def _check_rules(name: str, package_path: Path) -> list[str]:
    """Row rules the Table Schema cannot state.

    ``{"ordered": [a, b]}``: a <= b (numbers numerically, dates by their shared precision).
    ``{"partial_date": [a, ...]}``: each value is a real calendar date, month or year.
    """
    import csv

    desc = next(r for r in _descriptor(package_path)["resources"] if r["name"] == name)
    rules = desc.get("qantar:rules", [])
    if not rules:
        return []
    types = {f["name"]: f.get("type", "string") for f in desc["schema"]["fields"]}
    path = package_path.parent / desc["path"]
    file = paths.relative(path)
    problems = []
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{file}, line {line} (data row {line - 1})"
            for rule in rules:
                if "ordered" in rule:
                    a, b = rule["ordered"]
                    if row.get(a) and row.get(b):
                        x, y = _comparable(types[a], row[a], row[b])
                        if y < x:
                            problems.append(f"{where}, column {b!r}: [order-error] {b} {row[b]} is before {a} {row[a]}"
                                            if types[a] not in ("number", "integer") else
                                            f"{where}, column {b!r}: [order-error] {b} {row[b]} is less than {a} {row[a]}")
                for col in rule.get("partial_date", []):
                    if row.get(col) and not _partial_date_ok(row[col]):
                        problems.append(f"{where}, column {col!r}: [date-error] no such date (value {row[col]!r})")
    return problems


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


@functools.lru_cache(maxsize=None)
def _validated(name: str, package_path: str) -> None:
    """Validate each table once per process, however many tables refer to it."""
    validate(name, Path(package_path))


@functools.lru_cache(maxsize=None)
def _load_cached(name: str, package_path: str):
    for dep in dependencies(name, Path(package_path)):
        _validated(dep, package_path)
    return read(name, Path(package_path))


def load(name: str, package_path: Path = paths.DATAPACKAGE):
    """Validate ``name`` and the tables it refers to, then return it as a DataFrame.

    Validation runs once per process and table; each call returns a fresh copy.
    """
    return _load_cached(name, str(Path(package_path).resolve())).copy()
