"""Reads and validates data/coverage.csv: which countries were researched, when and how.

A grey country can mean two things: "we searched and found no records" and
"nobody has searched yet". coverage.csv tells them apart, one row per country
on the map. The file is optional for a user's own data folder: without it the
map draws every country without records the same way, as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .records import DataError, _check_text, _read_rows, check_past_day

COVERAGE_FILE = "coverage.csv"
COVERAGE_COLUMNS = ("country", "status", "researched_on", "queries", "notes")
OPTIONAL_COVERAGE_COLUMNS = {"researched_on", "queries", "notes"}
# records: has records; none_found: searched, nothing that meets the rules; not_researched: not searched yet.
COVERAGE_STATUSES = ("records", "none_found", "not_researched")
COVERAGE_LABELS = {"records": "Records", "none_found": "Researched, no citable records found",
                   "not_researched": "Not researched yet"}


def load_coverage(data_dir: Path, drawn: set[str], with_records: set[str],
                  today: dt.date | None = None) -> pd.DataFrame | None:
    """The coverage table keyed by `country` (every drawn key once), or None when the file is absent.

    Raises DataError naming file, line and field for every problem, including a
    status that disagrees with the records ("records" exactly when the country has some).
    """
    path = data_dir / COVERAGE_FILE
    if not path.exists():
        return None
    today = today or dt.date.today()
    problems: list[str] = []
    rows = _read_rows(path, COVERAGE_COLUMNS, OPTIONAL_COVERAGE_COLUMNS, problems)
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{COVERAGE_FILE}:{line}"
        country, status = row["country"], row["status"]
        if country not in drawn:
            problems.append(f"{where}: country: {country[:40]!r} is not a country on the map (ISO3, as in countries.geojson)")
        elif country in seen:
            problems.append(f"{where}: country: duplicate {country!r} (first on line {seen[country]})")
        else:
            seen[country] = line
        if status not in COVERAGE_STATUSES:
            problems.append(f"{where}: status: {status[:40]!r} is not one of {', '.join(COVERAGE_STATUSES)}")
        elif country in drawn and (status == "records") != (country in with_records):
            has = "has records" if country in with_records else "has no records"
            problems.append(f"{where}: status: {status!r}, but {country} {has} in events.csv"
                            f" (use {'records' if country in with_records else 'none_found or not_researched'})")
        check_past_day(where, "researched_on", row["researched_on"], problems, today)
        if not row["researched_on"] and status in ("records", "none_found"):
            problems.append(f"{where}: researched_on: is empty; a researched country says when")
        if status in ("records", "none_found") and not row["queries"]:
            problems.append(f"{where}: queries: is empty; a researched country says what was searched")
        if status == "not_researched" and row["researched_on"]:
            problems.append(f"{where}: researched_on: a country not researched has no research date")
        _check_text(COVERAGE_FILE, line, row, COVERAGE_COLUMNS, problems)
    missing = sorted(drawn - set(seen))
    if rows and missing:
        problems.append(f"{COVERAGE_FILE}:1: country: no row for {len(missing)} countries on the map: "
                        f"{', '.join(missing[:12])}{' …' if len(missing) > 12 else ''}")
    if not rows and not problems:
        problems.append(f"{COVERAGE_FILE}:2: row: the file has no rows")
    if problems:
        raise DataError(problems)
    return pd.DataFrame([row for _, row in rows], columns=list(COVERAGE_COLUMNS))
