"""Reads the legal layer (data/legal.csv, from the World Bank's WBL panel) and classifies each economy-year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .countries import is_known_code
from .records import DataError

LEGAL_FILE = "legal.csv"
LEGAL_COLUMNS = ("iso3", "wb_code", "economy", "report_year", "law_year", "sh_law", "sh_penalties", "dv_law")

# Classes the map shows for the legal layer; "no data" is drawn grey.
NO_LAW, LAW, LAW_WITH_REMEDIES = 0, 1, 2
LEGAL_CLASSES = {
    NO_LAW: "No law on sexual harassment in employment",
    LAW: "Law, without criminal penalties or civil remedies",
    LAW_WITH_REMEDIES: "Law with criminal penalties or civil remedies",
}


def load_legal(data_dir: Path) -> pd.DataFrame:
    """Load legal.csv; raise DataError naming line and field for every bad value."""
    path = data_dir / LEGAL_FILE
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError([f"{LEGAL_FILE}:1: file: cannot be read ({exc})"]) from exc
    missing = [c for c in LEGAL_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError([f"{LEGAL_FILE}:1: header: missing column(s) {', '.join(missing)}"])
    problems: list[str] = []
    known = frame["iso3"].map(is_known_code)
    for index in frame.index[~known]:
        problems.append(f"{LEGAL_FILE}:{index + 2}: iso3: {frame.at[index, 'iso3'][:20]!r} is not a known country code")
    for field in ("report_year", "law_year"):
        for index in frame.index[~frame[field].str.fullmatch(r"\d{4}")]:
            problems.append(f"{LEGAL_FILE}:{index + 2}: {field}: {frame.at[index, field][:20]!r} is not a year")
    for field in ("sh_law", "sh_penalties", "dv_law"):
        for index in frame.index[~frame[field].isin(["Yes", "No", ""])]:
            problems.append(f"{LEGAL_FILE}:{index + 2}: {field}: {frame.at[index, field][:20]!r} is not Yes, No or empty")
    if problems:
        raise DataError(problems)
    frame["report_year"] = frame["report_year"].astype("int64")
    frame["law_year"] = frame["law_year"].astype("int64")
    frame["status"] = NO_LAW
    frame.loc[frame["sh_law"] == "Yes", "status"] = LAW
    frame.loc[(frame["sh_law"] == "Yes") & (frame["sh_penalties"] == "Yes"), "status"] = LAW_WITH_REMEDIES
    duplicated = frame.duplicated(["iso3", "law_year"], keep=False)
    if duplicated.any():
        lines = ", ".join(str(i + 2) for i in frame.index[duplicated][:10])
        raise DataError([f"{LEGAL_FILE}:{lines}: iso3: the same economy and year appear more than once"])
    return frame
