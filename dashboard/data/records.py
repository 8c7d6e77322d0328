"""Reads and validates the records contract: data/events.csv and data/sources.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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


def _read_rows(path: Path, columns: tuple[str, ...], optional: set[str], problems: list[str]) -> list[tuple[int, dict]]:
    """Read a CSV strictly: UTF-8 (a BOM is accepted), a header with the contract's columns."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(f"{name}:0: file: cannot be read ({exc.strerror or exc})")
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(f"{name}:{line}: encoding: not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
        return []
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(f"{name}:{line}: file: contains a NUL byte (binary or corrupt file)")
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(f"{name}:1: header: malformed CSV ({exc})")
        return []
    if not header:
        problems.append(f"{name}:1: header: file is empty")
        return []
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header and c not in optional]
    if missing:
        problems.append(f"{name}:1: header: missing column(s) {', '.join(missing)}")
        return []
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        problems.append(f"{name}:1: header: duplicate column(s) {', '.join(duplicates)}")
        return []
    rows: list[tuple[int, dict]] = []
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(f"{name}:{start}: row: has {len(values)} fields, the header has {len(header)}")
                continue
            row = {c: "" for c in columns}
            row.update({h: v.strip() for h, v in zip(header, values) if h in columns})
            rows.append((start, row))
    except csv.Error as exc:
        problems.append(f"{name}:{line + 1}: row: malformed CSV ({exc}); is the file truncated?")
    return rows


def _check_text(name: str, line: int, row: dict, fields: tuple[str, ...], problems: list[str]) -> None:
    for field in fields:
        if len(row[field]) > MAX_FIELD_CHARS:
            problems.append(f"{name}:{line}: {field}: longer than {MAX_FIELD_CHARS} characters")


def _check_id(where: str, value: str, seen: dict[str, int], line: int, problems: list[str]) -> None:
    """A slug, unique in its file; `seen` remembers the line each id was first on."""
    if not _SLUG.match(value):
        problems.append(f"{where}: id: {value[:60]!r} is not a slug (a-z, 0-9, '-')")
    elif value in seen:
        problems.append(f"{where}: id: duplicate {value!r} (first on line {seen[value]})")
    else:
        seen[value] = line


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


def _validate_events(rows: list[tuple[int, dict]], source_ids: dict[str, int], problems: list[str], today: dt.date) -> None:
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{EVENTS_FILE}:{line}"
        _check_id(where, row["id"], seen, line, problems)
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
        if not count.isdigit():
            problems.append(f"{where}: count: {count[:20]!r} is not a whole number >= 0")
        row["count"] = count
        ids = [s.strip() for s in row["source_ids"].split(";") if s.strip()]
        if not ids:
            problems.append(f"{where}: source_ids: is empty; every record cites at least one source")
        for sid in ids:
            if sid not in source_ids:
                problems.append(f"{where}: source_ids: {sid[:60]!r} is not in {SOURCES_FILE}")
        row["source_ids"] = ";".join(ids)
        row["people"] = ";".join(p.strip() for p in row["people"].split(";") if p.strip())
        row["hashtags"] = ";".join(h.strip() for h in row["hashtags"].split(";") if h.strip())
        for tag in row["hashtags"].split(";") if row["hashtags"] else ():
            if not tag.startswith("#") or len(tag) < 2 or any(ch.isspace() for ch in tag):
                problems.append(f"{where}: hashtags: {tag[:40]!r} is not a hashtag (# then no spaces)")
        check_past_day(where, "checked_on", row["checked_on"], problems, today)
        _check_text(EVENTS_FILE, line, row, EVENT_COLUMNS, problems)


def load_records(data_dir: Path, today: dt.date | None = None) -> Records:
    """Load and validate both files; raise DataError listing every problem found."""
    today = today or dt.date.today()
    problems: list[str] = []
    source_rows = _read_rows(data_dir / SOURCES_FILE, SOURCE_COLUMNS, OPTIONAL_SOURCE_COLUMNS, problems)
    event_rows = _read_rows(data_dir / EVENTS_FILE, EVENT_COLUMNS, OPTIONAL_EVENT_COLUMNS, problems)
    source_ids = _validate_sources(source_rows, problems, today)
    _validate_events(event_rows, source_ids, problems, today)
    if not event_rows and not problems:
        problems.append(f"{EVENTS_FILE}:2: row: the file has no records")
    if problems:
        raise DataError(problems)
    events = pd.DataFrame([{**row, "line": line} for line, row in event_rows], columns=[*EVENT_COLUMNS, "line"])
    events["count"] = events["count"].astype("int64")
    events["year"] = events["date"].str.slice(0, 4).astype("int64")
    sources = pd.DataFrame([row for _, row in source_rows], columns=list(SOURCE_COLUMNS))
    return Records(events=events, sources=sources)
