"""Pure functions from the Atlas to plotly figures and the map's browser-side payload."""

from __future__ import annotations

import plotly.graph_objects as go

from .data.atlas import COUNTS, INTERNATIONAL, METRICS, Atlas, per_atlas
from .data.changes import LAG_LABEL, LAG_METRIC, country_changes
from .data.legal import LEGAL_CLASSES

NO_DATA_COLOUR = "#e6e6e6"
# Countries nobody has searched yet (coverage.csv): a darker neutral than "searched, none found",
# outside every palette, so a reader never takes "not researched" for "nothing happened".
NOT_RESEARCHED_COLOUR = "#a3a3a3"
NOT_RESEARCHED_LABEL = "Not researched"
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

# Region presets: (label, longitudes, latitudes) the map frames. "world" is the figure's own frame.
REGIONS: dict[str, tuple[str, tuple[float, float], tuple[float, float]]] = {
    "world": ("World", (-180, 180), (-57, 85)),
    "africa": ("Africa", (-20, 55), (-36, 38)),
    "americas": ("Americas", (-170, -30), (-56, 72)),
    "asia": ("Asia", (25, 150), (-11, 56)),
    "europe": ("Europe", (-25, 45), (34, 71)),
    "mena": ("Middle East & North Africa", (-18, 63), (12, 42)),
    "oceania": ("Oceania", (110, 180), (-48, 3)),
}


def region_frames() -> dict[str, dict]:
    """Each region's plotly geo settings (axis ranges, centre, rotation), for the browser to apply."""
    frames = {}
    for key, (_label, lon, lat) in REGIONS.items():
        centre = {"lon": (lon[0] + lon[1]) / 2, "lat": (lat[0] + lat[1]) / 2}
        frames[key] = {"lonaxis": {"range": list(lon)}, "lataxis": {"range": list(lat)}, "center": centre,
                       "projection": {"type": "natural earth", "rotation": {"lon": centre["lon"]}}}
    return frames


# Years from first record to first reform: ColorBrewer YlOrBr, sequential and colour-blind safe.
LAG_COLOURS = ("#fff7bc", "#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404")
LAG_BINS: tuple[tuple[int, int | None], ...] = ((0, 0), (1, 1), (2, 2), (3, 4), (5, 6), (7, None))
LAG_NOTE = "whole period: the year slider does not apply"


def _bin_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


# Legend labels short enough for a horizontal colour bar on a phone; the
# hover text and the detail panel use LEGAL_CLASSES' full sentences.
LEGAL_LEGEND = ("No data", "No law", "Law", "Law + penalties or remedies")


def legend_classes(metric: str, coverage: bool = False) -> tuple[list[str], list[str]]:
    """Colours and legend labels of the map's classes for a metric, class 0 first (grey).

    With `coverage` (the data has coverage.csv) the record metrics get a last class,
    "Not researched", for countries nobody has searched; the legal layer is the World
    Bank's and keeps its own classes.
    """
    if metric == "legal":
        return [NO_DATA_COLOUR, *LEGAL_COLOURS], list(LEGAL_LEGEND)
    if metric == LAG_METRIC:
        colours, labels = [NO_DATA_COLOUR, *LAG_COLOURS], ["No reform after"] + [_bin_label(lo, hi) for lo, hi in LAG_BINS]
    else:
        colours, labels = [NO_DATA_COLOUR, *COUNT_COLOURS], ["0"] + [_bin_label(lo, hi) for lo, hi in COUNT_BINS]
    if coverage:
        colours, labels = [*colours, NOT_RESEARCHED_COLOUR], [*labels, NOT_RESEARCHED_LABEL]
    return colours, labels


def map_class(atlas: Atlas, metric: str, key: str, value: int) -> int:
    """The legend index the map gives a country with this count (a record metric): its own class if not researched."""
    unresearched = not_researched_class(atlas, metric, key)
    return count_class(value) if unresearched is None else unresearched


