"""The static first view in the HTML the server sends (dashboard/first_view.py), compared with the data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dashboard.detail import world_summary
from dashboard.figures import legend_classes, map_class
from dashboard.first_view import component_html, first_view_state
from dashboard.data.atlas import INTERNATIONAL

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def page(app) -> str:
    return app.server.test_client().get("/").get_data(as_text=True)


def first_view(page: str) -> str:
    return page[page.index('<main id="first-view"'):page.index("</main>", page.index('<main id="first-view"')) + 7]


def test_every_country_is_drawn_in_the_colour_the_app_gives_it_when_it_opens(page, atlas) -> None:
    """Row by row: each country of the map, with its records in the opening year, in its legend class's colour."""
    view = first_view(page)
    svg = ET.fromstring(view[view.index("<svg"):view.index("</svg>") + 6])
    year = atlas.first_view_year()
    colours, _labels = legend_classes("all", coverage=atlas.has_coverage)
    values = atlas.events[(atlas.events["key"] != INTERNATIONAL) & (atlas.events["year"] == year)]
    values = values.groupby("key").size().to_dict()
    drawn = {p.get("data-key"): p.get("fill") for p in svg.iter(f"{SVG}path")}
    keys = [feature["id"] for feature in atlas.geojson["features"]]
    bounds = dict(zip(atlas.countries["key"], atlas.countries.geometry.bounds.itertuples(index=False)))
    missing = set(keys) - set(drawn)
    assert set(drawn) <= set(keys)
    # Only shapes under a tenth of a degree (a hundredth of a pixel) are too small to draw.
    assert all(b.maxx - b.minx < 0.1 and b.maxy - b.miny < 0.1 for b in map(bounds.get, missing)), missing
    for key, fill in drawn.items():
        assert fill == colours[map_class(atlas, "all", key, values.get(key, 0))], key
    dots = {c.get("data-key"): c.get("fill") for c in svg.iter(f"{SVG}circle")}
    assert dots and all(fill == drawn.get(key, fill) for key, fill in dots.items())
    assert all(p.get("data-name") == atlas.name_of(p.get("data-key")) for p in svg.iter(f"{SVG}path"))


def test_the_first_view_says_what_it_shows_in_words_and_names_the_map(page, atlas) -> None:
    view = first_view(page)
    state = first_view_state(atlas)
    assert f"All records in {atlas.first_view_year()} — counting records" in view
    assert state["summary"] in view
    counted = sum(1 for v in state["values"].values() if v > 0)
    assert f": {counted} countries with at least 1; most records: " in state["summary"]
    assert 'role="img" aria-labelledby="first-view-map-name"' in view and 'id="first-view-map-name"' in view
    for label in state["labels"]:
        assert f"</span>{label}</li>" in view


def test_the_first_view_panel_is_the_apps_world_panel_without_ids(page, atlas) -> None:
    view = first_view(page)
    panel = component_html(world_summary(atlas))
    assert panel in view and " id=" not in panel
    assert f"In all: {len(atlas.events)} records." in view


def test_dash_scripts_wait_in_a_template_and_only_the_loader_runs_at_load(page) -> None:
    template = page[page.index('<template id="deferred-scripts">'):page.index("</template>")]
    outside = page.replace(template, "")
    assert "dash_renderer" in template and "new DashRenderer" in template
    assert re.findall(r"<script[^>]*src=\"([^\"]+)\"", outside) == [re.search(r'src="(/assets/first-view\.js\?m=\w+)"',
                                                                           outside).group(1)]
    assert page.count("first-view.js") == 1, "the loader is also one of Dash's automatic assets"


def test_the_loader_is_served_and_named_by_its_content(app, page) -> None:
    url = re.search(r'src="(/assets/first-view\.js\?m=\w+)"', page).group(1)
    response = app.server.test_client().get(url)
    assert response.status_code == 200 and b"deferred-scripts" in response.data


def test_component_html_escapes_text_and_refuses_what_it_cannot_draw() -> None:
    from dash import dcc, html

    assert component_html(html.P(["a <b>", html.Span("&", className='x"y')])) == \
        '<p>a &lt;b&gt;<span class="x&quot;y">&amp;</span></p>'
    with pytest.raises(TypeError):
        component_html(dcc.Input())


def test_the_first_views_controls_say_what_the_apps_controls_open_on(atlas) -> None:
    """OPENING_CONTROLS repeats views._controls' labels and opening values: they must not drift apart."""
    from dashboard.first_view import OPENING_CONTROLS
    from dashboard.views import _controls

    def chosen(control) -> str:
        if getattr(control, "placeholder", None) and control.value is None:
            return control.placeholder
        labels = {o["value"]: o["label"] for o in control.options}
        if type(control).__name__ == "RadioItems":
            return " ".join(("◉ " if v == control.value else "○ ") + label for v, label in labels.items())
        return labels[control.value]

    columns = _controls(atlas).children
    assert [(label, value) for label, value, _classes, _kind in OPENING_CONTROLS] == \
        [(column.children[0].children, chosen(column.children[1])) for column in columns]


def test_without_javascript_the_first_view_points_to_the_data(app, page) -> None:
    noscript = page[page.index("<noscript>"):page.index("</noscript>")]
    client = app.server.test_client()
    for href in re.findall(r'href="([^"]+)"', noscript):
        assert client.get(href).status_code == 200, href
