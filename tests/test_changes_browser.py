"""The "What changed" section in headless Chromium: compare from the address, a year button drives the map,
the lag metric rests the slider, and the section at desktop and phone widths (screenshots in tests/artifacts/)."""

from __future__ import annotations

import csv
import io
import urllib.parse

import pytest

from .test_browser import ARTIFACTS, browser_errors, click, make_browser, map_state, open_page, slider_value, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from dashboard.data.changes import changes_records, country_changes  # noqa: E402


COMPARED = ("FRA", "KOR", "IND")
STRIP_CELLS = ("return Array.from(document.querySelectorAll('#compare .changes-strip'))"
               ".map(s => [s.id, s.querySelectorAll('.strip-cell').length])")


def test_compare_in_the_address_shows_the_three_timelines_on_one_axis(server, browser) -> None:
    open_page(browser, server + "?compare=" + ",".join(COMPARED))
    strips = wait(browser, lambda d: len(s := d.execute_script(STRIP_CELLS)) == 3 and s, "no three timelines")
    assert [sid for sid, _ in strips] == [f"compare-{key}" for key in COMPARED]
    assert len({cells for _, cells in strips}) == 1, "the timelines do not share one year axis"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
    assert query["compare"] == [",".join(COMPARED)]
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#compare .compare-item h4")]
    assert names == ["France", "South Korea", "India"]
    section = browser.find_element(By.ID, "changes")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", section)
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(str(ARTIFACTS / "changes-1400.png"))
    assert browser_errors(browser) == []


def test_export_csv_downloads_exactly_the_changes_table(server, browser, atlas) -> None:  # noqa: F811
    open_page(browser, server)
    click(browser, browser.find_element(By.ID, "changes-export"))
    found = wait(browser, lambda d: list(d.download_dir.glob("metoo-changes_asof-*.csv")), "no CSV was downloaded")
    wait(browser, lambda d: found[0].stat().st_size > 0 and not list(d.download_dir.glob("*.crdownload")))
    rows = list(csv.DictReader(io.StringIO(found[0].read_text(encoding="utf-8-sig"))))
    expected = changes_records(country_changes(atlas))
    assert [r["Country"] for r in rows] == [e["name"] for e in expected]
    assert [r["Lag (years)"] for r in rows] == ["" if e["lag_years"] is None else str(e["lag_years"]) for e in expected]


def test_a_year_in_the_world_timeline_sets_the_maps_year(server, browser) -> None:
    open_page(browser, server + "?year=2018")
    button = browser.find_element(By.CSS_SELECTOR, "#changes-world button.changes-year[data-year='2020']")
    assert "2020" in button.get_attribute("title") and "2020" in button.accessible_name
    click(browser, button)
    wait(browser, lambda d: slider_value(d) == 2020, "clicking 2020 did not move the slider")
    wait(browser, lambda d: (s := map_state(d)) and "2020" in s["title"], "the map did not show 2020")
    keyed = browser.find_element(By.CSS_SELECTOR, "#changes-world button.changes-year[data-year='2019']")
    browser.execute_script("arguments[0].focus()", keyed)
    keyed.send_keys(Keys.ENTER)
    wait(browser, lambda d: slider_value(d) == 2019, "Enter on 2019 did not move the slider")
    wait(browser, lambda d: "year=2019" in d.current_url, "the address did not follow")


def test_the_lag_metric_colours_the_map_and_rests_the_slider(server, browser) -> None:
    browser.get(server + "?metric=lag")  # not open_page: this map's title names no year
    state = wait(browser, lambda d: (s := map_state(d)) and s["paths"] > 200 and "first legal reform" in s["title"]
                 and s, "the map was not coloured by the lag")
    assert "year slider does not apply" in state["title"]
    assert max(state["z"]) > 0
    wait(browser, lambda d: d.find_element(By.ID, "year-label").text == "All years")
    wait(browser, lambda d: d.find_element(By.ID, "play-button").get_attribute("disabled") is not None)


def test_the_section_fits_a_phone_screen(server, tmp_path) -> None:  # noqa: F811
    driver = make_browser(tmp_path, width=600, height=900)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        open_page(driver, server + "?compare=" + ",".join(COMPARED))
        wait(driver, lambda d: len(d.execute_script(STRIP_CELLS)) == 3, "no three timelines on a phone")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
        section = driver.find_element(By.ID, "changes")
        assert section.size["width"] <= 390
        # A tall phone, so that the screenshot holds the whole section (its width stays 390 px).
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 2600, "deviceScaleFactor": 1, "mobile": True})
        driver.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", section)
        wait(driver, lambda d: d.execute_script("return window.innerHeight") >= 2000)
        ARTIFACTS.mkdir(exist_ok=True)
        section.screenshot(str(ARTIFACTS / "changes-390.png"))
    finally:
        driver.quit()
