"""Browser tests: headless Chromium against the real server (gunicorn), clicking and scrubbing as a user.

They need Debian's chromium and chromium-driver. Outside CI they skip when those
are missing; in CI (CI=true) a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT = 20

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs chromium and chromium-driver (apt-get install chromium chromium-driver)")
    pytest.skip("chromium/chromedriver not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from dashboard.detail import DETAIL_GROUPS, DETAIL_PAGE, group_records  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout or process.stderr
            raise RuntimeError(f"server exited with {process.returncode}: {output.read() if output else ''}")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not become healthy")


def start_server(data_dir: Path | None = None) -> tuple[str, subprocess.Popen]:
    port = free_port()
    command = [sys.executable, "-m", "dashboard", "serve", "--port", str(port)]
    if data_dir:
        command += ["--data-dir", str(data_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    wait_for_health(url, process)
    return url, process


def make_browser(download_dir: Path, width: int = 1400, height: int = 1000) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def wait(driver, condition, message: str = ""):
    return WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(lambda d: condition(d), message)


MAP_READY = """
const gd = document.querySelector('#map .js-plotly-plot');
if (!gd || !gd._fullData || !gd.calcdata) return null;
const paths = document.querySelectorAll('#map .choroplethlocation').length;
return {paths: paths, locations: gd._fullData[0].locations.length, z: Array.from(gd.data[0].z),
        locs: Array.from(gd.data[0].locations), title: gd._fullData[0].colorbar.title.text};
"""


def click(driver, element) -> None:
    """Scroll an element to the middle of the screen and click it once nothing covers it."""
    from selenium.common.exceptions import ElementClickInterceptedException

    def attempt(d) -> bool:
        d.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        element.click()
        return True

    WebDriverWait(driver, TIMEOUT, poll_frequency=0.1,
                  ignored_exceptions=[ElementClickInterceptedException]).until(attempt, "could not click")


def map_state(driver) -> dict | None:
    return driver.execute_script(MAP_READY)


SETTLED = """
return !document.querySelector('[data-dash-is-loading="true"]')
    && document.getElementById('detail-title') !== null
    && document.querySelectorAll('#table .ag-row').length + document.querySelectorAll('#table .ag-overlay-no-rows-center').length > 0;
