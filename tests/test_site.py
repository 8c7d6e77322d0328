"""The site around the dashboard: robots.txt, favicon, cache lifetimes, and 404 for paths the app does not serve."""

from __future__ import annotations

import re

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings

from .conftest import DATA_DIR

YEAR = "max-age=31536000"




def test_robots_txt_allows_all_by_default(client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == "User-agent: *\nAllow: /\n"


def test_robots_txt_comes_from_the_settings(atlas) -> None:
    settings = Settings.from_env({"DASHBOARD_ROBOTS": r"User-agent: *\nDisallow: /"})
    fresh = create_app(Settings(data_dir=DATA_DIR, robots=settings.robots), atlas)
    assert fresh.server.test_client().get("/robots.txt").text == "User-agent: *\nDisallow: /\n"


def test_favicon_is_an_icon_cached_for_a_week(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/x-icon"
    assert response.data.startswith(b"\x00\x00\x01\x00")  # an ICO file, not the dashboard
    cache = response.headers["Cache-Control"]
    assert "public" in cache and int(re.search(r"max-age=(\d+)", cache)[1]) >= 86400


def test_every_file_the_page_loads_is_cached_for_a_year(client) -> None:
    page = client.get("/").text
    urls = re.findall(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', page)
    assert len(urls) >= 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response.headers.get("Cache-Control", "")
        assert "public" in cache and YEAR in cache and "immutable" in cache, (url, cache)


def test_an_unversioned_asset_is_revalidated_not_cached_for_a_year(client) -> None:
    response = client.get("/assets/atlas.js")
    assert response.status_code == 200 and YEAR not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/nope", "/nope/deeper", "/index.html", "/favicon.png", "/robots.txt/x",
                                  "/assets/nope.js", "/assets/../dashboard/app.py", "/_dash-component-suites/dash/nope.js",
                                  "/_dash-component-suites/nosuch/x.js", "/%00", "/..%2f..%2fetc/passwd",
                                  "/<script>alert(1)</script>"])
def test_a_path_the_app_does_not_serve_is_a_small_html_404(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"Not found" in response.data and len(response.data) < 1000
    assert b"_dash-renderer" not in response.data and b"<script>" not in response.data


@pytest.mark.parametrize("path", ["/", "/?year=2018&metric=case", "/?country=FRA&q=%C3%A9&cat=case,backlash"])
def test_the_dashboard_is_still_served_at_the_root(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 200 and b"_dash-renderer" in response.data


def test_every_registered_route_answers_a_plain_get_without_a_server_error(app, client) -> None:
    for rule in app.server.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and not rule.arguments:
            assert client.get(rule.rule, query_string={"x": "\x00"}).status_code < 500, rule.rule
