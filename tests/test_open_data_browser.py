"""Open data in the browser (issue 13): a record's permalink, Link and Cite; a region preset; the embedded map."""

from __future__ import annotations

import urllib.parse

import pytest

from .test_browser import (
    browser_errors, click, click_country, map_state, open_page, wait,
)

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from dashboard.detail import DETAIL_GROUPS  # noqa: E402
from dashboard.figures import REGIONS, map_class  # noqa: E402


def query(driver, url: str | None = None) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url or driver.current_url).query))


def lon_range(driver) -> list[float]:
    """The longitudes the drawn map frames (plotly's full layout, after its defaults)."""
    return driver.execute_script(
        "return Array.from(document.querySelector('#map .js-plotly-plot')._fullLayout.geo.lonaxis.range)")


def last_card_of(atlas, key: str) -> str:
    """The id of the record drawn last in a country's panel: the one furthest from the top."""
    records = atlas.records_for(key)
    ordered = []
    for group, _label in DETAIL_GROUPS:
        chosen = records["category"].isin(["campaign", "backlash"]) if group == "other" \
            else records["category"] == group
        ordered += list(records.loc[chosen, "id"])
    return ordered[-1]


def test_a_record_permalink_scrolls_the_panel_to_it_and_its_link_and_citation_name_it(server, browser, atlas):
    key = atlas.events["key"].value_counts().index[0]  # the country with the most records: a long panel
    record = last_card_of(atlas, key)
    open_page(browser, server + "?record=" + record)
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == atlas.name_of(key))
    placement = """
        const card = document.getElementById(arguments[0]);
        const body = document.getElementById('detail-body');
        if (!card) return null;
        const c = card.getBoundingClientRect(), b = body.getBoundingClientRect();
        return {focus: card.classList.contains('record-focus'), scrolled: body.scrollTop,
                inside: c.top >= b.top - 2 && c.top < b.bottom - 10};"""
    where = wait(browser, lambda d: (p := d.execute_script(placement, "record-" + record)) and p["focus"] and p,
                 "the record was not highlighted")
    assert where["scrolled"] > 0 and where["inside"], where
    permalink = server.rstrip("/") + "/?record=" + record

    card = browser.find_element(By.ID, "record-" + record)
    link = card.find_element(By.CSS_SELECTOR, ".record-link")
    browser.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)  # a keyboard press, as well as a click
    field = wait(browser, lambda d: card.find_element(By.CSS_SELECTOR, ".link-box input"))
    assert field.is_displayed() and field.get_attribute("value") == permalink
    wait(browser, lambda d: card.find_element(By.CSS_SELECTOR, ".link-status").text.strip())

    click(browser, card.find_element(By.CSS_SELECTOR, ".record-cite summary"))
    citation = wait(browser, lambda d: card.find_element(By.ID, f"record-{record}-citation"))
    text = citation.get_attribute("value")
    title = atlas.events.set_index("id").at[record, "title"]
    assert " ".join(title.split()).rstrip(".") in text and "MeToo Atlas, record " + record in text
    assert permalink in text and "2026-11-24" in text
    bibtex = card.find_element(By.ID, f"record-{record}-bibtex").get_attribute("value")
    assert bibtex.startswith("@misc{metoo-atlas:" + record) and "url = {" + permalink + "}" in bibtex
    assert browser_errors(browser) == []


def test_a_region_in_the_address_frames_it_keeps_the_colours_and_its_countries_click(server, browser, atlas):
    state = open_page(browser, server + "?region=europe&year=2018&metric=all")
    assert lon_range(browser) == list(REGIONS["europe"][1])
    assert browser.find_element(By.ID, "region").text.strip().startswith("Europe")
    values = atlas.metric_values("all", 2018, False)
    assert state["z"] == [map_class(atlas, "all", key, values.get(key, 0)) for key in state["locs"]], "colours changed"
    box = browser.execute_script(
        """const path = Array.from(document.querySelectorAll('#map .choroplethlocation'))
             .find(p => p.__data__ && p.__data__.loc === 'DEU');
           const b = path.getBoundingClientRect(), m = document.getElementById('map').getBoundingClientRect();
           return {w: b.width, inside: b.left >= m.left && b.right <= m.right && b.top >= m.top && b.bottom <= m.bottom};""")
    assert box["inside"] and box["w"] > 60, f"Germany is not drawn large inside the map: {box}"
    click_country(browser, "DEU")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == atlas.name_of("DEU"))
    wait(browser, lambda d: query(d).get("country") == "DEU" and query(d).get("region") == "europe")
    after = map_state(browser)
    assert after["z"] == state["z"]
    assert lon_range(browser) == list(REGIONS["europe"][1]), "a click reframed the map"