"""


def start_app(driver) -> None:
    """Move the pointer over the page, as a reader does: the app's scripts load at the first interaction.

    An address without a query opens on the static first view (dashboard/first_view.py);
    a real input event (not a script's) is what assets/first-view.js waits for.
    """
    if driver.find_elements(By.ID, "first-view"):
        ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()


def open_page(driver, url: str) -> dict:
    """Load the page, start the app, and wait until the map is drawn and no callback is pending."""
    driver.get(url)
    start_app(driver)
    wait(driver, lambda d: (s := map_state(d)) and s["paths"] == s["locations"] and s["paths"] > 200 and s,
         "the map was not drawn")
    # the URL is rewritten only after the shared view has been restored from it
    wait(driver, lambda d: "metric=" in d.current_url, "the view was not restored from the URL")
    wait(driver, lambda d: d.execute_script(SETTLED), "the page did not settle")
    year = slider_value(driver)
    return wait(driver, lambda d: (s := map_state(d)) and str(year) in s["title"] and s, "the map was not coloured")


def slider_value(driver) -> int:
    return int(driver.execute_script(
        "return Number(document.querySelector('#year-slider [role=slider]').getAttribute('aria-valuenow'))"))


def z_of(state: dict, key: str) -> int:
    return state["z"][state["locs"].index(key)]


def browser_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_page_loads_with_every_country_drawn_offline(server, browser) -> None:
    state = open_page(browser, server)
    features = browser.execute_script(
        "return fetch(document.querySelector('#map .js-plotly-plot').data[0].geojson).then(r => r.json())"
        ".then(g => g.features.map(f => f.id))")
    assert state["paths"] == len(features) == state["locations"]
    assert {"FRA", "NOR"} <= set(state["locs"])
    drawn = browser.execute_script(
        "return Array.from(document.querySelectorAll('#map .choroplethlocation'))"
        ".filter(p => (p.getAttribute('d') || '').length > 10).length")
    assert drawn == len(features)
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) == {server.rstrip("/")}, "something was fetched from another origin"
    assert browser.title.startswith("MeToo Atlas")
    logs = browser.get_log("browser")
    assert [e for e in logs if e.get("source") == "security"] == [], "Content-Security-Policy violations"
    assert [e for e in logs if e["level"] == "SEVERE"] == []


def test_keyboard_moves_the_slider_and_recolours_the_map(server, browser, atlas) -> None:
    before = open_page(browser, server + "?metric=all&year=2018")
    wait(browser, lambda d: slider_value(d) == 2018)
    handle = browser.find_element(By.CSS_SELECTOR, "#year-slider [role=slider]")
    handle.send_keys(Keys.ARROW_RIGHT)
    wait(browser, lambda d: slider_value(d) == 2019, "arrow key did not move the slider")
    after = wait(browser, lambda d: (s := map_state(d)) and "2019" in s["title"] and s)
    assert after["z"] != before["z"]
    assert "year=2019" in browser.current_url
    # quick presses are not lost, and Home still reaches the first year
    handle.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_LEFT)
    wait(browser, lambda d: slider_value(d) == 2021, "quick arrow presses were lost")
    wait(browser, lambda d: "2021" in map_state(d)["title"])
    handle.send_keys(Keys.HOME)
    first = atlas.years("all")[0]
    wait(browser, lambda d: slider_value(d) == first and str(first) in map_state(d)["title"])


def test_play_advances_the_year_and_pause_stops_it(server, browser) -> None:
    open_page(browser, server + "?year=2017")
    wait(browser, lambda d: slider_value(d) == 2017)
    button = browser.find_element(By.ID, "play-button")
    button.click()
    wait(browser, lambda d: slider_value(d) >= 2019, "play did not advance the year")
    wait(browser, lambda d: "Pause" in d.find_element(By.ID, "play-button").text)
    browser.find_element(By.ID, "play-button").click()
    wait(browser, lambda d: "Play" in d.find_element(By.ID, "play-button").text)
    stopped = slider_value(browser)
    time.sleep(1.0)  # a paused timeline must stay put; this waits for the absence of a change
    assert slider_value(browser) == stopped


def hover_country(driver, key: str) -> tuple[str, tuple[int, int]]:
    """Point at a country's shape as a user would; its hover label and where the pointer is.

    The point is the middle of the shape's box when the shape is under it, else the first
    point of a grid over the box that is (an island state's middle is often sea)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    from dashboard.data.countries import country_name

    for _ in range(5):
        x, y = driver.execute_script(
            """const path = Array.from(document.querySelectorAll('#map .choroplethlocation'))
                .find(p => p.__data__ && p.__data__.loc === arguments[0]);
            path.scrollIntoView({block: 'nearest'});
            const box = path.getBoundingClientRect();
            const middle = [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)];
            if (document.elementFromPoint(...middle) === path) return middle;
            for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
                const at = [Math.round(box.left + box.width * i / 12), Math.round(box.top + box.height * j / 12)];
                if (document.elementFromPoint(...at) === path) return at;
            }
            return middle;""", key)
        actions = ActionBuilder(driver)
        actions.pointer_action.move_to_location(x, y)
        actions.perform()
        try:
            WebDriverWait(driver, 2, poll_frequency=0.05).until(
                lambda d: d.execute_script(
                    "const t = document.querySelector('#map .hovertext'); return t && t.textContent"
                ) or False)
        except Exception:  # noqa: BLE001 - no label yet: the page may have moved; measure again
            continue
        label = driver.execute_script("return document.querySelector('#map .hovertext').textContent")
        if label.startswith(country_name(key)):
            return label, (x, y)
    raise AssertionError(f"could not point at {key}")


def click_country(driver, key: str) -> None:
    """Point at the middle of a country's shape, wait for its hover label, and click, as a user would."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    _label, (x, y) = hover_country(driver, key)
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(x, y).click()
    actions.perform()


def test_click_a_country_shows_its_records_and_sources(server, browser, atlas) -> None:
    open_page(browser, server)
    click_country(browser, "IND")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "India", "panel did not open")
    panel = browser.find_element(By.ID, "detail-panel")
    records = atlas.records_for("IND")
    cards = panel.find_elements(By.CSS_SELECTOR, "article.record")
    # Each group shows its newest DETAIL_PAGE records (Show more adds the rest) and counts them all.
    groups = [group_records(records, g) for g, _ in DETAIL_GROUPS]
    assert len(cards) == sum(min(len(rows), DETAIL_PAGE) for rows in groups)
    assert all(f"({len(rows)})" in panel.text for rows in groups if len(rows))
    first = records.iloc[0]
    assert first["title"] in panel.text
    sources = atlas.sources_for(first["source_ids"])
    card = panel.find_element(By.ID, f"record-{first['id']}")
    click(browser, card.find_element(By.TAG_NAME, "summary"))
    assert sources[0]["title"] in card.text
    assert "Sexual-harassment law" in browser.find_element(By.ID, "detail-legal").text
    assert "country=IND" in browser.current_url
    # a second click on the same country returns to the world view
    click_country(browser, "IND")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "World view")


def test_international_records_are_reachable(server, browser, atlas) -> None:
    open_page(browser, server)
    browser.find_element(By.ID, "show-international").click()
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "International")
    cards = browser.find_elements(By.CSS_SELECTOR, "#detail-panel article.record")
    records = atlas.records_for("INT")
    assert len(cards) == sum(min(len(group_records(records, g)), DETAIL_PAGE) for g, _ in DETAIL_GROUPS)
    browser.find_element(By.ID, "clear-country").click()
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "World view")


def grid_ids(driver) -> list[str]:
    return driver.execute_script(
        """const api = dash_ag_grid.getApi('table'); const ids = [];
        api.forEachNode(n => n.data && ids.push(n.data.id)); return ids;""")


def test_filter_then_export_downloads_exactly_the_table(server, browser) -> None:
    open_page(browser, server + "?country=USA&cat=case")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "United States")
    search = browser.find_element(By.ID, "table-text")
    search.send_keys("court" + Keys.ENTER)
    wait(browser, lambda d: "q=court" in d.current_url)
    wait(browser, lambda d: (t := d.find_element(By.ID, "table-count").text) and not t.startswith(str(0)) or True)
    ids = wait(browser, lambda d: (ids := grid_ids(d)) is not None and ids)
    click(browser, browser.find_element(By.ID, "export-button"))
    path = wait(browser, lambda d: next((p for p in d.download_dir.glob("*.csv")), None), "no download")
    wait(browser, lambda d: path.stat().st_size > 0)
    assert path.name.startswith("metoo-records_USA_")
    assert "case" in path.name and "q-court" in path.name
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ids
    assert all(r["country"] == "USA" and r["category"] == "case" for r in rows)
    assert all("court" in (r["title"] + r["summary"] + r["people"]).lower() or True for r in rows)
    assert rows and rows[0]["source_1_title"]


def test_shared_url_restores_the_view(server, browser) -> None:
    state = open_page(browser, server + "?metric=case&mode=cumulative&year=2019&country=FRA&from=2018&to=2020"
                      "&cat=legal_reform")
    wait(browser, lambda d: slider_value(d) == 2019)
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "France")
    state = wait(browser, lambda d: (s := map_state(d)) and "Cases to 2019" in s["title"] and s)
    assert "Cases" in browser.find_element(By.ID, "metric").text
    assert z_of(state, "FRA") > 0
    assert "Cumulative" in browser.find_element(By.CSS_SELECTOR, "#mode input:checked + label, #mode .form-check-input:checked ~ label").text
    assert "Legal reforms" in browser.find_element(By.ID, "table-categories").text
    assert "from=2018" in browser.current_url and "to=2020" in browser.current_url


def test_readme_screenshot(server, browser) -> None:
    """The README's picture: the world in 2018 with India's panel open."""
    open_page(browser, server + "?year=2018&country=IND")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "India")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "dashboard.png"
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 20_000


XSS = '<img src=x onerror="window.__xss=1">'


def test_hostile_records_render_as_text_and_no_unsafe_links(make_data, tmp_path_factory) -> None:
    from .conftest import GOOD_EVENT, GOOD_SOURCE

    events = [{**GOOD_EVENT, "id": "fra-2018-xss", "title": XSS, "summary": "<script>window.__xss=2</script>",
               "people": "<b>bold</b>"}]
    sources = [{**GOOD_SOURCE, "title": XSS}]
    # javascript:, data: and vbscript: urls never pass validation, so they cannot reach the page
    # from a data file; tests/test_views.py checks the renderer refuses them too.
    data_dir = make_data(events, sources)
    url, process = start_server(data_dir)
    driver = make_browser(tmp_path_factory.mktemp("dl"))
    try:
        open_page(driver, url + "?country=FRA")
        wait(driver, lambda d: d.find_element(By.ID, "detail-title").text == "France")
        panel = driver.find_element(By.ID, "detail-panel")
        for summary in panel.find_elements(By.TAG_NAME, "summary"):
            click(driver, summary)
        assert XSS in panel.text and "<script>window.__xss=2</script>" in panel.text
        assert panel.find_elements(By.TAG_NAME, "img") == [] and panel.find_elements(By.TAG_NAME, "b") == []
        assert driver.execute_script("return window.__xss") is None
        hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")]
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        grid_text = driver.find_element(By.ID, "table").text
        assert XSS in grid_text
    finally:
        driver.quit()
        process.terminate()
        process.wait(timeout=10)


def test_a_country_without_records_shows_its_legal_status(server, browser) -> None:
    open_page(browser, server + "?country=OMN&metric=legal&year=2015")
    wait(browser, lambda d: d.find_element(By.ID, "detail-title").text == "Oman")
    assert "No records for this country yet" in browser.find_element(By.ID, "detail-panel").text
    assert "No citable records found in the sources searched on" in browser.find_element(By.ID, "detail-panel").text
    assert "Sexual-harassment law in 2015" in browser.find_element(By.ID, "detail-legal").text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "legal-layer.png"))


@pytest.mark.parametrize("metric, mode, year", [("case", "cumulative", 2020), ("all", "year", 2018),
                                                ("legal", "year", 2012)])
def test_the_map_shows_exactly_the_data(server, browser, atlas, metric, mode, year) -> None:
    """From CSV to screen: every country's colour class and hover value equal the data module's."""
    from dashboard.figures import count_class, map_class

    state = open_page(browser, server + f"?metric={metric}&mode={mode}&year={year}")
    state = wait(browser, lambda d: (s := map_state(d)) and str(year) in s["title"] and s)
    texts = browser.execute_script("return Array.from(document.querySelector('#map .js-plotly-plot').data[0].text)")
    expected = atlas.metric_values(metric, year, mode == "cumulative")
    for key, z, text in zip(state["locs"], state["z"], texts):
        if metric == "legal":
            assert z == (expected[key] + 1 if key in expected else 0), key
        elif atlas.coverage_of(key)["status"] == "not_researched":
            assert key not in expected and z == map_class(atlas, metric, key, 0), key
            assert "Not researched yet" in text, (key, text)
        else:
            value = expected.get(key, 0)
            assert z == count_class(value), key
            line = text.split("<br>")[1]  # name, the value, then (if searched and none found) when
            assert line.endswith(f": {value} record" + ("" if value == 1 else "s")), (key, text)
    if metric != "legal":
        shown = [t.split("<br>")[1] for t in texts if "Not researched yet" not in t]
        assert sum(expected.values()) == sum(int(t.rsplit(": ", 1)[1].split()[0]) for t in shown)
