"""Pure functions from the Atlas to Dash components: the page layout and the detail panel."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from .data.atlas import CATEGORY_LABELS, INTERNATIONAL, METRICS, Atlas
from .data.records import url_problem
from .figures import CATEGORY_COLOURS, choropleth_figure, map_payload
from .timeline import Timeline

DETAIL_GROUPS = (
    ("case", "Cases"),
    ("resignation", "Resignations"),
    ("legal_reform", "Legal reforms"),
    ("other", "Other: campaigns and backlash"),
)
# One year per step: about 6.7 years a second, above the 5 the play target asks.
PLAY_STEP_MS = 150
PLAY_LABEL, PAUSE_LABEL = "▶ Play", "⏸ Pause"
STATUS_TEXT = {"on_trial": "on trial", "in_force": "in force"}


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def safe_href(url: str | None) -> str | None:
    """The url if it is an http(s) url with a host, else None: no javascript:, data: or vbscript: links."""
    return url if url and url_problem(url) is None else None


def _country_options(atlas: Atlas) -> list[dict]:
    """Every country on the map (those without records too: their legal status is worth a look)."""
    records = atlas.events["key"].value_counts()
    keys = sorted(atlas.countries["key"], key=atlas.name_of)
    options = [{"label": f"{atlas.name_of(k)} — {plural(records[k], 'record')}" if k in records else atlas.name_of(k),
                "value": k} for k in keys]
    if INTERNATIONAL in records:
        options.insert(0, {"label": f"International (no single country) — {plural(records[INTERNATIONAL], 'record')}",
                           "value": INTERNATIONAL})
    return options


def _controls(atlas: Atlas) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [dbc.Label("Show on the map", html_for="metric"),
                 dcc.Dropdown(id="metric", options=[{"label": v, "value": k} for k, v in METRICS.items()],
                              value="all", clearable=False, searchable=False)],
                xs=12, md=4,
            ),
            dbc.Col(
                [dbc.Label("Count", html_for="mode"),
                 dbc.RadioItems(id="mode", inline=True, value="year",
                                options=[{"label": "In the year", "value": "year"},
                                         {"label": "Cumulative to the year", "value": "cumulative"}])],
                xs=12, md=4,
            ),
            dbc.Col(
                [dbc.Label("Country", html_for="country-select"),
                 dcc.Dropdown(id="country-select", options=_country_options(atlas), value=None,
                              placeholder="Click the map or choose…")],
                xs=12, md=4,
            ),
        ],
        className="g-2 mb-2",
    )


def _timeline(atlas: Atlas) -> dbc.Row:
    timeline = Timeline(tuple(atlas.years("all")))
    return dbc.Row(
        [
            dbc.Col(dbc.Button(PLAY_LABEL, id="play-button", color="primary", size="sm", n_clicks=0,
                               title="Play through the years", className="play-button"), width="auto"),
            dbc.Col(dcc.Slider(id="year-slider", min=timeline.first, max=timeline.last, step=1, value=timeline.last,
                               marks=timeline.marks(), included=False,
                               updatemode="drag", tooltip={"placement": "top", "always_visible": False}),
                    className="slider-col"),
            dcc.Interval(id="play-interval", interval=PLAY_STEP_MS, disabled=True, n_intervals=0),
        ],
        className="align-items-center g-2 mb-2",
        id="timeline",
    )


def _table_section(atlas: Atlas) -> html.Section:
    first, last = int(atlas.events["year"].min()), int(atlas.events["year"].max())
    columns = [
        {"field": "date", "headerName": "Date", "width": 110},
        {"field": "country_name", "headerName": "Country", "width": 150},
        {"field": "category", "headerName": "Category", "width": 130},
        {"field": "status", "headerName": "Status", "width": 110},
        {"field": "title", "headerName": "Title", "flex": 2, "minWidth": 240},
        {"field": "people", "headerName": "People", "flex": 1, "minWidth": 140},
        {"field": "count", "headerName": "Count", "width": 90, "type": "numericColumn"},
        {"field": "sources", "headerName": "Sources", "flex": 1, "minWidth": 180},
    ]
    return html.Section(
        [
            html.H2("Records", className="h4 mt-4"),
            dbc.Row(
                [
                    dbc.Col([dbc.Label("Years", html_for="table-years"),
                             dcc.RangeSlider(id="table-years", min=first, max=last, step=1, value=[first, last],
                                             marks={first: str(first), last: str(last)},
                                             tooltip={"placement": "bottom"})], xs=12, lg=4),
                    dbc.Col([dbc.Label("Categories", html_for="table-categories"),
                             dcc.Dropdown(id="table-categories", multi=True, value=[],
                                          placeholder="All categories",
                                          options=[{"label": v, "value": k} for k, v in CATEGORY_LABELS.items()])],
                            xs=12, md=6, lg=3),
                    dbc.Col([dbc.Label("Search", html_for="table-text"),
                             dbc.Input(id="table-text", type="search", debounce=True, maxLength=200,
                                       placeholder="Name, title, summary…")], xs=12, md=6, lg=3),
                    dbc.Col(dbc.Button("Export CSV", id="export-button", color="secondary", className="mt-4 w-100"),
                            xs=12, lg=2),
                ],
                className="g-2 mb-2",
            ),
            html.P(id="table-count", className="small text-muted mb-1", **{"aria-live": "polite"}),
            dag.AgGrid(
                id="table",
                columnDefs=columns,
                rowData=[],
                defaultColDef={"sortable": True, "resizable": True, "wrapText": False},
                dashGridOptions={"animateRows": False, "pagination": True, "paginationPageSize": 25,
                                 "paginationPageSizeSelector": [25, 50, 100]},
                getRowId="params.data.id",
                style={"height": "520px"},
                className="ag-theme-quartz",
            ),
            dcc.Download(id="download"),
        ],
        id="records-section",
    )


def _about(atlas: Atlas) -> html.Section:
    events = atlas.events
    seeds = atlas.sources[atlas.sources["seed_file"] != ""]
    first, last = events["date"].min(), events["date"].max()
    legal_first, legal_last = int(atlas.legal["law_year"].min()), int(atlas.legal["law_year"].max())
    return html.Section(
        [
            html.H2("About and sources", className="h4 mt-4"),
            html.P(
                f"{len(events)} records in {events.loc[events['key'] != INTERNATIONAL, 'key'].nunique()} countries "
                f"plus international bodies, dated {first} to {last}, citing {len(atlas.sources)} sources. "
                f"Records as of {atlas.records_as_of}.",
                id="about-summary",
            ),
            html.P(
                "Every record cites at least one source. Summaries are our own words. An allegation is shown as an "
                "allegation; a verdict names its court and year only as the source gives them."
            ),
            html.H3("Source documents", className="h6"),
            html.Ul([html.Li(_source_line(row)) for row in seeds.to_dict("records")]),
            html.H3("Legal layer", className="h6"),
            html.P(
                [
                    "World Bank, Women, Business and the Law 2020 (panel data 1971–2020), licensed under ",
                    html.A("CC BY 4.0", href="https://creativecommons.org/licenses/by/4.0/", rel="noopener noreferrer",
                           target="_blank"),
                    f". A report year describes the law of the year before, so the map shows the law as it stood in "
                    f"{legal_first}–{legal_last}.",
                ]
            ),
            html.H3("Map", className="h6"),
            html.P("Country shapes: Natural Earth, Admin 0 – Countries, 1:50m (public domain), simplified."),
        ],
        id="about",
    )


def _source_line(source: dict) -> list:
    parts: list = []
    href = safe_href(source.get("url", ""))
    title = source["title"]
    parts.append(html.A(title, href=href, rel="noopener noreferrer", target="_blank") if href else html.Span(title))
    details = ", ".join(x for x in (source.get("publisher"), source.get("author"), source.get("published")) if x)
    if details:
        parts.append(f" — {details}")
    return parts


def page_layout(atlas: Atlas, geojson_url: str) -> html.Div:
    """The whole page; the map's geometry is in it once and never sent again."""
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="map-data", data=map_payload(atlas)),
            dcc.Store(id="restored-year"),
            dcc.Store(id="url-sink"),
            dbc.Container(
                [
                    html.Header(
                        [html.H1("MeToo Atlas", className="h3 mb-0"),
                         html.P("How the #MeToo movement spread, country by country, year by year — and what it "
                                "changed.", className="text-muted mb-2")],
                        className="pt-3",
                    ),
                    _controls(atlas),
                    _timeline(atlas),
                    dbc.Row(
                        [
                            dbc.Col(dcc.Graph(id="map", figure=choropleth_figure(atlas, geojson_url), className="map-graph",
                                              config={"displaylogo": False, "scrollZoom": False,
                                                      "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                                                      "toImageButtonOptions": {"filename": "metoo-atlas-map"}}),
                                    xs=12, lg=8),
                            dbc.Col(_detail_container(), xs=12, lg=4),
                        ],
                        className="g-3",
                    ),
                    _table_section(atlas),
                    _about(atlas),
                    html.Footer(html.P("MeToo Atlas — open data, cited record by record.", className="small text-muted"),
                                className="my-4"),
                ],
                fluid=True,
                className="atlas",
            ),
        ]
    )


