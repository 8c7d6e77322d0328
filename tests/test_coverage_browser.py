"""The map tells "not researched" from "searched, none found": legend, hover and panel (issue 14)."""

from __future__ import annotations

import csv

import pytest

from .conftest import DATA_DIR
from .test_browser import click_country, hover_country, open_page, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402


def _largest(atlas, status: str) -> str:
    """The largest country (by its shape's extent) with a coverage status: easy to point at."""
    with (DATA_DIR / "coverage.csv").open(encoding="utf-8-sig", newline="") as handle:
        keys = {row["country"] for row in csv.DictReader(handle) if row["status"] == status}
    frame = atlas.countries[atlas.countries["key"].isin(keys)]
    bounds = frame.geometry.bounds
    extent = (bounds["maxx"] - bounds["minx"]) * (bounds["maxy"] - bounds["miny"])
    return str(frame.loc[extent.idxmax(), "key"])


def legend_labels(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .colorbar .cbaxis text')).map(t => t.textContent)")


def test_not_researched_is_in_the_legend_the_hover_and_the_panel(browser, server, atlas) -> None:
    open_page(browser, server)
    assert legend_labels(browser)[-1] == "Not researched"
    key = _largest(atlas, "not_researched")
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
    assert f"No records found in the sources searched on {date}" in label and "Not researched" not in label
    click_country(browser, key)
    wait(browser, lambda d: f"No records found in the sources searched on {date}." in
         d.find_element(By.ID, "detail-panel").text, "the panel does not say when the country was searched")
