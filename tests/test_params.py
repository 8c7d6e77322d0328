"""The query-parameter parser: good parameters become a RecordFilter, every bad one a ParamError naming it."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from dashboard.data.query import DEFAULT_SORT, MAX_TEXT_CHARS, SORT_KEYS, RecordFilter
from dashboard.data.records import CATEGORIES, EARLIEST_YEAR
from dashboard.params import (
    MAP_PARAMS,
    MAX_VALUES,
    RECORD_PARAMS,
    REPEATABLE,
    STATUSES,
    MapQuery,
    ParamError,
    filter_params,
    parse_map_query,
    parse_record_filter,
    record_filter_problems,
)

THIS_YEAR = dt.date.today().year


def test_no_parameters_select_everything_newest_first() -> None:
    assert parse_record_filter({}) == RecordFilter(sort=DEFAULT_SORT)


def test_every_parameter_is_read() -> None:
    chosen = parse_record_filter({"country": ["fra"], "from": ["2017"], "to": ["2019"], "cat": ["case", "backlash"],
                                  "status": ["convicted,alleged"], "q": ["  court "], "sort": ["country_name,-date"]})
    assert chosen == RecordFilter(2017, 2019, ("backlash", "case"), "FRA", "court", ("alleged", "convicted"),
                                  (("country_name", "asc"), ("date", "desc")))


@pytest.mark.parametrize("given, code", [
    ("FRA", "FRA"), ("fra", "FRA"), ("INT", "INT"), ("int", "INT"), ("International", "INT"),
    ("South Korea", "KOR"), ("USA", "USA"), ("Ivory Coast", "CIV"), ("Czechia", "CZE"), ("Türkiye", "TUR"),
    ("Turkey", "TUR"), ("VAT", "VAT"),
])
def test_country_takes_codes_int_and_names(given, code) -> None:
    assert parse_record_filter({"country": [given]}).country == code


def test_repeated_and_comma_separated_values_are_the_same() -> None:
    assert parse_record_filter({"cat": ["case", "backlash"]}) == parse_record_filter({"cat": ["backlash,case,case"]})
    assert parse_record_filter({"status": ["alleged", "passed"]}).statuses == ("alleged", "passed")


def test_empty_values_count_as_not_given() -> None:
    assert parse_record_filter({"country": [""], "from": [" "], "q": [""], "cat": [","]}) == RecordFilter()


def bad_values(param: str) -> list[list[str]]:
    """Values the parameter must refuse, made from what it accepts."""
    if param in ("from", "to"):
        return [[str(EARLIEST_YEAR - 1)], [str(THIS_YEAR + 1)], ["20x8"], ["2018.0"], ["-2018"], ["２０１８"],
                ["2018", "2019"]]
    if param in REPEATABLE:
        allowed = CATEGORIES if param == "cat" else STATUSES
        return [[allowed[0] + "x"], [allowed[0].upper()], [f"{allowed[0]},nope"], [",".join(allowed * MAX_VALUES)]]
    if param == "sort":
        column = next(iter(SORT_KEYS))
        return [[column + "x"], [f"{column},-{column}"], ["+" + column], [column, column], ["id"]]
    if param == "country":
        return [["Atlantis"], ["XYZ"], ["x" * 101], ["FRA", "DEU"]]
    assert param == "q"
    return [["x" * (MAX_TEXT_CHARS + 1)], ["a", "b"]]


@pytest.mark.parametrize("param", RECORD_PARAMS)
def test_each_bad_value_names_its_parameter(param) -> None:
    for values in bad_values(param):
        with pytest.raises(ParamError) as caught:
            parse_record_filter({param: values})
        assert caught.value.param == param, values
        assert str(caught.value).startswith(f"{param}: ")


@pytest.mark.parametrize("name", [p + "x" for p in RECORD_PARAMS] + [p.upper() for p in RECORD_PARAMS]
                         + ["_", "category", "text", "limit"])
def test_unknown_parameters_are_errors(name) -> None:
    with pytest.raises(ParamError, match="unknown parameter") as caught:
        parse_record_filter({name: ["1"]})
    assert caught.value.param == name


def test_from_after_to_is_an_error() -> None:
    with pytest.raises(ParamError, match="2020 is after to") as caught:
        parse_record_filter({"from": ["2020"], "to": ["2018"]})
    assert caught.value.param == "from"


def test_unknown_country_suggests_the_closest_names(atlas) -> None:
    with pytest.raises(ParamError) as caught:
        parse_record_filter({"country": ["Frnace"]}, atlas.country_names)
    assert caught.value.param == "country" and "'Frnace'" in caught.value.message
    assert "France" in caught.value.message


def test_problems_lists_every_problem_at_once() -> None:
    chosen, problems = record_filter_problems({"from": ["x"], "cat": ["nope"], "sort": ["size"], "limit": ["5"],
                                               "q": ["court"]})
    assert sorted(p.param for p in problems) == ["cat", "from", "limit", "sort"]
    assert chosen.text == "court"


def random_filter(rng: random.Random) -> RecordFilter:
    low = rng.choice([None, rng.randrange(EARLIEST_YEAR, THIS_YEAR + 1)])
    high = rng.choice([None, rng.randrange(low or EARLIEST_YEAR, THIS_YEAR + 1)])
    columns = rng.sample(list(SORT_KEYS), rng.randrange(1, 4))
    return RecordFilter(low, high, tuple(sorted(rng.sample(CATEGORIES, rng.randrange(3)))),
                        rng.choice([None, "FRA", "INT", "KOR"]), rng.choice(["", "court", "Gisèle"]),
                        tuple(sorted(rng.sample(STATUSES, rng.randrange(3)))),
                        tuple((c, rng.choice(["asc", "desc"])) for c in columns))


def test_filter_params_round_trip() -> None:
    rng = random.Random(11)
    for _ in range(200):
        chosen = random_filter(rng)
        assert parse_record_filter(filter_params(chosen)) == chosen


def test_map_query_defaults_and_limits(atlas) -> None:
    years = atlas.years("legal")
    assert parse_map_query({"year": ["2018"]}, atlas) == MapQuery("all", "year", 2018, "records")
    assert parse_map_query({"metric": ["legal"], "mode": ["cumulative"], "year": [str(years[0])],
                            "count": ["records"]}, atlas) == MapQuery("legal", "cumulative", years[0], "records")


@pytest.mark.parametrize("params, param", [
    ({}, "year"), ({"year": ["1800"]}, "year"), ({"year": ["2018"], "metric": ["nope"]}, "metric"),
    ({"year": ["2030"], "metric": ["legal"]}, "year"), ({"year": ["2018"], "mode": ["total"]}, "mode"),
    ({"year": ["2018"], "count": ["rows"]}, "count"), ({"year": ["2018", "2019"]}, "year"),
    ({"year": ["2018"], "country": ["FRA"]}, "country"),
])
def test_bad_map_parameters_name_themselves(params, param, atlas) -> None:
    assert set(params) <= set(MAP_PARAMS) | {"country"}
    with pytest.raises(ParamError) as caught:
        parse_map_query(params, atlas)
    assert caught.value.param == param


def test_suggested_countries_are_named_not_coded(atlas) -> None:
    """Bug: `--country Narnia` suggested "Armenia or Argentina or AIA": a bare code where a name was meant."""
    with pytest.raises(ParamError) as caught:
        parse_record_filter({"country": ["Narnia"]}, atlas.country_names)
    hint = caught.value.message.split("did you mean ", 1)[1]
    assert not [word for word in hint.rstrip("?").split(" or ") if word.isupper() and len(word) == 3]
