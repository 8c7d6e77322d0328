"""Reads and validates the records contract: data/events.csv and data/sources.csv."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from .countries import to_iso3

EVENTS_FILE = "events.csv"
SOURCES_FILE = "sources.csv"

EVENT_COLUMNS = ("id", "country", "date", "category", "status", "title", "summary", "people", "count", "source_ids",
                 "hashtags", "checked_on")
SOURCE_COLUMNS = ("id", "title", "publisher", "author", "published", "url", "seed_file", "via")
OPTIONAL_EVENT_COLUMNS = {"status", "people", "count", "hashtags", "checked_on"}
OPTIONAL_SOURCE_COLUMNS = {"author", "published", "url", "seed_file", "via"}

CATEGORIES = ("case", "resignation", "legal_reform", "campaign", "backlash")
CASE_STATUSES = (
    "alleged", "investigated", "charged", "on_trial", "convicted",
    "sentenced", "acquitted", "appeal", "dismissed", "settled", "found_liable",
)
LAW_STATUSES = ("proposed", "passed", "in_force", "ratified", "adopted", "rejected")
# Statuses in words, as the page shows them.
STATUS_LABELS: dict[str, str] = {
    "alleged": "Alleged", "investigated": "Under investigation", "charged": "Charged", "on_trial": "On trial",
    "convicted": "Convicted", "sentenced": "Sentenced", "acquitted": "Acquitted", "appeal": "On appeal",
    "dismissed": "Dismissed", "settled": "Settled", "found_liable": "Found liable (civil or tribunal)", "proposed": "Proposed", "passed": "Passed",
    "in_force": "In force", "ratified": "Ratified", "adopted": "Adopted", "rejected": "Rejected",
}
# Which statuses each category takes, and whether one is required.
STATUS_RULES: dict[str, tuple[tuple[str, ...], bool]] = {
    "case": (CASE_STATUSES, True),
    "backlash": (CASE_STATUSES, False),
    "legal_reform": (LAW_STATUSES, True),
    "resignation": ((), False),
    "campaign": ((), False),
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_FIELD_CHARS = 5000
EARLIEST_YEAR = 1900


class DataError(Exception):
    """Invalid data files; `problems` holds every `file:line: field: problem` message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Records:
    """Validated, normalised records and their sources."""

    events: pd.DataFrame
    sources: pd.DataFrame


def parse_date(text: str, today: dt.date | None = None) -> str | None:
    """Return a problem with a YYYY[-MM[-DD]] date, or None when it is valid and not in the future."""
    match = _DATE.match(text)
    if not match:
        return f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(part) if part else None for part in match.groups())
    today = today or dt.date.today()
    if year < EARLIEST_YEAR:
        return f"{text!r} is before {EARLIEST_YEAR}"
    if month is not None and not 1 <= month <= 12:
        return f"{text!r} has no month {month}"
    if day is not None:
        try:
            exact = dt.date(year, month, day)
        except ValueError:
            return f"{text!r} is not a calendar date"
        if exact > today:
            return f"{text!r} is in the future"
    elif (year, month or 1) > (today.year, today.month if month else 1):
        return f"{text!r} is in the future"
    return None


def check_past_day(where: str, field: str, value: str, problems: list[str], today: dt.date) -> None:
    """A non-empty `field` must be a full YYYY-MM-DD date, not in the future (checked_on, researched_on)."""
    if value and (not _FULL_DATE.match(value) or parse_date(value, today)):
        problems.append(f"{where}: {field}: {value[:20]!r} is not a past YYYY-MM-DD date")


def url_problem(url: str) -> str | None:
    """A problem with a source url, or None for an absolute http(s) url with a host."""
    if url != url.strip() or any(ord(ch) < 32 or ch.isspace() for ch in url):
        return "contains spaces or control characters"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url[:60]!r} is not an http(s) url"
    if not parts.hostname:
        return f"{url[:60]!r} has no host"
    return None


def _encoding_problem(path: Path) -> str | None:
    """The file's first problem as UTF-8 text (an invalid byte, else a NUL byte) with its line, or None.

    Read in chunks, so checking a large file never holds it whole: the bytes, then
    the text again, would be twice its size or more.
    """
    name = path.name
    lines, nul, leftover = 0, None, b""  # lines: before `leftover`'s first byte
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            data, final = leftover + chunk, not chunk
            try:
                _, consumed = codecs.utf_8_decode(data, "strict", final)
            except UnicodeDecodeError as exc:
                line = lines + data[: exc.start].count(b"\n") + 1
                return f"{name}:{line}: encoding: not valid UTF-8 (byte 0x{data[exc.start]:02x})"
            if nul is None and (at := data.find(b"\x00", 0, consumed)) >= 0:
                nul = lines + data[:at].count(b"\n") + 1
            lines += data.count(b"\n", 0, consumed)
            leftover = data[consumed:]
            if final:
                break
    if nul is not None:
        return f"{name}:{nul}: file: contains a NUL byte (binary or corrupt file)"
    return None


