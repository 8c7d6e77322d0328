"""The first view in the HTML the server sends: the opening map as a static SVG, its legend and summary, the panel.

A phone spends seconds running Dash, React, plotly and AG Grid before the app draws
anything (bench/lighthouse.py measured 5.5 s of blocked main thread on a simulated phone).
The page therefore opens on this view, drawn from the same values as the app's first
state (metric "all", the year the map opens on, records per country), and the app's
scripts load at the reader's first interaction: a pointer move, touch, key, scroll or
wheel, the "Load the interactive atlas" button, or a click on a country (which opens that
country). assets/first-view.js does the loading and swaps the app in when its map is drawn.
An address with a query or a fragment (a shared view) loads the app at once.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import shapely
from dash.development.base_component import Component

from .data.atlas import METRICS, Atlas, per_atlas
from .detail import world_summary
from .download import DOWNLOAD_PATH
from .figures import REGIONS, legend_classes, map_class, small_states

# The SVG's width in its own units; the world frame's height follows from the projection.
WIDTH = 1000
# Vertices closer than this (in SVG units, about a pixel on a laptop) are merged.
TOLERANCE = 0.8
MARKER_RADIUS = 4.5


def natural_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Natural Earth projection (Šavrič et al. 2011, as d3-geo and so plotly.js draw it), degrees in, unit out."""
    lam, phi = np.radians(lon), np.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


class _Frame:
    """Projected world frame of the map (REGIONS["world"]) scaled to WIDTH, y downwards."""

    def __init__(self) -> None:
        _label, (lon0, lon1), (lat0, lat1) = REGIONS["world"]
        lons = np.linspace(lon0, lon1, 361)
        lats = np.linspace(lat0, lat1, 145)
        grid_lon, grid_lat = np.meshgrid(lons, lats)
        x, y = natural_earth(grid_lon.ravel(), grid_lat.ravel())
        self.x0, self.y1 = x.min(), y.max()
        self.scale = WIDTH / (x.max() - x.min())
        self.height = math.ceil((y.max() - y.min()) * self.scale)
        self.box = (lon0, lat0, lon1, lat1)

    def project(self, coords: np.ndarray) -> np.ndarray:
        x, y = natural_earth(coords[:, 0], coords[:, 1])
        return np.column_stack([(x - self.x0) * self.scale, (self.y1 - y) * self.scale])


def _ring_path(ring: np.ndarray) -> str:
    """One closed ring as SVG path data in relative steps: whole units, or tenths for a ring smaller than that."""
    for digits in (0, 1):
        points = np.round(ring, digits)
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = np.any(points[1:] != points[:-1], axis=1)
        points = points[keep]
        if len(points) >= 4:
            break
    else:
        return ""
    steps = np.round(np.diff(points[:-1], axis=0), digits)
    text = (lambda v: f"{v:.0f}") if digits == 0 else (lambda v: f"{v:g}")
    return (f"M{text(points[0, 0])} {text(points[0, 1])}l"
            + " ".join(f"{text(dx)} {text(dy)}" for dx, dy in steps) + "z")


def _geometry_path(geometry, frame: _Frame) -> str:
    clipped = shapely.clip_by_rect(geometry, *frame.box)
    if clipped.is_empty:
        return ""
    projected = shapely.transform(clipped, frame.project)
    parts = []
    for polygon in getattr(projected, "geoms", [projected]):
        if polygon.geom_type != "Polygon":
            continue
        # A polygon smaller than the tolerance would vanish when simplified: it keeps its own points.
        small = polygon.length < 4 * TOLERANCE * 10
        shape = polygon if small else polygon.simplify(TOLERANCE, preserve_topology=False)
        if shape.is_empty or shape.geom_type != "Polygon":
            shape = polygon
        for ring in (shape.exterior, *shape.interiors):
            parts.append(_ring_path(np.asarray(ring.coords)))
    return "".join(parts)


@per_atlas  # the SVG and the page around it both read it
def first_view_state(atlas: Atlas) -> dict:
    """What the app's map shows when it opens: title, per-country value and legend class, legend, summary.

    The same rules as assets/atlas.js and assets/maptable.js (metric "all", one year, records):
    tests/test_first_view.py compares this view with the app's drawn map and caption.
    """
    year = atlas.first_view_year()
    values = atlas.metric_values("all", year, False, "records")
    colours, labels = legend_classes("all", coverage=atlas.has_coverage)
    keys = [feature["id"] for feature in atlas.geojson["features"]]
    classes = {key: map_class(atlas, "all", key, values.get(key, 0)) for key in keys}
    title = f"{METRICS['all']} in {year} — counting records"
    names = {key: atlas.name_of(key) for key in keys}
    valued = sorted(((names[k], values[k]) for k in keys if values.get(k, 0) > 0), key=lambda r: (-r[1], r[0]))
    top = ", ".join(f"{name} ({value})" for name, value in valued[:3])
    unresearched = sum(1 for k in keys if classes[k] == len(colours) - 1 and atlas.has_coverage)
    summary = (f"{title}: {len(valued)} {'country' if len(valued) == 1 else 'countries'} with at least 1"
               + (f"; most records: {top}" if top else "") + "."
               + (f" {unresearched} countries not researched yet." if unresearched else ""))
    return {"year": year, "title": title, "values": values, "classes": classes, "colours": colours,
            "labels": labels, "names": names, "summary": summary}


