"""Merges records, sources, geometry and the legal layer into the read-only Atlas the UI asks."""

from __future__ import annotations

import json
import re
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from .build import GEOMETRY_FILE
from .countries import country_name
from .coverage import load_coverage
from .legal import load_legal
from .records import CATEGORIES, DataError, load_records

T = TypeVar("T")


def fold(text: str) -> str:
    """Text as search compares it: case and accents ignored ("Gisèle" == "gisele")."""
    if text.isascii():  # most text: casefold is lower, and there is nothing to decompose
        return text.lower()
    # Runs of ASCII and of other characters folded apart give the same text: casefold and NFKD work
    # character by character, and the combining marks NFKD might reorder are all dropped.
    return "".join(run.lower() if run.isascii() else _fold_run(run) for run in _ASCII_RUNS.findall(text))


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def _fold_run(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def date_start(date: str) -> str:
    """The first possible day of a YYYY[-MM[-DD]] date: 2018 → 2018-01-01, 2018-06 → 2018-06-01."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


INTERNATIONAL = "INT"  # the UI's key for records with no country (UN, ILO, global campaigns)
INTERNATIONAL_NAME = "International"

METRICS: dict[str, str] = {
    "all": "All records",
    "case": "Cases",
    "resignation": "Resignations",
    "legal_reform": "Legal reforms",
    "campaign": "Campaigns",
    "backlash": "Backlash",
    "legal": "Sexual-harassment law (World Bank)",
}
# What a number on the map counts: rows of events.csv, or the sum of their `count`.
COUNTS: dict[str, str] = {"records": "Records", "people": "People and cases"}


def count_column(count: str) -> str:
    """The counts table's column for a count choice ("records" or "people")."""
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)}, not {count!r}")
    return count


CATEGORY_LABELS: dict[str, str] = {
    "case": "Cases",
    "resignation": "Resignations",
    "legal_reform": "Legal reforms",
    "campaign": "Campaigns",
    "backlash": "Backlash",
}


def per_atlas(compute: Callable[[Atlas], T]) -> Callable[[Atlas], T]:
    """Compute a function of an Atlas once: the Atlas never changes; the result goes when the Atlas does."""
    results: dict[int, T] = {}

    @wraps(compute)
    def once(atlas: Atlas) -> T:
        key = id(atlas)
        if key not in results:
            results[key] = compute(atlas)
            weakref.finalize(atlas, results.pop, key, None)
        return results[key]

    once.computed_for = lambda atlas: id(atlas) in results  # type: ignore[attr-defined]
    return once


def load_geometry(data_dir: Path) -> tuple[dict, gpd.GeoDataFrame]:
    """The prepared GeoJSON (as sent to browsers) and the same as a GeoDataFrame keyed by `key`."""
    path = data_dir / GEOMETRY_FILE
    try:
        collection = json.loads(path.read_text(encoding="utf-8-sig"))
        features = collection["features"]
        keys = [feature["id"] for feature in features]
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError([f"{GEOMETRY_FILE}:1: file: not a GeoJSON FeatureCollection with feature ids ({exc})"]) from exc
    if len(set(keys)) != len(keys):
        raise DataError([f"{GEOMETRY_FILE}:1: id: feature ids are not unique"])
    frame.insert(0, "key", keys)
    return collection, frame