def _detail_container() -> html.Aside:
    return html.Aside(
        [
            html.Div(
                [html.H2("World view", id="detail-title", className="h5 mb-1"),
                 dbc.Button("× Clear", id="clear-country", size="sm", color="link", n_clicks=0,
                            title="Back to the world view", className="p-0 ms-auto")],
                className="d-flex align-items-baseline",
            ),
            html.P(id="detail-legal", className="small mb-2"),
            html.Div(id="detail-body"),
            dbc.Button("International records (UN, ILO, global campaigns)", id="show-international", size="sm",
                       color="outline-secondary", n_clicks=0, className="mt-2"),
        ],
        id="detail-panel",
        className="detail-panel",
        **{"aria-live": "polite"},
    )


def world_summary(atlas: Atlas) -> list:
    """What the detail panel says before a country is chosen."""
    counts = atlas.events.groupby("category")["count"].sum()
    items = [html.Li(f"{label}: {int(counts.get(category, 0))}") for category, label in CATEGORY_LABELS.items()]
    return [html.P("Click a country on the map, or choose one above, to read its records and their sources."),
            html.Ul(items, className="small")]


def _status_badge(status: str) -> dbc.Badge | str:
    if not status:
        return ""
    colour = "warning" if status == "alleged" else "secondary"
    return dbc.Badge(STATUS_TEXT.get(status, status), color=colour, className="ms-1", text_color="dark" if colour == "warning" else None)


