"""The real app over HTTP (Flask test client): callbacks, hostile input, headers, limits, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.app import create_app
from dashboard.data.atlas import Atlas
from dashboard.settings import Settings

from .conftest import DATA_DIR
from .dash_requests import request_body




def output_key(app, component: str, prop: str) -> str:
    return next(k for k in app.callback_map if f"{component}.{prop}" in k and "@" not in k.split("..")[0][:0])


def call(client, app, component: str, prop: str, values: list, state: list | None = None, changed=None):
    key = next(k for k in app.callback_map if f"{component}.{prop}" in k)
    return client.post("/_dash-update-component",
                       json=request_body(app.callback_map[key], key, values, state, changed))


def test_page_and_layout_are_served(client) -> None:
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    assert b"map-data" in layout.data


def test_geometry_is_served_once_with_long_caching(client, app) -> None:
    layout = client.get("/_dash-layout").get_json()
    text = json.dumps(layout)
    url = text.split('"geojson": "')[1].split('"')[0]
    assert url.startswith("/geo/countries.")
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert len(response.data) <= 400_000
    assert json.loads(response.data)["type"] == "FeatureCollection"
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip" and len(gzipped.data) < len(response.data) / 2
    assert '"coordinates"' not in text, "the layout must not carry the geometry"


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_security_headers(client) -> None:
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-eval" not in csp and "http" not in csp
    assert "frame-ancestors 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_frame_ancestors_is_configurable() -> None:
    app = create_app(Settings(data_dir=DATA_DIR, frame_ancestors="https://news.example"))
    assert "frame-ancestors https://news.example" in app.server.test_client().get("/").headers[
        "Content-Security-Policy"]


def test_debug_is_off_by_default(app) -> None:
    assert Settings().debug is False
    assert Settings.from_env({}).debug is False
    assert Settings.from_env({"DASHBOARD_DEBUG": "1"}).debug is True
    assert not app.server.debug


def test_body_over_the_limit_is_refused(client) -> None:
    response = client.post("/_dash-update-component", data=b"x" * 1_100_000, content_type="application/json")
    assert response.status_code == 413


def test_forced_error_returns_no_traceback(atlas, caplog) -> None:
    fresh = create_app(Settings(data_dir=DATA_DIR), atlas)

    @fresh.server.route("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    response = fresh.server.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert b"secret" not in response.data and b"Traceback" not in response.data
    assert "secret internals" in caplog.text


def table_page(client, app, request: object, filters: list) -> dict:
    response = call(client, app, "table", "getRowsResponse", [request], filters)
    assert response.status_code == 200
    return response.get_json()["response"]


def test_table_callback_filters(client, app, atlas: Atlas) -> None:
    out = table_page(client, app, {"startRow": 0, "endRow": 100}, [[2018, 2018], ["case"], [], "USA", ""])
    rows = out["table"]["getRowsResponse"]["rowData"]
    expected = atlas.events[(atlas.events["year"] == 2018) & (atlas.events["category"] == "case")
                            & (atlas.events["key"] == "USA")]
    assert sorted(r["id"] for r in rows) == sorted(expected["id"])
    assert out["table"]["getRowsResponse"]["rowCount"] == len(expected)
    assert out["table-count"]["children"].startswith(f"{len(expected)} of {len(atlas.events)} records")


def test_table_pages_on_the_server_and_counts_exactly(client, app, atlas: Atlas) -> None:
    """Only the rows asked for cross the wire; the pages together are every row, each once, newest first."""
    seen: list[str] = []
    for start in range(0, len(atlas.events) + 50, 50):
        page = table_page(client, app, {"startRow": start, "endRow": start + 50}, [None] * 5)
        response = page["table"]["getRowsResponse"]
        assert len(response["rowData"]) <= 50 and response["rowCount"] == len(atlas.events)
        seen += [row["id"] for row in response["rowData"]]
    assert sorted(seen) == sorted(atlas.events["id"]) and len(seen) == len(set(seen))
    starts = atlas.events.set_index("id")["date_start"]
    assert [starts[i] for i in seen] == sorted((starts[i] for i in seen), reverse=True)


def test_table_sorts_dates_by_first_possible_day_on_the_server(client, app, atlas: Atlas) -> None:
    dates: list[str] = []
    for start in range(0, len(atlas.events), 100):
        request = {"startRow": start, "endRow": start + 100, "sortModel": [{"colId": "date", "sort": "asc"}]}
        page = table_page(client, app, request, [None] * 5)
        dates += [row["date"] for row in page["table"]["getRowsResponse"]["rowData"]]
    keys = [((d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10], d.count("-")) for d in dates]
    assert keys == sorted(keys) and len(dates) == len(atlas.events)


def test_detail_callback_shows_a_country(client, app, atlas: Atlas) -> None:
    response = call(client, app, "detail-title", "children", ["FRA", "records"])
    payload = response.get_json()["response"]
    assert payload["detail-title"]["children"] == "France"
    assert json.dumps(payload).count('"id": "record-') == len(atlas.records_for("FRA"))


def test_export_links_follow_the_tables_filter_and_sort(client, app, atlas) -> None:
    response = call(client, app, "table", "getRowsResponse", [{"startRow": 0, "endRow": 25,
                                                               "sortModel": [{"colId": "title", "sort": "asc"}]}],
                    [[2018, 2018], ["case"], [], "FRA", "viol"])
    answer = response.get_json()["response"]
    csv_link, xlsx_link = answer["export-button"], answer["export-xlsx-button"]
    assert csv_link["download"].startswith("metoo-records_FRA_2018_case_q-viol_asof-")
    assert xlsx_link["download"] == csv_link["download"].removesuffix(".csv") + ".xlsx"
    assert csv_link["href"] == "/api/records.csv?country=FRA&from=2018&to=2018&cat=case&q=viol&sort=title"
    assert xlsx_link["href"] == csv_link["href"].replace("records.csv", "records.xlsx")
    exported = client.get(csv_link["href"])
    assert exported.status_code == 200 and exported.is_streamed
    assert csv_link["download"] in exported.headers["Content-Disposition"]
    ids = [row["id"] for row in answer["table"]["getRowsResponse"]["rowData"]]
    assert [row["id"] for row in csv.DictReader(io.StringIO(exported.get_data(as_text=True)))] == ids


@pytest.mark.parametrize("values", [
    [1e12, None, "x" * 1_000_0, ["a"]], ["2018", {"a": 1}, ["ZZZ"], 5], [None, None, None, None],
    [[1, 2, 3], "case", "<script>", "x" * 200_000], [[-1e308, 1e308], ["case", 7, None], "usa", "%00"],
])
def test_table_callback_survives_hostile_values(client, app, values) -> None:
    table_page(client, app, values[0], [*values, values[-1]])


@pytest.mark.parametrize("country", ["ZZZ", "<img src=x>", 12, None, ["FRA"], "x" * 100_000, "int"])
def test_detail_callback_survives_unknown_countries(client, app, country) -> None:
    response = call(client, app, "detail-title", "children", [country, country])
    assert response.status_code == 200


@pytest.mark.parametrize("search", ["?year=1e12&metric=<x>&country=ZZZ&from=abc&cat=a,b,case",
                                    "?" + "a=1&" * 5000, None, 42, "?year=2019&mode=cumulative"])
def test_restore_callback_survives_hostile_urls(client, app, search) -> None:
    response = call(client, app, "restored-year", "data", [search, search])
    assert response.status_code == 200


def test_restore_callback_reads_a_shared_url(client, app) -> None:
    response = call(client, app, "restored-year", "data", ["?metric=case&mode=cumulative&year=2019&country=IND"
                                                           "&from=2018&to=2020&cat=case,backlash&q=court"
                                                           "&status=convicted,alleged&count=people"])
    out = response.get_json()["response"]
    assert out["metric"]["value"] == "case" and out["mode"]["value"] == "cumulative"
    assert out["country-select"]["value"] == "IND" and out["table-years"]["value"] == [2018, 2020]
    assert out["table-categories"]["value"] == ["backlash", "case"] and out["table-text"]["value"] == "court"
    assert out["table-statuses"]["value"] == ["alleged", "convicted"] and out["count"]["value"] == "people"
    assert out["restored-year"]["data"] == {"year": 2019}


def test_timeline_callback_clamps_to_the_metric(client, app) -> None:
    response = call(client, app, "year-slider", "value", ["legal", {"year": 2024}, 0, 0], [2024, True],
                    changed=["restored-year.data"])
    out = response.get_json()["response"]["year-slider"]
    assert out["value"] == 2019 and out["max"] == 2019 and out["min"] == 1970


def test_play_steps_one_year(client, app) -> None:
    response = call(client, app, "year-slider", "value", ["all", None, 3, 1], [2018, False],
                    changed=["play-interval.n_intervals"])
    assert response.get_json()["response"]["year-slider"]["value"] == 2019


def test_the_heading_and_totals_come_with_the_html_before_any_javascript(client, atlas) -> None:
    """The first and largest paint is server-sent text (issue 12: LCP waited for all the JavaScript)."""
    page = client.get("/").get_data(as_text=True)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en"' in page
    header = page[page.index('<header class="site-header">'):page.index('<main id="first-view"')]
    assert '<h1 class="h3 mb-0">MeToo Atlas</h1>' in header
    assert f"{len(atlas.events)} records on {len(atlas.keys_with_records)} countries and territories" in header
    assert f"newest record {atlas.records_as_of}" in header