@dataclass(frozen=True)
class Atlas:
    """Everything the dashboard shows, computed once at start-up and never mutated."""

    events: pd.DataFrame
    sources: pd.DataFrame
    countries: gpd.GeoDataFrame
    geojson: dict
    legal: pd.DataFrame
    counts: pd.DataFrame = field(repr=False)
    source_index: dict[str, dict] = field(repr=False)
    # coverage.csv keyed by country (None when the data folder has no coverage.csv)
    coverage: pd.DataFrame | None = field(default=None, repr=False)

    # --- questions the UI asks -------------------------------------------------
    def name_of(self, key: str) -> str:
        return INTERNATIONAL_NAME if key == INTERNATIONAL else country_name(key)

    def years(self, metric: str) -> list[int]:
        """The years the metric has data for, ascending."""
        if metric == "legal":
            return sorted(self.legal["law_year"].unique().tolist())
        years = self.events["year"]
        return sorted((years if metric == "all" else years[self.events["category"] == metric]).unique().tolist())

    def country_year_counts(self, cumulative: bool = False, count: str = "records") -> pd.DataFrame:
        """Tidy table key, year, category, count, per year or cumulative to that year.

        `count` is "records" (rows) or "people" (the sum of each record's `count`).
        """
        column = count_column(count)
        tidy = self.counts[["key", "year", "category", column]].rename(columns={column: "count"})
        if not cumulative:
            return tidy[tidy["count"] > 0].reset_index(drop=True)
        years = range(int(self.events["year"].min()), int(self.events["year"].max()) + 1)
        wide = tidy.pivot_table(index=["key", "category"], columns="year", values="count", aggfunc="sum")
        wide = wide.reindex(columns=years, fill_value=0).fillna(0).cumsum(axis=1)
        tidy = wide.stack().rename("count").reset_index()
        return tidy[tidy["count"] > 0].astype({"count": "int64"}).reset_index(drop=True)

    def metric_values(self, metric: str, year: int, cumulative: bool, count: str = "records") -> dict[str, int]:
        """Per country key, the metric's value in (or up to) the year; countries at 0 are left out."""
        if metric == "legal":
            rows = self.legal[self.legal["law_year"] == year]
            return dict(zip(rows["iso3"], rows["status"].astype(int)))
        counts = self.counts[self.counts["key"] != INTERNATIONAL]
        if metric != "all":
            counts = counts[counts["category"] == metric]
        counts = counts[counts["year"] <= year] if cumulative else counts[counts["year"] == year]
        totals = counts.groupby("key")[count_column(count)].sum()
        return {k: int(v) for k, v in totals.items() if v > 0}

    def category_totals(self, count: str = "records") -> dict[str, int]:
        """Per category, the number of records (or people and cases) in the whole dataset."""
        totals = self.counts.groupby("category")[count_column(count)].sum()
        return {category: int(totals.get(category, 0)) for category in CATEGORIES}

    def partial_years(self) -> list[int]:
        """The newest years whose records are still being collected (see _partial_years)."""
        return list(self._partial_years)

    @cached_property
    def _partial_years(self) -> tuple[int, ...]:
        """The newest years whose records are still being collected, computed once.

        A year at the end of the range is partial while it has fewer than half the
        records of the median of the three years before it (2025 with 5 records
        after years of 37–62 is partial; the map opens on the year before it).
        """
        per_year = self.events.groupby("year").size()
        years = sorted(per_year.index)
        partial: list[int] = []
        for index in range(len(years) - 1, 2, -1):
            before = per_year[years[index - 3:index]].median()
            if per_year[years[index]] >= before / 2:
                break
            partial.insert(0, int(years[index]))
        return tuple(partial)

    def first_view_year(self) -> int:
        """The year the map opens on: the latest year whose records are complete enough to compare."""
        partial = set(self.partial_years())
        complete = [y for y in self.years("all") if y not in partial]
        return complete[-1] if complete else self.years("all")[-1]

    @property
    def compiled_on(self) -> str:
        """When the records were last verified against their sources (the newest checked_on), or ''."""
        checked = self.events["checked_on"]
        return str(checked[checked != ""].max()) if (checked != "").any() else ""

    def records_for(self, key: str) -> pd.DataFrame:
        """A country's records (INTERNATIONAL for those with no country), newest first."""
        country = "" if key == INTERNATIONAL else key
        return self.events[self.events["country"] == country].sort_values(["date", "id"], ascending=[False, True])

    def sources_for(self, source_ids: str) -> list[dict]:
        """The cited sources of a record, in the order it cites them."""
        return [self.source_index[s] for s in source_ids.split(";") if s]

    @cached_property
    def country_keys(self) -> frozenset[str]:
        """Every key drawn on the map."""
        return frozenset(self.countries["key"])

    @cached_property
    def record_keys(self) -> dict[str, str]:
        """Each record id's country key (INTERNATIONAL for international records)."""
        return dict(zip(self.events["id"].to_numpy(), self.events["key"].to_numpy()))

    @cached_property
    def country_names(self) -> tuple[str, ...]:
        """The names and codes of every key on the map, and of international records: what users may type."""
        keys = sorted(self.country_keys | {INTERNATIONAL})
        return tuple(keys) + tuple(self.name_of(k) for k in keys)

    @property
    def has_coverage(self) -> bool:
        """Whether the data folder says which countries were researched (coverage.csv)."""
        return self.coverage is not None

    @cached_property
    def coverage_index(self) -> dict[str, dict]:
        """Per country key, its coverage.csv row (status, researched_on, queries, notes); empty without the file."""
        if not self.has_coverage:
            return {}
        return {row["country"]: row for row in self.coverage.to_dict("records")}

    def coverage_of(self, key: str) -> dict | None:
        """A country's coverage row, or None (no coverage.csv, or the international key)."""
        return self.coverage_index.get(key)

    @property
    def keys_with_records(self) -> list[str]:
        return sorted(k for k in self.events["key"].unique() if k != INTERNATIONAL)

    @property
    def records_as_of(self) -> str:
        """The date of the newest record: the data's 'records as of' stamp."""
        return str(self.events["date"].max())


