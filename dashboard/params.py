"""Query parameters → what to show: one strict parser shared by the HTTP API and `metoo-map export`.

Parameters arrive as a mapping of name → list of strings (Flask's
`request.args.to_dict(flat=False)`, `urllib.parse.parse_qs`, or the CLI's
flags). Every problem names its parameter; an unknown parameter is a problem
too, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .data.atlas import COUNTS, INTERNATIONAL, INTERNATIONAL_NAME, METRICS, Atlas
from .data.countries import closest_names, country_name, to_iso3
from .data.query import DEFAULT_SORT, MAX_TEXT_CHARS, SORT_KEYS, RecordFilter
from .data.records import CASE_STATUSES, CATEGORIES, EARLIEST_YEAR, LAW_STATUSES
from .inputs import MODES

Params = Mapping[str, Sequence[str]]

RECORD_PARAMS = ("country", "from", "to", "cat", "status", "q", "sort")
MAP_PARAMS = ("metric", "mode", "year", "count")
REPEATABLE = ("cat", "status")
STATUSES = CASE_STATUSES + LAW_STATUSES
MAX_VALUES = 20  # categories or statuses in one filter, as the table's controls allow
MAX_COUNTRY_CHARS = 100
_YEAR = re.compile(r"[0-9]{4}")


class ParamError(ValueError):
    """A query parameter that cannot be used; `param` names it, `message` says why."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class MapQuery:
    """What the map draws: a metric in a year, per year or cumulative, counting records or people."""

    metric: str
    mode: str
    year: int
    count: str


def _listing(values: Iterable[str]) -> str:
    return ", ".join(values)


def _single(params: Params, name: str) -> str | None:
    """A parameter given at most once; an empty value counts as not given."""
    values = [v.strip() for v in params.get(name, ())]
    if len(values) > 1:
        raise ParamError(name, "given more than once")
    return values[0] if values and values[0] else None


