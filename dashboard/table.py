"""The records table: its controls, its grid (rows paged from the server) and the rows it shows."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from .data.atlas import CATEGORY_LABELS, Atlas
from .data.query import MAX_XLSX_ROWS, RecordFilter
from .data.records import STATUS_LABELS
from .detail import safe_href, stands_for

PAGE_SIZE = 25
EXPORT_PATHS = {"csv": "/api/records.csv", "xlsx": "/api/records.xlsx"}
SEARCH_DEBOUNCE_MS = 300

# Fixed widths, no flex: AG Grid hides a grid's flex columns until it has measured them, and a grid
# below the fold on a phone kept its header rows without cells for assistive technology (axe and
# Lighthouse: aria-required-children). At 1400 px the flex columns sat at these widths anyway.
COLUMNS = [
    # Dates are text: a date given as 2018 or 2018-06 is shown exactly so (the grid would
    # read it as an invalid full date and leave the cell blank). The server sorts them.
    {"field": "date", "headerName": "Date", "width": 118, "pinned": "left", "cellDataType": "text"},
    {"field": "country_name", "headerName": "Country", "width": 150, "cellDataType": "text"},
    {"field": "category_label", "headerName": "Category", "width": 130, "colId": "category", "cellDataType": "text"},
    {"field": "status_label", "headerName": "Status", "width": 150, "colId": "status", "cellDataType": "text"},
    {"field": "title", "headerName": "Title", "width": 260, "minWidth": 200, "wrapText": True,
     "tooltipField": "title", "cellDataType": "text"},
    {"field": "summary", "headerName": "Summary", "width": 260, "minWidth": 200, "tooltipField": "summary",
     "sortable": False, "cellDataType": "text"},
    {"field": "people", "headerName": "People", "width": 150, "minWidth": 120, "tooltipField": "people",
     "cellDataType": "text"},
    {"field": "stands_for", "headerName": "Count", "width": 130, "colId": "count", "cellDataType": "text",
     "headerTooltip": "How many people or cases a record stands for, where it is not one"},
    {"field": "sources", "headerName": "Sources", "width": 220, "minWidth": 180, "sortable": False,
     "cellRenderer": "SourceLinks", "cellDataType": False},
]


XLSX_CLASS = "btn btn-outline-secondary w-100"


def export_links(query: str, file_name: str, rows: int) -> tuple[str, str, str | None, str, str]:
    """The Export links' addresses and file names for the table's filter (its API query string).

    Over MAX_XLSX_ROWS the .xlsx link has no address and looks disabled (the count says why).
    """
    suffix = f"?{query}" if query else ""
    xlsx = rows <= MAX_XLSX_ROWS
    return (EXPORT_PATHS["csv"] + suffix, file_name, EXPORT_PATHS["xlsx"] + suffix if xlsx else None,
            file_name.removesuffix(".csv") + ".xlsx", XLSX_CLASS if xlsx else XLSX_CLASS + " disabled")


def count_text(rows: int, total: int) -> str:
    """The table's count line (announced politely), with why .xlsx is off when it is."""
    text = f"{rows} of {total} records match the filters."
    if rows > MAX_XLSX_ROWS:
        text += f" Export .xlsx takes at most {MAX_XLSX_ROWS:,}; Export CSV takes them all."
    return text


def table_rows(atlas: Atlas, records: pd.DataFrame) -> list[dict]:
    """Rows for the on-screen table: one per record, words for codes, sources as links (http(s) only)."""
    rows = []
    for record in records.to_dict("records"):
        count = int(record["count"])
        rows.append({
            "id": record["id"],
            "key": record["key"],
            "date": record["date"],
            "country_name": record["country_name"],
            "category_label": CATEGORY_LABELS.get(record["category"], record["category"]),
            "status_label": STATUS_LABELS.get(record["status"], record["status"]),
            "title": record["title"],
            "summary": record["summary"],
            "people": record["people"].replace(";", ", "),
            "stands_for": stands_for(count),
            "sources": [{"title": s["title"], "publisher": s.get("publisher", ""), "href": safe_href(s.get("url"))}
                        for s in atlas.sources_for(record["source_ids"])],
        })
    return rows


