"""What changed after the movement: per country and for the world, computed from the records, never typed in.

A date stands for its first possible day when compared (2018 → 2018-01-01,
2018-06 → 2018-06-01: the `date_start` column of the Atlas's events), so a
reform dated only "2018" is not "after" a first record of 2018-06.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .atlas import INTERNATIONAL, Atlas, per_atlas
from .legal import LEGAL_CLASSES
from .query import column_rank

# The categories that make a country's "first #MeToo record"; legal reforms are what may follow.
MOVEMENT_CATEGORIES = ("case", "resignation", "campaign", "backlash")
CONVICTION_STATUSES = ("convicted", "sentenced")
ACQUITTAL_STATUSES = ("acquitted", "dismissed")
C190 = re.compile(r"\bC\s?-?190\b|\bConvention\s+(?:No\.?\s*)?190\b|Violence and Harassment Convention", re.I)

CHANGES_COLUMNS = (
    "country", "name", "first_record", "first_reform_after", "lag_years",
    "law_year_before", "law_class_before", "law_year_latest", "law_class_latest",
    "c190_ratified", "convictions", "acquittals", "backlash",
)
# The world timeline's series, bottom of a stacked bar first: cases split by outcome, backlash on its own.
TIMELINE_SERIES: dict[str, str] = {
    "convictions": "Cases: convictions and sentences",
    "acquittals": "Cases: acquittals and dismissals",
    "other_cases": "Cases: other (alleged, charged, on trial…)",
    "resignation": "Resignations",
    "campaign": "Campaigns",
    "legal_reform": "Legal reforms",
    "backlash": "Backlash",
}
LAG_METRIC = "lag"
LAG_LABEL = "Years from first #MeToo record to first legal reform"


def earliest(records: pd.DataFrame) -> dict | None:
    """The earliest record by its first possible day; on a tie the most precise date, then the id."""
    if records.empty:
        return None
    ordered = records.sort_values(["date_start", "date_precision", "id"], ascending=[True, False, True])
    return ordered.iloc[0].to_dict()


def legal_class(legal: pd.DataFrame, key: str, law_year: int) -> int | None:
    """The World Bank class (LEGAL_CLASSES) of an economy in a law year, or None without data."""
    rows = legal[(legal["iso3"] == key) & (legal["law_year"] == law_year)]
    return int(rows["status"].iloc[0]) if len(rows) else None


def c190_ratified(records: pd.DataFrame) -> str:
    """The date of the earliest record stating a ratification of ILO C190, or ''."""
    reforms = records[(records["category"] == "legal_reform") & (records["status"] == "ratified")]
    stated = reforms[(reforms["title"] + " " + reforms["summary"]).str.contains(C190)]
    first = earliest(stated)
    return first["date"] if first else ""


def country_row(key: str, name: str, records: pd.DataFrame, legal: pd.DataFrame) -> dict | None:
    """One country's row of the changes table, or None when it has no movement record.

    `legal` may be the whole legal layer or already the country's own rows.
    """
    first = earliest(records[records["category"].isin(MOVEMENT_CATEGORIES)])
    if first is None:
        return None
    after = records[records["date_start"] >= first["date_start"]]
    reform = earliest(after[after["category"] == "legal_reform"])
    cases = after[after["category"] == "case"]
    economy = legal[legal["iso3"] == key]
    before_year = int(first["year"]) - 1
    latest_year = int(economy["law_year"].max()) if len(economy) else None
    before_class = legal_class(economy, key, before_year)
    return {
        "country": key,
        "name": name,
        "first_record": first["date"],
        "first_reform_after": reform["date"] if reform else "",
        "lag_years": int(reform["year"]) - int(first["year"]) if reform else None,
        "law_year_before": before_year if before_class is not None else None,
        "law_class_before": before_class,
        "law_year_latest": latest_year,
        "law_class_latest": legal_class(economy, key, latest_year) if latest_year is not None else None,
        "c190_ratified": c190_ratified(records),
        "convictions": int(cases["status"].isin(CONVICTION_STATUSES).sum()),
        "acquittals": int(cases["status"].isin(ACQUITTAL_STATUSES).sum()),
        "backlash": int((after["category"] == "backlash").sum()),
    }


@per_atlas  # the map payload, the section and the API share one table
def country_changes(atlas: Atlas) -> pd.DataFrame:
    """One row per country with a movement record (CHANGES_COLUMNS), ordered by name.

    Empty cells are NA: no reform on or after the first record, no World Bank
    data for the year before it, no record of a C190 ratification ('').
    Each row is country_row's for the country's records, computed for every
    country in one pass: one sort in `earliest`'s order, then first rows and
    counts per country.
    """
    # earliest()'s order (first possible day, the more precise date, the id) over all records at once, from
    # the sort ranks the table's filter shares (integers, not strings); dropping duplicate keys keeps each
    # country's first row in that order.
    order = np.lexsort([column_rank(atlas, "id"), -column_rank(atlas, "date_precision"),
                        column_rank(atlas, "date_start")])
    order = order[(atlas.events["key"] != INTERNATIONAL).to_numpy()[order]]
    ordered = atlas.events.iloc[order][["key", "id", "date", "year", "date_start", "date_precision", "category",
                                        "status", "title", "summary"]]
    category = ordered["category"]
    firsts = ordered[category.isin(MOVEMENT_CATEGORIES)].drop_duplicates("key").set_index("key")
    ordered = ordered[ordered["key"].isin(firsts.index)]
    category = ordered["category"]
    after = (ordered["date_start"] >= ordered["key"].map(firsts["date_start"])).to_numpy()
    reforms = ordered[after & (category == "legal_reform").to_numpy()].drop_duplicates("key").set_index("key")
    cases = after & (category == "case").to_numpy()
    tallies = pd.DataFrame({
        "convictions": cases & ordered["status"].isin(CONVICTION_STATUSES).to_numpy(),
        "acquittals": cases & ordered["status"].isin(ACQUITTAL_STATUSES).to_numpy(),
        "backlash": after & (category == "backlash").to_numpy(),
    }, index=ordered.index).groupby(ordered["key"]).sum()
    ratified = ordered[(category == "legal_reform") & (ordered["status"] == "ratified")]
    c190 = ratified[(ratified["title"] + " " + ratified["summary"]).str.contains(C190)].drop_duplicates("key")
    c190_dates = dict(zip(c190["key"], c190["date"]))
    legal = atlas.legal.drop_duplicates(["iso3", "law_year"])  # legal_class reads an economy-year's first row
    classes = {(iso3, int(year)): int(status) for iso3, year, status in zip(legal["iso3"], legal["law_year"],
                                                                           legal["status"])}
    latest = {str(iso3): int(year) for iso3, year in atlas.legal.groupby("iso3")["law_year"].max().items()}
    rows = []
    for key, first in firsts.iterrows():
        key = str(key)
        reform = reforms.loc[key] if key in reforms.index else None
        before_year = int(first["year"]) - 1
        before_class = classes.get((key, before_year))
        latest_year = latest.get(key)
        rows.append({
            "country": key,
            "name": atlas.name_of(key),
            "first_record": first["date"],
            "first_reform_after": reform["date"] if reform is not None else "",
            "lag_years": int(reform["year"]) - int(first["year"]) if reform is not None else None,
            "law_year_before": before_year if before_class is not None else None,
            "law_class_before": before_class,
            "law_year_latest": latest_year,
            "law_class_latest": classes.get((key, latest_year)) if latest_year is not None else None,
            "c190_ratified": c190_dates.get(key, ""),
            **{column: int(tallies.at[key, column]) for column in ("convictions", "acquittals", "backlash")},
        })
    frame = pd.DataFrame(rows, columns=list(CHANGES_COLUMNS))
    for column in ("lag_years", "law_year_before", "law_class_before", "law_year_latest", "law_class_latest",
                   "convictions", "acquittals", "backlash"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(["name", "country"]).reset_index(drop=True)


def changes_records(frame: pd.DataFrame) -> list[dict]:
    """The table's rows as plain values (None for an empty cell): for JSON, CSV and the grid."""
    return [{column: (None if pd.isna(value) else value.item() if hasattr(value, "item") else value)
             for column, value in row.items()} for row in frame.to_dict("records")]