def record_card(record: dict, sources: list[dict]) -> html.Article:
    """One record: date, title, status, summary, people and its sources. All text, never HTML."""
    source_items = []
    for source in sources:
        href = safe_href(source.get("url", ""))
        title = html.A(source["title"], href=href, rel="noopener noreferrer", target="_blank") if href \
            else html.Span(source["title"])
        details = ", ".join(x for x in (source.get("publisher"), source.get("published")) if x)
        source_items.append(html.Li([title, f" — {details}" if details else ""]))
    people = record.get("people") or ""
    return html.Article(
        [
            html.Div([html.Span(record["date"], className="text-muted me-2"), html.Strong(record["title"]),
                      _status_badge(record.get("status") or "")]),
            html.P(record["summary"], className="mb-1"),
            html.P(f"People: {people.replace(';', ', ')}", className="small mb-1") if people else None,
            html.Details([html.Summary(f"Sources ({len(sources)})", className="small"),
                          html.Ul(source_items, className="small mb-1")], open=False),
        ],
        className="record mb-2",
        id={"type": "record", "id": record["id"]},
    )


def records_by_year_chart(records) -> html.Figure:
    """A small stacked bar chart of records by year and category, in plain HTML.

    Plain HTML keeps the page on plotly.js's geo bundle (a third of the full
    one), which has no bar trace; each bar says its numbers on hover and to
    screen readers.
    """
    table = records.pivot_table(index="year", columns="category", values="count", aggfunc="sum").fillna(0)
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    table = table.reindex(years, fill_value=0)
    tallest = max(float(table.sum(axis=1).max()), 1.0)
    columns = []
    for year in years:
        parts = [(c, int(table.at[year, c])) for c in CATEGORY_LABELS if c in table.columns and table.at[year, c]]
        label = f"{year}: " + (", ".join(f"{CATEGORY_LABELS[c]} {n}" for c, n in parts) if parts else "none")
        segments = [html.Div(className="bar-segment", style={"height": f"{100 * n / tallest:.1f}%",
                                                               "background": CATEGORY_COLOURS[c]}) for c, n in parts]
        columns.append(html.Div([html.Div(segments[::-1], className="bar-stack"),
                                 html.Span(str(year)[2:], className="bar-year")],
                                className="bar", title=label, role="listitem", **{"aria-label": label}))
    legend = [html.Span([html.Span(className="swatch", style={"background": CATEGORY_COLOURS[c]}), label],
                        className="me-2") for c, label in CATEGORY_LABELS.items() if c in table.columns]
    return html.Figure(
        [html.Div(columns, className="bars", role="list"),
         html.Figcaption([f"Records by year (highest: {int(tallest)}). ", *legend], className="small text-muted")],
        id="detail-chart", className="detail-chart mb-2",
    )


def detail_body(atlas: Atlas, key: str) -> list:
    """The detail panel's body for a country key (or INTERNATIONAL)."""
    records = atlas.records_for(key)
    if records.empty:
        return [html.P("No records for this country yet."), html.P("Its legal status is shown above.", className="small")]
    children: list = [
        html.P(plural(len(records), "record"), className="small text-muted mb-1", id="detail-count"),
        records_by_year_chart(records),
    ]
    for group, label in DETAIL_GROUPS:
        if group == "other":
            rows = records[records["category"].isin(["campaign", "backlash"])]
        else:
            rows = records[records["category"] == group]
        if rows.empty:
            continue
        cards = [record_card(r, atlas.sources_for(r["source_ids"])) for r in rows.to_dict("records")]
        children.append(html.Section([html.H3(f"{label} ({len(rows)})", className="h6 mt-2"), *cards],
                                     className=f"group group-{group}"))
    return children