def _statuses_in(atlas: Atlas) -> list[dict]:
    used = set(atlas.events["status"].unique()) - {""}
    return [{"label": label, "value": key} for key, label in STATUS_LABELS.items() if key in used]


def table_section(atlas: Atlas) -> html.Section:
    first, last = int(atlas.events["year"].min()), int(atlas.events["year"].max())
    csv_href, csv_name, xlsx_href, xlsx_name, xlsx_class = export_links(
        "", RecordFilter().file_name(atlas.records_as_of), len(atlas.events))
    return html.Section(
        [
            html.H2("Records", className="h4 mt-4", id="records-heading"),
            dbc.Row(
                [
                    dbc.Col([dbc.Label("Years", html_for="table-years", id="table-years-label"),
                             dcc.RangeSlider(id="table-years", min=first, max=last, step=1, value=[first, last],
                                             marks={first: str(first), last: str(last)}, allow_direct_input=False,
                                             tooltip={"placement": "bottom"}),
                             html.Output(f"{first} – {last}", id="table-years-text", className="small",
                                         htmlFor="table-years")], xs=12, lg=3),
                    dbc.Col([dbc.Label("Categories", html_for="table-categories"),
                             dcc.Dropdown(id="table-categories", multi=True, value=[], placeholder="All categories",
                                          options=[{"label": v, "value": k} for k, v in CATEGORY_LABELS.items()])],
                            xs=12, md=6, lg=2),
                    dbc.Col([dbc.Label("Status", html_for="table-statuses"),
                             dcc.Dropdown(id="table-statuses", multi=True, value=[], placeholder="Any status",
                                          options=_statuses_in(atlas))], xs=12, md=6, lg=2),
                    dbc.Col([dbc.Label("Search", html_for="table-text"),
                             dbc.Input(id="table-text", type="search", debounce=SEARCH_DEBOUNCE_MS, maxLength=200,
                                       placeholder="Name, title, hashtag, source…")], xs=12, md=6, lg=3),
                    # Links to the streamed API with the table's filters and sort (set by the table's
                    # callback): the browser downloads the file, no callback builds it.
                    dbc.Col([html.A("Export CSV", id="export-button", href=csv_href, download=csv_name,
                                    className="btn btn-secondary w-100 mb-1"),
                             html.A("Export .xlsx", id="export-xlsx-button", href=xlsx_href, download=xlsx_name,
                                    className=xlsx_class)], xs=12, md=6, lg=2),
                ],
                className="g-2 mb-2",
            ),
            html.P(id="table-count", className="small text-muted mb-1", **{"aria-live": "polite"}),
            dag.AgGrid(
                id="table",
                columnDefs=COLUMNS,
                rowModelType="infinite",
                defaultColDef={"sortable": True, "resizable": True, "suppressHeaderMenuButton": True},
                dashGridOptions={"animateRows": False, "pagination": True, "paginationPageSize": PAGE_SIZE,
                                 "paginationPageSizeSelector": False, "cacheBlockSize": PAGE_SIZE,
                                 "maxBlocksInCache": 20, "rowHeight": 56, "tooltipShowDelay": 300,
                                 # A page is 25 rows: all of them in the DOM, for screen readers and find-in-page.
                                 "suppressRowVirtualisation": True,
                                 # One Tab stop: arrow keys move inside the grid, Tab leaves it.
                                 "tabToNextCell": {"function": "false"},
                                 "tabToNextHeader": {"function": "false"}},
                getRowId="params.data.id",
                style={"height": "620px"},
                className="ag-theme-quartz",
            ),
        ],
        id="records-section",
        **{"aria-labelledby": "records-heading"},
    )
