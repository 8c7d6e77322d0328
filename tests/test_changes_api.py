"""/api/changes.csv and .json: exactly the data module's table; a parameter is a 400 naming it; CORS."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.app import create_app
from dashboard.data.changes import CHANGES_COLUMNS, changes_records, country_changes
from dashboard.settings import Settings

from .conftest import DATA_DIR


@pytest.fixture(scope="module")
def client(atlas):
    return create_app(Settings(data_dir=DATA_DIR), atlas).server.test_client()


def expected_rows(atlas) -> list[dict]:
    return [{c: "" if row[c] is None else str(row[c]) for c in CHANGES_COLUMNS}
            for row in changes_records(country_changes(atlas))]


def test_changes_csv_is_the_data_module_table(client, atlas) -> None:
    response = client.get("/api/changes.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert tuple(reader.fieldnames) == CHANGES_COLUMNS
    assert list(reader) == expected_rows(atlas)


def test_changes_csv_leaves_a_missing_lag_empty(client, atlas) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/changes.csv").get_data(as_text=True))))
    cells = {row[c] for row in rows for c in CHANGES_COLUMNS}
    assert not cells & {"<NA>", "None", "nan", "NaN"}
    assert "" in {row["lag_years"] for row in rows}


def test_changes_json_is_the_same_table(client, atlas) -> None:
    body = client.get("/api/changes.json").get_json()
    assert body["ok"] is True and body["columns"] == list(CHANGES_COLUMNS)
    assert body["count"] == len(body["countries"])
    assert body["countries"] == changes_records(country_changes(atlas))


@pytest.mark.parametrize("path", ["/api/changes.csv", "/api/changes.json"])
def test_a_parameter_is_a_400_naming_it(client, path) -> None:
    response = client.get(path + "?country=FRA")
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": f"country: unknown parameter; {path[5:]} takes none",
                                   "status": 400, "param": "country"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
