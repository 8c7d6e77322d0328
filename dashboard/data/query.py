"""Filtering records for the table and writing them as a safe CSV export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pandas as pd

from .atlas import INTERNATIONAL, Atlas, fold, per_atlas

MAX_TEXT_CHARS = 200
# OWASP CSV injection: a cell a spreadsheet would read as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
EXPORT_COLUMNS = (
    "id", "country", "country_name", "date", "year", "category", "status",
    "title", "summary", "people", "hashtags", "count", "checked_on",
)
SOURCE_FIELDS = ("title", "publisher", "published", "url")
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
# openpyxl writes about 2,000 rows a second here: a larger .xlsx would outlast a worker's timeout (CSV has no limit).
MAX_XLSX_ROWS = 20_000


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


def sort_columns(sort: tuple[tuple[str, str], ...]) -> tuple[list[str], list[bool]]:
    """The columns a sort order sorts on (unknown ones ignored, then newest first) and whether each ascends."""
    columns: list[str] = []
    ascending: list[bool] = []
    for column, direction in (*sort, *DEFAULT_SORT):
        for key in SORT_KEYS.get(column, ()):
            if key not in columns:
                columns.append(key)
                ascending.append(direction != "desc")
    return columns, ascending


def filter_positions(atlas: Atlas, record_filter: RecordFilter) -> np.ndarray:
    """Positions in atlas.events of the records the filter selects, in its sort order.

    Sorted by sort_columns, then by id, with np.lexsort over each column's
    rank (computed once per Atlas) instead of sorting the strings again.
    """
    events = atlas.events
    mask = np.ones(len(events), dtype=bool)
    if record_filter.year_from is not None:
        mask &= (events["year"] >= record_filter.year_from).to_numpy()
    if record_filter.year_to is not None:
        mask &= (events["year"] <= record_filter.year_to).to_numpy()
    if record_filter.categories:
        mask &= events["category"].isin(record_filter.categories).to_numpy()
    if record_filter.statuses:
        mask &= events["status"].isin(record_filter.statuses).to_numpy()
    if record_filter.country:
        mask &= (events["key"] == record_filter.country).to_numpy()
    text = fold(record_filter.text.strip()[:MAX_TEXT_CHARS])
    if text:
        # People, titles, summaries, hashtags, country and the cited sources' titles and publishers.
        mask &= search_texts(atlas).str.contains(text, regex=False).to_numpy(dtype=bool)
    positions = np.flatnonzero(mask)
    columns, ascending = sort_columns(record_filter.sort)
    keys = [column_rank(atlas, c)[positions] if up else -column_rank(atlas, c)[positions]
            for c, up in zip(columns, ascending)]
    return positions[np.lexsort([column_rank(atlas, "id")[positions], *reversed(keys)])]


def filter_records(atlas: Atlas, record_filter: RecordFilter) -> pd.DataFrame:
    """The records the filter selects, in its sort order (newest first by default)."""
    return atlas.events.iloc[filter_positions(atlas, record_filter)]


@per_atlas  # prepare_queries computes it before gunicorn forks, so the workers share one copy
def search_texts(atlas: Atlas) -> pd.Series:
    """What the free-text filter searches, per record: its title, summary, people, hashtags, country
    name and its cited sources' titles and publishers, folded (case and accents ignored).

    Folded piece by piece (a source's text once, not once per citing record): the same text as folding
    the whole line, since fold works character by character and the pieces meet at spaces. Not part of
    the Atlas's events, so `metoo-map export` without --text never builds it.
    """
    events, sources = atlas.events, atlas.sources
    source_text = {source: fold(f"{title} {publisher}") for source, title, publisher in zip(
        *(sources[column].to_numpy() for column in ("id", "title", "publisher")))}
    cited_text = {ids: " ".join(source_text.get(s, "") for s in ids.split(";")) for ids in events["source_ids"].unique()}
    # One string per record in one pass: adding the columns as Series made a 100,000-string column per +.
    columns = ("title", "summary", "people", "hashtags", "country_name", "source_ids")
    return pd.Series([f"{fold(f'{title} {summary} {people} {hashtags} {name}')} {cited_text[ids]}"
                      for title, summary, people, hashtags, name, ids in zip(*(events[c].to_numpy() for c in columns))],
                     index=events.index, dtype="str")


RANKED_COLUMNS = tuple(sorted({c for keys in SORT_KEYS.values() for c in keys} | {"id"}))


def column_rank(atlas: Atlas, column: str) -> np.ndarray:
    """A sortable column's dense rank per record (equal values share one): its sorted factor codes, once per Atlas."""
    ranks = _ranks(atlas)
    if column not in ranks:
        ranks[column] = pd.factorize(atlas.events[column], sort=True)[0].astype("int64")
    return ranks[column]


@per_atlas
def _ranks(atlas: Atlas) -> dict[str, np.ndarray]:
    """The ranks computed so far: a sort order computes those it needs (`metoo-map export` the default's only)."""
    return {}


def prepare_queries(atlas: Atlas) -> None:
    """Compute what filters and sort orders use (every column's rank, the search text) once, before gunicorn
    forks, so the workers share them instead of each computing its own on its first request."""
    for column in RANKED_COLUMNS:
        column_rank(atlas, column)
    search_texts(atlas)


def table_rows(atlas: Atlas, records: pd.DataFrame) -> list[dict]:
    """Rows for the on-screen table: one per record, sources as their titles."""
    rows = []
    for record in records.to_dict("records"):
        row = {column: record.get(column) for column in TABLE_COLUMNS if column != "sources"}
        row["count"] = int(record["count"])
        row["sources"] = "; ".join(source["title"] for source in atlas.sources_for(record["source_ids"]))
        rows.append(row)
    return rows


def source_width(records: pd.DataFrame) -> int:
    """How many source_N_* column groups an export of these records has (at least one)."""
    return max((len([s for s in ids.split(";") if s]) for ids in records["source_ids"]), default=1)


def export_columns(width: int) -> list[str]:
    """The export's header: EXPORT_COLUMNS, then source_N_title / _publisher / _published / _url."""
    return [*EXPORT_COLUMNS, *(f"source_{n}_{field}" for n in range(1, width + 1) for field in SOURCE_FIELDS)]


def _values(records: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple]:
    """Each record's values of `columns` as Python objects, read EXPORT_CHUNK rows at a time.

    Series.tolist per chunk: iterating a pandas str column boxes each element (slow), and
    a chunk at a time keeps the memory an export adds flat whatever the number of rows.
    """
    for start in range(0, len(records), EXPORT_CHUNK):
        chunk = records.iloc[start:start + EXPORT_CHUNK]
        yield from zip(*(chunk[column].tolist() for column in columns))


EXPORT_CHUNK = 5000


def export_records(atlas: Atlas, records: pd.DataFrame) -> Iterator[dict]:
    """One record at a time: its EXPORT_COLUMNS (country INT when international) and its cited sources."""
    columns = list(EXPORT_COLUMNS)
    for *values, source_ids in _values(records, [*columns, "source_ids"]):
        record = dict(zip(columns, values))
        record["country"] = record["country"] or INTERNATIONAL
        record["sources"] = [{field: source[field] for field in SOURCE_FIELDS}
                             for source in atlas.sources_for(source_ids)]
        yield record


def export_rows(atlas: Atlas, records: pd.DataFrame, width: int) -> Iterator[list]:
    """One export row at a time, sources expanded into `width` groups of columns."""
    for record in export_records(atlas, records):
        sources = record["sources"]
        row = [record[column] for column in EXPORT_COLUMNS]
        for n in range(width):
            row.extend(sources[n][field] if n < len(sources) else "" for field in SOURCE_FIELDS)
        yield row


def export_frame(atlas: Atlas, records: pd.DataFrame) -> pd.DataFrame:
    """One row per record, sources expanded to source_N_title / _publisher / _published / _url."""
    width = source_width(records)
    return pd.DataFrame(list(export_rows(atlas, records, width)), columns=export_columns(width))


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would execute as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """UTF-8 CSV text one line at a time, header first, formula-like text cells neutralised.

    CRLF (RFC 4180) also makes the csv writer quote any field holding a bare CR.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        # neutralise(), inlined: this line runs once per cell of a 100,000-row export
        writer.writerow(["'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value
                         for value in row])
        yield buffer.getvalue()


def export_csv(frame: pd.DataFrame) -> str:
    """UTF-8 CSV text with a header and formula-like cells neutralised."""
    return "".join(csv_lines(list(frame.columns), frame.itertuples(index=False, name=None)))


def stream_export_csv(atlas: Atlas, records: pd.DataFrame) -> Iterator[str]:
    """The text export_csv(export_frame(...)) gives, one line at a time: memory does not grow with the rows."""
    width = source_width(records)
    return csv_lines(export_columns(width), export_rows(atlas, records, width))


def write_export_xlsx(atlas: Atlas, records: pd.DataFrame, buffer: BinaryIO) -> None:
    """The same cells as stream_export_csv, as an .xlsx sheet, formula-like text neutralised too.

    openpyxl's write-only workbook writes each row as it comes, so memory does
    not grow with the rows (the sheet is zipped from a temporary file).
    """
    from openpyxl import Workbook

    width = source_width(records)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append(export_columns(width))
    for row in export_rows(atlas, records, width):
        sheet.append([neutralise(value) for value in row])
    book.save(buffer)


def sources_csv(atlas: Atlas) -> Iterator[str]:
    """The sources table as CSV, one line at a time."""
    columns = list(atlas.sources.columns)
    return csv_lines(columns, atlas.sources[columns].itertuples(index=False, name=None))
