"""MeToo Atlas benchmark: every performance target, measured side by side in one run.

    .venv/bin/python bench/run.py            # prints the table, writes bench/results/latest.json

Loopback only, bounded in time (about two minutes), stops by itself. Needs
Debian's chromium and chromium-driver for the browser figures.
"""

from __future__ import annotations

import http.server
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))

from tests.dash_requests import request_body  # noqa: E402  (the same request shape the tests use)

LOAD_SECONDS = 10
LOAD_CLIENTS = 16
STEPS = 15


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy")


def start_gunicorn(port: int, workers: int = 2, data_dir: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "DASHBOARD_HOST": "127.0.0.1", "WEB_CONCURRENCY": str(workers)}
    if data_dir is not None:
        env["DASHBOARD_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf", "--preload",
         "--access-logfile", "/dev/null", "dashboard.wsgi:server"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


# --- server-side figures -------------------------------------------------------------

def startup_seconds() -> float:
    code = ("import time; t = time.perf_counter(); from dashboard.app import create_app; create_app(); "
            "print(time.perf_counter() - t)")
    runs = [float(subprocess.check_output([sys.executable, "-c", code], cwd=ROOT, text=True)) for _ in range(3)]
    return statistics.median(runs)


class Callbacks:
    """Posts real callback requests, shaped as the browser sends them."""

    def __init__(self, url: str):
        self.url = url
        with urllib.request.urlopen(url + "_dash-dependencies") as response:
            self.specs = {spec["output"]: spec for spec in json.load(response)}

    def body(self, output: str, values: list, state: list | None = None) -> bytes:
        return json.dumps(request_body(self.specs[output], output, values, state)).encode()

    def post(self, body: bytes) -> tuple[int, float, int]:
        request = urllib.request.Request(self.url + "_dash-update-component", data=body,
                                         headers={"Content-Type": "application/json",
                                                  "Accept-Encoding": "gzip"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                size = len(response.read())
                status = response.status
        except urllib.error.HTTPError as error:
            status, size = error.code, 0
        except OSError:
            status, size = 0, 0
        return status, (time.perf_counter() - start) * 1000, size


def download_ms(url: str) -> float:
    """Milliseconds until the last byte of a GET (the Export link's download)."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        while response.read(1 << 16):
            pass
    return (time.perf_counter() - start) * 1000


def callback_figures(url: str, countries: list[str], years: tuple[int, int]) -> dict:
    calls = Callbacks(url)
    rng = random.Random(7)
    detail = "..detail-title.children...detail-body.children.."
    table = next(key for key in calls.specs if key.startswith("..table.getRowsResponse..."))
    detail_ms = [calls.post(calls.body(detail, [rng.choice(countries), "records"]))[1] for _ in range(300)]
    table_ms = []
    for _ in range(200):
        low = rng.randint(*years)
        filters = [[low, rng.randint(low, years[1])], rng.sample(["case", "campaign", "backlash"], rng.randint(0, 2)),
                   [], rng.choice([None, *countries[:20]]), rng.choice(["", "court", "law"])]
        table_ms.append(calls.post(calls.body(table, [{"startRow": 0, "endRow": 25}], filters))[1])
    export_ms = [download_ms(url + f"api/records.csv?from={years[0]}&to={years[1]}") for _ in range(7)]

    # 16 concurrent clients on the detail-panel callback
    bodies = [calls.body(detail, [c, "records"]) for c in countries]
    stop = time.monotonic() + LOAD_SECONDS
    results: list[tuple[int, float, int]] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        local_rng = random.Random(seed)
        mine = []
        while time.monotonic() < stop:
            mine.append(calls.post(local_rng.choice(bodies)))
        with lock:
            results.extend(mine)

    started = time.monotonic()
    with ThreadPoolExecutor(LOAD_CLIENTS) as pool:
        list(pool.map(client, range(LOAD_CLIENTS)))
    elapsed = time.monotonic() - started
    latencies = sorted(r[1] for r in results)
    return {
        "detail_p50_ms": statistics.median(detail_ms),
        "table_p50_ms": statistics.median(table_ms),
        "export_ms": statistics.median(export_ms),
        "load_rps": len(results) / elapsed,
        "load_p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "load_errors": sum(1 for r in results if r[0] != 200),
        "load_requests": len(results),
    }


def workers_of(master: subprocess.Popen) -> list[int]:
    return [int(p) for p in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_rss_mb(master: subprocess.Popen) -> float:
    return max(rss_mb(pid) for pid in workers_of(master))


# --- browser figures -----------------------------------------------------------------

PROBE = """
window.__paint = null; window.__steps = []; window.__years = [];
(function () {
  let pending = null;
  document.addEventListener('keydown', () => { pending = performance.now(); }, true);
  new MutationObserver((records) => {
    if (window.__paint === null && document.querySelectorAll('#map .choroplethlocation').length > 200
        && !document.getElementById('first-view')) {  // drawn and shown: the first view has made way
      window.__paint = performance.now();
    }
    if (pending !== null && records.some(r => r.target.closest && r.target.closest('#map'))) {
      const t0 = pending; pending = null;
      requestAnimationFrame(() => window.__steps.push(performance.now() - t0));
    }
    for (const r of records) {
      if (r.attributeName === 'aria-valuenow' && r.target.closest && r.target.closest('#year-slider')) {
        window.__years.push([performance.now(), Number(r.target.getAttribute('aria-valuenow'))]);
      }
    }
  }).observe(document, {attributes: true, childList: true, subtree: true});
})();
"""


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    return driver


def wait_js(driver, script: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"timed out waiting for: {script}")


def step_latencies(driver, thumb_selector: str) -> list[float]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    thumb = driver.find_element(By.CSS_SELECTOR, thumb_selector)
    driver.execute_script("window.__steps = []")
    for n in range(STEPS):
        thumb.send_keys(Keys.ARROW_LEFT if n % 2 else Keys.ARROW_RIGHT)
        wait_js(driver, f"return window.__steps.length >= {n + 1}")
        time.sleep(0.05)
    return driver.execute_script("return window.__steps")


def resources(driver) -> list[dict]:
    return driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => ({name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}))")


def first_view_figures(driver, url: str) -> dict:
    """The bare address opens on the static first view; the first input loads the app (dashboard/first_view.py)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.get(url)
    fcp = wait_js(driver, "const p = performance.getEntriesByType('paint')"
                          ".find(e => e.name === 'first-contentful-paint'); return p ? p.startTime : null")
    static = driver.execute_script("return document.querySelectorAll('#first-view path').length")
    before = resources(driver)
    dash_before = sum(1 for r in before if "_dash-component-suites" in r["name"])
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()
    started = driver.execute_script("return performance.now()")
    wait_js(driver, "return window.__paint")
    return {"first_view_fcp_ms": fcp, "first_view_paths": static, "dash_files_before_input": dash_before,
            "first_view_bytes": sum(r["transfer"] for r in before),
            "input_to_map_ms": driver.execute_script("return window.__paint") - started}


def app_browser_figures(url: str) -> dict:
    driver = browser()
    try:
        first = first_view_figures(driver, url)
        # The same on a CPU four times slower (Lighthouse's phone), cold: what the first input costs a phone.
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        slow = first_view_figures(driver, url)
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
        first["input_to_map_ms_4x"] = slow["input_to_map_ms"]
        first["first_view_fcp_ms_4x"] = slow["first_view_fcp_ms"]
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})  # the shared view below loads cold, as before
        driver.get(url + "?year=2018")
        paint = wait_js(driver, "return window.__paint")
        wait_js(driver, "return !document.querySelector('[data-dash-is-loading=\"true\"]')")
        loaded = resources(driver)
        geometry = [r for r in loaded if "/geo/countries." in r["name"]]
        before = len(loaded)
        steps = step_latencies(driver, "#year-slider [role=slider]")
        after = resources(driver)[before:]
        step_bytes = sum(r["transfer"] for r in after) / STEPS
        # play from the first year: every year must appear, in order, at >= 5 a second
        driver.get(url + "?year=2006")
        wait_js(driver, "return window.__paint")
        wait_js(driver, "return !document.querySelector('[data-dash-is-loading=\"true\"]')")
        driver.execute_script("window.__years = []; document.getElementById('play-button').click()")
        wait_js(driver, "return document.getElementById('play-button').textContent.includes('Play') "
                        "&& window.__years.length > 3", seconds=30)
        years = driver.execute_script("return window.__years")
        seen = [y for _, y in years]
        distinct = [y for i, y in enumerate(seen) if i == 0 or y != seen[i - 1]]
        dropped = sum(1 for a, b in zip(distinct, distinct[1:]) if b - a != 1)
        changes = [t for i, (t, y) in enumerate(years) if i == 0 or y != years[i - 1][1]]
        rate = (len(changes) - 1) / ((changes[-1] - changes[0]) / 1000) if len(changes) > 1 else 0.0
        return {
            **first,
            "paint_ms": paint,
            "page_bytes": sum(r["transfer"] for r in loaded),
            "geometry_fetches": len(geometry),
            "geometry_bytes": geometry[0]["decoded"] if geometry else None,
            "step_bytes": step_bytes,
            "step_ms": statistics.median(steps),
            "play_years_per_s": rate,
            "play_dropped": dropped,
        }
    finally:
        driver.quit()


REFERENCE = """<!doctype html><html><head><meta charset="utf-8"><title>reference</title>
<script src="plotly.min.js"></script><script src="atlas.js"></script></head><body>
<input id="year" type="range" min="2006" max="2025" value="2018" aria-label="year">
<div id="map" style="width:900px;height:560px"></div>
<script>
Promise.all([fetch('figure.json').then(r => r.json()), fetch('payload.json').then(r => r.json())]).then(([fig, payload]) => {
  const gd = document.getElementById('map');
  const recolour = window.dash_clientside.atlas.recolourMap;
  window.dash_clientside.no_update = null;
  let figure = recolour('all', 'year', 2018, null, 'records', 'world', fig, payload);
  Plotly.newPlot(gd, figure.data, figure.layout, {displaylogo: false});
  document.getElementById('year').addEventListener('input', (e) => {
    figure = recolour('all', 'year', Number(e.target.value), null, 'records', 'world', figure, payload);
    Plotly.react(gd, figure.data, figure.layout);
  });
});
</script></body></html>"""


def reference_step_ms(app_url: str, workdir: Path) -> float:
    """A bare page that only swaps the values in the browser: the same plotly.js, geometry and recolouring."""
    layout = json.load(urllib.request.urlopen(app_url + "_dash-layout"))
    found: dict = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "map":
                found["figure"] = props["figure"]
            if props.get("id") == "map-data":
                found["payload"] = props["data"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    figure = found["figure"]
    geometry = urllib.request.urlopen(app_url + figure["data"][0]["geojson"].lstrip("/")).read()
    (workdir / "countries.geojson").write_bytes(geometry)
    figure["data"][0]["geojson"] = "countries.geojson"
    (workdir / "figure.json").write_text(json.dumps(figure))
    (workdir / "payload.json").write_text(json.dumps(found["payload"]))
    (workdir / "index.html").write_text(REFERENCE)
    # the same plotly.js bundle the app serves from assets/
    bundle = next((ROOT / "assets").glob("plotly-*.min.js"))
    shutil.copy(bundle, workdir / "plotly.min.js")
    shutil.copy(ROOT / "assets" / "atlas.js", workdir / "atlas.js")
    shutil.copy(ROOT / "assets" / "geo-offline.js", workdir / "geo-offline.js")
    html = (workdir / "index.html").read_text().replace(
        '<script src="atlas.js">', '<script src="geo-offline.js"></script><script src="atlas.js">')
    (workdir / "index.html").write_text(html)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(workdir), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = browser()
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        wait_js(driver, "return window.__paint")
        time.sleep(0.3)
        return statistics.median(step_latencies(driver, "#year"))
    finally:
        driver.quit()
        server.shutdown()


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    print("bench: start-up …", flush=True)
    startup = startup_seconds()
    master = start_gunicorn(port)
    try:
        wait_healthy(url)
        sys.path.insert(0, str(ROOT))
        from dashboard.data.atlas import load_atlas
        from dashboard.settings import DEFAULT_DATA_DIR

        atlas = load_atlas(DEFAULT_DATA_DIR)
        countries = atlas.keys_with_records
        years = (int(atlas.events["year"].min()), int(atlas.events["year"].max()))
        print("bench: browser (app) …", flush=True)
        app = app_browser_figures(url)
        print("bench: browser (reference page) …", flush=True)
        work = RESULTS / "reference"
        work.mkdir(exist_ok=True)
        reference = reference_step_ms(url, work)
        print("bench: callbacks and load …", flush=True)
        server = callback_figures(url, countries, years)
        rss = worker_rss_mb(master)
    finally:
        master.terminate()
        master.wait(timeout=20)

    rows = [
        ("bytes on the wire per slider step", f"{app['step_bytes']:.0f} B", "≤ 1 KB", app["step_bytes"] <= 1024),
        ("slider step: key → map repainted", f"{app['step_ms']:.0f} ms (reference {reference:.0f} ms)",
         "≤ 1.2 × reference", app["step_ms"] <= 1.2 * reference),
        ("geometry fetches per page load", str(app["geometry_fetches"]), "1", app["geometry_fetches"] == 1),
        ("geometry size before compression", f"{app['geometry_bytes'] / 1000:.0f} KB", "≤ 400 KB",
         (app["geometry_bytes"] or 10**9) <= 400_000),
        ("page load → first view painted (static map)", f"{app['first_view_fcp_ms']:.0f} ms, "
         f"{app['first_view_paths']} countries, {app['dash_files_before_input']} Dash files", "≤ 1000 ms, 0 Dash files",
         app["first_view_fcp_ms"] <= 1000 and app["first_view_paths"] > 200 and app["dash_files_before_input"] == 0),
        ("first view bytes on the wire (before any input)", f"{app['first_view_bytes'] / 1e3:.0f} KB", "≤ 100 KB",
         app["first_view_bytes"] <= 100_000),
        ("first input → interactive map drawn", f"{app['input_to_map_ms']:.0f} ms", "≤ 1500 ms",
         app["input_to_map_ms"] <= 1500),
        ("the same two on a 4× slower CPU (a phone)", f"{app['first_view_fcp_ms_4x']:.0f} ms; "
         f"{app['input_to_map_ms_4x']:.0f} ms", "— (measured, no target)", True),
        ("shared view (?year=…) cold load → map drawn", f"{app['paint_ms']:.0f} ms", "≤ 1500 ms", app["paint_ms"] <= 1500),
        ("shared view load bytes on the wire", f"{app['page_bytes'] / 1e6:.2f} MB", "≤ 2.5 MB", app["page_bytes"] <= 2.5e6),
        ("detail-panel callback p50", f"{server['detail_p50_ms']:.1f} ms", "≤ 20 ms", server["detail_p50_ms"] <= 20),
        ("table callback p50", f"{server['table_p50_ms']:.1f} ms", "≤ 20 ms", server["table_p50_ms"] <= 20),
        ("export of the full table", f"{server['export_ms']:.0f} ms", "≤ 200 ms", server["export_ms"] <= 200),
        ("16 clients, detail panel: throughput", f"{server['load_rps']:.0f} req/s", "≥ 300 req/s",
         server["load_rps"] >= 300),
        ("16 clients, detail panel: p99", f"{server['load_p99_ms']:.0f} ms", "≤ 100 ms", server["load_p99_ms"] <= 100),
        ("16 clients, detail panel: errors", f"{server['load_errors']} of {server['load_requests']}", "0",
         server["load_errors"] == 0),
        ("memory per worker (RSS, after load)", f"{rss:.0f} MB", "≤ 250 MB", rss <= 250),
        ("start-up (imports + data build)", f"{startup:.2f} s", "≤ 3 s", startup <= 3),
        ("play animation", f"{app['play_years_per_s']:.1f} years/s, {app['play_dropped']} dropped",
         "≥ 5 years/s, 0 dropped", app["play_years_per_s"] >= 5 and app["play_dropped"] == 0),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nMeToo Atlas benchmark — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'figure':<{width}}  {'measured':<34} {'target':<24} result")
    for name, measured, target, ok in rows:
        print(f"{name:<{width}}  {measured:<34} {target:<24} {'pass' if ok else 'FAIL'}")
    (RESULTS / "latest.json").write_text(json.dumps(
        {"app": app, "reference_step_ms": reference, "server": server, "worker_rss_mb": rss,
         "startup_s": startup, "passed": all(r[3] for r in rows)}, indent=2))
    print(f"\n{sum(r[3] for r in rows)} of {len(rows)} targets met.")


if __name__ == "__main__":
    main()