@per_atlas
def static_map_svg(atlas: Atlas) -> str:
    """The opening map as inline SVG: one path per country in its legend colour, small states as dots."""
    state = first_view_state(atlas)
    frame = _Frame()
    paths = []
    for key, geometry in zip(atlas.countries["key"], atlas.countries.geometry):
        if key not in state["classes"]:
            continue
        d = _geometry_path(geometry, frame)
        if d:
            colour = state["colours"][state["classes"][key]]
            paths.append(f'<path data-key="{escape(key)}" data-name="{escape(state["names"][key])}" '
                         f'fill="{colour}" d="{d}"/>')
    dots = []
    for small in small_states(atlas):
        (x, y), = frame.project(np.array([[small["lon"], small["lat"]]]))
        colour = state["colours"][state["classes"].get(small["key"], 0)]
        dots.append(f'<circle data-key="{escape(small["key"])}" data-name="{escape(state["names"][small["key"]])}" '
                    f'cx="{x:.0f}" cy="{y:.0f}" r="{MARKER_RADIUS}" fill="{colour}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="first-view-map" viewBox="0 0 {WIDTH} {frame.height}" '
            f'role="img" aria-labelledby="first-view-map-name" preserveAspectRatio="xMidYMid meet">'
            f'<g stroke="#fff" stroke-width="0.6" stroke-linejoin="round">{"".join(paths)}</g>'
            f'<g stroke="#333" stroke-width="1">{"".join(dots)}</g></svg>')


def component_html(node) -> str:
    """Dash html components (P, Ul, Li, Span…) as HTML text, escaped: the panel's first text without React."""
    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(component_html(child) for child in node)
    if not isinstance(node, Component):
        return escape(str(node))
    if node._namespace != "dash_html_components":
        raise TypeError(f"{node._type} is not a plain HTML component")
    tag = node._type.lower()
    # No ids: the app's panel carries them once it has loaded, beside this copy until the swap.
    value = getattr(node, "className", None)
    attributes = f' class="{escape(str(value))}"' if value else ""
    return f"<{tag}{attributes}>{component_html(getattr(node, 'children', None))}</{tag}>"


# The app's controls as they open (views._controls): label, what is chosen, the column's Bootstrap classes.
OPENING_CONTROLS = (("Show on the map", "All records", "col-12 col-md-6 col-lg-3", "box"),
                    ("Years", "◉ In the year ○ Cumulative to the year", "col-12 col-md-6 col-lg-3", "choice"),
                    ("Count", "◉ Records ○ People and cases", "col-12 col-md-4 col-lg-2", "choice"),
                    ("Region", "World", "col-12 col-md-4 col-lg-2", "box"),
                    ("Country", "Click the map or type a name…", "col-12 col-md-4 col-lg-2", "box"))


def _controls_as_text() -> str:
    """The controls' opening values where the app will draw them, as text: nothing to operate until it has loaded."""
    cells = "".join(f'<div class="{classes}"><div class="form-label">{escape(label)}</div>'
                    f'<div class="first-view-{kind}">{escape(value)}</div></div>'
                    for label, value, classes, kind in OPENING_CONTROLS)
    return f'<div class="row g-2 mb-2 first-view-controls" aria-hidden="true">{cells}</div>'


def first_view_html(atlas: Atlas) -> str:
    """The static first view: a note with the load button, the map with legend and summary, the world panel."""
    state = first_view_state(atlas)
    legend = "".join(f'<li><span class="swatch" style="background:{colour}"></span>{escape(label)}</li>'
                     for colour, label in zip(state["colours"], state["labels"]))
    return (
        '<main id="first-view" class="container-fluid atlas">'
        '<div class="first-view-lead">'
        f'{_controls_as_text()}'
        '<p class="first-view-note small mb-1"><span id="first-view-status" role="status">'
        f'The map as it opens ({state["year"]}): move, tap or press a key for the controls and the records.</span> '
        '<button type="button" id="first-view-load" class="btn btn-sm btn-primary ms-1">'
        'Load the interactive atlas</button></p>'
        '<noscript><p class="small">The interactive atlas needs JavaScript. Without it: '
        f'<a href="{DOWNLOAD_PATH}">all the data</a> (records, sources, legal layer, as CSV), '
        '<a href="/api/records.json">the records as JSON</a> and <a href="/method">how the atlas is made</a>.'
        '</p></noscript></div>'
        '<div class="row g-3 map-row"><div class="col-12 col-lg-8">'
        '<figure class="mb-0 first-view-figure">'
        f'<p class="first-view-title">{escape(state["title"])}</p>'
        f'{static_map_svg(atlas)}'
        f'<ul class="first-view-legend small" aria-label="Legend: records per country">{legend}</ul>'
        f'<figcaption class="small text-muted mb-1"><span id="first-view-map-name">World map of the records, '
        f'country by country. </span><span class="small">{escape(state["summary"])}</span></figcaption>'
        '</figure></div>'
        '<div class="col-12 col-lg-4"><aside class="detail-panel" aria-label="Country details">'
        '<h2 class="h5 mb-1">World view</h2>'
        f'<div class="detail-body">{component_html(world_summary(atlas))}</div>'
        '</aside></div></div></main>'
    )
