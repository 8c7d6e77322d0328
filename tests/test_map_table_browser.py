"""The map as a table and in words (issue 12): every country with the value and class the map draws,
sortable, one Tab stop, and a row chosen by keyboard selects the country as a click on the map does."""

from __future__ import annotations

import urllib.parse

import pytest

from .test_browser import map_state, open_page, wait

pytestmark = pytest.mark.browser

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

TABLE = """return Array.from(document.querySelectorAll('#map-table tbody tr')).map(tr => {
  const b = tr.querySelector('button');
  return [b.getAttribute('data-key'), tr.children[1].textContent, tr.children[2].textContent];
});"""
LEGEND = "return Array.from(document.querySelectorAll('#map .colorbar .cbaxis text')).map(t => t.textContent)"


def open_table(driver) -> None:
    """Reach the toggle and open it with the keyboard."""
    toggle = driver.find_element(By.ID, "map-table-toggle")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", toggle)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, lambda d: toggle.get_attribute("aria-expanded") == "true"
         and len(d.find_elements(By.CSS_SELECTOR, "#map-table tbody tr")) > 200, "the table did not open")


def assert_table_is_the_map(driver, atlas) -> None:
    state = map_state(driver)
    legend = driver.execute_script(LEGEND)
    rows = {key: (value, label) for key, value, label in driver.execute_script(TABLE)}
    assert set(rows) == set(state["locs"]) == set(atlas.country_keys)
    for key, z in zip(state["locs"], state["z"]):
        assert rows[key][1] == legend[z], key


@pytest.mark.parametrize("query", ["?metric=all&year=2019", "?metric=case&mode=cumulative&year=2022&count=people",
                                   "?metric=legal&year=2010", "?metric=lag"])
def test_the_table_lists_every_country_with_the_class_the_map_draws(server, browser, atlas, query) -> None:
    if "lag" in query:  # the lag metric has no year: wait for its own title instead
        browser.get(server + query)
        wait(browser, lambda d: (st := map_state(d)) and "whole period" in st["title"], "the lag map was not drawn")
    else:
        open_page(browser, server + query)
    assert browser.find_element(By.ID, "map-figure").get_attribute("aria-labelledby") == "map-name"
    summary = browser.find_element(By.ID, "map-summary").text
    assert summary.startswith(map_state(browser)["title"])
    if "lag" in query:
        assert "countries have a first record followed by a legal reform record; longest:" in summary
    open_table(browser)
    assert_table_is_the_map(browser, atlas)
    if "legal" not in query and "lag" not in query:
        values = atlas.metric_values(*{"?metric=all&year=2019": ("all", 2019, False, "records"),
                                       "?metric=case&mode=cumulative&year=2022&count=people":
                                           ("case", 2022, True, "people")}[query])
        shown = {key: value for key, value, _label in browser.execute_script(TABLE)}
        assert {k: int(v) for k, v in shown.items() if v not in ("0", "—")} == values


def test_sorting_arrows_and_enter_choose_a_country_like_a_click(server, browser, atlas) -> None:
    open_page(browser, server + "?metric=all&year=2018")
    open_table(browser)
    sorter = browser.find_element(By.CSS_SELECTOR, '.map-table-sort[data-column="value"]')
    browser.execute_script("arguments[0].focus()", sorter)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    values = atlas.metric_values("all", 2018, False)
    top = max(values.values())
    wait(browser, lambda d: d.execute_script(TABLE)[0][1] == str(top), "sorting by value did not put the largest first")
    header = browser.find_element(By.CSS_SELECTOR, '#map-table th[aria-sort="descending"]')
    assert "Records" in header.text
    # one Tab stop: Tab from the sort buttons lands on the first row; arrows move; Tab leaves the table
    ActionChains(browser).send_keys(Keys.TAB, Keys.TAB).perform()
    first = browser.execute_script(TABLE)[0][0]
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("data-key") == first, "Tab did not reach the rows")
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
    second = browser.execute_script(TABLE)[1][0]
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("data-key") == second, "ArrowDown did not move")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    name = atlas.name_of(second)
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == name, "Enter did not choose the country")
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(browser.current_url).query))["country"] == second
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, '#map-table tr[aria-current="true"] button')
         .get_attribute("data-key") == second, "the chosen row is not marked")
    # the outline the map draws for a chosen country
    gd = "document.querySelector('#map .js-plotly-plot')"
    wait(browser, lambda d: d.execute_script(
        f"const t = {gd}.data[0]; return t.marker.line.width[t.locations.indexOf(arguments[0])]", second) == 2.5)
    focus_row = browser.switch_to.active_element
    focus_row.send_keys(Keys.TAB)
    assert not browser.execute_script("return !!document.activeElement.closest('#map-table tbody')"), \
        "one Tab did not leave the table's rows"