_CHUNK = 1 << 20


@dataclass(frozen=True)
class Table:
    """A CSV read strictly, column by column: each row's first line and the contract's columns, stripped.

    An optional column the file does not have is all empty strings.
    """

    lines: list[int]
    columns: dict[str, list[str]]

    def rows(self) -> list[tuple[int, dict]]:
        """The same as (line, {column: value}) pairs, for small files checked row by row."""
        names = list(self.columns)
        return [(line, dict(zip(names, values))) for line, *values in zip(self.lines, *self.columns.values())]


def _read_table(path: Path, columns: tuple[str, ...], optional: set[str], problems: list[str],
                repeated: frozenset[str] = frozenset()) -> Table:
    """Read a CSV strictly: UTF-8 (a BOM is accepted), a header with the contract's columns.

    Rows are read as the csv module gives them (one list each) and turned into
    columns every _ROWS_AT_ONCE rows: no dictionary per row, and the strings of a
    `repeated` column (few distinct values) become one object per value while
    the next rows are read, so the copies' memory is reused rather than added.
    Blank rows are skipped; a row with the wrong number of fields is a problem
    naming its first line.
    """
    name = path.name
    empty = Table(lines=[], columns={c: [] for c in columns})
    try:
        problem = _encoding_problem(path)
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.append(f"{name}:0: file: cannot be read ({exc.strerror or exc})")
        return empty
    if problem:
        handle.close()
        problems.append(problem)
        return empty
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            problems.append(f"{name}:1: header: malformed CSV ({exc})")
            return empty
        if not header:
            problems.append(f"{name}:1: header: file is empty")
            return empty
        header = [h.strip() for h in header]
        missing = [c for c in columns if c not in header and c not in optional]
        if missing:
            problems.append(f"{name}:1: header: missing column(s) {', '.join(missing)}")
            return empty
        duplicates = sorted({h for h in header if header.count(h) > 1})
        if duplicates:
            problems.append(f"{name}:1: header: duplicate column(s) {', '.join(duplicates)}")
            return empty
        width = len(header)
        positions = {c: header.index(c) for c in columns if c in header}
        table: dict[str, list[str]] = {c: [] for c in columns}
        distinct: dict[str, dict[str, str]] = {c: {} for c in repeated}
        pending: list[list[str]] = []
        lines: list[int] = []

        def flush() -> None:
            by_position = list(zip(*pending))
            for column, position in positions.items():
                values = [value.strip() for value in by_position[position]]
                if (seen := distinct.get(column)) is not None:
                    values = [seen.setdefault(value, value) for value in values]
                table[column].extend(values)
            pending.clear()

        line = reader.line_num
        try:
            for values in reader:
                start, line = line + 1, reader.line_num
                # A row of the header's width with a first field is not blank: no need to join its fields.
                if len(values) != width or not values[0] or values[0].isspace():
                    joined = "".join(values)
                    if not joined or joined.isspace():  # a blank row: every field empty or spaces
                        continue
                    if len(values) != width:
                        problems.append(f"{name}:{start}: row: has {len(values)} fields, the header has {width}")
                        continue
                pending.append(values)
                lines.append(start)
                if len(pending) == _ROWS_AT_ONCE:
                    flush()
        except csv.Error as exc:
            problems.append(f"{name}:{line + 1}: row: malformed CSV ({exc}); is the file truncated?")
        except UnicodeDecodeError as exc:  # the file changed after it was checked
            problems.append(f"{name}:{line + 1}: encoding: not valid UTF-8 ({exc.reason})")
    if pending:
        flush()
    for column in columns:
        if column not in positions:
            table[column] = [""] * len(lines)
    return Table(lines=lines, columns=table)


_ROWS_AT_ONCE = 4096


def _read_rows(path: Path, columns: tuple[str, ...], optional: set[str], problems: list[str]) -> list[tuple[int, dict]]:
    """Read a CSV strictly (as _read_table) into (line, {column: value}) pairs."""
    return _read_table(path, columns, optional, problems).rows()


def _check_text(name: str, line: int, row: dict, fields: tuple[str, ...], problems: list[str]) -> None:
    for field in fields:
        if len(row[field]) > MAX_FIELD_CHARS:
            problems.append(f"{name}:{line}: {field}: longer than {MAX_FIELD_CHARS} characters")


