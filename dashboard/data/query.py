"""Filtering records for the table and writing them as a safe CSV export."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .atlas import INTERNATIONAL, Atlas, fold

MAX_TEXT_CHARS = 200
# OWASP CSV injection: a cell a spreadsheet would read as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
EXPORT_COLUMNS = (
    "id", "country", "country_name", "date", "year", "category", "status",
    "title", "summary", "people", "hashtags", "count", "checked_on",
)
TABLE_COLUMNS = ("id", "date", "country_name", "category", "status", "title", "summary", "people", "count", "sources")
# Columns the table can be sorted by, and what each sorts on (dates by their first possible day, then precision).
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "date": ("date_start", "date_precision"),
    "country_name": ("country_name",),
    "category": ("category",),
    "status": ("status",),
    "title": ("title",),
    "people": ("people",),
    "count": ("count",),
}
DEFAULT_SORT: tuple[tuple[str, str], ...] = (("date", "desc"),)


@dataclass(frozen=True)
class RecordFilter:
    """What the table shows: a year range, categories, statuses, one country (or INT), free text and a sort order."""

    year_from: int | None = None
    year_to: int | None = None
    categories: tuple[str, ...] = ()
    country: str | None = None
    text: str = ""
    statuses: tuple[str, ...] = ()
    sort: tuple[tuple[str, str], ...] = DEFAULT_SORT

    def file_name(self, records_as_of: str) -> str:
        """A file name that states the filter, e.g. metoo-records_FRA_2018_asof-2024-06.csv."""
        parts = ["metoo-records", self.country or "all"]
        if self.year_from is not None or self.year_to is not None:
            low, high = self.year_from, self.year_to
            parts.append(str(low) if low == high else f"{low or ''}-{high or ''}")
        if self.categories:
            parts.append("+".join(sorted(self.categories)))
        if self.statuses:
            parts.append("+".join(sorted(self.statuses)))
        if self.text:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", self.text).strip("-")[:30]
            if slug:
                parts.append(f"q-{slug}")
        parts.append(f"asof-{records_as_of}")
        return "_".join(parts) + ".csv"


def sort_records(records: pd.DataFrame, sort: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """Records in the table's sort order (unknown columns ignored), then newest first, then by id."""
    columns: list[str] = []
    ascending: list[bool] = []
    for column, direction in (*sort, *DEFAULT_SORT):
        for key in SORT_KEYS.get(column, ()):
            if key not in columns:
                columns.append(key)
                ascending.append(direction != "desc")
    return records.sort_values([*columns, "id"], ascending=[*ascending, True], kind="stable")


def filter_records(atlas: Atlas, record_filter: RecordFilter) -> pd.DataFrame:
    """The records the filter selects, in its sort order (newest first by default)."""
    events = atlas.events
    mask = pd.Series(True, index=events.index)
    if record_filter.year_from is not None:
        mask &= events["year"] >= record_filter.year_from
    if record_filter.year_to is not None:
        mask &= events["year"] <= record_filter.year_to
    if record_filter.categories:
        mask &= events["category"].isin(record_filter.categories)
    if record_filter.statuses:
        mask &= events["status"].isin(record_filter.statuses)
    if record_filter.country:
        mask &= events["key"] == record_filter.country
    text = fold(record_filter.text.strip()[:MAX_TEXT_CHARS])
    if text:
        # People, titles, summaries, hashtags, country and the cited sources' titles and publishers.
        mask &= events["search_text"].str.contains(text, regex=False)
    return sort_records(events[mask], record_filter.sort)


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
