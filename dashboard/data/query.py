"""Filtering records for the table and writing them as a safe CSV export."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .atlas import INTERNATIONAL, Atlas

MAX_TEXT_CHARS = 200
# OWASP CSV injection: a cell a spreadsheet would read as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
EXPORT_COLUMNS = (
    "id", "country", "country_name", "date", "year", "category", "status",
    "title", "summary", "people", "count",
)
TABLE_COLUMNS = ("id", "date", "country_name", "category", "status", "title", "people", "count", "sources")


@dataclass(frozen=True)
class RecordFilter:
    """What the table shows: a year range, categories, one country (or INT) and free text."""

    year_from: int | None = None
    year_to: int | None = None
    categories: tuple[str, ...] = ()
    country: str | None = None
    text: str = ""

    def file_name(self, records_as_of: str) -> str:
        """A file name that states the filter, e.g. metoo-records_FRA_2018_asof-2024-06.csv."""
        parts = ["metoo-records", self.country or "all"]
        if self.year_from is not None or self.year_to is not None:
            low, high = self.year_from, self.year_to
            parts.append(str(low) if low == high else f"{low or ''}-{high or ''}")
        if self.categories:
            parts.append("+".join(sorted(self.categories)))
        if self.text:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", self.text).strip("-")[:30]
            if slug:
                parts.append(f"q-{slug}")
        parts.append(f"asof-{records_as_of}")
        return "_".join(parts) + ".csv"


def filter_records(atlas: Atlas, record_filter: RecordFilter) -> pd.DataFrame:
    """The records the filter selects, newest first."""
    events = atlas.events
    mask = pd.Series(True, index=events.index)
    if record_filter.year_from is not None:
        mask &= events["year"] >= record_filter.year_from
    if record_filter.year_to is not None:
        mask &= events["year"] <= record_filter.year_to
    if record_filter.categories:
        mask &= events["category"].isin(record_filter.categories)
    if record_filter.country:
        mask &= events["key"] == record_filter.country
    text = record_filter.text.strip().casefold()[:MAX_TEXT_CHARS]
    if text:
        haystack = (
            events["title"] + " " + events["summary"] + " " + events["people"] + " " + events["country_name"]
        ).str.casefold()
        mask &= haystack.str.contains(text, regex=False)
    return events[mask].sort_values(["date", "id"], ascending=[False, True])


def table_rows(atlas: Atlas, records: pd.DataFrame) -> list[dict]:
    """Rows for the on-screen table: one per record, sources as their titles."""
    rows = []
    for record in records.to_dict("records"):
        row = {column: record.get(column) for column in TABLE_COLUMNS if column != "sources"}
        row["count"] = int(record["count"])
        row["sources"] = "; ".join(source["title"] for source in atlas.sources_for(record["source_ids"]))
        rows.append(row)
    return rows


def export_frame(atlas: Atlas, records: pd.DataFrame) -> pd.DataFrame:
    """One row per record, sources expanded to source_N_title / _publisher / _published / _url."""
    frame = records[list(EXPORT_COLUMNS)].copy()
    frame["country"] = frame["country"].where(frame["country"] != "", INTERNATIONAL)
    cited = [atlas.sources_for(ids) for ids in records["source_ids"]]
    width = max((len(sources) for sources in cited), default=1)
    for n in range(width):
        for field in ("title", "publisher", "published", "url"):
            frame[f"source_{n + 1}_{field}"] = [
                sources[n][field] if n < len(sources) else "" for sources in cited
            ]
    return frame.reset_index(drop=True)


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would execute as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_csv(frame: pd.DataFrame) -> str:
    """UTF-8 CSV text with a header and formula-like cells neutralised."""
    safe = frame.apply(lambda column: column if pd.api.types.is_numeric_dtype(column) else column.map(neutralise))
    # CRLF (RFC 4180) also makes the csv writer quote any field holding a bare CR.
    return safe.to_csv(index=False, lineterminator="\r\n")