def _check_id(where: str, value: str, first_lines: dict[str, int], line: int, problems: list[str]) -> None:
    """A slug, unique in its file; `first_lines` holds (or gains) the line each id is first on."""
    if not _SLUG.match(value):
        problems.append(f"{where}: id: {value[:60]!r} is not a slug (a-z, 0-9, '-')")
    elif (first := first_lines.setdefault(value, line)) != line:
        problems.append(f"{where}: id: duplicate {value!r} (first on line {first})")


def _validate_sources(rows: list[tuple[int, dict]], problems: list[str], today: dt.date) -> dict[str, int]:
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{SOURCES_FILE}:{line}"
        _check_id(where, row["id"], seen, line, problems)
        if not row["title"]:
            problems.append(f"{where}: title: is empty")
        if row["published"] and (problem := parse_date(row["published"], today)):
            problems.append(f"{where}: published: {problem}")
        for field in ("url", "via"):
            if row[field] and (problem := url_problem(row[field])):
                problems.append(f"{where}: {field}: {problem}")
        _check_text(SOURCES_FILE, line, row, SOURCE_COLUMNS, problems)
    return seen


def _check_event(line: int, row: dict, first_lines: dict[str, int], source_ids: dict[str, int],
                 problems: list[str], today: dt.date) -> None:
    """Every problem of one row of events.csv, in the order the checks are listed (the row is normalised in place).

    Only rows _suspects doubts come here: a check added here needs its counterpart there
    (tests/test_records_reading.py generates rows to catch one that is missing).
    """
    where = f"{EVENTS_FILE}:{line}"
    _check_id(where, row["id"], first_lines, line, problems)
    if row["country"]:
        iso3 = to_iso3(row["country"])
        if iso3 is None:
            problems.append(f"{where}: country: unknown country {row['country'][:60]!r}")
        else:
            row["country"] = iso3
    if not row["date"]:
        problems.append(f"{where}: date: is empty")
    elif problem := parse_date(row["date"], today):
        problems.append(f"{where}: date: {problem}")
    category, status = row["category"], row["status"]
    if category not in STATUS_RULES:
        problems.append(f"{where}: category: {category[:40]!r} is not one of {', '.join(CATEGORIES)}")
    else:
        allowed, required = STATUS_RULES[category]
        if status and status not in allowed:
            expected = ", ".join(allowed) if allowed else "empty"
            problems.append(f"{where}: status: {status[:40]!r} is not valid for {category} (expected {expected})")
        elif required and not status:
            problems.append(f"{where}: status: is empty; {category} needs one of {', '.join(allowed)}")
    for field in ("title", "summary"):
        if not row[field]:
            problems.append(f"{where}: {field}: is empty")
    count = row["count"] or "1"
    if not _is_count(count):
        problems.append(f"{where}: count: {count[:20]!r} is not a whole number >= 0")
    row["count"] = count
    ids = _split_list(row["source_ids"])
    if not ids:
        problems.append(f"{where}: source_ids: is empty; every record cites at least one source")
    for sid in ids:
        if sid not in source_ids:
            problems.append(f"{where}: source_ids: {sid[:60]!r} is not in {SOURCES_FILE}")
    row["source_ids"] = ";".join(ids)
    row["people"] = ";".join(_split_list(row["people"]))
    row["hashtags"] = ";".join(_split_list(row["hashtags"]))
    for tag in _split_list(row["hashtags"]):
        if _hashtag_problem(tag):
            problems.append(f"{where}: hashtags: {tag[:40]!r} is not a hashtag (# then no spaces)")
    check_past_day(where, "checked_on", row["checked_on"], problems, today)
    _check_text(EVENTS_FILE, line, row, EVENT_COLUMNS, problems)


def _split_list(value: str) -> list[str]:
    """A `;`-separated list's items, stripped, empty ones left out."""
    return [item.strip() for item in value.split(";") if item.strip()]


def _is_count(text: str) -> bool:
    """ASCII digits only: str.isdigit alone passes '²' (int() then fails) and other scripts' digits."""
    return text.isascii() and text.isdigit()


def _hashtag_problem(tag: str) -> bool:
    return not tag.startswith("#") or len(tag) < 2 or any(ch.isspace() for ch in tag)