def not_researched_class(atlas: Atlas, metric: str, key: str) -> int | None:
    """The legend index the map gives a country nobody has researched, or None when it has another class."""
    row = atlas.coverage_of(key)
    if metric == "legal" or row is None or row["status"] != "not_researched":
        return None
    return len(legend_classes(metric, coverage=True)[0]) - 1


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


# Below this area a country is a few pixels wide at the world view: it gets a clickable marker.
SMALL_STATE_KM2 = 20_000
# Markers closer than this (in degrees, about 7 px at the world view on a desktop) are nudged apart.
MARKER_GAP_DEGREES = 2.8
# Short lines, so the credit fits a phone-wide picture too.
CREDIT = ("MeToo Atlas · every record cites its sources<br>"
          "Law: World Bank, Women, Business and the Law 2020 (CC BY 4.0)<br>Shapes: Natural Earth")


@per_atlas  # the map's figure and its payload both draw them
def small_states(atlas: Atlas) -> list[dict]:
    """Countries too small to click at the world view that have records or legal data, with a point inside each."""
    with_records = set(atlas.events["key"].unique())
    frame = atlas.countries[atlas.countries["key"].isin(with_records | set(atlas.legal["iso3"].unique()))]
    area_km2 = frame.geometry.to_crs("EPSG:6933").area / 1e6
    small = frame[area_km2 < SMALL_STATE_KM2]
    points = small.geometry.representative_point()
    placed = spread_apart({key: (point.x, point.y) for key, point in zip(small["key"], points)})
    return [{"key": key, "lon": round(lon, 3), "lat": round(lat, 3), "records": key in with_records}
            for key, (lon, lat) in sorted(placed.items())]


def spread_apart(points: dict[str, tuple[float, float]], gap: float = MARKER_GAP_DEGREES,
                 rounds: int = 60) -> dict[str, tuple[float, float]]:
    """Nudge markers apart until no two are closer than `gap` degrees, as atlases place microstate symbols.

    Bahrain and Qatar, or the Lesser Antilles, sit a degree apart: their markers
    would overlap and a click would open the neighbour.
    """
    placed = {key: [x, y] for key, (x, y) in points.items()}
    keys = sorted(placed)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                (ax, ay), (bx, by) = placed[a], placed[b]
                dx, dy = bx - ax, by - ay
                distance = (dx * dx + dy * dy) ** 0.5
                if distance >= gap:
                    continue
                if distance < 1e-9:
                    dx, dy, distance = 1.0, 0.0, 1.0
                push = (gap - distance) / 2 / distance
                placed[a] = [ax - dx * push, ay - dy * push]
                placed[b] = [bx + dx * push, by + dy * push]
                moved = True
        if not moved:
            break
    return {key: (x, y) for key, (x, y) in placed.items()}


def _values(counts, column: str) -> dict[str, dict[str, dict[str, int]]]:
    """Per metric, per country, per year: the number the map shows (records or people and cases)."""
    metrics: dict[str, dict] = {}
    for metric in METRICS:
        if metric == "legal":
            continue
        rows = counts if metric == "all" else counts[counts["category"] == metric]
        per_key = rows.groupby(["key", "year"])[column].sum()
        values: dict[str, dict[str, int]] = {}
        for (key, year), count in per_key.items():
            if count:
                values.setdefault(key, {})[str(year)] = int(count)
        metrics[metric] = values
    return metrics


def lag_payload(atlas: Atlas) -> dict:
    """The lag metric for the browser: per country with both dates [lag, first record, first reform after]."""
    frame = country_changes(atlas).dropna(subset=["lag_years"])
    colours, labels = legend_classes(LAG_METRIC, coverage=atlas.has_coverage)
    return {"label": LAG_LABEL, "note": LAG_NOTE, "bins": [[lo, hi] for lo, hi in LAG_BINS], "labels": labels,
            "scale": discrete_colourscale(colours),
            "values": {key: [int(lag), first, reform] for key, lag, first, reform in
                       zip(frame["country"], frame["lag_years"], frame["first_record"], frame["first_reform_after"])}}


