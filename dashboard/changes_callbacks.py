"""Thin wiring of the "What changed" section: the world timeline follows Count, compare follows its list,
the slider rests while the map shows a measure with no year."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output

from .changes_view import MAX_COMPARE, compare_view, world_timeline_chart
from .data.atlas import Atlas
from .data.changes import LAG_METRIC, world_timeline
from .inputs import as_compare, as_count, as_metric

NO_YEAR_REASON = "This measure spans all years: the year slider does not apply."


def register_changes_callbacks(app: Dash, atlas: Atlas) -> None:
    """Attach the section's callbacks to the app."""
    timeline = world_timeline(atlas)
    charts = {count: world_timeline_chart(timeline, count) for count in ("records", "people")}

    @app.callback(Output("changes-world", "children"), Input("count", "value"))
    def show_world_timeline(count):
        """The world timeline in records or in people and cases, as the Count control says."""
        return charts[as_count(count)]

    @app.callback(Output("compare", "children"), Input("compare-select", "value"))
    def show_compare(chosen):
        """Small multiples of the chosen countries (the first four) on a shared year axis."""
        keys = as_compare(chosen, atlas)
        view = compare_view(atlas, keys)
        if isinstance(chosen, list) and len(chosen) > MAX_COMPARE:
            view.insert(0, f"Up to {MAX_COMPARE} countries: the first {MAX_COMPARE} are shown.")
        return view

    @app.callback(
        Output("year-slider", "disabled"),
        Output("play-button", "disabled"),
        Output("play-button", "title"),
        Input("metric", "value"),
    )
    def rest_slider(metric):
        """A measure with no year (the lag) leaves the slider and Play disabled, and says why."""
        still = as_metric(metric) == LAG_METRIC
        return still, still, NO_YEAR_REASON if still else "Play through the years"

    app.clientside_callback(
        ClientsideFunction("changes", "exportChanges"),
        Output("changes-table", "exportDataAsCsv"),
        Input("changes-export", "n_clicks"),
        prevent_initial_call=True,
    )
