"""Data contracts: every table validates, and broken copies fail loudly with file, line and column."""

import re
from pathlib import Path

import pytest

from conftest import edit_csv
from qantar import data, paths

TABLES = [name for name in data.resource_names() if data.resource_path(name).suffix == ".csv"]


@pytest.mark.parametrize("name", TABLES)
def test_table_validates_and_loads(name):
    frame = data.load(name)
    assert len(frame) > 0


def test_loaded_types():
    events = data.load("events")
    assert str(events["date"].dtype).startswith("datetime64")
    places = data.load("places")
    assert str(places["lat"].dtype) == "Float64"


def _col(rows, name):
    return rows[0].index(name)


def _break(data_copy, table, edit):
    edit_csv(data_copy / f"{table}.csv", edit)
    with pytest.raises(data.DataError) as info:
        data.validate(table, data_copy / "datapackage.json")
    return str(info.value)


def test_unknown_source_key(data_copy):
    def edit(rows):
        rows[3][_col(rows, "source_key")] = "nosuchsource2099x"

    msg = _break(data_copy, "event_sources", edit)
    assert "event_sources.csv, line 4" in msg
    assert "'source_key'" in msg and "nosuchsource2099x" in msg and "foreign-key" in msg


def test_impossible_date(data_copy):
    def edit(rows):
        rows[5][_col(rows, "date")] = "2022-02-30"

    msg = _break(data_copy, "events", edit)
    assert re.search(r"events\.csv, line 6 \(data row 5\), column 'date': \[type-error\]", msg)
    assert "2022-02-30" in msg


def test_malformed_date(data_copy):
    def edit(rows):
        rows[2][_col(rows, "date")] = "5 Jan 2022"

    msg = _break(data_copy, "events", edit)
    assert "events.csv, line 3 (data row 2), column 'date'" in msg


def test_date_out_of_range(data_copy):
    def edit(rows):
        rows[2][_col(rows, "date")] = "1922-01-05"

    msg = _break(data_copy, "events", edit)
    assert "line 3" in msg and "'date'" in msg and "minimum" in msg


def test_duplicate_id(data_copy):
    def edit(rows):
        rows[4][_col(rows, "event_id")] = rows[2][_col(rows, "event_id")]

    msg = _break(data_copy, "events", edit)
    assert "events.csv, line 5" in msg and "primary-key" in msg


def test_negative_number(data_copy):
    def edit(rows):
        rows[1][_col(rows, "geonames_id")] = "-607610"

    msg = _break(data_copy, "places", edit)
    assert "places.csv, line 2 (data row 1), column 'geonames_id'" in msg and "minimum" in msg


def test_wrong_enum(data_copy):
    def edit(rows):
        rows[7][_col(rows, "category")] = "riot"

    msg = _break(data_copy, "events", edit)
    assert "events.csv, line 8 (data row 7), column 'category': [constraint-error]" in msg
    assert "'riot'" in msg


def test_missing_column(data_copy):
    def edit(rows):
        i = _col(rows, "summary")
        for row in rows:
            del row[i]

    msg = _break(data_copy, "events", edit)
    first = msg.splitlines()[1]
    assert "events.csv, line 1, column 'summary': [missing-column]" in first


def test_end_before_start(data_copy):
    def edit(rows):
        d, e = _col(rows, "date"), _col(rows, "date_end")
        rows[9][e] = "2021-12-31"
        assert rows[9][d] > "2021-12-31"

    msg = _break(data_copy, "events", edit)
    assert "events.csv, line 10 (data row 9), column 'date_end': [order-error]" in msg


def test_every_error_is_reported(data_copy):
    """Two broken rows give two findings: nothing is silently skipped."""

    def edit(rows):
        rows[2][_col(rows, "category")] = "riot"
        rows[6][_col(rows, "category")] = "rally"

    msg = _break(data_copy, "events", edit)
    assert "line 3" in msg and "line 7" in msg


def test_load_refuses_broken_reference(data_copy):
    """load() validates the tables a table refers to, not just the table itself."""

    def edit(rows):
        rows[1][_col(rows, "url")] = ""

    edit_csv(data_copy / "sources.csv", edit)
    with pytest.raises(data.DataError, match=r"sources\.csv, line 2 \(data row 1\), column 'url'"):
        data.load("event_sources", data_copy / "datapackage.json")


