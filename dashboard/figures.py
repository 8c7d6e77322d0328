"""Pure functions from the Atlas to plotly figures and the map's browser-side payload."""

from __future__ import annotations

import plotly.graph_objects as go

from .data.atlas import CATEGORY_LABELS, INTERNATIONAL, METRICS, Atlas
from .data.legal import LEGAL_CLASSES

NO_DATA_COLOUR = "#e6e6e6"
# ColorBrewer YlGnBu: sequential and colour-blind safe.
COUNT_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
COUNT_BINS: tuple[tuple[int, int | None], ...] = ((1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, None))
# Okabe-Ito: distinguishable with every common colour-vision deficiency.
LEGAL_COLOURS = ("#E69F00", "#56B4E9", "#0072B2")
CATEGORY_COLOURS = {
    "case": "#0072B2",
    "resignation": "#E69F00",
    "legal_reform": "#009E73",
    "campaign": "#CC79A7",
    "backlash": "#D55E00",
}


def _bin_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


# Legend labels short enough for a horizontal colour bar on a phone; the
# hover text and the detail panel use LEGAL_CLASSES' full sentences.
LEGAL_LEGEND = ("No data", "No law", "Law", "Law + penalties or remedies")


def legend_classes(metric: str) -> tuple[list[str], list[str]]:
    """Colours and legend labels of the map's classes for a metric, class 0 first (grey)."""
    if metric == "legal":
        return [NO_DATA_COLOUR, *LEGAL_COLOURS], list(LEGAL_LEGEND)
    return [NO_DATA_COLOUR, *COUNT_COLOURS], ["0"] + [_bin_label(lo, hi) for lo, hi in COUNT_BINS]


def discrete_colourscale(colours: list[str]) -> list[list]:
    """A colourscale of flat steps, one per class, for z = class index."""
    n = len(colours)
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def count_class(value: int) -> int:
    """The map class of a count: 0 for none, else the index of its bin + 1."""
    for index, (low, high) in enumerate(COUNT_BINS, start=1):
        if value >= low and (high is None or value <= high):
            return index
    return 0


def map_payload(atlas: Atlas) -> dict:
    """Everything the browser needs to recolour the map for any metric, year and mode."""
    keys = [feature["id"] for feature in atlas.geojson["features"]]
    counts = atlas.counts[atlas.counts["key"] != INTERNATIONAL]
    metrics: dict[str, dict] = {}
    for metric in METRICS:
        if metric == "legal":
            continue
        rows = counts if metric == "all" else counts[counts["category"] == metric]
        per_key = rows.groupby(["key", "year"])["count"].sum()
        values: dict[str, dict[str, int]] = {}
        for (key, year), count in per_key.items():
            values.setdefault(key, {})[str(year)] = int(count)
        metrics[metric] = values
    first = int(atlas.legal["law_year"].min())
    last = int(atlas.legal["law_year"].max())
    codes = {}
    for key, rows in atlas.legal.groupby("iso3"):
        by_year = dict(zip(rows["law_year"], rows["status"]))
        codes[key] = "".join(str(int(by_year[y]) + 1) if y in by_year else "0" for y in range(first, last + 1))
    count_colours, count_labels = legend_classes("all")
    legal_colours, legal_labels = legend_classes("legal")
    return {
        "keys": keys,
        "names": {key: atlas.name_of(key) for key in keys},
        "labels": METRICS,
        "metrics": metrics,
        "legal": {"first": first, "codes": codes, "labels": legal_labels,
                  "long": ["No World Bank data"] + [LEGAL_CLASSES[k] for k in sorted(LEGAL_CLASSES)],
                  "scale": discrete_colourscale(legal_colours)},
        "count": {"bins": [[lo, hi] for lo, hi in COUNT_BINS], "labels": count_labels,
                  "scale": discrete_colourscale(count_colours)},
    }


def choropleth_figure(atlas: Atlas, geojson_url: str) -> go.Figure:
    """The world map with every country drawn (grey until the browser colours it).

    The geometry is referenced by URL: the browser fetches it once per page
    (cacheable), and no figure update ever carries it again.
    """
    keys = [feature["id"] for feature in atlas.geojson["features"]]
    colours, labels = legend_classes("all")
    trace = go.Choropleth(
        geojson=geojson_url,
        locations=keys,
        z=[0] * len(keys),
        text=[atlas.name_of(k) for k in keys],
        hovertemplate="%{text}<extra></extra>",
        colorscale=discrete_colourscale(colours),
        zmin=-0.5,
        zmax=len(colours) - 0.5,
        marker={"line": {"color": "#ffffff", "width": 0.4}},
        colorbar={
            "tickvals": list(range(len(colours))),
            "ticktext": labels,
            "title": {"text": METRICS["all"], "side": "top"},
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "thickness": 12,
            "len": 0.9,
        },
    )
    figure = go.Figure(trace)
    figure.update_geos(
        projection_type="natural earth",
        showframe=False,
        # With no base layer shown, plotly.js never fetches its world topojson
        # from a CDN: the choropleth draws from our own GeoJSON alone.
        showcoastlines=False,
        showland=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showcountries=False,
        showsubunits=False,
        bgcolor="rgba(0,0,0,0)",
        lataxis_range=[-57, 85],
    )
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision="map",
        paper_bgcolor="rgba(0,0,0,0)",
        dragmode="pan",
        clickmode="event",
        font={"family": "system-ui, sans-serif"},
    )
    return figure
