"""Thin wiring: parse inputs, ask the data and view layers, return outputs.

Year scrubbing never reaches the server: the map, the legal line and the URL
are recoloured and rewritten in the browser (assets/atlas.js).
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from dash import MATCH, ClientsideFunction, Dash, Input, Output, Patch, State, ctx, no_update
from plotly.io.json import to_json_plotly

from .changes_callbacks import register_changes_callbacks
from .data.atlas import METRICS, Atlas
from .data.query import RecordFilter, filter_positions
from .detail import DETAIL_PAGE, GROUP_NOUNS, detail_body, group_cards, group_records, shown_to_include, world_summary
from .inputs import (MAX_QUERY_CHARS, as_count, as_country, as_int, as_metric, as_record, as_text, parse_query,
                     record_filter)
from .params import filter_params
from .table import count_text, export_links, table_rows
from .timeline import Timeline
from .views import PAUSE_LABEL, PLAY_LABEL, mode_options

TABLE_FILTERS = ("table-years", "table-categories", "table-statuses", "country-select", "table-text")
FILTER_PROPS = ("value", "value", "value", "value", "value")
MAX_PAGE_ROWS = 200


def _filter_states() -> list[State]:
    return [State(component, prop) for component, prop in zip(TABLE_FILTERS, FILTER_PROPS)]


def register_callbacks(app: Dash, atlas: Atlas, corrections: str = "") -> None:
    """Attach every callback of the page to the app."""
    partial = tuple(atlas.partial_years())
    timelines = {metric: Timeline(tuple(years), partial if metric != "legal" else ())
                 for metric in METRICS if (years := atlas.years(metric))}

    @app.callback(
        Output("metric", "value"),
        Output("mode", "value"),
        Output("count", "value"),
        Output("country-select", "value"),
        Output("table-years", "value"),
        Output("table-categories", "value"),
        Output("table-statuses", "value"),
        Output("table-text", "value"),
        Output("region", "value"),
        Output("restored-year", "data"),
        Output("focus-record", "data"),
        Output("page", "className"),
        Output("full-view-link", "href"),
        Output("compare-select", "value"),
        Output("record-notice", "children"),
        Output("record-notice", "hidden"),
        Input("url", "search"),
        Input("url-pop", "data"),
        State("metric", "value"),
        State("mode", "value"),
        State("count", "value"),
        State("country-select", "value"),
        State("table-years", "value"),
        State("table-categories", "value"),
        State("table-statuses", "value"),
        State("table-text", "value"),
        State("region", "value"),
        State("compare-select", "value"),
    )
    def restore_view(search, popped, *current):
        """Open a shared URL (or go Back or Forward to one): set every control its query string names.

        A control already showing the value is left alone, so Back and Forward
        move only what changed.
        """
        if ctx.triggered_id == "url-pop" and isinstance(popped, dict):
            search = popped.get("search")
        view = parse_query(search, atlas)
        wanted = (view["metric"], view["mode"], view["count"], view["country"], view["years"], view["categories"],
                  view["statuses"], view["text"], view["region"])
        values = [no_update if new == old or (not new and not old) else new for new, old in zip(wanted, current)]
        focus = {"id": view["record"]} if view["record"] else no_update
        compare = no_update if view["compare"] == (current[-1] or []) else view["compare"]
        missing = view["missing_record"]
        notice = (f"No record with the id “{missing}” is in this atlas. It may have been corrected, renamed or held "
                  "back for want of a citable source: the data's changelog (About → Download all data) lists every "
                  "change, record by record.") if missing else ""
        return (*values, {"year": view["year"]}, focus, "embedded" if view["embed"] else "", full_view_href(search),
                compare, notice, not missing)

    app.clientside_callback(  # in the browser: a country change needs no request to hide the notice
        ClientsideFunction("atlas", "hideRecordNotice"),
        Output("record-notice", "hidden", allow_duplicate=True),
        Input("country-select", "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("mode", "options"),
        Output("mode", "value", allow_duplicate=True),
        Input("metric", "value"),
        State("mode", "value"),
        prevent_initial_call=True,
    )
    def modes_for_metric(metric, mode):
        """Cumulative makes no sense for the legal layer: disabled there, with its reason."""
        metric = as_metric(metric)
        return mode_options(metric), "year" if metric == "legal" and mode == "cumulative" else no_update

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
        wanted = as_int(year)
        if trigger == "restored-year":
            wanted = as_int(restored_year.get("year")) if isinstance(restored_year, dict) else None
        if wanted is None:
            wanted = timeline.default
        return timeline.first, timeline.last, timeline.marks(), timeline.clamp(wanted), True, PLAY_LABEL

    @lru_cache(maxsize=1024)
    def detail_for(key: str | None, count: str, opened: tuple[str, int] | None = None) -> bytes:
        # The Atlas never changes, so a country's panel is computed once per worker. It is kept as
        # compressed JSON: a full panel is about 0.6 MB as Python objects, some 20 KB this way, so every
        # country's panel for both counts fits (a cache too small to hold them recomputed them in turn).
        if key is None:
            panel = ["World view", world_summary(atlas, count)]
        else:
            panel = [atlas.name_of(key), detail_body(atlas, key, count, corrections, opened)]
        return zlib.compress(to_json_plotly(panel).encode("utf-8"))

    @app.callback(
        Output("detail-title", "children"),
        Output("detail-body", "children"),
        Input("country-select", "value"),
        Input("count", "value"),
        Input("focus-record", "data"),
    )
    def show_detail(country, count, focus):
        """The detail panel for the chosen country, or the world summary.

        A record asked for (permalink, table row) beyond its group's first
        page opens that group down to it; one already drawn changes nothing.
        """
        key = as_country(country, atlas)
        record = as_record(focus.get("id") if isinstance(focus, dict) else None, atlas)
        opened = shown_to_include(atlas, record) if record and atlas.record_keys[record] == key else None
        if opened and opened[1] <= DETAIL_PAGE:
            opened = None
        if {p.split(".")[0] for p in ctx.triggered_prop_ids} == {"focus-record"} and opened is None:
            return no_update, no_update
        title, body = json.loads(zlib.decompress(detail_for(key, as_count(count), opened)))
        return title, body

    @app.callback(
        Output({"type": "detail-cards", "group": MATCH}, "children"),
        Output({"type": "detail-more", "group": MATCH}, "value"),
        Output({"type": "detail-more", "group": MATCH}, "hidden"),
        Output({"type": "detail-shown", "group": MATCH}, "children"),
        Input({"type": "detail-more", "group": MATCH}, "n_clicks"),
        State({"type": "detail-more", "group": MATCH}, "value"),
        State("country-select", "value"),
        prevent_initial_call=True,
    )
    def show_more(clicks, shown, country):
        """ "Show more": the group's next DETAIL_PAGE cards, appended (only they cross the wire)."""
        group = ctx.triggered_id.get("group") if isinstance(ctx.triggered_id, dict) else None
        key = as_country(country, atlas)
        start = as_int(shown)
        if group not in GROUP_NOUNS or key is None or start is None or start < 0 or not as_int(clicks):
            return (no_update,) * 4
        rows = group_records(atlas.records_for(key), group)
        stop = min(start + DETAIL_PAGE, len(rows))
        cards = Patch()
        cards.extend(group_cards(atlas, rows.iloc[start:stop], corrections))
        return cards, str(stop), stop >= len(rows), f"Showing the newest {stop} of {len(rows)}."

    @lru_cache(maxsize=16)
    def selected(chosen: RecordFilter):
        # The grid asks for a filter's rows page after page: select and sort once per filter and worker
        # (positions only: 8 bytes a row).
        return filter_positions(atlas, chosen)

    # Before gunicorn forks its workers: the sort ranks and the first page's rows, shared by every worker.
    selected(record_filter(atlas, None, None, None, None))

    @app.callback(
        Output("table", "getRowsResponse"),
        Output("table-count", "children"),
        Output("export-button", "href"),
        Output("export-button", "download"),
        Output("export-xlsx-button", "href"),
        Output("export-xlsx-button", "download"),
        Output("export-xlsx-button", "className"),
        Input("table", "getRowsRequest"),
        *_filter_states(),
    )
    def fill_table(request, years, categories, statuses, country, text):
        """One page of the rows the filters select, sorted on the server; the count is exact.

        The Export links follow: the streamed API with the same filter and sort gives the same rows.
        """
        request = request if isinstance(request, dict) else {}
        start = max(as_int(request.get("startRow")) or 0, 0)
        end = as_int(request.get("endRow"))
        end = start + 25 if end is None or end <= start else min(end, start + MAX_PAGE_ROWS)
        chosen = record_filter(atlas, years, categories, country, text, statuses, request.get("sortModel"))
        positions = selected(chosen)
        rows = table_rows(atlas, atlas.events.iloc[positions[start:end]])
        links = export_links(urlencode(filter_params(chosen), doseq=True), chosen.file_name(atlas.records_as_of),
                             len(positions))
        return {"rowData": rows, "rowCount": len(positions)}, count_text(len(positions), len(atlas.events)), *links

    @app.callback(
        Output("country-select", "value", allow_duplicate=True),
        Output("focus-record", "data", allow_duplicate=True),
        Input("table", "cellClicked"),
        prevent_initial_call=True,
    )
    def open_clicked_record(cell):
        """Clicking a row opens its record in the detail panel (a click on a source link only follows it)."""
        if not isinstance(cell, dict) or cell.get("colId") == "sources":
            return no_update, no_update
        record = as_text(cell.get("rowId"))
        if record not in atlas.record_keys:
            return no_update, no_update
        return atlas.record_keys[record], {"id": record}

    register_changes_callbacks(app, atlas)
    register_clientside_callbacks(app)