def test_every_event_has_a_source():
    events = data.load("events")
    linked = set(data.load("event_sources")["event_id"])
    missing = sorted(set(events["event_id"]) - linked)
    assert not missing, f"events without a source row in data/event_sources.csv: {missing}"


def test_places_with_coordinates_name_their_source():
    places = data.load("places")
    located = places[places["lat"].notna() | places["lon"].notna()]
    assert located["lat"].notna().all() and located["lon"].notna().all()
    assert located["source_key"].notna().all()


def test_quotes_are_short():
    """No copies of articles: stored quotes are short phrases."""
    quotes = data.load("event_sources")["quote"].dropna()
    assert (quotes.str.split().str.len() <= 35).all()


def test_geojson_outline():
    import json

    gj = json.loads((paths.DATA / "geo" / "kazakhstan.geojson").read_text())
    (feature,) = gj["features"]
    assert feature["properties"]["iso_n3"] == "398"
    lons = [pt[0] for poly in feature["geometry"]["coordinates"] for ring in poly for pt in ring]
    assert 46 < min(lons) < 47.5 and 87 < max(lons) < 88


def test_no_machine_paths_in_data():
    """Data files must not leak a developer's paths (reproducible and private)."""
    for path in sorted(paths.DATA.rglob("*")):
        if path.is_file() and path.suffix in (".csv", ".json", ".md", ".geojson"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(/tmp/|/work/|/home/|/root/|[A-Z]:\\\\Users)", text), paths.relative(path)


def test_each_table_is_validated_once_per_process(monkeypatch, tmp_path):
    """Loading a table again, or loading tables that refer to it, does not validate it again
    (the record of passed validations kept between processes is set aside here)."""
    calls = []
    monkeypatch.setattr(data, "validate", lambda name, package_path: calls.append(name))
    monkeypatch.setattr(data, "_stamp", lambda name, package_path: tmp_path / "never" / name)
    monkeypatch.setattr(Path, "touch", lambda self, *a, **k: None)
    data._validated.cache_clear()
    data._load_cached.cache_clear()
    try:
        for _ in range(3):
            data.load("claims")
            data.load("cases")
        assert sorted(calls) == sorted(set(calls)), calls
        assert set(calls) == {"claims", "metrics", "sources", "cases", "places", "units"}
    finally:
        data._validated.cache_clear()
        data._load_cached.cache_clear()


def test_rows_without_a_source_are_named_not_dropped():
    import pandas as pd

    table = pd.DataFrame({"case_id": ["K1", "K2", "K3"]})
    links = pd.DataFrame({"case_id": ["K1", "K1", "K3"], "source_key": ["b2020x", "a2020x", "c2020x"]})
    with pytest.raises(ValueError, match="K2"):
        data.with_source_keys(table, links, "case_id")
    ok = data.with_source_keys(table[table["case_id"] != "K2"], links, "case_id")
    assert list(ok["sources"]) == [("a2020x", "b2020x"), ("c2020x",)]


def test_a_passed_validation_is_remembered_by_content_and_a_change_validates_again(data_copy, monkeypatch):
    """Each chapter's kernel is a new process: a table that passed is not validated again for the
    same bytes, and any change to the table (or to a table it refers to) validates it afresh."""
    package = data_copy / "datapackage.json"
    calls = []
    real = data.validate
    monkeypatch.setattr(data, "validate", lambda name, package_path: (calls.append(name), real(name, package_path)))
    for _ in range(2):
        data._validated.cache_clear()
        data._validated("places", str(package))
    assert calls == ["places"]  # the second process-like call found the stamp
    assert data._stamp("places", package).exists()
    src = data_copy / "sources.csv"
    src.write_text(src.read_text(encoding="utf-8") + "", encoding="utf-8")  # same bytes: no new key
    text = (data_copy / "units.csv").read_text(encoding="utf-8")
    (data_copy / "units.csv").write_text(text.replace("Akmola region", "Akmola Region"), encoding="utf-8")
    data._validated.cache_clear()
    data._validated("places", str(package))  # places refers to units: its key changed
    assert calls == ["places", "places"]
