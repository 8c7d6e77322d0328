"""Pure functions from the changes tables to the "What changed" section: world timeline, strips, compare, table.

Charts are plain HTML (the page has plotly.js's geo bundle only, with no bar
trace): every bar and mark says its numbers in a title and an aria-label.
"""

from __future__ import annotations

from collections import Counter

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from .data.atlas import CATEGORY_LABELS, COUNTS, Atlas, per_atlas
from .data.changes import (
    TIMELINE_SERIES, changes_records, changes_summary, country_changes, country_timeline,
)
from .figures import CATEGORY_COLOURS, LEGAL_LEGEND

MAX_COMPARE = 4
MAX_MARKS = 6  # marks a strip draws per year and lane
SERIES_COLOURS = {
    "convictions": "#004B7A", "acquittals": "#56B4E9", "other_cases": "#0072B2",
    "resignation": CATEGORY_COLOURS["resignation"], "campaign": CATEGORY_COLOURS["campaign"],
    "legal_reform": CATEGORY_COLOURS["legal_reform"], "backlash": CATEGORY_COLOURS["backlash"],
}
NOT_A_CENSUS = ("These are the records this atlas has found and cited, not a complete census: a country without a "
                "reform record may have reformed without our knowing it, and a reform that followed the movement "
                "need not have been caused by it.")


def law_words(cls: object) -> str:
    """A World Bank class in the legend's short words, or '' without data."""
    return "" if cls is None or pd.isna(cls) else LEGAL_LEGEND[int(cls) + 1]


def years_phrase(n: int) -> str:
    return "the same year" if n == 0 else f"{n} year later" if n == 1 else f"{n} years later"


