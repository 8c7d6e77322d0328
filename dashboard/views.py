"""Pure functions from the Atlas to the page layout: controls, timeline, map, panel, About."""

from __future__ import annotations

from html import escape as html_escape

import dash_bootstrap_components as dbc
from dash import dcc, html

from .data.atlas import COUNTS, INTERNATIONAL, METRICS, Atlas
from .data.countries import alternative_names
from .changes_view import changes_section
from .data.changes import LAG_LABEL, LAG_METRIC
from .detail import plural, safe_href, world_summary
from .figures import REGIONS, choropleth_figure, map_payload
from .first_view import first_view_html
from .table import table_section
from .timeline import Timeline

# One year per step: about 6.7 years a second, above the 5 the play target asks.
PLAY_STEP_MS = 150
PLAY_LABEL, PAUSE_LABEL = "▶ Play", "⏸ Pause"
MODE_OPTIONS = [{"label": "In the year", "value": "year"}, {"label": "Cumulative to the year", "value": "cumulative"}]
LEGAL_MODE_REASON = "The legal layer shows the law as it stood in the year: it does not add up over years."
LAG_MODE_REASON = "The years from first record to first reform span the whole period: there is no year to choose."
# Plotly's toolbar without anything that talks to a cloud service; the camera (PNG) stays.
MAP_CONFIG = {
    "displaylogo": False,
    "scrollZoom": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud", "editInChartStudio", "toggleHover"],
    "toImageButtonOptions": {"filename": "metoo-atlas-map", "scale": 2},
}


def mode_options(metric: str) -> list[dict]:
    """The mode choices; cumulative is disabled (with its reason) for the legal layer."""
    if metric == LAG_METRIC:
        return [{**option, "disabled": True, "label": html.Span(option["label"], title=LAG_MODE_REASON)}
                for option in MODE_OPTIONS]
    if metric != "legal":
        return MODE_OPTIONS
    return [MODE_OPTIONS[0], {**MODE_OPTIONS[1], "disabled": True,
                              "label": html.Span(MODE_OPTIONS[1]["label"], title=LEGAL_MODE_REASON)}]


def country_options(atlas: Atlas) -> list[dict]:
    """Every country on the map (those without records too), with the names people type for it."""
    records = atlas.events["key"].value_counts()
    keys = sorted(atlas.countries["key"], key=atlas.name_of)
    options = []
    for key in keys:
        label = atlas.name_of(key)
        if key in records:
            label += f" — {plural(int(records[key]), 'record')}"
        options.append({"label": label, "value": key, "search": " | ".join(alternative_names(key))})
    if INTERNATIONAL in records:
        options.insert(0, {"label": f"International (no single country) — {plural(records[INTERNATIONAL], 'record')}",
                           "value": INTERNATIONAL, "search": "International | INT | UN | ILO | global"})
    return options


def _controls(atlas: Atlas) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [dbc.Label("Show on the map", html_for="metric", id="metric-label"),
                 dcc.Dropdown(id="metric", options=[{"label": v, "value": k} for k, v in
                                                  {**METRICS, LAG_METRIC: LAG_LABEL}.items()],
                              value="all", clearable=False, searchable=False)],
                xs=12, md=6, lg=3, className="dropdown-col",
            ),
            dbc.Col(
                [dbc.Label("Years", html_for="mode"),
                 dbc.RadioItems(id="mode", inline=True, value="year", options=MODE_OPTIONS)],
                xs=12, md=6, lg=3,
            ),
            dbc.Col(
                [dbc.Label("Count", html_for="count"),
                 dbc.RadioItems(id="count", inline=True, value="records",
                                options=[{"label": label, "value": key} for key, label in COUNTS.items()])],
                xs=12, md=4, lg=2,
            ),
            dbc.Col(
                [dbc.Label("Region", html_for="region", id="region-label"),
                 dcc.Dropdown(id="region", options=[{"label": label, "value": key}
                                                    for key, (label, _lon, _lat) in REGIONS.items()],
                              value="world", clearable=False, searchable=False)],
                xs=12, md=4, lg=2, className="dropdown-col",
            ),
            dbc.Col(
                [dbc.Label("Country", html_for="country-select"),
                 dcc.Dropdown(id="country-select", options=country_options(atlas), value=None,
                              search_order="original", placeholder="Click the map or type a name…")],
                xs=12, md=4, lg=2, className="dropdown-col",
            ),
        ],
        className="g-2 mb-2",
    )