def _choices(params: Params, name: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """A repeatable, comma-separated parameter whose values come from `allowed`; sorted, no duplicates."""
    values = [v.strip() for given in params.get(name, ()) for v in given.split(",") if v.strip()]
    if len(values) > MAX_VALUES:
        raise ParamError(name, f"more than {MAX_VALUES} values")
    for value in values:
        if value not in allowed:
            raise ParamError(name, f"{value[:40]!r} is not one of {_listing(allowed)}")
    return tuple(sorted(set(values)))


def _year(params: Params, name: str) -> int | None:
    text = _single(params, name)
    if text is None:
        return None
    if not _YEAR.fullmatch(text):
        raise ParamError(name, f"{text[:40]!r} is not a year (YYYY)")
    year, this_year = int(text), dt.date.today().year
    if not EARLIEST_YEAR <= year <= this_year:
        raise ParamError(name, f"{year} is not between {EARLIEST_YEAR} and {this_year}")
    return year


def _country(params: Params, names: Iterable[str]) -> str | None:
    text = _single(params, "country")
    if text is None:
        return None
    if len(text) > MAX_COUNTRY_CHARS:
        raise ParamError("country", f"longer than {MAX_COUNTRY_CHARS} characters")
    if text.upper() == INTERNATIONAL or text.casefold() == INTERNATIONAL_NAME.casefold():
        return INTERNATIONAL
    code = to_iso3(text)
    if code is None:
        suggestions: dict[str, str] = {}  # one name per country: "France", not "France or FRA"
        for name in closest_names(text, names, count=6):
            code = to_iso3(name)
            suggestions.setdefault(code or name.upper(), country_name(code) if code else name)
        shown = list(suggestions.values())[:3]
        hint = f"; did you mean {' or '.join(shown)}?" if shown else " (an ISO3 code, INT or a name)"
        raise ParamError("country", f"unknown country {text[:60]!r}{hint}")
    return code


def _sort(params: Params) -> tuple[tuple[str, str], ...]:
    text = _single(params, "sort")
    if text is None:
        return DEFAULT_SORT
    order: list[tuple[str, str]] = []
    for item in (i.strip() for i in text.split(",")):
        column = item.removeprefix("-")
        if column not in SORT_KEYS:
            raise ParamError("sort", f"{item[:40]!r} is not one of {_listing(SORT_KEYS)} (with - for descending)")
        if column in (c for c, _ in order):
            raise ParamError("sort", f"sorts by {column} twice")
        order.append((column, "desc" if item.startswith("-") else "asc"))
    return tuple(order)


def _unknown(params: Params, known: Sequence[str]) -> list[ParamError]:
    return [ParamError(name[:40], f"unknown parameter; expected {_listing(known)}")
            for name in params if name not in known]


def _each(checks: Sequence, problems: list[ParamError]) -> list:
    """Run every check, collecting ParamErrors instead of stopping at the first."""
    results = []
    for check in checks:
        try:
            results.append(check())
        except ParamError as error:
            problems.append(error)
            results.append(None)
    return results


def record_filter_problems(params: Params, country_names: Iterable[str] = ()) -> tuple[RecordFilter, list[ParamError]]:
    """The filter the parameters describe and every problem with them (parameters with a problem are left out)."""
    problems = _unknown(params, RECORD_PARAMS)
    names = list(country_names)
    country, low, high, categories, statuses, text, sort = _each([
        lambda: _country(params, names), lambda: _year(params, "from"), lambda: _year(params, "to"),
        lambda: _choices(params, "cat", CATEGORIES), lambda: _choices(params, "status", STATUSES),
        lambda: _single(params, "q") or "", lambda: _sort(params),
    ], problems)
    if text and len(text) > MAX_TEXT_CHARS:
        problems.append(ParamError("q", f"longer than {MAX_TEXT_CHARS} characters"))
        text = None
    if low is not None and high is not None and low > high:
        problems.append(ParamError("from", f"{low} is after to ({high})"))
    chosen = RecordFilter(year_from=low, year_to=high, categories=categories or (), country=country,
                          text=text or "", statuses=statuses or (), sort=sort or DEFAULT_SORT)
    return chosen, problems


def parse_record_filter(params: Params, country_names: Iterable[str] = ()) -> RecordFilter:
    """The filter the parameters describe; raise ParamError for the first problem.

    `country_names` are the names and codes suggested for an unknown country.
    """
    chosen, problems = record_filter_problems(params, country_names)
    if problems:
        raise problems[0]
    return chosen


def filter_params(chosen: RecordFilter) -> dict[str, list[str]]:
    """The parameters that describe a filter (the inverse of parse_record_filter)."""
    params: dict[str, list[str]] = {}
    if chosen.country:
        params["country"] = [chosen.country]
    if chosen.year_from is not None:
        params["from"] = [str(chosen.year_from)]
    if chosen.year_to is not None:
        params["to"] = [str(chosen.year_to)]
    if chosen.categories:
        params["cat"] = [",".join(chosen.categories)]
    if chosen.statuses:
        params["status"] = [",".join(chosen.statuses)]
    if chosen.text:
        params["q"] = [chosen.text]
    params["sort"] = [",".join(("-" if d == "desc" else "") + c for c, d in chosen.sort)]
    return params


def parse_map_query(params: Params, atlas: Atlas) -> MapQuery:
    """metric (default all), mode (year|cumulative), year (required, within the metric's years), count."""
    problems = _unknown(params, MAP_PARAMS)
    if problems:
        raise problems[0]
    metric = _single(params, "metric") or "all"
    if metric not in METRICS:
        raise ParamError("metric", f"{metric[:40]!r} is not one of {_listing(METRICS)}")
    mode = _single(params, "mode") or "year"
    if mode not in MODES:
        raise ParamError("mode", f"{mode[:40]!r} is not one of {_listing(MODES)}")
    count = _single(params, "count") or "records"
    if count not in COUNTS:
        raise ParamError("count", f"{count[:40]!r} is not one of {_listing(COUNTS)}")
    years = atlas.years(metric)
    text = _single(params, "year")
    if text is None:
        raise ParamError("year", f"required: a year from {years[0]} to {years[-1]}")
    if not _YEAR.fullmatch(text) or not years[0] <= int(text) <= years[-1]:
        raise ParamError("year", f"{text[:40]!r} is not a year from {years[0]} to {years[-1]}")
    return MapQuery(metric=metric, mode=mode, year=int(text), count=count)