def load_atlas(data_dir: Path) -> Atlas:
    """Load, validate and merge every data file; raise DataError with all problems found."""
    problems: list[str] = []
    parts: dict = {}
    for name, loader in (("records", load_records), ("geometry", load_geometry), ("legal", load_legal)):
        try:
            parts[name] = loader(data_dir)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    records, (geojson, countries), legal = parts["records"], parts["geometry"], parts["legal"]
    events = records.events.copy()
    drawn = set(countries["key"])
    for line, country in zip(events["line"].to_numpy(), events["country"].to_numpy()):
        if country and country not in drawn:
            problems.append(f"events.csv:{line}: country: {country} has no shape on the map")
    legal_missing = sorted(set(legal["iso3"]) - drawn)
    if legal_missing:
        problems.append(f"legal.csv:1: iso3: economies with no shape on the map: {', '.join(legal_missing)}")
    try:
        coverage = load_coverage(data_dir, drawn, set(events["country"].unique()) - {""})
    except DataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    events["key"] = events["country"].where(events["country"] != "", INTERNATIONAL)
    names = {key: INTERNATIONAL_NAME if key == INTERNATIONAL else country_name(key) for key in events["key"].unique()}
    events["country_name"] = events["key"].map(names)
    # A date stands for its first possible day when sorting and comparing; ties by precision.
    # Each distinct date (and list of cited sources) worked out once, not once per record.
    dates = events["date"].unique()
    events["date_start"] = events["date"].map(dict(zip(dates, map(date_start, dates))))
    events["date_precision"] = events["date"].map({date: date.count("-") + 1 for date in dates}).astype("int64")
    counts = events.groupby(["key", "year", "category"], as_index=False).agg(
        records=("id", "size"), people=("count", "sum"))
    countries = countries.copy()
    # Records per country and category (rows, not the sum of `count`).
    per_country = pd.crosstab(events["key"], events["category"])
    per_country = per_country.reindex(columns=list(CATEGORIES), fill_value=0).fillna(0).astype("int64")
    countries = countries.merge(per_country, left_on="key", right_index=True, how="left")
    countries[list(CATEGORIES)] = countries[list(CATEGORIES)].fillna(0).astype("int64")
    countries["records"] = countries["key"].map(events["key"].value_counts()).fillna(0).astype("int64")
    source_index = {row["id"]: row for row in records.sources.to_dict("records")}
    return Atlas(events=events, sources=records.sources, countries=countries, geojson=geojson, legal=legal,
                 counts=counts, source_index=source_index, coverage=coverage)