def _timeline(atlas: Atlas) -> dbc.Row:
    timeline = Timeline(tuple(atlas.years("all")), tuple(atlas.partial_years()))
    year = atlas.first_view_year()
    return dbc.Row(
        [
            dbc.Col(dbc.Button(PLAY_LABEL, id="play-button", color="primary", size="sm", n_clicks=0,
                               title="Play through the years", className="play-button"), width="auto"),
            dbc.Col(html.Output(timeline.label(year), id="year-label", className="year-label",
                                htmlFor="year-slider", **{"aria-live": "off"}), width="auto"),
            dbc.Col(dcc.Slider(id="year-slider", min=timeline.first, max=timeline.last, step=1, value=year,
                               marks=timeline.marks(), included=False, allow_direct_input=False,
                               updatemode="drag", tooltip={"placement": "top", "always_visible": False}),
                    className="slider-col"),
            dcc.Interval(id="play-interval", interval=PLAY_STEP_MS, disabled=True, n_intervals=0),
        ],
        className="align-items-center g-2 mb-2",
        id="timeline",
    )


def _about(atlas: Atlas, version: str, download_url: str) -> html.Section:
    events = atlas.events
    seeds = atlas.sources[atlas.sources["seed_file"] != ""]
    first, last = events["date"].min(), events["date"].max()
    legal_first, legal_last = int(atlas.legal["law_year"].min()), int(atlas.legal["law_year"].max())
    compiled = atlas.compiled_on or "not recorded"
    partial = atlas.partial_years()
    partial_note = (f" {', '.join(map(str, partial))} is still being collected and is marked partial on the map."
                    if partial else "")
    return html.Section(
        [
            html.H2("About and sources", className="h4 mt-4"),
            html.P(
                f"{len(events)} records in {events.loc[events['key'] != INTERNATIONAL, 'key'].nunique()} countries "
                f"plus international bodies, dated {first} to {last}, citing {len(atlas.sources)} sources.",
                id="about-summary",
            ),
            html.P([f"Newest record: {atlas.records_as_of}. Records last checked against their sources: {compiled}. "
                    f"MeToo Atlas version {version}.", partial_note], id="about-dates"),
            html.P([html.A("Download all data", href=download_url, id="download-all", download="metoo-atlas-data.zip"),
                    " (zip): the records, sources, legal layer and map shapes as CSV and GeoJSON, with a Frictionless "
                    "Data Package describing every column, the method and the citation (CITATION.cff). Records and "
                    "sources: CC BY 4.0. Single records: each card's Link and Cite."], id="about-download"),
            html.P([html.A("How this atlas is made", href="/method", id="method-link"),
                    ": what counts as a record, how each claim is checked against its sources, known biases, "
                    "and what a grey country means."]),
            html.P(
                "Every record cites at least one source. Summaries are our own words. An allegation is shown as an "
                "allegation; a verdict names its court and year only as the source gives them. A number on the map "
                "counts records (rows) unless the Count control says people and cases (the sum of what each record "
                "stands for)."
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
            html.P("Country shapes: Natural Earth, Admin 0 – Countries, 1:50m (public domain), simplified. "
                   "Countries too small to click at the world view carry a round marker."),
            html.H3("Report an error", className="h6", id="corrections"),
            html.P("Every record card has a “Report an error” link. Tell us the record's id, what is wrong and a "
                   "source that shows it; corrections are listed record by record in the data's changelog."),
        ],
        id="about",
        **{"aria-label": "About and sources"},
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


def _map_figure(atlas: Atlas, geojson_url: str) -> html.Figure:
    """The map, named and summed up in words, with a table of every country's value (assets/maptable.js).

    The summary and the table are written in the browser from the same values that colour
    the map, so they always say what it draws, whatever the metric, year, mode and count.
    """
    return html.Figure(
        [
            dcc.Graph(id="map", figure=choropleth_figure(atlas, geojson_url), className="map-graph",
                      config=MAP_CONFIG),
            html.Figcaption(
                [html.Span("World map of the records, country by country. ", id="map-name"),
                 html.Span("", id="map-summary", className="small")],
                className="small text-muted mb-1",
            ),
            html.Button("Show the map as a table", id="map-table-toggle", type="button",
                        className="btn btn-sm btn-outline-secondary not-embedded",
                        **{"aria-expanded": "false", "aria-controls": "map-table"}),
            html.Div(id="map-table", className="map-table mt-2", hidden=True),
        ],
        className="mb-0", id="map-figure", **{"aria-labelledby": "map-name"},
    )


def _detail_container(atlas: Atlas) -> html.Aside:
    return html.Aside(
        [
            html.Div(
                [html.H2("World view", id="detail-title", className="h5 mb-1", **{"aria-live": "polite"}),
                 dbc.Button("× Clear", id="clear-country", size="sm", color="link", n_clicks=0,
                            title="Back to the world view", className="p-0 ms-auto")],
                className="d-flex align-items-baseline",
            ),
            dbc.Button("International records (UN, ILO, global campaigns)", id="show-international", size="sm",
                       color="outline-secondary", n_clicks=0, className="mb-2"),
            html.P(id="record-notice", className="small alert alert-warning py-1 px-2 mb-2", role="status",
                   hidden=True),
            html.P(id="detail-legal", className="small mb-2"),
            html.Div(world_summary(atlas), id="detail-body", className="detail-body"),
        ],
        id="detail-panel",
        className="detail-panel",
        **{"aria-label": "Country details"},
    )


INTRO = "How the #MeToo movement spread, country by country, year by year — and what it changed."


def index_string(atlas: Atlas, template: str, loader_url: str) -> str:
    """Dash's page template with the heading and introduction in the HTML the server sends.

    They paint before any JavaScript has run (the first and largest paint of the page,
    measured by bench/lighthouse.py) and never move: the app renders below them. Below them
    comes the static first view (first_view.py); Dash's scripts wait in a <template> until
    `loader_url` (assets/first-view.js) starts them.
    """
    countries = len(atlas.keys_with_records)
    header = (
        '<header class="site-header"><div class="container-fluid atlas pt-3">'
        '<h1 class="h3 mb-0">MeToo Atlas</h1>'
        f'<p class="lead text-muted mb-1">{html_escape(INTRO)}</p>'
        f'<p class="small text-muted mb-2">{len(atlas.events)} records on {countries} countries and territories '
        f'and on international bodies, each citing its sources; newest record '
        f'{html_escape(atlas.records_as_of)}.</p>'
        '</div></header>'
    )
    template = template.replace("<html>", '<html lang="en" class="first-view">', 1)
    # Dash's scripts wait in a template until the reader's first interaction (first_view.py).
    template = template.replace("{%scripts%}", '<template id="deferred-scripts">{%scripts%}', 1)
    template = template.replace("{%renderer%}", f'{{%renderer%}}</template><script src="{loader_url}"></script>', 1)
    return template.replace("{%app_entry%}", header + first_view_html(atlas) + "{%app_entry%}", 1)


def page_layout(atlas: Atlas, geojson_url: str, version: str = "unknown",
                download_url: str = "/download/metoo-atlas-data.zip") -> html.Div:
    """The whole page; the map's geometry is in it once and never sent again."""
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="map-data", data=map_payload(atlas)),
            dcc.Store(id="restored-year"),
            dcc.Store(id="url-sink"),
            dcc.Store(id="url-pop"),
            dcc.Store(id="focus-record"),
            dcc.Store(id="focus-sink"),
            dcc.Store(id="table-sink"),
            html.Nav(html.A("Open the full MeToo Atlas", id="full-view-link", href="/", target="_blank",
                            rel="noopener"), className="embed-link", **{"aria-label": "Full atlas"}),
            html.Main(
                dbc.Container(
                    [
                        html.Div(_controls(atlas), className="not-embedded"),
                        _timeline(atlas),
                        dbc.Row(
                            [
                                dbc.Col(_map_figure(atlas, geojson_url), xs=12, lg=8),
                                dbc.Col(_detail_container(atlas), xs=12, lg=4, className="not-embedded"),
                            ],
                            className="g-3 map-row",
                        ),
                        html.Div(changes_section(atlas), className="not-embedded"),
                        html.Div(table_section(atlas), className="not-embedded"),
                        html.Div(_about(atlas, version, download_url), className="not-embedded"),
                    ],
                    fluid=True,
                    className="atlas",
                ),
            ),
            html.Footer(dbc.Container(html.P("MeToo Atlas — open data, cited record by record.",
                                             className="small text-muted"), fluid=True, className="atlas my-4")),
        ],
        id="page",
    )