def test_the_embedded_map_shows_map_slider_and_legend_and_links_to_the_full_view(server, browser):
    browser.get(server + "?embed=1&region=europe&year=2018")
    wait(browser, lambda d: (s := map_state(d)) and s["paths"] == s["locations"] > 200 and "2018" in s["title"],
         "the map was not drawn")
    wait(browser, lambda d: "embedded" in d.find_element(By.ID, "page").get_attribute("class"))
    for hidden in ("table", "detail-panel", "metric", "about"):
        assert not browser.find_element(By.ID, hidden).is_displayed(), f"{hidden} is shown in the embed"
    assert browser.find_element(By.ID, "map").is_displayed()
    assert browser.find_element(By.ID, "year-slider").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, "#map .colorbar"), "no legend"
    wait(browser, lambda d: "metric=" in d.current_url)
    assert query(browser).get("embed") == "1"
    link = browser.find_element(By.ID, "full-view-link")
    assert link.is_displayed() and link.text == "Open the full MeToo Atlas"
    wanted = wait(browser, lambda d: (q := query(d, link.get_attribute("href"))) and "metric" in q and q)
    assert "embed" not in wanted and wanted["region"] == "europe" and wanted["year"] == "2018"
    assert browser_errors(browser) == []


def test_a_permalink_beyond_the_first_page_opens_its_group_and_show_more_works_by_keyboard(server, browser, atlas):
    from dashboard.detail import DETAIL_PAGE, group_records

    key = next(k for k in atlas.keys_with_records if len(group_records(atlas.records_for(k), "case")) > DETAIL_PAGE)
    cases = group_records(atlas.records_for(key), "case")
    deep = cases["id"].iloc[DETAIL_PAGE + 1]  # on the second page
    open_page(browser, server + "?record=" + deep)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#record-{deep}.record-focus"), "not highlighted")
    cards = browser.find_elements(By.CSS_SELECTOR, "#detail-panel .group-case article.record")
    assert [c.get_attribute("id") for c in cards] == ["record-" + i for i in cases["id"][:2 * DETAIL_PAGE]]

    # Another country, then back to this one: its first page only, and Show more by keyboard.
    open_page(browser, server + "?country=" + key)
    group = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#detail-panel .group-case"))[0]
    assert len(group.find_elements(By.CSS_SELECTOR, "article.record")) == DETAIL_PAGE
    assert f"Showing the newest {DETAIL_PAGE} of {len(cases)}." in group.text
    more = group.find_element(By.CSS_SELECTOR, "button.detail-more")
    browser.execute_script("arguments[0].focus()", more)
    more.send_keys(Keys.ENTER)
    wait(browser, lambda d: len(group.find_elements(By.CSS_SELECTOR, "article.record")) == min(len(cases),
                                                                                               2 * DETAIL_PAGE))
    first_new = "record-" + cases["id"].iloc[DETAIL_PAGE]
    wait(browser, lambda d: d.execute_script("return document.activeElement.id") == first_new, "focus stayed")
    if len(cases) <= 2 * DETAIL_PAGE:
        assert not more.is_displayed()
    assert not browser_errors(browser)


def test_a_permalink_to_a_record_not_in_the_atlas_says_so(server, browser, atlas) -> None:
    """Bug: an old permalink to a record held back or renamed opened the world view without a word."""
    import csv
    from dashboard.settings import DEFAULT_DATA_DIR

    held = DEFAULT_DATA_DIR / "research" / "2026-11-24" / "held-back.csv"
    gone = next(csv.DictReader(held.open(encoding="utf-8")))["id"] if held.exists() else "xyz-2020-no-such-record"
    assert gone not in atlas.record_keys
    open_page(browser, server + "?record=" + gone)
    notice = wait(browser, lambda d: (n := d.find_element(By.ID, "record-notice")).is_displayed() and n)
    assert gone in notice.text and "changelog" in notice.text
    click_country(browser, "IND")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "India")
    wait(browser, lambda d: not d.find_element(By.ID, "record-notice").is_displayed(), "the notice stayed")
