"""What changed: values computed by hand from small fixture files, partial dates, ties, no reform, reform before."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data.atlas import load_atlas
from dashboard.data.changes import (
    CHANGES_COLUMNS,
    changes_summary,
    country_changes,
    country_timeline,
    law_class_changes,
    world_timeline,
)

from .conftest import GOOD_EVENT, write_csv

LEGAL_HEADER = ("iso3", "wb_code", "economy", "report_year", "law_year", "sh_law", "sh_penalties", "dv_law")


def record(id_: str, country: str, date: str, category: str, status: str = "", title: str = "A title",
           summary: str = "A summary in our words.", count: str = "1") -> dict:
    return {**GOOD_EVENT, "id": id_, "country": country, "date": date, "category": category, "status": status,
            "title": title, "summary": summary, "count": count}


EVENTS = [
    # France: a reform before the first record does not count; the next one does.
    record("fra-reform-2017", "FRA", "2017", "legal_reform", "passed"),
    record("fra-first", "FRA", "2017-10", "case", "alleged"),
    record("fra-campaign", "FRA", "2017-11-02", "campaign", count="5"),
    record("fra-reform-2018", "FRA", "2018-06", "legal_reform", "passed"),
    record("fra-convicted", "FRA", "2019-05-01", "case", "convicted"),
    record("fra-sentenced", "FRA", "2019-07", "case", "sentenced", count="2"),
    record("fra-acquitted", "FRA", "2020", "case", "acquitted"),
    record("fra-backlash", "FRA", "2019-03", "backlash", "charged"),
    record("fra-c190", "FRA", "2021-04", "legal_reform", "ratified",
           title="France ratifies the ILO Violence and Harassment Convention"),
    # South Korea: two records on the same first day (2018 and 2018-01-01) and a reform dated 2018: lag 0.
    record("kor-campaign", "KOR", "2018", "campaign"),
    record("kor-case", "KOR", "2018-01-01", "case", "dismissed"),
    record("kor-reform", "KOR", "2018", "legal_reform", "proposed"),
    record("kor-c190-proposed", "KOR", "2019", "legal_reform", "proposed", summary="A bill on C190."),
    # India: its only reform is before its first record.
    record("ind-reform", "IND", "2013-04", "legal_reform", "passed"),
    record("ind-campaign", "IND", "2018-09", "campaign"),
    # Spain: a reform dated only 2018 is not after a first record of 2018-06; the 2020 one is.
    record("esp-first", "ESP", "2018-06", "resignation"),
    record("esp-reform-2018", "ESP", "2018", "legal_reform", "passed"),
    record("esp-reform-2020", "ESP", "2020-03", "legal_reform", "in_force"),
    # The United States have a reform and no movement record: no row. International records: no row.
    record("usa-reform", "USA", "2019", "legal_reform", "passed"),
    record("int-campaign", "", "2017-10-15", "campaign", count="3"),
]
LEGAL = [
    ("FRA", "2016", "No", "No"), ("FRA", "2017", "Yes", "No"), ("FRA", "2018", "Yes", "Yes"),
    ("FRA", "2019", "Yes", "Yes"),
    ("KOR", "2017", "Yes", "Yes"), ("KOR", "2019", "Yes", "Yes"),
    ("ESP", "2019", "Yes", "No"),
]


@pytest.fixture
def small(make_data):
    data_dir = make_data(EVENTS)
    rows = [{"iso3": iso3, "wb_code": iso3, "economy": iso3, "report_year": str(int(year) + 1), "law_year": year,
             "sh_law": law, "sh_penalties": penalties, "dv_law": ""} for iso3, year, law, penalties in LEGAL]
    write_csv(data_dir / "legal.csv", LEGAL_HEADER, rows)
    return load_atlas(data_dir)


@pytest.fixture
def table(small) -> pd.DataFrame:
    return country_changes(small).set_index("country")


def test_one_row_per_country_with_a_movement_record_in_the_documented_order(small) -> None:
    frame = country_changes(small)
    assert tuple(frame.columns) == CHANGES_COLUMNS
    assert list(frame["country"]) == ["FRA", "IND", "KOR", "ESP"]  # by name: France, India, South Korea, Spain
    assert list(frame["name"]) == ["France", "India", "South Korea", "Spain"]


def test_first_reform_is_the_earliest_on_or_after_the_first_record(table) -> None:
    assert table.at["FRA", "first_record"] == "2017-10"
    assert table.at["FRA", "first_reform_after"] == "2018-06"
    assert table.at["FRA", "lag_years"] == 1


def test_a_tie_on_the_first_day_shows_the_more_precise_date_and_a_same_day_reform_counts(table) -> None:
    assert table.at["KOR", "first_record"] == "2018-01-01"
    assert table.at["KOR", "first_reform_after"] == "2018"
    assert table.at["KOR", "lag_years"] == 0


def test_a_reform_before_the_first_record_leaves_the_lag_empty(table) -> None:
    assert table.at["IND", "first_record"] == "2018-09"
    assert table.at["IND", "first_reform_after"] == ""
    assert pd.isna(table.at["IND", "lag_years"])


def test_a_partial_date_stands_for_its_first_day(table) -> None:
    assert table.at["ESP", "first_reform_after"] == "2020-03"  # 2018 (= 2018-01-01) is before 2018-06
    assert table.at["ESP", "lag_years"] == 2


def test_world_bank_class_the_year_before_the_first_record_and_in_the_latest_year(table) -> None:
    assert (table.at["FRA", "law_year_before"], table.at["FRA", "law_class_before"]) == (2016, 0)
    assert (table.at["FRA", "law_year_latest"], table.at["FRA", "law_class_latest"]) == (2019, 2)
    assert (table.at["KOR", "law_year_before"], table.at["KOR", "law_class_before"]) == (2017, 2)
    assert pd.isna(table.at["ESP", "law_class_before"]) and pd.isna(table.at["ESP", "law_year_before"])
    assert table.at["ESP", "law_class_latest"] == 1
    assert pd.isna(table.at["IND", "law_class_latest"])  # no World Bank row in this fixture


def test_c190_ratification_only_from_a_ratified_record_that_names_the_convention(table) -> None:
    assert table.at["FRA", "c190_ratified"] == "2021-04"
    assert table.at["KOR", "c190_ratified"] == ""  # proposed, not ratified


def test_outcomes_and_backlash_are_counted_in_records(table) -> None:
    assert (table.at["FRA", "convictions"], table.at["FRA", "acquittals"], table.at["FRA", "backlash"]) == (2, 1, 1)
    assert (table.at["KOR", "convictions"], table.at["KOR", "acquittals"]) == (0, 1)


def test_summary_counts_reformed_countries_and_the_median_lag(small) -> None:
    assert changes_summary(country_changes(small)) == {"countries": 4, "reformed": 3, "median_lag": 1.0,
                                                       "same_year": 1}


def test_world_timeline_splits_cases_by_outcome_and_counts_people(small) -> None:
    frame = world_timeline(small).set_index(["year", "series"])
    assert frame.index.get_level_values("year").min() == 2013
    assert len(frame) == (2021 - 2013 + 1) * 7  # every year, every series, zeros included
    assert tuple(frame.loc[(2019, "convictions")]) == (2, 3)  # records, people
    assert tuple(frame.loc[(2020, "acquittals")]) == (1, 1)
    assert tuple(frame.loc[(2018, "acquittals")]) == (1, 1)  # a dismissed case
    assert tuple(frame.loc[(2017, "other_cases")]) == (1, 1)
    assert tuple(frame.loc[(2017, "campaign")]) == (2, 8)  # France's 5 and the international 3
    assert tuple(frame.loc[(2019, "backlash")]) == (1, 1)
    assert frame["records"].sum() == len(EVENTS)


def test_law_class_changes_name_the_years_the_class_changed(small) -> None:
    assert [(c["year"], c["before"], c["after"]) for c in law_class_changes(small.legal, "FRA")] == [
        (2017, 0, 1), (2018, 1, 2)]
    assert law_class_changes(small.legal, "KOR") == []


def test_country_timeline_puts_reforms_and_law_changes_below_the_line(small) -> None:
    lanes = country_timeline(small, "FRA")
    legal = lanes[lanes["lane"] == "legal"]
    assert list(legal["kind"]) == ["legal_reform", "law_class", "law_class", "legal_reform", "legal_reform"]
    assert list(lanes.loc[lanes["lane"] == "movement", "year"]) == [2017, 2017, 2019, 2019, 2019, 2020]


def test_shipped_data_gives_a_row_to_every_country_with_a_movement_record(atlas) -> None:
    frame = country_changes(atlas)
    movement = atlas.events[atlas.events["category"] != "legal_reform"]
    assert set(frame["country"]) == set(movement["key"]) - {"INT"}
    both = frame.dropna(subset=["lag_years"])
    assert (both["lag_years"] >= 0).all()
    assert (frame["first_reform_after"] != "").sum() == len(both)


def test_the_table_computed_in_one_pass_has_each_countrys_country_row(make_data) -> None:
    """Generated records (partial dates, same-day ties, reforms before and after, C190 wording) in many countries."""
    import random

    from dashboard.data.changes import changes_records, country_row

    rng = random.Random(7)
    countries = ["FRA", "KOR", "IND", "ESP", "USA", "BRA", ""]
    dates = ["2017", "2017-01", "2017-01-01", "2017-10", "2018", "2018-01", "2018-01-01", "2018-06", "2019-03-02",
             "2020"]
    kinds = [("case", "alleged"), ("case", "convicted"), ("case", "sentenced"), ("case", "acquitted"),
             ("case", "dismissed"), ("campaign", ""), ("resignation", ""), ("backlash", "charged"),
             ("legal_reform", "passed"), ("legal_reform", "ratified"), ("legal_reform", "proposed")]
    titles = ["A title", "Ratifies C190", "The Violence and Harassment Convention", "Convention No. 190 in force"]
    events = [record(f"r-{n}", rng.choice(countries), rng.choice(dates), *rng.choice(kinds), title=rng.choice(titles))
              for n in range(400)]
    atlas = load_atlas(make_data(events))
    rows = {row["country"]: row for row in changes_records(country_changes(atlas))}
    expected = {}
    for key in sorted(set(atlas.events["key"]) - {"INT"}):
        records = atlas.events[atlas.events["key"] == key]
        if (row := country_row(key, atlas.name_of(key), records, atlas.legal)) is not None:
            expected[key] = row
    assert rows == expected
    assert len(rows) >= 5 and any(row["c190_ratified"] for row in rows.values())
