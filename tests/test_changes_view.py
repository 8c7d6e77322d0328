"""The "What changed" section says what the API says: summary, grid, world timeline, strips, compare, map metric."""

from __future__ import annotations

import re
import statistics

import pytest

from dashboard.app import create_app
from dashboard.changes_view import changes_section, compare_view, timeline_strip, world_timeline_chart
from dashboard.data.changes import TIMELINE_SERIES, country_changes, country_row, country_timeline, world_timeline
from dashboard.detail import detail_body
from dashboard.figures import map_payload
from dashboard.inputs import as_compare, parse_query
from dashboard.settings import Settings

from .conftest import DATA_DIR


def walk(component):
    """Every component in a Dash tree, depth first."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def by_id(tree, id_: str):
    return next(c for c in walk(tree) if getattr(c, "id", None) == id_)


def text_of(component) -> str:
    children = getattr(component, "children", component)
    if isinstance(children, (list, tuple)):
        return "".join(text_of(c) for c in children)
    return text_of(children) if hasattr(children, "to_plotly_json") else str(children or "")


@pytest.fixture(scope="module")
def api(atlas) -> dict:
    client = create_app(Settings(data_dir=DATA_DIR), atlas).server.test_client()
    return client.get("/api/changes.json").get_json()


def test_section_summary_numbers_are_the_apis(atlas, api) -> None:
    section = changes_section(atlas)
    lags = [row["lag_years"] for row in api["countries"] if row["lag_years"] is not None]
    assert section.id == "changes"
    assert text_of(by_id(section, "changes-countries")) == str(api["count"])
    assert text_of(by_id(section, "changes-reformed")) == str(len(lags))
    median = statistics.median(lags)
    assert text_of(by_id(section, "changes-median")) == f"{median:g} {'year' if median == 1 else 'years'}"
    assert "not a complete census" in text_of(by_id(section, "changes-summary"))


def test_section_grid_rows_are_the_apis_rows(atlas, api) -> None:
    grid = by_id(changes_section(atlas), "changes-table")
    fields = [c["field"] for c in grid.columnDefs]
    for row, expected in zip(grid.rowData, api["countries"], strict=True):
        for field in fields:
            if field in expected:
                assert row[field] == expected[field], (row["country"], field)
        if expected["law_class_latest"] is not None:
            assert row["law_latest"].startswith(f"{expected['law_year_latest']}: ")


@pytest.mark.parametrize("count", ["records", "people"])
def test_world_timeline_has_one_button_per_year_saying_its_numbers(atlas, count) -> None:
    timeline = world_timeline(atlas)
    chart = world_timeline_chart(timeline, count)
    buttons = [c for c in walk(chart) if getattr(c, "className", "") == "changes-year"]
    years = sorted(timeline["year"].unique())
    assert [int(b.to_plotly_json()["props"]["data-year"]) for b in buttons] == years
    row = timeline[(timeline["year"] == 2018) & (timeline["series"] == "convictions")].iloc[0]
    label = buttons[years.index(2018)].to_plotly_json()["props"]["title"]
    assert f"{TIMELINE_SERIES['convictions']} {row[count]}" in label


def test_country_strip_puts_legal_events_below_and_names_the_row(atlas) -> None:
    records = atlas.events[atlas.events["key"] == "FRA"]
    row = country_row("FRA", "France", records, atlas.legal)
    strip = timeline_strip(country_timeline(atlas, "FRA"), row, 2017, 2025, "s")
    cells = [c for c in walk(strip) if str(getattr(c, "className", "")).startswith("strip-cell")]
    assert len(cells) == 2025 - 2017 + 1
    caption = text_of(strip.children[1])
    assert f"First #MeToo record {row['first_record']}" in caption
    assert f"first legal reform on or after it {row['first_reform_after']}" in caption
    reforms = sum(1 for c in walk(strip) if getattr(c, "className", "") == "strip-reform")
    assert reforms == ((records["category"] == "legal_reform") & (records["year"] >= 2017)).sum()


def test_detail_panel_shows_the_countrys_strip(atlas) -> None:
    body = detail_body(atlas, "KOR")
    assert any(getattr(c, "id", None) == "detail-strip" for c in body)


def test_compare_draws_each_country_on_one_shared_axis(atlas) -> None:
    view = compare_view(atlas, ["FRA", "KOR", "IND"])
    strips = [by_id(view[1], f"compare-{key}") for key in ("FRA", "KOR", "IND")]
    lengths = {len(s.children[0].children) for s in strips}
    assert len(lengths) == 1
    first = int(atlas.events[atlas.events["key"].isin(["FRA", "KOR", "IND"])]["year"].min())
    assert re.search(rf"Shared axis {first}–", text_of(view[0]))


def test_compare_in_the_address_is_parsed_leniently(atlas) -> None:
    view = parse_query("?compare=FRA,kor,South%20Korea,India,Atlantis,,USA,GBR", atlas)
    assert view["compare"] == ["FRA", "KOR", "IND", "USA"]
    assert parse_query("?compare=", atlas)["compare"] == []
    assert as_compare({"x": 1}, atlas) == [] and as_compare([1, None, "fra"], atlas) == ["FRA"]


def test_the_lag_metric_disables_both_modes_and_says_why() -> None:
    from dashboard.views import LAG_MODE_REASON, mode_options
    options = mode_options("lag")
    assert all(option["disabled"] for option in options)
    assert all(option["label"].title == LAG_MODE_REASON for option in options)
    assert not any(option.get("disabled") for option in mode_options("all"))


def test_lag_metric_in_the_map_payload_is_the_tables_lag(atlas) -> None:
    frame = country_changes(atlas).dropna(subset=["lag_years"])
    lag = map_payload(atlas)["lag"]
    assert lag["values"] == {k: [int(v), f, r] for k, v, f, r in zip(
        frame["country"], frame["lag_years"], frame["first_record"], frame["first_reform_after"])}
    assert lag["labels"] == ["No reform after", *lag["labels"][1:-1], "Not researched"]
    assert len(lag["labels"]) == len(lag["bins"]) + 2  # "No reform after", the bins, "Not researched"
    assert "year slider does not apply" in lag["note"]


def test_the_strips_row_is_the_country_row_of_its_records(atlas) -> None:
    from dashboard.changes_view import changes_rows
    from dashboard.data.changes import country_row

    rows = changes_rows(atlas)
    for key in atlas.keys_with_records:
        records = atlas.events[atlas.events["key"] == key]
        assert rows.get(key) == country_row(key, atlas.name_of(key), records, atlas.legal), key