def full_view_href(search: object) -> str:
    """The same view's address without `embed`, for the embedded map's "Open the full MeToo Atlas"."""
    query = search[:MAX_QUERY_CHARS].lstrip("?") if isinstance(search, str) else ""
    kept = [(key, value) for key, value in parse_qsl(query) if key != "embed"]
    return "/?" + urlencode(kept) if kept else "/"


def register_clientside_callbacks(app: Dash) -> None:
    """The browser-side callbacks (assets/atlas.js): no request per slider step."""
    app.clientside_callback(
        ClientsideFunction("atlas", "recolourMap"),
        Output("map", "figure"),
        Input("metric", "value"),
        Input("mode", "value"),
        Input("year-slider", "value"),
        Input("country-select", "value"),
        Input("count", "value"),
        Input("region", "value"),
        State("map", "figure"),
        State("map-data", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "yearLabel"),
        Output("year-label", "children"),
        Input("year-slider", "value"),
        Input("metric", "value"),
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
        ClientsideFunction("atlas", "rankCountries"),
        Output("country-select", "options"),
        Input("country-select", "search_value"),
        State("country-select", "options"),
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
        ClientsideFunction("atlas", "focusRecord"),
        Output("focus-sink", "data"),
        Input("detail-body", "children"),
        Input("focus-record", "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "refreshTable"),
        Output("table-sink", "data"),
        *[Input(component, prop) for component, prop in zip(TABLE_FILTERS, FILTER_PROPS)],
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "writeUrl"),
        Output("url-sink", "data"),
        Input("metric", "value"),
        Input("mode", "value"),
        Input("year-slider", "value"),
        Input("country-select", "value"),
        Input("count", "value"),
        Input("table-years", "value"),
        Input("table-categories", "value"),
        Input("table-statuses", "value"),
        Input("table-text", "value"),
        Input("region", "value"),
        Input("compare-select", "value"),
        prevent_initial_call=True,
    )
