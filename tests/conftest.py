"""Shared fixtures: the shipped data, small data folders made in tmp_path, a test client."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.data.atlas import Atlas, load_atlas
from dashboard.data.records import EVENT_COLUMNS, SOURCE_COLUMNS
from dashboard.settings import DEFAULT_DATA_DIR

DATA_DIR = DEFAULT_DATA_DIR

GOOD_SOURCE = {"id": "src-one", "title": "A report", "publisher": "A publisher", "author": "",
               "published": "2018-10-01", "url": "https://example.org/report", "seed_file": ""}
GOOD_EVENT = {"id": "fra-2018-one", "country": "FRA", "date": "2018-10-01", "category": "case",
              "status": "alleged", "title": "A title", "summary": "A summary in our words.",
              "people": "", "count": "1", "source_ids": "src-one"}


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_atlas(DATA_DIR)


@pytest.fixture(scope="session")
def app(atlas):
    """The real app on the shipped data (Flask test client through `client`)."""
    from dashboard.app import create_app
    from dashboard.settings import Settings

    return create_app(Settings(data_dir=DATA_DIR), atlas)


@pytest.fixture
def client(app):
    return app.server.test_client()


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def make_data(tmp_path: Path) -> Callable[..., Path]:
    """A data folder with the shipped geometry and legal layer and the given records."""

    def make(events: list[dict] | None = None, sources: list[dict] | None = None) -> Path:
        for name in ("countries.geojson", "legal.csv"):
            shutil.copy(DATA_DIR / name, tmp_path / name)
        write_csv(tmp_path / "events.csv", EVENT_COLUMNS, [GOOD_EVENT] if events is None else events)
        write_csv(tmp_path / "sources.csv", SOURCE_COLUMNS, [GOOD_SOURCE] if sources is None else sources)
        return tmp_path

    return make


@pytest.fixture(scope="session")
def server():
    """One real server (gunicorn, shipped data) for every browser test module."""
    from .test_browser import start_server

    url, process = start_server()
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def browser(request, tmp_path):
    """Headless Chromium at 1400 px; downloads go to tmp_path; a screenshot is saved when the test fails."""
    from .test_browser import ARTIFACTS, make_browser

    driver = make_browser(tmp_path)
    driver.download_dir = tmp_path
    yield driver
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
    driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Let fixtures see whether the test failed (the browser fixture saves a screenshot then)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
