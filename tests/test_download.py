"""The open-data download and the Data Package: valid by frictionless, the files byte for byte, cached by ETag."""

from __future__ import annotations

import io
import json
import shutil
import tomllib
import zipfile
from pathlib import Path

import frictionless
import pytest

from dashboard.app import create_app
from dashboard.data.records import CASE_STATUSES, CATEGORIES, EVENT_COLUMNS, LAW_STATUSES, SOURCE_COLUMNS
from dashboard.download import DOWNLOAD_PATH
from dashboard.settings import Settings

from .conftest import DATA_DIR

ROOT = DATA_DIR.parent
ZIP_MEMBERS = {"events.csv", "sources.csv", "legal.csv", "coverage.csv", "countries.geojson", "datapackage.json", "README.txt",
               "METHOD.md", "CITATION.cff"}


@pytest.fixture(scope="module")
def client(atlas):
    return create_app(Settings(data_dir=DATA_DIR), atlas).server.test_client()


@pytest.fixture(scope="module")
def archive(client) -> zipfile.ZipFile:
    response = client.get(DOWNLOAD_PATH)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.data))


def _schema(resource: str) -> dict:
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return next(r["schema"] for r in package["resources"] if r["name"] == resource)


def _validate(folder: Path) -> frictionless.Report:
    # frictionless resolves resource paths against the descriptor's folder.
    return frictionless.validate(str(folder / "datapackage.json"))


def test_the_zip_holds_the_data_the_package_the_method_and_the_citation(archive):
    assert set(archive.namelist()) == ZIP_MEMBERS


def test_the_zips_data_files_equal_the_data_folders_byte_for_byte(archive):
    for name in ("events.csv", "sources.csv", "legal.csv", "coverage.csv", "countries.geojson", "datapackage.json",
                 "METHOD.md"):
        assert archive.read(name) == (DATA_DIR / name).read_bytes(), name
    assert archive.read("CITATION.cff") == (ROOT / "CITATION.cff").read_bytes()


def test_the_zips_readme_gives_every_licence_and_credit(archive):
    readme = archive.read("README.txt").decode("utf-8")
    for words in ("CC BY 4.0", "World Bank, Women, Business and the Law", "Natural Earth", "public domain", "MIT"):
        assert words in readme


def test_the_shipped_data_package_is_valid(tmp_path):
    report = _validate(DATA_DIR)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    assert [task.name for task in report.tasks] == ["events", "sources", "legal", "coverage", "countries"]


def test_the_zips_data_package_is_valid(archive, tmp_path):
    archive.extractall(tmp_path)
    report = _validate(tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_the_data_package_refuses_what_the_contract_refuses(tmp_path):
    """It can fail: a bad category, date, status, id, count and hashtag are each found."""
    for name in ("datapackage.json", "sources.csv", "legal.csv", "countries.geojson"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    lines = (DATA_DIR / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    bad = (',,"2018-13",gossip,maybe,T,S,,-2,BAD ID,#no space,2018-02-30\n')
    (tmp_path / "events.csv").write_text("".join(lines[:3]) + "Bad_Id" + bad + lines[1], encoding="utf-8")
    report = _validate(tmp_path)
    fields = {field for _, field in report.flatten(["rowNumber", "fieldName"]) if field}
    assert {"id", "date", "category", "status", "count", "source_ids", "hashtags", "checked_on"} <= fields
    assert any(error.type == "primary-key" for error in report.tasks[0].errors)  # lines[1] repeated


def test_the_schemas_enums_and_columns_are_the_validators():
    events, sources = _schema("events"), _schema("sources")
    fields = {f["name"]: f for f in events["fields"]}
    assert tuple(fields) == EVENT_COLUMNS
    assert tuple(f["name"] for f in sources["fields"]) == SOURCE_COLUMNS
    assert fields["category"]["constraints"]["enum"] == list(CATEGORIES)
    assert set(fields["status"]["constraints"]["enum"]) == set(CASE_STATUSES) | set(LAW_STATUSES)
    assert events["primaryKey"] == ["id"] and _schema("legal")["primaryKey"] == ["iso3", "report_year"]


def test_the_download_is_cached_and_revalidated_by_its_content_hash(client):
    first = client.get(DOWNLOAD_PATH)
    assert first.headers["Content-Type"] == "application/zip"
    assert "attachment" in first.headers["Content-Disposition"]
    assert "max-age=" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    again = client.get(DOWNLOAD_PATH, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert client.get(DOWNLOAD_PATH).data == first.data  # built once: the same bytes every time
    assert client.head(DOWNLOAD_PATH).status_code == 200


def test_a_users_data_folder_is_zipped_with_the_shipped_package(make_data):
    folder = make_data()
    body = create_app(Settings(data_dir=folder)).server.test_client().get(DOWNLOAD_PATH).data
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.read("events.csv") == (folder / "events.csv").read_bytes()
    # the folder has no coverage.csv: the shipped package less that file's resource, still valid
    package = json.loads(archive.read("datapackage.json"))
    shipped = json.loads((DATA_DIR / "datapackage.json").read_bytes())
    assert "coverage.csv" not in archive.namelist()
    assert package["resources"] == [r for r in shipped["resources"] if r["path"] != "coverage.csv"]
    archive.extractall(folder / "unzipped")
    assert _validate(folder / "unzipped").valid


def test_the_citation_file_names_the_projects_version_and_licence():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "cff-version: 1.2.0" in citation and 'title: "MeToo Atlas"' in citation
    assert f'version: "{project["version"]}"' in citation
    assert f"license: {project['license']}" in citation and 'date-released: "2026-11-24"' in citation


def test_about_links_the_download_and_states_the_version(client):
    layout = client.get("/_dash-layout").get_data(as_text=True).replace("\\u002f", "/")
    assert DOWNLOAD_PATH in layout and "Download all data" in layout
    assert "MeToo Atlas version 0.1.0" in layout
