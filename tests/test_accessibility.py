"""Accessibility measured by a tool nobody here wrote (axe-core, WCAG 2.0/2.1 A and AA), and the keyboard path."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .test_browser import ARTIFACTS, make_browser, open_page, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

AXE_DIR = Path(__file__).with_name("a11y")
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core from npm (tests/a11y/package.json), installed on first use: offline afterwards."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core (apt-get install npm)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR)], check=True,
                       capture_output=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


def axe_violations(driver, axe_source: str) -> list[dict]:
    driver.set_script_timeout(90)
    driver.execute_script(axe_source)
    return driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}}).then(r => done(r.violations.map(
            v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))));""", WCAG)


OPEN_MAP_TABLE = "document.getElementById('map-table-toggle').click()"


@pytest.mark.parametrize("state, query, width, action", [
    ("start page", "", 1400, None),
    ("a country chosen", "?country=FRA", 1400, None),
    ("table filtered", "?cat=case&status=convicted&q=court&from=2018&to=2022", 1400, None),
    ("phone", "?country=IND", 390, None),
    ("legal layer", "?metric=legal&year=2015&country=OMN", 1400, None),
    ("map as a table", "?country=KOR", 1400, OPEN_MAP_TABLE),
])
def test_axe_finds_no_wcag_violation(server, tmp_path, axe_source, state, query, width, action) -> None:
    driver = make_browser(tmp_path, width=max(width, 500) + 20, height=1000)
    try:
        if width < 500:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        open_page(driver, server + query)
        if action:
            driver.execute_script(action)
        violations = axe_violations(driver, axe_source)
        if violations:
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / f"axe-{state.replace(' ', '-')}.png"))
        assert violations == [], f"{state}: {violations}"
    finally:
        driver.quit()


@pytest.mark.parametrize("width", [1400, 390])
def test_axe_finds_no_wcag_violation_on_the_static_first_view(server, tmp_path, axe_source, width) -> None:
    """The page as it opens, before any input has loaded the app (dashboard/first_view.py)."""
    driver = make_browser(tmp_path, width=max(width, 500) + 20, height=1000)
    try:
        if width < 500:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        driver.get(server)
        assert driver.find_element(By.ID, "first-view").is_displayed()
        violations = axe_violations(driver, axe_source)
        assert driver.find_elements(By.ID, "first-view"), "axe's script loaded the app"
        assert violations == [], violations
    finally:
        driver.quit()


def focused(driver) -> str:
    return driver.execute_script(
        "const e = document.activeElement; return (e.id || '') + '|' + (e.className || '') + '|' + "
        "(e.closest('[id]') ? e.closest('[id]').id : '')")


def test_keyboard_path_choose_a_country_skip_to_its_records_and_leave_the_table(server, tmp_path) -> None:
    driver = make_browser(tmp_path)
    try:
        open_page(driver, server)
        # Tab to the country chooser: it is reachable by keyboard and opens with Enter.
        driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        for _ in range(30):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if "country-select" in focused(driver):
                break
        assert "country-select" in focused(driver), "the country chooser is not in the Tab order"
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        search = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input.dash-dropdown-search"))[0]
        search.send_keys("Japan")
        wait(driver, lambda d: d.execute_script("return document.activeElement.classList.contains('dash-dropdown-search')"))
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait(driver, lambda d: d.find_element(By.ID, "detail-title").text == "Japan")
        # "Skip to its records" moves focus to them.
        skip = driver.find_element(By.CSS_SELECTOR, "#detail-panel a.skip-records")
        driver.execute_script("arguments[0].focus()", skip)
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait(driver, lambda d: d.execute_script("return document.activeElement.id") == "detail-records")
        # The records table is one Tab stop: Tab into it, arrows move inside, one Tab leaves it.
        before = driver.find_element(By.ID, "table-text")
        driver.execute_script("arguments[0].focus()", before)
        ActionChains(driver).send_keys(Keys.TAB, Keys.TAB, Keys.TAB).perform()  # the two export buttons, then the grid
        wait(driver, lambda d: d.execute_script("return !!document.activeElement.closest('#table')"))
        ActionChains(driver).send_keys(Keys.ARROW_DOWN, Keys.ARROW_RIGHT).perform()
        assert driver.execute_script("return !!document.activeElement.closest('#table')")
        ActionChains(driver).send_keys(Keys.TAB).perform()
        wait(driver, lambda d: d.execute_script("return !document.activeElement.closest('#table .ag-body, #table .ag-header')"),
             "Tab did not leave the table")
    finally:
        driver.quit()
