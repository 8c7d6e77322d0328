"""The open-data API: the CLI's rows from a URL, streamed; every bad parameter a 400 naming it; CORS everywhere."""

from __future__ import annotations

import csv
import inspect
import io
import json
import random
from urllib.parse import urlencode

import pytest

from dashboard.app import create_app
from dashboard.cli import FLAG_PARAMS, EXPORT_FLAGS, main
from dashboard.data.atlas import METRICS
from dashboard.data.records import SOURCE_COLUMNS
from dashboard.figures import count_class
from dashboard.params import MAP_PARAMS, RECORD_PARAMS
from dashboard.settings import Settings

from .callback_fuzz import TRICKY
from .conftest import DATA_DIR, GOOD_EVENT, GOOD_SOURCE
from .test_params import bad_values

FILTERS = [
    {},
    {"country": ["FRA"]},
    {"country": ["South Korea"], "to": ["2019"]},
    {"country": ["int"], "cat": ["legal_reform,campaign"]},
    {"from": ["2017"], "to": ["2018"], "cat": ["case"], "status": ["convicted", "sentenced"]},
    {"q": ["court"], "sort": ["country_name,-date"]},
    {"country": ["Ivory Coast"]},
    {"status": ["passed"], "sort": ["-count,title"]},
]




def url(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params, doseq=True)}" if params else path


def cli_export(capsys, params: dict) -> str:
    """What `metoo-map export` writes for the same filters, its flags made from the parameters."""
    flags = ["export", "--data-dir", str(DATA_DIR)]
    for name, param in FLAG_PARAMS.items():
        for value in params.get(param, []):
            flags.append(f"{EXPORT_FLAGS[name]}={value}")  # = keeps a value like -count a value
    main(flags)
    return capsys.readouterr().out


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: urlencode(p, doseq=True) or "all")
def test_records_csv_is_the_cli_export(client, capsys, params) -> None:
    response = client.get(url("/api/records.csv", params))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.decode("utf-8") == cli_export(capsys, params)


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: urlencode(p, doseq=True) or "all")
def test_records_json_has_the_same_records_with_their_sources(client, params) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(url("/api/records.csv", params)).text)))
    answer = client.get(url("/api/records.json", params)).get_json()
    assert answer["ok"] is True and answer["count"] == len(answer["records"]) == len(rows)
    for row, record in zip(rows, answer["records"]):
        assert row["id"] == record["id"] and row["country"] == record["country"]
        assert row["count"] == str(record["count"]) and isinstance(record["sources"], list)
        assert [row[f"source_{n + 1}_url"] for n in range(len(record["sources"]))] == [
            s["url"] for s in record["sources"]]


def test_records_json_states_its_filters(client) -> None:
    answer = client.get("/api/records.json?country=kor&from=2018&cat=case,backlash&sort=title").get_json()
    assert answer["filters"] == {"country": "KOR", "from": 2018, "to": None, "cat": ["backlash", "case"],
                                 "status": [], "q": "", "sort": "title"}


@pytest.mark.parametrize("path", ["/api/records.csv", "/api/records.json"])
@pytest.mark.parametrize("param", RECORD_PARAMS)
def test_each_bad_parameter_is_a_400_naming_it(client, path, param) -> None:
    for values in bad_values(param):
        response = client.get(url(path, {param: values}))
        assert response.status_code == 400, (param, values)
        answer = response.get_json()
        assert answer["ok"] is False and answer["status"] == 400 and answer["param"] == param
        assert answer["error"].startswith(f"{param}: ")


@pytest.mark.parametrize("path", ["/api/records.csv", "/api/records.json", "/api/countries.json", "/api/sources.csv"])
def test_unknown_parameters_are_a_400(client, path) -> None:
    answer = client.get(f"{path}?{'year=2018&' if 'countries' in path else ''}limit=5").get_json()
    assert answer["status"] == 400 and answer["param"] == "limit"


@pytest.mark.parametrize("request_line", [("GET", "/api/records.csv"), ("GET", "/api/records.json?from=x"),
                                          ("GET", "/api/countries.json?year=2018"), ("GET", "/api/sources.csv"),
                                          ("GET", "/api/nope"), ("POST", "/api/records.csv"),
                                          ("OPTIONS", "/api/records.json")])
def test_every_api_answer_allows_any_origin(client, request_line) -> None:
    method, path = request_line
    response = client.open(path, method=method)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if response.status_code >= 400:
        assert response.get_json()["status"] == response.status_code


def test_an_unknown_api_path_is_a_json_404(client) -> None:
    response = client.get("/api/records.xml")
    assert response.status_code == 404 and response.get_json()["ok"] is False


@pytest.mark.parametrize("path", ["/api/records.csv?cat=case", "/api/records.json?cat=case", "/api/sources.csv"])
def test_rows_are_streamed_from_a_generator(app, path) -> None:
    with app.server.test_request_context(path):
        response = app.server.full_dispatch_request()
        assert response.status_code == 200 and response.is_streamed
        assert inspect.isgenerator(response.response)
        chunks = list(response.response)
    assert len(chunks) > 10, "one chunk per row, not the whole file at once"


def test_a_bad_parameter_is_refused_before_any_row_is_sent(app) -> None:
    with app.server.test_request_context("/api/records.csv?country=Atlantis"):
        response = app.server.full_dispatch_request()
    assert response.status_code == 400 and response.mimetype == "application/json"


