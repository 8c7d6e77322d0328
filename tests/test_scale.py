"""A user's thousands of records: the detail panel pages, the table pages, the export streams.

Runs on a synthetic folder of a few thousand records (tests/synthetic.py),
through the real Dash callbacks, the API and the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from dashboard.app import create_app
from dashboard.cli import main
from dashboard.data.atlas import load_atlas
from dashboard.data.query import RecordFilter, export_csv, export_frame, filter_records
from dashboard.detail import DETAIL_PAGE, detail_body, group_records, shown_to_include
from dashboard.settings import Settings

from .dash_requests import request_body
from .synthetic import write_synthetic

RECORDS = 3000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = write_synthetic(tmp_path_factory.mktemp("big"), RECORDS)
    atlas = load_atlas(folder)
    app = create_app(Settings(data_dir=folder), atlas)
    return folder, atlas, app


@pytest.fixture(scope="module")
def largest(big) -> str:
    return big[1].events["key"].value_counts().index[0]


def tree_json(children) -> str:
    from dash._utils import to_json

    return json.dumps(json.loads(to_json(children)))


def card_ids(text: str) -> list[str]:
    return re.findall(r'"id": ?"record-([^"]+)"', text)


def post(app, key: str, body: dict):
    body = {**body, "output": key}
    return app.server.test_client().post("/_dash-update-component", json=body)


def call(app, component: str, prop: str, values: list, state: list | None = None, changed=None):
    key = next(k for k in app.callback_map if k.startswith(f"..{component}.{prop}") or k == f"{component}.{prop}")
    return post(app, key, request_body(app.callback_map[key], key, values, state, changed))


# --- the detail panel --------------------------------------------------------------------------

def test_the_panel_shows_the_newest_page_of_each_group_and_every_count(big, largest) -> None:
    _, atlas, _ = big
    records = atlas.records_for(largest)
    text = tree_json(detail_body(atlas, largest))
    shown = card_ids(text)
    assert len(records) > 100 and len(shown) <= 4 * DETAIL_PAGE
    for group in ("case", "resignation", "legal_reform", "other"):
        rows = group_records(records, group)
        if len(rows):
            assert f"({len(rows)})" in text  # the group's heading counts all its records
            assert [i for i in shown if i in set(rows["id"])] == list(rows["id"][:DETAIL_PAGE])
    assert text.count('"type": "detail-more"') == sum(len(group_records(records, g)) > DETAIL_PAGE
                                                      for g in ("case", "resignation", "legal_reform", "other"))
    assert f'"{len(records)} records' in text


def test_at_the_shipped_size_only_groups_over_a_page_have_show_more(atlas) -> None:
    for key in atlas.keys_with_records:
        records = atlas.records_for(key)
        text = tree_json(detail_body(atlas, key))
        paged = [g for g in ("case", "resignation", "legal_reform", "other") if len(group_records(records, g)) > 10]
        assert text.count('"type": "detail-more"') == len(paged), key
        assert len(card_ids(text)) == sum(min(len(group_records(records, g)), DETAIL_PAGE)
                                          for g in ("case", "resignation", "legal_reform", "other"))


def test_a_record_beyond_the_first_page_opens_its_group_down_to_it(big, largest) -> None:
    _, atlas, _ = big
    cases = group_records(atlas.records_for(largest), "case")
    deep = cases["id"].iloc[3 * DETAIL_PAGE + 2]
    assert shown_to_include(atlas, deep) == ("case", 4 * DETAIL_PAGE)
    assert shown_to_include(atlas, cases["id"].iloc[0]) == ("case", DETAIL_PAGE)
    shown = card_ids(tree_json(detail_body(atlas, largest, opened=("case", 4 * DETAIL_PAGE))))
    assert deep in shown and [i for i in shown if i in set(cases["id"])] == list(cases["id"][:4 * DETAIL_PAGE])


def test_the_detail_callback_stays_small_for_thousands_of_records(big, largest) -> None:
    _, _, app = big
    response = call(app, "detail-title", "children", [largest, "records", None])
    assert response.status_code == 200 and len(response.data) < 300_000


def test_a_permalinked_record_deep_in_a_group_is_drawn_and_one_on_the_first_page_redraws_nothing(big, largest):
    _, atlas, app = big
    cases = group_records(atlas.records_for(largest), "case")
    deep, first = cases["id"].iloc[2 * DETAIL_PAGE + 5], cases["id"].iloc[1]
    both = call(app, "detail-title", "children", [largest, "records", {"id": deep}],
                changed=["country-select.value", "focus-record.data"])
    assert deep in card_ids(json.dumps(both.get_json()))
    alone = call(app, "detail-title", "children", [largest, "records", {"id": deep}], changed=["focus-record.data"])
    assert deep in card_ids(json.dumps(alone.get_json()))
    drawn = call(app, "detail-title", "children", [largest, "records", {"id": first}], changed=["focus-record.data"])
    assert drawn.status_code in (200, 204) and not (drawn.get_json() or {}).get("response")  # drawn already


def more_body(app, group: str, shown: object, country: object, clicks: object = 1) -> tuple[str, dict]:
    key = next(k for k in app.callback_map if "detail-cards" in k)
    ids = {name: {"type": name, "group": group} for name in ("detail-cards", "detail-more", "detail-shown")}
    button = ids["detail-more"]
    outputs = [{"id": ids["detail-cards"], "property": "children"}, {"id": button, "property": "value"},
               {"id": button, "property": "hidden"}, {"id": ids["detail-shown"], "property": "children"}]
    changed = json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"
    return key, {"outputs": outputs, "inputs": [{"id": button, "property": "n_clicks", "value": clicks}],
                 "state": [{"id": button, "property": "value", "value": shown},
                           {"id": "country-select", "property": "value", "value": country}],
                 "changedPropIds": [changed]}


def test_show_more_appends_the_next_page_only(big, largest) -> None:
    _, atlas, app = big
    cases = group_records(atlas.records_for(largest), "case")
    response = post(app, *more_body(app, "case", "10", largest))
    assert response.status_code == 200
    answer = response.get_json()["response"]
    patch = answer['{"group":"case","type":"detail-cards"}']["children"]
    added = card_ids(json.dumps(patch))
    assert added == list(cases["id"][DETAIL_PAGE:2 * DETAIL_PAGE])
    button = answer['{"group":"case","type":"detail-more"}']
    assert button == {"value": "20", "hidden": False}
    assert answer['{"group":"case","type":"detail-shown"}']["children"] == f"Showing the newest 20 of {len(cases)}."
    last = post(app, *more_body(app, "case", str(len(cases) - 3), largest)).get_json()["response"]
    assert last['{"group":"case","type":"detail-more"}']["hidden"] is True
    assert len(card_ids(json.dumps(last))) == 3


@pytest.mark.parametrize("group, shown, country, clicks", [
    ("nope", "10", "USA", 1), ("case", "-5", "USA", 1), ("case", "x", "USA", 1), ("case", "10", "ZZZ", 1),
    ("case", "10", None, 1), ("case", 10**12, "USA", 1), ("case", "10", "USA", None), ("case", ["10"], "USA", 1),
])
def test_show_more_refuses_what_the_page_never_sends(big, group, shown, country, clicks) -> None:
    _, _, app = big
    response = post(app, *more_body(app, group, shown, country, clicks))
    assert response.status_code in (200, 204, 400)
    if response.status_code == 200:
        assert card_ids(json.dumps(response.get_json())) == []


# --- the table and the export ------------------------------------------------------------------

def test_the_table_pages_through_every_selected_row_with_an_exact_count(big) -> None:
    _, atlas, app = big
    filters = [[2015, 2022], ["case", "legal_reform"], [], None, "law"]
    expected = filter_records(atlas, RecordFilter(2015, 2022, ("case", "legal_reform"), None, "law"))
    assert 200 < len(expected) < len(atlas.events)
    seen: list[str] = []
    for start in range(0, len(expected) + 100, 100):
        response = call(app, "table", "getRowsResponse", [{"startRow": start, "endRow": start + 100}], filters)
        answer = response.get_json()["response"]
        assert answer["table"]["getRowsResponse"]["rowCount"] == len(expected)
        seen += [row["id"] for row in answer["table"]["getRowsResponse"]["rowData"]]
    assert seen == list(expected["id"])


def test_the_export_link_the_api_and_the_cli_give_the_rows_the_table_shows(big, capsys) -> None:
    folder, atlas, app = big
    filters = [[2010, 2020], ["case"], [], None, ""]
    sort = [{"colId": "title", "sort": "asc"}]
    rows = []
    for start in range(0, len(atlas.events), 200):
        answer = call(app, "table", "getRowsResponse", [{"startRow": start, "endRow": start + 200,
                                                         "sortModel": sort}], filters).get_json()["response"]
        rows += [row["id"] for row in answer["table"]["getRowsResponse"]["rowData"]]
    href = answer["export-button"]["href"]
    response = app.server.test_client().get(href)
    assert response.status_code == 200 and response.is_streamed
    text = response.get_data(as_text=True)
    assert [r["id"] for r in csv.DictReader(io.StringIO(text))] == rows
    chosen = RecordFilter(2010, 2020, ("case",), sort=(("title", "asc"),))
    assert text == export_csv(export_frame(atlas, filter_records(atlas, chosen)))
    main(["export", "--data-dir", str(folder), "--from", "2010", "--to", "2020", "--category", "case",
          "--sort=title"])
    assert capsys.readouterr().out == text


def test_the_panel_strip_draws_at_most_six_marks_a_year_in_each_lane(big, largest) -> None:
    from dashboard.changes_view import country_strip

    _, atlas, _ = big
    text = tree_json(country_strip(atlas, largest))
    cells = json.loads(text)["props"]["children"][0]["props"]["children"]
    for cell in cells:
        top, bottom = cell["props"]["children"][:2]
        assert len(top["props"]["children"]) <= 7 and len(bottom["props"]["children"]) <= 7, cell["props"]["title"]


def sorted_by_pandas(atlas, chosen: RecordFilter):
    """The order the table had before ranks: the selection sorted by its columns, then id (stable)."""
    from dashboard.data.query import sort_columns

    everything = RecordFilter(sort=chosen.sort)
    selected = filter_records(atlas, chosen)
    columns, ascending = sort_columns(everything.sort)
    return selected.sort_values([*columns, "id"], ascending=[*ascending, True], kind="stable")


@pytest.mark.parametrize("seed", range(12))
def test_the_ranked_sort_gives_the_order_of_sorting_the_columns(big, atlas, seed) -> None:
    import random

    from dashboard.data.query import SORT_KEYS

    rng = random.Random(seed)
    data = big[1] if seed % 2 else atlas
    columns = rng.sample(list(SORT_KEYS), rng.randint(0, 3))
    chosen = RecordFilter(year_from=rng.choice([None, 2015]), categories=tuple(rng.sample(["case", "backlash"], 1)),
                          text=rng.choice(["", "law", "é"]),
                          sort=tuple((c, rng.choice(["asc", "desc"])) for c in columns) or (("date", "desc"),))
    ranked = filter_records(data, chosen)
    assert list(ranked["id"]) == list(sorted_by_pandas(data, chosen)["id"])
    assert list(ranked.index) == list(sorted_by_pandas(data, chosen).index)


def test_xlsx_over_its_limit_is_refused_with_the_reason_and_its_link_is_off(big, monkeypatch) -> None:
    from dashboard import api, table

    _, atlas, app = big
    monkeypatch.setattr(api, "MAX_XLSX_ROWS", 1000)
    response = app.server.test_client().get("/api/records.xlsx?from=2006")
    assert response.status_code == 400 and "records.csv" in response.get_json()["error"]
    assert app.server.test_client().get("/api/records.xlsx?country=FRA").status_code == 200
    monkeypatch.setattr(table, "MAX_XLSX_ROWS", 1000)
    csv_href, _, xlsx_href, _, xlsx_class = table.export_links("cat=case", "x.csv", 1001)
    assert csv_href == "/api/records.csv?cat=case" and xlsx_href is None and "disabled" in xlsx_class
    assert "Export .xlsx takes at most 1,000" in table.count_text(1001, len(atlas.events))
    assert table.export_links("", "x.csv", 1000)[2] == "/api/records.xlsx"


def test_the_sort_ranks_and_search_text_are_ready_before_the_first_request(tmp_path) -> None:
    """gunicorn preloads the app: ranks computed then are shared, not computed again by each worker's first page."""
    from dashboard.data import query

    folder = write_synthetic(tmp_path / "data", 600)
    atlas = load_atlas(folder)
    assert not query._ranks.computed_for(atlas) and not query.search_texts.computed_for(atlas)
    create_app(Settings(data_dir=folder), atlas)
    assert set(query._ranks(atlas)) == set(query.RANKED_COLUMNS)
    assert query.search_texts.computed_for(atlas)


def test_the_panel_strip_names_at_most_six_legal_events_a_year(big, largest) -> None:
    from dashboard.changes_view import country_strip

    _, atlas, _ = big
    cells = json.loads(tree_json(country_strip(atlas, largest)))["props"]["children"][0]["props"]["children"]
    titles = [cell["props"]["title"] for cell in cells]
    assert any("more legal events" in t for t in titles)
    assert all(t.count("; ") <= 7 for t in titles), max(titles, key=len)
