"""Hardening that is not one request: dependency floors, no raw HTML, data files never written."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

from dashboard.app import create_app
from dashboard.settings import Settings

from .conftest import DATA_DIR
from .test_app import call

ROOT = Path(__file__).resolve().parent.parent

# Versions below these have published advisories (pip-audit needs the network, so
# CI checks the floors instead): Dash CVE-2024-21485 (XSS, fixed in 2.15), Flask
# CVE-2025-47278 (3.1.1), Werkzeug CVE-2024-49766/49767 (3.0.6), gunicorn
# CVE-2024-1135 and CVE-2024-6827 (request smuggling, 22 / 23).
FLOORS = {"dash": "2.15.0", "flask": "3.1.1", "werkzeug": "3.0.6", "gunicorn": "23.0.0"}


@pytest.mark.parametrize("package, floor", FLOORS.items())
def test_dependencies_are_above_their_advisories(package, floor) -> None:
    assert Version(version(package)) >= Version(floor)


def test_no_raw_html_anywhere_in_the_app() -> None:
    scripts = [p for p in (ROOT / "assets").glob("*.js") if not p.name.startswith("plotly-")]  # ours
    sources = list((ROOT / "dashboard").rglob("*.py")) + scripts
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "dangerously_allow_html" not in text and "innerHTML" not in text, path


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_app_never_writes_to_its_data_files() -> None:
    before = digest(DATA_DIR)
    app = create_app(Settings(data_dir=DATA_DIR))
    client = app.server.test_client()
    client.get("/")
    client.get("/_dash-layout")
    call(client, app, "detail-title", "children", ["FRA"])
    client.get("/api/records.csv?from=2006&to=2025").get_data()
    client.get("/api/records.xlsx?from=2006&to=2025").get_data()
    assert digest(DATA_DIR) == before
