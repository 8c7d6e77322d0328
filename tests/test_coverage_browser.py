"""The map tells "not researched" from "searched, none found": legend, hover and panel (issue 14)."""

from __future__ import annotations

import csv
import shutil

import pytest

from dashboard.data.atlas import load_atlas

from .conftest import DATA_DIR
from .test_browser import click_country, hover_country, open_page, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402


def _largest(atlas, status: str) -> str:
    """The largest country (by area) with a coverage status: the easiest to point at."""
    with (DATA_DIR / "coverage.csv").open(encoding="utf-8-sig", newline="") as handle:
        keys = {row["country"] for row in csv.DictReader(handle) if row["status"] == status}
    frame = atlas.countries[atlas.countries["key"].isin(keys)]
    area = frame.geometry.to_crs("EPSG:6933").area
    return str(frame.loc[area.idxmax(), "key"])


def legend_labels(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .colorbar .cbaxis text')).map(t => t.textContent)")


@pytest.fixture(scope="module")
def unresearched_server(tmp_path_factory):
    """The shipped data, with the largest country searched without records marked not researched:
    the shipped not-researched territories are a pixel or two wide at the world view."""
    from .test_browser import start_server

    folder = tmp_path_factory.mktemp("coverage")
    for path in DATA_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    with (folder / "coverage.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    atlas = load_atlas(DATA_DIR)
    key = _largest(atlas, "none_found")
    for row in rows:
        if row["country"] == key:
            row.update(status="not_researched", researched_on="", queries="", notes="")
    with (folder / "coverage.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    url, process = start_server(folder)
    yield url, key
    process.terminate()
    process.wait(timeout=10)


def test_not_researched_is_in_the_legend_the_hover_and_the_panel(browser, unresearched_server) -> None:
    server, key = unresearched_server
    open_page(browser, server)
    assert legend_labels(browser)[-1] == "Not researched"
    label, _where = hover_country(browser, key)
    assert "Not researched yet" in label and "records" not in label.split("Not researched yet")[0].lower()
    click_country(browser, key)
    wait(browser, lambda d: "Not researched yet." in d.find_element(By.ID, "detail-panel").text,
         "the panel does not say the country was not researched")
    # the legal layer is the World Bank's: its legend keeps its own classes, the hover still says it
    open_page(browser, server + "?metric=legal")
    assert "Not researched" not in legend_labels(browser)
    label, _where = hover_country(browser, key)
    assert "Records: not researched yet" in label


def test_a_country_searched_with_nothing_found_says_when(browser, server, atlas) -> None:
    with (DATA_DIR / "coverage.csv").open(encoding="utf-8-sig", newline="") as handle:
        if not any(row["status"] == "none_found" for row in csv.DictReader(handle)):
            pytest.skip("no country was searched without finding records")
    key = _largest(atlas, "none_found")
    date = atlas.coverage_of(key)["researched_on"]
    open_page(browser, server)
    label, _where = hover_country(browser, key)
    assert f"No citable records found in the sources searched on {date}" in label and "Not researched" not in label
    click_country(browser, key)
    wait(browser, lambda d: f"No citable records found in the sources searched on {date}." in
         d.find_element(By.ID, "detail-panel").text, "the panel does not say when the country was searched")
