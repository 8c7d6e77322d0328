"""Every parser in dashboard/inputs.py turns any JSON value into a safe default, never an exception."""

from __future__ import annotations

import inspect
import itertools
import random

import pytest

from dashboard import inputs
from dashboard.inputs import as_int, parse_query

from .callback_fuzz import TRICKY, Fuzzer


def parsers() -> list:
    """The module's public functions; each parameter annotated `object` takes whatever the browser sends."""
    return [f for name, f in inspect.getmembers(inputs, inspect.isfunction)
            if f.__module__ == inputs.__name__ and not name.startswith("_")]


def hostile_values() -> list:
    """Values of every JSON type, nested, huge and odd, plus query strings over the URL's own keys."""
    fuzzer = Fuzzer(dependencies=[], seeds=sorted(set(TRICKY) | set(inputs.QUERY_KEYS)), rng=random.Random(5))
    values: list = [fuzzer.value() for _ in range(300)]
    values += [fuzzer.scalar() for _ in range(100)] + TRICKY + [[t, t] for t in TRICKY]
    values += ["?" + "&".join(f"{key}={odd}" for key in inputs.QUERY_KEYS) for odd in TRICKY]
    values += [f"?{a}={x}&{b}={y}" for (a, b), (x, y) in zip(
        itertools.permutations(inputs.QUERY_KEYS, 2), itertools.product(TRICKY, repeat=2))]
    values += [{"year": odd} for odd in TRICKY] + [[odd, 2018] for odd in TRICKY]
    return values


def test_the_parsers_are_found() -> None:
    names = {f.__name__ for f in parsers()}
    assert {"as_int", "as_country", "as_year_range", "parse_query", "record_filter"} <= names


@pytest.mark.parametrize("parser", parsers(), ids=lambda f: f.__name__)
def test_parser_survives_any_value(parser, atlas) -> None:
    params = inspect.signature(parser).parameters.values()
    hostile = [p.name for p in params if p.annotation == "object"]
    assert hostile, f"{parser.__name__} takes no browser value"
    for value in hostile_values():
        arguments = {p.name: (atlas if p.annotation == "Atlas" else value) for p in params}
        parser(**arguments)  # must not raise
    for name in hostile:  # one odd argument at a time, the others ordinary
        for value in hostile_values()[::7]:
            parser(**{p.name: (atlas if p.annotation == "Atlas" else value if p.name == name else None)
                      for p in params})


@pytest.mark.parametrize("text, number", [
    ("2018", 2018), (" 2018 ", 2018), ("-5", -5), ("--1", None), ("²", None), ("١٢", None), ("1e3", None),
    ("10001", None), ("+5", None), ("", None), ("-", None), (2018.0, 2018), (True, None), (float("nan"), None),
])
def test_as_int_takes_only_plain_whole_numbers(text, number) -> None:
    assert as_int(text) == number


def test_a_hostile_shared_url_falls_back_to_defaults(atlas) -> None:
    view = parse_query("?year=--1&from=²&to=1e9&cat=,,&q=%ff&country=%00&metric=<x>", atlas)
    assert view["year"] is None and view["metric"] == "all" and view["country"] is None
    assert view["categories"] == [] and view["years"] == [int(atlas.events["year"].min()),
                                                          int(atlas.events["year"].max())]


@pytest.mark.parametrize("search, region", [
    ("?region=europe", "europe"), ("?region=EUROPE", "europe"), ("?region=mena&year=2018", "mena"),
    ("?region=oceania", "oceania"), ("?region=atlantis", "world"), ("?region=", "world"), ("", "world"),
    ("?region=europe&region=asia", "europe"), ("?region=" + "x" * 500, "world"), ("?region=%00", "world"),
])
def test_the_region_in_the_address_is_a_preset_or_the_world(atlas, search, region) -> None:
    assert parse_query(search, atlas)["region"] == region


@pytest.mark.parametrize("search, embed", [
    ("?embed=1", True), ("?embed=true", True), ("?embed=yes&region=africa", True), ("?embed=0", False),
    ("?embed=", False), ("?embed=2", False), ("", False), ("?embedded=1", False),
])
def test_embed_is_on_only_when_asked_for(atlas, search, embed) -> None:
    assert parse_query(search, atlas)["embed"] is embed


def test_every_region_preset_frames_a_box_inside_the_world() -> None:
    from dashboard.figures import REGIONS, region_frames

    frames = region_frames()
    assert list(frames) == list(REGIONS) and REGIONS["world"][0] == "World"
    for frame in frames.values():
        (west, east), (south, north) = frame["lonaxis"]["range"], frame["lataxis"]["range"]
        assert -180 <= west < east <= 180 and -90 <= south < north <= 90
        assert west <= frame["center"]["lon"] <= east and south <= frame["center"]["lat"] <= north


@pytest.mark.parametrize("search, href", [
    ("?embed=1", "/"), ("?region=europe&embed=1&year=2018", "/?region=europe&year=2018"),
    ("?country=FRA&embed=1&q=a%26b", "/?country=FRA&q=a%26b"), ("", "/"), (None, "/"),
])
def test_the_embedded_maps_link_opens_the_same_view_without_embed(search, href) -> None:
    from dashboard.callbacks import full_view_href

    assert full_view_href(search) == href