@pytest.mark.parametrize("count", ["records", "people"])
@pytest.mark.parametrize("metric", [m for m in METRICS if m != "legal"])
@pytest.mark.parametrize("mode", ["year", "cumulative"])
def test_countries_json_is_what_the_map_draws(client, atlas, metric, mode, count) -> None:
    for year in atlas.years(metric)[::4]:
        answer = client.get(f"/api/countries.json?metric={metric}&mode={mode}&year={year}&count={count}").get_json()
        expected = atlas.metric_values(metric, year, mode == "cumulative", count)
        values = {row["country"]: row["value"] for row in answer["countries"]}
        assert {k: v for k, v in values.items() if v} == expected
        assert set(values) == set(atlas.country_keys)
        unresearched = answer["classes"].index("Not researched")
        for row in answer["countries"]:
            research = atlas.coverage_of(row["country"])["status"]
            assert row["research"] == research
            # a country nobody has searched has its own class, never "0"
            assert row["class"] == (unresearched if research == "not_researched" else count_class(row["value"]))


def test_countries_json_gives_the_legal_classes(client, atlas) -> None:
    year = atlas.years("legal")[-1]
    answer = client.get(f"/api/countries.json?metric=legal&year={year}").get_json()
    expected = atlas.metric_values("legal", year, False)
    for row in answer["countries"]:
        assert row["value"] == expected.get(row["country"])
        assert row["class"] == (0 if row["value"] is None else row["value"] + 1)
    assert answer["classes"][0] == "No data" and len(answer["classes"]) == 4


@pytest.mark.parametrize("query, param", [("", "year"), ("year=1901", "year"), ("year=2018&metric=x", "metric"),
                                          ("year=2018&mode=x", "mode"), ("year=2018&count=x", "count"),
                                          ("metric=legal&year=2024", "year")])
def test_countries_json_refuses_bad_parameters(client, query, param) -> None:
    response = client.get(f"/api/countries.json?{query}")
    assert response.status_code == 400 and response.get_json()["param"] == param


def test_sources_csv_is_the_sources_table(client, atlas) -> None:
    response = client.get("/api/sources.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == list(atlas.sources["id"]) and list(rows[0]) == list(SOURCE_COLUMNS)


def test_formula_cells_are_neutralised_in_every_csv(make_data) -> None:
    events = [{**GOOD_EVENT, "title": "=HYPERLINK(\"http://evil.example\")", "people": "@SUM(1)"}]
    sources = [{**GOOD_SOURCE, "title": "+cmd", "publisher": "-2+3"}]
    client = create_app(Settings(data_dir=make_data(events, sources))).server.test_client()
    records = list(csv.DictReader(io.StringIO(client.get("/api/records.csv").text)))
    assert records[0]["title"].startswith("'=") and records[0]["people"] == "'@SUM(1)"
    assert records[0]["source_1_title"] == "'+cmd"
    listed = list(csv.DictReader(io.StringIO(client.get("/api/sources.csv").text)))
    assert listed[0]["title"] == "'+cmd" and listed[0]["publisher"] == "'-2+3"
    record = client.get("/api/records.json").get_json()["records"][0]
    assert record["title"] == "=HYPERLINK(\"http://evil.example\")", "JSON carries the text as it is"
    assert json.loads(json.dumps(record))["sources"][0]["title"] == "+cmd"


def test_no_query_string_makes_the_api_fail(client) -> None:
    """Every parameter (and some that are not), with odd values, in odd numbers: a 200 or a 400, never a 5xx."""
    rng = random.Random(8)
    names = [*RECORD_PARAMS, *MAP_PARAMS, "x", "", "country[]"]
    statuses = set()
    for _ in range(400):
        pairs = [(rng.choice(names), rng.choice([*TRICKY, "2018", "FRA", "case", "-date", "x" * 5000]))
                 for _ in range(rng.randrange(0, 4))]
        path = rng.choice(["/api/records.csv", "/api/records.json", "/api/countries.json", "/api/sources.csv"])
        raw = "&%ff%fe=%ed%a0%80" if rng.random() < 0.1 else ""  # undecodable bytes in a name and a value
        response = client.get(f"{path}?{urlencode(pairs)}{raw}")
        statuses.add(response.status_code)
        assert response.status_code in (200, 400), (path, pairs)
        assert b"Traceback" not in response.data
    assert statuses == {200, 400}


def test_records_xlsx_holds_the_csv_cells_formula_safe(client) -> None:
    import openpyxl

    query = "?country=ESP&sort=title"
    response = client.get("/api/records.xlsx" + query)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="metoo-records_ESP_')
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    rows = list(csv.reader(io.StringIO(client.get("/api/records.csv" + query).get_data(as_text=True))))
    assert cells == rows and any("Íñigo" in cell for row in cells for cell in row)
    assert client.get("/api/records.xlsx?from=3000").status_code == 400


@pytest.mark.parametrize("code", ["ATC", "IOA"])
def test_a_country_on_the_map_without_records_is_an_empty_answer_not_a_400(client, code) -> None:
    """Bug: the map's not-researched territories were refused as unknown countries."""
    answer = client.get(f"/api/records.json?country={code}")
    assert answer.status_code == 200
    assert answer.get_json()["count"] == 0
