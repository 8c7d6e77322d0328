"""The application factory: create_app(settings) -> Dash app, data loaded once and read-only."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version

from dash import Dash
from flask import Response, request

from .api import API_PREFIX, api_blueprint
from .callbacks import register_callbacks
from .data.atlas import Atlas, load_atlas
from .data.query import prepare_queries
from .download import DOWNLOAD_PATH, build_data_zip, serve_data_zip
from .security import harden
from .settings import PACKAGE_DIR, Settings
from .site import serve_site_files
from .views import index_string, page_layout

ASSETS_DIR = PACKAGE_DIR.parent / "assets"
TITLE = "MeToo Atlas — the #MeToo movement, country by country"
# Started by the page itself, before Dash's scripts (views.index_string): not one of Dash's automatic assets.
FIRST_VIEW_LOADER = "first-view.js"


def app_version() -> str:
    """The installed package's version (pyproject.toml), shown in About and cited."""
    try:
        return version("metoo-atlas")
    except PackageNotFoundError:
        return "unknown"


def serve_geometry(app: Dash, atlas: Atlas) -> str:
    """Serve the prepared GeoJSON at a content-hashed URL, cached for a year; return the URL."""
    body = json.dumps(atlas.geojson, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:12]
    path = f"/geo/countries.{digest}.geojson"
    # Compressed once here rather than on every request (flask-compress skips this type).
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)

    def countries_geojson() -> Response:
        accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        response = Response(gzipped if accepts_gzip else body, mimetype="application/geo+json")
        if accepts_gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    app.server.add_url_rule(path, "countries_geojson", countries_geojson)
    return path


def loader_url(app: Dash) -> str:
    """The first-view loader's address, with its content's hash so a new version is never a stale cache."""
    digest = hashlib.sha256((ASSETS_DIR / FIRST_VIEW_LOADER).read_bytes()).hexdigest()[:12]
    return app.get_asset_url(FIRST_VIEW_LOADER) + f"?m={digest}"  # "m", as Dash versions assets: cached for a year


def create_app(settings: Settings | None = None, atlas: Atlas | None = None) -> Dash:
    """Build the Dash app on the data in settings.data_dir (raises DataError on invalid data)."""
    settings = settings or Settings.from_env()
    atlas = atlas or load_atlas(settings.data_dir)
    app = Dash(
        __name__,
        title=TITLE,
        update_title=None,
        assets_folder=str(ASSETS_DIR),
        assets_ignore=rf"^{FIRST_VIEW_LOADER.replace('.', '[.]')}$",
        serve_locally=True,
        compress=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Interactive world map of the #MeToo movement with cited records."},
        ],
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        # zlib lets go of the GIL while it compresses: the zip is built on another core while
        # this thread builds the layout and the query tables (about 0.5 s of start-up at 100,000 records).
        data_zip = pool.submit(build_data_zip, settings.data_dir, len(atlas.events), len(atlas.sources),
                               atlas.records_as_of)
        prepare_queries(atlas)  # the sort ranks and the search text, before gunicorn forks: the workers share them
        app.index_string = index_string(atlas, app.index_string, loader_url(app))
        geojson_url = serve_geometry(app, atlas)
        layout = page_layout(atlas, geojson_url, app_version(), DOWNLOAD_PATH)
        serve_data_zip(app, data_zip.result())
    app.layout = layout
    register_callbacks(app, atlas, settings.corrections_url)
    app.server.register_blueprint(api_blueprint(atlas))
    harden(app, settings)
    serve_site_files(app, settings, ASSETS_DIR, json_prefixes=(API_PREFIX,))
    app.server.config["ATLAS"] = atlas
    logging.getLogger("dashboard").info(
        "loaded %d records, %d sources from %s", len(atlas.events), len(atlas.sources), settings.data_dir
    )
    return app
