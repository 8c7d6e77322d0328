"""data/coverage.csv: which countries were researched, told apart on the map, the API and the panel (issue 14)."""

from __future__ import annotations

import csv
import json

import pytest

from dashboard.api import map_values
from dashboard.data.atlas import load_atlas
from dashboard.data.coverage import COVERAGE_COLUMNS, COVERAGE_FILE
from dashboard.data.records import DataError
from dashboard.detail import detail_body
from dashboard.figures import NOT_RESEARCHED_LABEL, legend_classes, map_payload

from .conftest import DATA_DIR, write_csv


def _rows() -> list[dict]:
    with (DATA_DIR / COVERAGE_FILE).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_country_on_the_map_has_one_coverage_row_agreeing_with_the_records(atlas) -> None:
    rows = _rows()
    keys = [row["country"] for row in rows]
    assert sorted(keys) == sorted(atlas.country_keys) and len(keys) == len(set(keys))
    with_records = set(atlas.keys_with_records)
    for row in rows:
        assert (row["status"] == "records") == (row["country"] in with_records), row["country"]
        if row["status"] != "not_researched":
            assert row["researched_on"] and row["queries"], row["country"]


def _coverage(folder, rows: list[dict]) -> None:
    write_csv(folder / COVERAGE_FILE, COVERAGE_COLUMNS, rows)


def _all_rows(atlas_keys, status="not_researched") -> list[dict]:
    return [{"country": k, "status": status, "researched_on": "", "queries": "", "notes": ""} for k in sorted(atlas_keys)]


@pytest.fixture
def keys() -> list[str]:
    return [feature["id"] for feature in json.loads((DATA_DIR / "countries.geojson").read_text())["features"]]


def test_a_folder_without_coverage_draws_no_research_class(make_data) -> None:
    atlas = load_atlas(make_data())
    assert atlas.coverage is None and map_payload(atlas)["coverage"] is None
    assert NOT_RESEARCHED_LABEL not in map_payload(atlas)["count"]["labels"]


@pytest.mark.parametrize("change, message", [
    (lambda rows: rows.__setitem__(0, {**rows[0], "status": "maybe"}), "coverage.csv:2: status: 'maybe' is not one of"),
    (lambda rows: rows.append(dict(rows[0])), "coverage.csv:242: country: duplicate"),
    (lambda rows: rows.pop(), "coverage.csv:1: country: no row for 1 countries on the map"),
    (lambda rows: rows.append({**rows[0], "country": "ATL"}), "coverage.csv:242: country: 'ATL' is not a country on the map"),
    (lambda rows: rows.__setitem__(1, {**rows[1], "status": "none_found", "researched_on": "2026-01-01"}),
     "coverage.csv:3: queries: is empty"),
    (lambda rows: rows.__setitem__(1, {**rows[1], "status": "none_found", "queries": "q", "researched_on": "2099-01-01"}),
     "coverage.csv:3: researched_on: '2099-01-01' is not a past YYYY-MM-DD date"),
    (lambda rows: rows.__setitem__(1, {**rows[1], "status": "records", "queries": "q", "researched_on": "2026-01-01"}),
     "but {key} has no records in events.csv"),
])
def test_a_bad_coverage_file_is_refused_naming_file_line_and_field(make_data, keys, change, message) -> None:
    folder = make_data()
    rows = _all_rows(keys)
    with_records = {"FRA"}  # the one record GOOD_EVENT makes
    for row in rows:
        if row["country"] in with_records:
            row.update(status="records", researched_on="2026-11-24", queries="pages: \"MeToo France\" (en)")
    change(rows)
    _coverage(folder, rows)
    with pytest.raises(DataError) as error:
        load_atlas(folder)
    assert any(message.format(key=rows[1]["country"]) in p for p in error.value.problems), error.value.problems


def test_a_country_with_records_must_say_records(make_data, keys) -> None:
    folder = make_data()
    _coverage(folder, _all_rows(keys))
    with pytest.raises(DataError) as error:
        load_atlas(folder)
    assert any("status: 'not_researched', but FRA has records in events.csv" in p for p in error.value.problems)


def test_the_legend_the_api_and_the_panel_tell_the_two_greys_apart(atlas) -> None:
    not_researched = next(r for r in _rows() if r["status"] == "not_researched")["country"]
    assert legend_classes("all", coverage=True)[1][-1] == NOT_RESEARCHED_LABEL
    assert legend_classes("legal", coverage=True)[1] == legend_classes("legal")[1]  # the World Bank's classes
    rows = {r["country"]: r for r in map_values(atlas, "all", 2018, False, "records")}
    assert rows[not_researched]["class"] == len(legend_classes("all", coverage=True)[1]) - 1
    assert rows[not_researched]["research"] == "not_researched"
    text = str(detail_body(atlas, not_researched))
    assert "Not researched yet." in text
    found = [r for r in _rows() if r["status"] == "none_found"]
    for row in found[:3]:
        assert rows[row["country"]]["class"] == 0
        text = str(detail_body(atlas, row["country"]))
        assert f"No citable records found in the sources searched on {row['researched_on']}." in text
        assert row["queries"] in text


def test_the_panel_lists_a_countrys_local_campaigns_and_search_finds_them(atlas, client) -> None:
    tagged = atlas.events[atlas.events["hashtags"] != ""]
    assert len(tagged) > 0
    for key, rows in tagged.groupby("key"):
        text = str(detail_body(atlas, key))
        local = {t for tags in rows["hashtags"] for t in tags.split(";") if t.casefold() != "#metoo"}
        for tag in local:
            assert tag in text, (key, tag)
        assert ("Local campaigns:" in text) == bool(local), key
    tag = tagged.iloc[0]["hashtags"].split(";")[0]
    answer = client.get("/api/records.json", query_string={"q": tag.lstrip("#")}).get_json()
    assert tagged.iloc[0]["id"] in {r["id"] for r in answer["records"]}
