"""The static first view in a browser: no Dash script runs until the reader interacts; the app then says the same."""

from __future__ import annotations

import pytest

from dashboard.first_view import first_view_state

from .test_browser import MAP_READY, browser_errors, open_page, start_app, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.actions.action_builder import ActionBuilder  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

DASH_LOADED = """return {renderer: typeof window.DashRenderer !== 'undefined',
    bundles: performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-component-suites')).length}"""
# The first country (of a few large ones) whose shape is under the middle of its own box.
COUNTRY_POINT = """
for (const key of ['BRA', 'IND', 'AUS', 'CHN', 'KAZ']) {
  const shape = document.querySelector('#first-view path[data-key="' + key + '"]');
  const box = shape.getBoundingClientRect();
  const x = Math.round(box.left + box.width / 2), y = Math.round(box.top + box.height / 2);
  const hit = document.elementFromPoint(x, y);
  if (hit && hit.getAttribute('data-key') === key) return [key, x, y];
}
return null;"""


def gone(driver) -> bool:
    return not driver.find_elements(By.ID, "first-view")


def test_the_page_opens_on_the_static_view_and_the_app_then_draws_the_same(server, browser, atlas) -> None:
    browser.get(server)
    view = browser.find_element(By.ID, "first-view")
    assert view.is_displayed()
    assert browser.execute_script(DASH_LOADED) == {"renderer": False, "bundles": 0}, "Dash loaded before any input"
    static_summary = view.find_element(By.CSS_SELECTOR, "figcaption").text
    static_panel = view.find_element(By.CSS_SELECTOR, ".detail-body").text
    static_fills = browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#first-view path')]"
        ".map(p => [p.dataset.key, p.getAttribute('fill')]))")
    top = browser.execute_script("return document.querySelector('#first-view .map-row').getBoundingClientRect().top")
    state = open_page(browser, server)
    assert gone(browser)
    assert browser.find_element(By.CSS_SELECTOR, "#map-figure figcaption").text.startswith(static_summary[:60])
    assert browser.find_element(By.ID, "map-summary").text == first_view_state(atlas)["summary"]
    assert browser.find_element(By.ID, "detail-body").text == static_panel
    expected = first_view_state(atlas)
    for key, z in zip(state["locs"], state["z"]):
        if key in static_fills:
            assert static_fills[key] == expected["colours"][z], key
    # The map's row stays where the first view had it: the controls' room was kept.
    after = browser.execute_script(
        "return document.querySelector('#react-entry-point .map-row').getBoundingClientRect().top")
    assert abs(after - top) <= 2, (top, after)
    assert [e for e in browser_errors(browser) if e.get("source") == "security"] == []


def test_a_click_on_a_country_of_the_first_view_opens_that_country(server, browser, atlas) -> None:
    browser.get(server)
    key, x, y = browser.execute_script(COUNTRY_POINT)
    actions = ActionBuilder(browser)
    actions.pointer_action.move_to_location(x, y).click()
    actions.perform()
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == atlas.name_of(key),
         f"{key} did not open after a click on the first view")
    assert f"country={key}" in browser.current_url


def test_keyboard_alone_loads_the_app_and_reaches_the_country_chooser(server, browser) -> None:
    browser.get(server)
    ActionChains(browser).send_keys(Keys.TAB).perform()
    wait(browser, lambda d: gone(d) and d.execute_script(MAP_READY), "a key press did not load the app")
    for _ in range(30):
        if browser.execute_script("return !!document.activeElement.closest('#country-select')"):
            break
        ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.execute_script("return !!document.activeElement.closest('#country-select')"), \
        "Tab does not reach the country chooser"


def test_the_button_loads_the_app_and_an_address_with_a_view_loads_it_at_once(server, browser, atlas) -> None:
    browser.get(server)
    # A click alone, with no key or pointer event before it: what a screen reader's browse mode sends.
    browser.execute_script("document.getElementById('first-view-load').click()")
    wait(browser, lambda d: gone(d) and d.execute_script(MAP_READY), "the button did not load the app")
    browser.get(server + "?country=JPN")
    wait(browser, lambda d: d.find_elements(By.ID, "detail-title") and
         d.find_element(By.ID, "detail-title").text == "Japan", "a shared view waited for input")
    start_app(browser)  # nothing left to start
