"""The embedded data: every record sourced, every country drawn, totals equal the CSV."""

from __future__ import annotations

import pytest

import csv
import json
from collections import Counter
from pathlib import Path

from dashboard.data.atlas import INTERNATIONAL, Atlas
from dashboard.data.build import build_geometry, build_legal

from .conftest import DATA_DIR


def read_csv(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_no_record_is_lost_between_csv_and_atlas(atlas: Atlas) -> None:
    rows = read_csv("events.csv")
    assert len(atlas.events) == len(rows)
    assert sorted(atlas.events["id"]) == sorted(r["id"] for r in rows)


def test_every_record_cites_an_existing_source(atlas: Atlas) -> None:
    source_ids = {r["id"] for r in read_csv("sources.csv")}
    for row in read_csv("events.csv"):
        cited = [s for s in row["source_ids"].split(";") if s]
        assert cited, row["id"]
        assert set(cited) <= source_ids, row["id"]


def test_every_record_country_is_drawn_on_the_map(atlas: Atlas) -> None:
    drawn = {feature["id"] for feature in atlas.geojson["features"]}
    countries = {r["country"] for r in read_csv("events.csv") if r["country"]}
    assert countries <= drawn


def test_france_and_norway_are_on_the_map(atlas: Atlas) -> None:
    drawn = {feature["id"] for feature in atlas.geojson["features"]}
    assert {"FRA", "NOR"} <= drawn
    assert atlas.name_of("FRA") == "France"


@pytest.mark.parametrize("count", ["records", "people"])
def test_per_country_totals_equal_the_csv(atlas: Atlas, count: str) -> None:
    """Records count rows of the CSV; people and cases sum its `count` column."""
    expected: Counter = Counter()
    for row in read_csv("events.csv"):
        expected[(row["country"] or INTERNATIONAL, row["category"])] += 1 if count == "records" else int(row["count"] or 1)
    counts = atlas.country_year_counts(count=count)
    got = counts.groupby(["key", "category"])["count"].sum().to_dict()
    assert got == dict(expected)


@pytest.mark.parametrize("count", ["records", "people"])
def test_cumulative_counts_reach_the_csv_totals_in_the_last_year(atlas: Atlas, count: str) -> None:
    last = int(atlas.events["year"].max())
    cumulative = atlas.country_year_counts(cumulative=True, count=count)
    final = cumulative[cumulative["year"] == last].groupby("key")["count"].sum()
    expected = atlas.events.groupby("key").size() if count == "records" else atlas.events.groupby("key")["count"].sum()
    assert final.to_dict() == expected.to_dict()


def test_country_table_sums_match_records(atlas: Atlas) -> None:
    with_records = atlas.countries[atlas.countries["records"] > 0]
    expected = atlas.events[atlas.events["key"] != INTERNATIONAL]["key"].value_counts().to_dict()
    assert dict(zip(with_records["key"], with_records["records"])) == expected


def test_every_wbl_economy_is_in_the_legal_layer_and_on_the_map(atlas: Atlas) -> None:
    drawn = {feature["id"] for feature in atlas.geojson["features"]}
    assert atlas.legal["iso3"].nunique() == 190
    assert set(atlas.legal["iso3"]) <= drawn
    assert {"ROU", "COD", "TLS", "XKX", "PSE"} <= set(atlas.legal["iso3"])


def test_legal_year_is_the_year_before_the_report(atlas: Atlas) -> None:
    assert (atlas.legal["law_year"] == atlas.legal["report_year"] - 1).all()
    assert atlas.years("legal")[0] == 1970 and atlas.years("legal")[-1] == 2019


def test_geometry_is_small_enough_for_a_browser() -> None:
    assert (DATA_DIR / "countries.geojson").stat().st_size <= 400_000


def test_small_states_stay_on_the_map(atlas: Atlas) -> None:
    drawn = {feature["id"] for feature in atlas.geojson["features"]}
    assert {"SGP", "MLT", "BHR", "MUS", "HKG", "LUX", "XKX", "PSE", "SSD"} <= drawn


def test_build_reproduces_the_shipped_files(tmp_path: Path) -> None:
    for built in (build_geometry(DATA_DIR / "raw", tmp_path), build_legal(DATA_DIR / "raw", tmp_path)):
        assert built.read_bytes() == (DATA_DIR / built.name).read_bytes(), built.name


def test_geometry_features_have_names_and_ids() -> None:
    collection = json.loads((DATA_DIR / "countries.geojson").read_text(encoding="utf-8"))
    ids = [f["id"] for f in collection["features"]]
    assert len(ids) == len(set(ids))
    assert all(f["properties"]["name"] for f in collection["features"])


def test_seed_documents_are_cited(atlas: Atlas) -> None:
    seeds = atlas.sources[atlas.sources["seed_file"] != ""]
    assert len(seeds) == 5
    cited = {s for ids in atlas.events["source_ids"] for s in ids.split(";")}
    assert set(seeds["id"]) <= cited


def test_metric_values_count_records_as_rows_and_people_as_the_count_column(atlas: Atlas) -> None:
    events = atlas.events[(atlas.events["key"] != INTERNATIONAL) & (atlas.events["year"] <= 2019)]
    rows = events["key"].value_counts().to_dict()
    people = events.groupby("key")["count"].sum().to_dict()
    assert atlas.metric_values("all", 2019, cumulative=True, count="records") == rows
    assert atlas.metric_values("all", 2019, cumulative=True, count="people") == {k: v for k, v in people.items() if v}
    assert atlas.metric_values("all", 2019, cumulative=True) == rows, "records (rows) are the default"
    assert rows != people, "the shipped data has records counting more than one person"
