"""The site around the dashboard: robots.txt, the favicon, cache lifetimes of static files, 404 for other paths.

Dash answers every unknown path with the dashboard (a catch-all route kept
for multi-page apps and dcc.Location). This app has one page, `/`, so any
other path it does not serve is a 404: a small HTML page, or the JSON error
shape under the JSON prefixes (the API).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from dash import Dash
from dash.exceptions import DependencyException
from dash.fingerprint import check_fingerprint
from flask import Response, abort, request
from werkzeug.exceptions import NotFound

from .security import json_error
from .settings import DEFAULT_DATA_DIR, Settings

# A URL that changes when its file does (Dash's `?m=<mtime>` and `.v<version>m<mtime>.` fingerprints).
IMMUTABLE = "public, max-age=31536000, immutable"
FAVICON_CACHE = "public, max-age=604800"  # a week: /favicon.ico has no version in its URL
ROBOTS_CACHE = "public, max-age=86400"
NOT_FOUND_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found — MeToo Atlas</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Not found</h1><p>MeToo Atlas has no page at <code>{path}</code>.</p>
<p><a href="/">Open the map</a></p></body></html>
"""


def not_found(path: str) -> Response:
    """The small HTML page for a path the app does not serve."""
    return Response(NOT_FOUND_HTML.format(path=escape(path[:200])), status=404, mimetype="text/html")


def serve_site_files(app: Dash, settings: Settings, assets_dir: Path, json_prefixes: tuple[str, ...] = ()) -> None:
    """Add /robots.txt and /favicon.ico, long cache lifetimes for versioned static URLs, and real 404s."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    catch_all = prefix + "<path:path>"
    assets = prefix + app.config.assets_url_path.strip("/") + "/"
    suites = prefix + "_dash-component-suites/"
    favicon = (assets_dir / "favicon.ico").read_bytes()
    method_file = settings.data_dir / "METHOD.md"
    method = (method_file if method_file.is_file() else DEFAULT_DATA_DIR / "METHOD.md").read_bytes()

    @server.route(prefix + "method")
    def method_page() -> Response:
        """data/METHOD.md, as plain text: what a record is, how it is verified, known biases."""
        response = Response(method, mimetype="text/plain")
        response.headers["Content-Type"] = "text/plain; charset=utf-8"
        response.headers["Cache-Control"] = ROBOTS_CACHE
        return response

    @server.before_request
    def refuse_paths_the_app_does_not_serve():
        if request.url_rule is not None and request.url_rule.rule == catch_all:
            abort(404)

    @server.errorhandler(404)
    def page_not_found(error: NotFound):
        if request.path.startswith(json_prefixes):
            return json_error(404, f"No such endpoint: {request.path[:100]}")
        return not_found(request.path)

    @server.errorhandler(DependencyException)
    def unknown_component_file(_error: DependencyException):
        return not_found(request.path)  # a _dash-component-suites path no component registered

    @server.route(prefix + "robots.txt")
    def robots_txt() -> Response:
        response = Response(settings.robots, mimetype="text/plain")
        response.headers["Cache-Control"] = ROBOTS_CACHE
        return response

    @server.route(prefix + "favicon.ico")
    def favicon_ico() -> Response:
        response = Response(favicon, mimetype="image/x-icon")
        response.headers["Cache-Control"] = FAVICON_CACHE
        return response

    @server.after_request
    def cache_versioned_files(response: Response) -> Response:
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path
        versioned = (path.startswith(assets) and bool(request.args.get("m"))) or (
            path.startswith(suites) and check_fingerprint((request.view_args or {}).get("fingerprinted_path", ""))[1])
        if versioned:
            response.headers["Cache-Control"] = IMMUTABLE
        return response