def _per_value(values: list[str], compute: Callable[[str], object], dtype: type = object) -> np.ndarray:
    """compute(value) for every value, called once per distinct value; equal results are one object."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    results = np.empty(len(uniques), dtype=dtype)
    results[:] = [compute(value) for value in uniques]
    return results[codes]


# (category, status) pairs that pass the status rules.
_VALID_STATUSES = {(category, status) for category, (allowed, required) in STATUS_RULES.items()
                   for status in (*allowed, *(() if required else ("",)))}


def _validate_events(table: Table, source_ids: dict[str, int], problems: list[str],
                     today: dt.date) -> dict[str, np.ndarray | list[str]]:
    """Check every row of events.csv; return its columns normalised (as _check_event normalises a row).

    The checks run over whole columns (_suspects); only a row they doubt goes
    through _check_event, which words its problems: the messages are those of
    checking every row one by one, in the same order.
    """
    columns, lines = table.columns, table.lines
    first_lines: dict[str, int] = {}
    for value, line in zip(columns["id"], lines):
        first_lines.setdefault(value, line)
    for position in np.flatnonzero(_suspects(table, first_lines, source_ids, today)):
        row = {field: columns[field][position] for field in EVENT_COLUMNS}
        _check_event(lines[position], row, first_lines, source_ids, problems, today)
    country = _per_value(columns["country"], lambda value: (to_iso3(value) or value) if value else "")
    return {**columns, "country": country, "count": _per_value(columns["count"], lambda value: value or "1"),
            **{field: _per_value(columns[field], lambda value: ";".join(_split_list(value)))
               for field in ("source_ids", "people", "hashtags")}}


def _suspects(table: Table, first_lines: dict[str, int], source_ids: dict[str, int], today: dt.date) -> np.ndarray:
    """Which rows of events.csv _check_event might find a problem in: every row it would, perhaps a few more.

    Each check runs over a whole column, once per distinct value where it can.
    """
    columns, lines = table.columns, table.lines
    count = len(lines)

    def each(values: Iterable[object]) -> np.ndarray:
        return np.fromiter(values, bool, count)

    suspect = each(first_lines[value] != line for value, line in zip(columns["id"], lines))
    suspect |= _per_value(columns["id"], lambda value: not _SLUG.match(value), bool)
    suspect |= _per_value(columns["country"], lambda value: bool(value) and to_iso3(value) is None, bool)
    suspect |= _per_value(columns["date"], lambda value: not value or parse_date(value, today) is not None, bool)
    suspect |= each((c, s) not in _VALID_STATUSES for c, s in zip(columns["category"], columns["status"]))
    for field in ("title", "summary"):
        suspect |= each(not value for value in columns[field])
    suspect |= _per_value(columns["count"], lambda value: not _is_count(value or "1"), bool)
    suspect |= _per_value(columns["source_ids"],
                          lambda value: not (ids := _split_list(value)) or any(s not in source_ids for s in ids), bool)
    suspect |= _per_value(columns["hashtags"], lambda value: any(_hashtag_problem(t) for t in _split_list(value)), bool)
    suspect |= _per_value(columns["checked_on"],
                          lambda value: bool(value) and (not _FULL_DATE.match(value) or parse_date(value, today)), bool)
    for field in EVENT_COLUMNS:  # normalising never lengthens a value past the limit
        if max(map(len, columns[field]), default=0) > MAX_FIELD_CHARS:  # rare: then find the rows
            suspect |= np.fromiter(map(len, columns[field]), np.int64, count) > MAX_FIELD_CHARS
    return suspect


# events.csv's columns of few distinct values (each value's string is kept once, not once per record).
_REPEATED_EVENT_COLUMNS = frozenset({"country", "date", "category", "status", "count", "checked_on"})


def load_records(data_dir: Path, today: dt.date | None = None) -> Records:
    """Load and validate both files; raise DataError listing every problem found."""
    today = today or dt.date.today()
    problems: list[str] = []
    source_rows = _read_rows(data_dir / SOURCES_FILE, SOURCE_COLUMNS, OPTIONAL_SOURCE_COLUMNS, problems)
    event_table = _read_table(data_dir / EVENTS_FILE, EVENT_COLUMNS, OPTIONAL_EVENT_COLUMNS, problems,
                              repeated=_REPEATED_EVENT_COLUMNS)
    source_ids = _validate_sources(source_rows, problems, today)
    event_columns = _validate_events(event_table, source_ids, problems, today)
    if not event_table.lines and not problems:
        problems.append(f"{EVENTS_FILE}:2: row: the file has no records")
    if problems:
        raise DataError(problems)
    events = pd.DataFrame({**event_columns, "line": event_table.lines}, columns=[*EVENT_COLUMNS, "line"])
    events["count"] = events["count"].astype("int64")
    events["year"] = events["date"].str.slice(0, 4).astype("int64")
    sources = pd.DataFrame([row for _, row in source_rows], columns=list(SOURCE_COLUMNS))
    return Records(events=events, sources=sources)
