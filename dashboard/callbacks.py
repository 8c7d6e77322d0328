"""Thin wiring: parse inputs, ask the data and view layers, return outputs.

Year scrubbing never reaches the server: the map, the legal line and the URL
are recoloured and rewritten in the browser (assets/atlas.js).
"""

from __future__ import annotations

from functools import lru_cache

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from .data.atlas import METRICS, Atlas
from .data.query import export_csv, export_frame, filter_records, table_rows
from .inputs import as_country, as_int, as_metric, parse_query, record_filter
from .timeline import Timeline
from .views import PAUSE_LABEL, PLAY_LABEL, detail_body, world_summary

TABLE_FILTERS = [
    Input("table-years", "value"),
    Input("table-categories", "value"),
    Input("country-select", "value"),
    Input("table-text", "value"),
]


def register_callbacks(app: Dash, atlas: Atlas) -> None:
    """Attach every callback of the page to the app."""
    timelines = {metric: Timeline(tuple(years)) for metric in METRICS if (years := atlas.years(metric))}

    @app.callback(
        Output("metric", "value"),
        Output("mode", "value"),
        Output("country-select", "value"),
        Output("table-years", "value"),
        Output("table-categories", "value"),
        Output("table-text", "value"),
        Output("restored-year", "data"),
        Input("url", "search"),
    )
    def restore_view(search):
        """Open a shared URL: set every control from its query string."""
        view = parse_query(search, atlas)
        return (view["metric"], view["mode"], view["country"], view["years"], view["categories"],
                view["text"], {"year": view["year"]})

    @app.callback(
        Output("year-slider", "min"),
        Output("year-slider", "max"),
        Output("year-slider", "marks"),
        Output("year-slider", "value"),
        Output("play-interval", "disabled"),
        Output("play-button", "children"),
        Input("metric", "value"),
        Input("restored-year", "data"),
        Input("play-interval", "n_intervals"),
        Input("play-button", "n_clicks"),
        State("year-slider", "value"),
        State("play-interval", "disabled"),
    )
    def drive_timeline(metric, restored_year, _ticks, _clicks, year, paused):
        """The slider's range for the metric, and play/pause stepping through it."""
        timeline = timelines.get(as_metric(metric)) or timelines["all"]
        paused = paused is not False
        triggered = {key.split(".")[0] for key in ctx.triggered_prop_ids}
        trigger = next((t for t in ("play-button", "play-interval", "restored-year") if t in triggered), None)
        if trigger == "play-button":
            if paused:
                start = timeline.first if timeline.at_end(year) else timeline.clamp(year)
                return timeline.first, timeline.last, timeline.marks(), start, False, PAUSE_LABEL
            return no_update, no_update, no_update, no_update, True, PLAY_LABEL
        if trigger == "play-interval":
            if paused:
                return (no_update,) * 6
            step = timeline.next_year(year)
            done = timeline.at_end(step)
            return no_update, no_update, no_update, step, done, PLAY_LABEL if done else PAUSE_LABEL
        wanted = year
        if trigger == "restored-year":
            wanted = as_int(restored_year.get("year")) if isinstance(restored_year, dict) else None
        if wanted is None:
            wanted = timeline.last
        return timeline.first, timeline.last, timeline.marks(), timeline.clamp(wanted), True, PLAY_LABEL

    @lru_cache(maxsize=512)
    def detail_for(key: str | None) -> tuple:
        # The Atlas never changes, so a country's panel is computed once per worker.
        if key is None:
            return "World view", world_summary(atlas)
        return atlas.name_of(key), detail_body(atlas, key)

    @app.callback(
        Output("detail-title", "children"),
        Output("detail-body", "children"),
        Input("country-select", "value"),
    )
    def show_detail(country):
        """The detail panel for the chosen country, or the world summary."""
        return detail_for(as_country(country, atlas))

    @app.callback(
        Output("table", "rowData"),
        Output("table-count", "children"),
        *TABLE_FILTERS,
    )
    def fill_table(years, categories, country, text):
        """The rows the filters select."""
        chosen = record_filter(atlas, years, categories, country, text)
        records = filter_records(atlas, chosen)
        return table_rows(atlas, records), f"{len(records)} of {len(atlas.events)} records match the filters."

    @app.callback(
        Output("download", "data"),
        Input("export-button", "n_clicks"),
        State("table-years", "value"),
        State("table-categories", "value"),
        State("country-select", "value"),
        State("table-text", "value"),
        prevent_initial_call=True,
    )
    def export_table(n_clicks, years, categories, country, text):
        """Download exactly the rows the table shows, as CSV."""
        if not as_int(n_clicks):
            return no_update
        chosen = record_filter(atlas, years, categories, country, text)
        frame = export_frame(atlas, filter_records(atlas, chosen))
        return {"content": export_csv(frame), "filename": chosen.file_name(atlas.records_as_of),
                "type": "text/csv;charset=utf-8", "base64": False}

    register_clientside_callbacks(app)


def register_clientside_callbacks(app: Dash) -> None:
    """The browser-side callbacks (assets/atlas.js): no request per slider step."""
    app.clientside_callback(
        ClientsideFunction("atlas", "recolourMap"),
        Output("map", "figure"),
        Input("metric", "value"),
        Input("mode", "value"),
        Input("year-slider", "value"),
        Input("country-select", "value"),
        State("map", "figure"),
        State("map-data", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "selectCountry"),
        Output("country-select", "value", allow_duplicate=True),
        Input("map", "clickData"),
        Input("clear-country", "n_clicks"),
        Input("show-international", "n_clicks"),
        State("country-select", "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "legalLine"),
        Output("detail-legal", "children"),
        Input("country-select", "value"),
        Input("year-slider", "value"),
        State("map-data", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "writeUrl"),
        Output("url-sink", "data"),
        Input("metric", "value"),
        Input("mode", "value"),
        Input("year-slider", "value"),
        Input("country-select", "value"),
        Input("table-years", "value"),
        Input("table-categories", "value"),
        Input("table-text", "value"),
        prevent_initial_call=True,
    )