def count_words(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def world_timeline_chart(timeline: pd.DataFrame, count: str = "records") -> html.Figure:
    """Stacked bars per year (cases split by outcome, backlash on its own); each bar a button for the map's year."""
    column = "people" if count == "people" else "records"
    table = timeline.pivot(index="year", columns="series", values=column).reindex(columns=list(TIMELINE_SERIES))
    tallest = max(int(table.sum(axis=1).max()), 1)
    bars = []
    for year, values in table.iterrows():
        parts = [(s, int(values[s])) for s in TIMELINE_SERIES if values[s]]
        words = ", ".join(f"{TIMELINE_SERIES[s]} {n}" for s, n in parts) or "none"
        label = f"{year}: {words}. Show {year} on the map."
        segments = [html.Span(className="bar-segment", style={"height": f"{100 * n / tallest:.1f}%",
                                                              "background": SERIES_COLOURS[s]}) for s, n in parts]
        bars.append(html.Li(html.Button(
            # The name is the full sentence (visually hidden); the short year on screen is decoration.
            [html.Span(segments[::-1], className="bar-stack"),
             html.Span(str(year)[2:], className="bar-year", **{"aria-hidden": "true"}),
             html.Span(label, className="visually-hidden")],
            type="button", className="changes-year", title=label, **{"data-year": str(year)}),
            className="bar"))
    legend = [html.Span([html.Span(className="swatch", style={"background": SERIES_COLOURS[s]}), text],
                        className="me-2 d-inline-block") for s, text in TIMELINE_SERIES.items()]
    return html.Figure(
        [html.Ol(bars, className="bars changes-bars", **{"aria-label": f"{COUNTS[column]} per year, world"}),
         html.Figcaption([f"{COUNTS[column]} per year, world and international (highest: {tallest}). "
                          "Click or press a year to show it on the map. ", *legend], className="small text-muted")],
        id="changes-world-chart", className="detail-chart changes-chart mb-2",
    )


def summary_text(summary: dict) -> html.P:
    """How many countries reformed after their first record and the median lag, with the not-a-census caveat."""
    median = summary["median_lag"]
    median_text = "no median" if median is None else f"{median:g} {'year' if median == 1 else 'years'}"
    return html.P([
        "Of ", html.Strong(str(summary["countries"]), id="changes-countries"),
        " countries with a #MeToo record (a case, resignation, campaign or backlash), ",
        html.Strong(str(summary["reformed"]), id="changes-reformed"),
        " have a legal reform record dated on or after their first one (", str(summary["same_year"]),
        " in the same year). The median time from the first record to that reform is ",
        html.Strong(median_text, id="changes-median"), ". ", html.Em(NOT_A_CENSUS)], id="changes-summary")


def strip_caption(row: dict) -> str:
    """The changes row of a country in words."""
    parts = [f"First #MeToo record {row['first_record']}"]
    if row["first_reform_after"]:
        parts[0] += (f"; first legal reform on or after it {row['first_reform_after']} "
                     f"({years_phrase(int(row['lag_years']))})")
    else:
        parts[0] += "; no legal reform recorded on or after it"
    law = [f"{row[f'law_year_{when}']}: {law_words(row[f'law_class_{when}'])}" for when in ("before", "latest")
           if row[f"law_class_{when}"] is not None and not pd.isna(row[f"law_class_{when}"])]
    if law:
        parts.append("World Bank law class " + ", ".join(law))
    if row["c190_ratified"]:
        parts.append(f"ILO C190 ratified {row['c190_ratified']}")
    parts.append("Since the first record: " + ", ".join([
        count_words(int(row["convictions"]), "conviction or sentence", "convictions or sentences"),
        count_words(int(row["acquittals"]), "acquittal or dismissal", "acquittals or dismissals"),
        count_words(int(row["backlash"]), "backlash record", "backlash records")]))
    return ". ".join(parts) + "."


def timeline_strip(lanes: pd.DataFrame, row: dict | None, first: int, last: int, strip_id: str) -> html.Figure:
    """A country's years on one axis: movement records above the line, legal events below."""
    cells = []
    by_year: dict[int, list[dict]] = {}
    for event in lanes.to_dict("records"):
        by_year.setdefault(event["year"], []).append(event)
    for year in range(first, last + 1):
        here = by_year.get(year, [])
        movement = [e["kind"] for e in here if e["lane"] == "movement"]
        legal = [e for e in here if e["lane"] == "legal"]
        dots = [html.Span(className="strip-dot", style={"background": CATEGORY_COLOURS[k]}) for k in movement]
        marks = [html.Span(className="strip-law" if e["kind"] == "law_class" else "strip-reform",
                           style={"background": CATEGORY_COLOURS["legal_reform"]} if e["kind"] != "law_class" else {})
                 for e in legal]
        said = ", ".join(f"{CATEGORY_LABELS[k]} {n}" for k, n in Counter(movement).most_common())
        # At most six legal events by name, as the lane draws six marks: a year of a thousand reforms stays short.
        named = [e["label"].split(": ", 1)[1] for e in legal[:MAX_MARKS]]
        if len(legal) > MAX_MARKS:
            named.append(f"{len(legal) - MAX_MARKS} more legal events")
        label = f"{year}: " + "; ".join(x for x in [said, *named] if x) if here else f"{year}: nothing recorded"
        marked = row is not None and year in _years_of(row)
        cells.append(html.Li([html.Span(_at_most(dots), className="strip-top"),
                              html.Span(_at_most(marks), className="strip-bottom"),
                              html.Span(str(year)[2:], className="strip-year")],
                             className="strip-cell" + (" strip-marked" if marked else ""), title=label,
                             **{"aria-label": label}))
    caption = strip_caption(row) if row else "No movement record: no first record to measure from."
    return html.Figure([html.Ol(cells, className="strip", **{"aria-label": "Years: movement above, legal below"}),
                        html.Figcaption(caption, className="small text-muted")],
                       id=strip_id, className="changes-strip mb-2")


def _at_most(marks: list) -> list:
    """A lane's first MAX_MARKS marks, then "+" when there are more."""
    return marks[:MAX_MARKS] + ([html.Span("+", className="strip-more")] if len(marks) > MAX_MARKS else [])


def _years_of(row: dict) -> set[int]:
    return {int(d[:4]) for d in (row["first_record"], row["first_reform_after"]) if d}


@per_atlas
def changes_rows(atlas: Atlas) -> dict[str, dict]:
    """The changes table's row of each country with a movement record, as plain values (country_row's)."""
    return {row["country"]: row for row in changes_records(country_changes(atlas))}


def country_strip(atlas: Atlas, key: str) -> html.Figure | None:
    """The detail panel's strip for a country with records (None for international records)."""
    records = atlas.events[atlas.events["key"] == key]
    if records.empty or key not in atlas.country_keys:
        return None
    row = changes_rows(atlas).get(key)
    lanes = country_timeline(atlas, key)
    return timeline_strip(lanes, row, int(records["year"].min()), int(records["year"].max()), "detail-strip")


def compare_view(atlas: Atlas, keys: list[str]) -> list:
    """Small multiples of up to four countries' strips on a shared year axis."""
    if not keys:
        return [html.P("Choose up to four countries to see their timelines side by side.", className="small")]
    events = atlas.events[atlas.events["key"].isin(keys)]
    first, last = int(events["year"].min()), int(events["year"].max())
    items = []
    for key in keys:
        row = changes_rows(atlas).get(key)
        items.append(html.Section([html.H4(atlas.name_of(key), className="h6 mb-1"),
                                   timeline_strip(country_timeline(atlas, key), row, first, last, f"compare-{key}")],
                                  className="compare-item"))
    return [html.P(f"Shared axis {first}–{last}: movement records above the line (dots, coloured by category), "
                   "legal reform records (squares) and World Bank class changes (diamonds) below.",
                   className="small text-muted mb-1"), html.Div(items, className="compare-grid")]


TABLE_COLUMNS = [
    {"field": "name", "headerName": "Country", "pinned": "left", "width": 150},
    {"field": "first_record", "headerName": "First record", "width": 125},
    {"field": "first_reform_after", "headerName": "First reform after", "width": 150},
    {"field": "lag_years", "headerName": "Lag (years)", "width": 115, "type": "numericColumn"},
    {"field": "law_before", "headerName": "WB law, year before", "width": 200},
    {"field": "law_latest", "headerName": "WB law, latest", "width": 200},
    {"field": "c190_ratified", "headerName": "C190 ratified", "width": 130},
    {"field": "convictions", "headerName": "Convictions", "width": 120, "type": "numericColumn"},
    {"field": "acquittals", "headerName": "Acquittals", "width": 115, "type": "numericColumn"},
    {"field": "backlash", "headerName": "Backlash", "width": 110, "type": "numericColumn"},
]


def table_rows(frame: pd.DataFrame) -> list[dict]:
    """The grid's rows: the API's values, World Bank classes in words with their year."""
    rows = []
    for row in changes_records(frame):
        for when in ("before", "latest"):
            cls = row[f"law_class_{when}"]
            row[f"law_{when}"] = f"{row[f'law_year_{when}']}: {law_words(cls)}" if cls is not None else ""
        rows.append(row)
    return rows


def changes_section(atlas: Atlas) -> html.Section:
    """The "What changed" section: summary, world timeline, compare, per-country table."""
    frame = country_changes(atlas)
    options = [{"label": name, "value": key} for key, name in zip(frame["country"], frame["name"])]
    return html.Section([
        html.H2("What changed: from movement to courts, laws and backlash", className="h4 mt-4",
                id="changes-heading"),
        summary_text(changes_summary(frame)),
        html.Div(id="changes-world"),
        html.H3("Compare countries", className="h6 mt-3", id="compare-heading"),
        dbc.Label("Countries to compare (up to four)", html_for="compare-select", className="small"),
        dcc.Dropdown(id="compare-select", options=options, multi=True, value=[], placeholder="Choose countries…"),
        html.Div(compare_view(atlas, []), id="compare",
                 **{"aria-live": "polite", "aria-labelledby": "compare-heading"}),
        html.Div([html.H3("Country by country", className="h6 mt-3 mb-0"),
                  dbc.Button("Export CSV", id="changes-export", color="secondary", size="sm", className="ms-auto")],
                 className="d-flex align-items-center mb-1"),
        dag.AgGrid(id="changes-table", columnDefs=TABLE_COLUMNS, rowData=table_rows(frame),
                   getRowId="params.data.country",
                   defaultColDef={"sortable": True, "resizable": True, "suppressHeaderMenuButton": True},
                   dashGridOptions={"animateRows": False, "tabToNextCell": {"function": "false"},
                                    "tabToNextHeader": {"function": "false"}},
                   csvExportParams={"fileName": f"metoo-changes_asof-{atlas.records_as_of}.csv"},
                   style={"height": "420px"}, className="ag-theme-quartz"),
        html.P(["Dates as precise as the records give them; a date stands for its first day when compared. "
                "The same table: ", html.A("/api/changes.csv", href="/api/changes.csv"), "."],
               className="small text-muted"),
    ], id="changes", **{"aria-labelledby": "changes-heading"})
