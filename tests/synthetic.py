"""A synthetic data folder of any size, made from the shipped data (for tests and bench/scale.py).

Every file but events.csv is copied as shipped; events.csv repeats the shipped
records in turn, each copy with its own id and a numbered title, so countries,
categories, statuses, dates and sources keep the shipped proportions (the
largest country stays the largest). One record of each country comes first, so
a folder smaller than the shipped one still has every country coverage.csv says
has records. The folder passes `metoo-map validate`.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dashboard.data.records import EVENTS_FILE
from dashboard.settings import DEFAULT_DATA_DIR


def write_synthetic(out: Path, records: int, source: Path = DEFAULT_DATA_DIR) -> Path:
    """Write a data folder with `records` records to `out` (created if needed) and return it."""
    out.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.name != EVENTS_FILE:
            shutil.copy(path, out / path.name)
    with (source / EVENTS_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    firsts = set({row["country"]: n for n, row in reversed(list(enumerate(rows)))}.values())
    shipped = [r for n, r in enumerate(rows) if n in firsts] + [r for n, r in enumerate(rows) if n not in firsts]
    with (out / EVENTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        for n in range(records):
            row = dict(shipped[n % len(shipped)])
            copy = n // len(shipped)
            if copy:
                row["id"] = f"{row['id'][:100]}-x{copy}"
                row["title"] = f"{row['title']} (copy {copy})"
            writer.writerow(row)
    return out