def map_payload(atlas: Atlas) -> dict:
    """Everything the browser needs to recolour the map for any metric, year, mode and count."""
    keys = [feature["id"] for feature in atlas.geojson["features"]]
    counts = atlas.counts[atlas.counts["key"] != INTERNATIONAL]
    first = int(atlas.legal["law_year"].min())
    last = int(atlas.legal["law_year"].max())
    codes = {}
    for key, rows in atlas.legal.groupby("iso3"):
        by_year = dict(zip(rows["law_year"], rows["status"]))
        codes[key] = "".join(str(int(by_year[y]) + 1) if y in by_year else "0" for y in range(first, last + 1))
    count_colours, count_labels = legend_classes("all", coverage=atlas.has_coverage)
    legal_colours, legal_labels = legend_classes("legal")
    return {
        "keys": keys,
        "names": {key: atlas.name_of(key) for key in keys},
        "labels": METRICS,
        "counts": COUNTS,
        "metrics": {count: _values(counts, count) for count in COUNTS},
        "partial": atlas.partial_years(),
        "years": {metric: [min(years), max(years)] for metric in METRICS if (years := atlas.years(metric))},
        "small": small_states(atlas),
        "regions": region_frames(),
        "legal": {"first": first, "last": last, "codes": codes, "labels": legal_labels,
                  "long": ["No World Bank data"] + [LEGAL_CLASSES[k] for k in sorted(LEGAL_CLASSES)],
                  "scale": discrete_colourscale(legal_colours)},
        "count": {"bins": [[lo, hi] for lo, hi in COUNT_BINS], "labels": count_labels,
                  "scale": discrete_colourscale(count_colours)},
        "lag": lag_payload(atlas),
        # coverage.csv per country: [status, researched on]; null without the file.
        "coverage": None if not atlas.has_coverage else
        {row["country"]: [row["status"], row["researched_on"]] for row in atlas.coverage_index.values()},
    }


def choropleth_figure(atlas: Atlas, geojson_url: str) -> go.Figure:
    """The world map with every country drawn (grey until the browser colours it).

    The geometry is referenced by URL: the browser fetches it once per page
    (cacheable), and no figure update ever carries it again. Small states get
    a marker of their own (second trace) so they can be seen and clicked.
    """
    keys = [feature["id"] for feature in atlas.geojson["features"]]
    colours, labels = legend_classes("all", coverage=atlas.has_coverage)
    scale = discrete_colourscale(colours)
    trace = go.Choropleth(
        geojson=geojson_url,
        locations=keys,
        z=[0] * len(keys),
        text=[atlas.name_of(k) for k in keys],
        hovertemplate="%{text}<extra></extra>",
        colorscale=scale,
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
    small = small_states(atlas)
    markers = go.Scattergeo(
        lon=[s["lon"] for s in small],
        lat=[s["lat"] for s in small],
        customdata=[s["key"] for s in small],
        text=[atlas.name_of(s["key"]) for s in small],
        hovertemplate="%{text}<extra></extra>",
        mode="markers",
        marker={"size": 9, "color": [0] * len(small), "colorscale": scale, "cmin": -0.5,
                "cmax": len(colours) - 0.5, "line": {"color": "#333333", "width": 0.8}, "showscale": False},
        showlegend=False,
        name="small states",
    )
    figure = go.Figure([trace, markers])
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
        margin={"l": 0, "r": 0, "t": 28, "b": 0},
        # The title and the credit travel with the PNG the camera button saves.
        title={"text": METRICS["all"], "x": 0.01, "y": 0.99, "yanchor": "top", "font": {"size": 14}},
        annotations=[{"text": CREDIT, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": 0,
                      "xanchor": "left", "yanchor": "bottom", "font": {"size": 9, "color": "#555555"}}],
        uirevision="map",
        paper_bgcolor="rgba(0,0,0,0)",
        dragmode="pan",
        clickmode="event",
        # A small state's marker answers the pointer on its own dot only: plotly's default 20 px
        # made the middle of Iran say "Kuwait" and a click there open Kuwait.
        hoverdistance=4,
        font={"family": "system-ui, sans-serif"},
    )
    return figure