def changes_summary(frame: pd.DataFrame) -> dict:
    """How many countries have a first record, how many a legal reform on or after it, and the lags' median."""
    lags = frame["lag_years"].dropna()
    return {"countries": len(frame), "reformed": len(lags),
            "median_lag": float(lags.median()) if len(lags) else None,
            "same_year": int((lags == 0).sum())}


def timeline_series(events: pd.DataFrame) -> pd.Series:
    """Each record's series in the world timeline: its category, cases split by outcome."""
    series = events["category"].astype(object).copy()
    cases = events["category"] == "case"
    series[cases] = "other_cases"
    series[cases & events["status"].isin(CONVICTION_STATUSES)] = "convictions"
    series[cases & events["status"].isin(ACQUITTAL_STATUSES)] = "acquittals"
    return series


def world_timeline(atlas: Atlas) -> pd.DataFrame:
    """Every year × series (TIMELINE_SERIES) with its records and people (sum of `count`), zeros included.

    International records (UN, ILO, global campaigns) are part of the world's.
    """
    events = atlas.events.assign(series=timeline_series(atlas.events))
    counts = events.groupby(["year", "series"]).agg(records=("id", "size"), people=("count", "sum"))
    years = range(int(events["year"].min()), int(events["year"].max()) + 1)
    index = pd.MultiIndex.from_product([years, list(TIMELINE_SERIES)], names=["year", "series"])
    counts = counts.reindex(index, fill_value=0).astype("int64")
    return counts.reset_index()


def law_class_changes(legal: pd.DataFrame, key: str) -> list[dict]:
    """The law years in which an economy's World Bank class changed, with the classes before and after."""
    rows = legal[legal["iso3"] == key].sort_values("law_year")
    changes, previous = [], None
    for year, status in zip(rows["law_year"], rows["status"]):
        if previous is not None and int(status) != previous:
            changes.append({"year": int(year), "before": previous, "after": int(status),
                            "label": f"World Bank: {LEGAL_CLASSES[previous]} → {LEGAL_CLASSES[int(status)]}"})
        previous = int(status)
    return changes


def country_timeline(atlas: Atlas, key: str) -> pd.DataFrame:
    """A country's events in two lanes: `movement` (its movement records) and `legal` (its legal reform
    records and the World Bank class changes), with year, date, kind and a label; oldest first."""
    records = atlas.events[atlas.events["key"] == key]
    rows = [{"year": int(r["year"]), "date": r["date"], "date_start": r["date_start"],
             "lane": "legal" if r["category"] == "legal_reform" else "movement", "kind": r["category"],
             "status": r["status"], "label": f"{r['date']}: {r['title']}"} for r in records.to_dict("records")]
    rows += [{"year": c["year"], "date": str(c["year"]), "date_start": f"{c['year']}-01-01", "lane": "legal",
              "kind": "law_class", "status": "", "label": f"{c['year']}: {c['label']}"}
             for c in law_class_changes(atlas.legal, key)]
    frame = pd.DataFrame(rows, columns=["year", "date", "date_start", "lane", "kind", "status", "label"])
    return frame.sort_values(["date_start", "lane", "label"]).reset_index(drop=True)
