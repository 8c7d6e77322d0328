"""MeToo Atlas at scale: the same app on 500, 10,000 and 100,000 records, side by side.

    .venv/bin/python bench/scale.py              # prints the curve, writes bench/results/scale.json
    .venv/bin/python bench/scale.py 500 10000    # other sizes (the targets apply to the largest)

For each size it writes a data folder itself from the shipped data
(tests/synthetic.py: the shipped records repeated, each copy with its own id),
checks it with `metoo-map validate`, then measures start-up, gunicorn (2
workers, --preload) and Chromium. Copies compress well, so each response's
uncompressed size is printed beside its size on the wire. Loopback only; one size at a time; about
five minutes for the three sizes on a 2-core machine. Needs Debian's chromium
and chromium-driver.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from run import (  # noqa: E402  (bench/run.py: the same server, browser and request helpers)
    RESULTS, Callbacks, browser, download_ms, free_port, rss_mb, start_gunicorn, wait_healthy, wait_js,
    worker_rss_mb, workers_of,
)
from tests.synthetic import write_synthetic  # noqa: E402

SIZES = (500, 10_000, 100_000)
SEARCH = "court"
KB = 1000
# figure → (target at the largest size, how to print it); each is "at most" the target.
TARGETS = {
    "startup_s": (5.0, "start-up (imports + data build)", "{:.2f} s"),
    "rss_mb": (400, "memory per worker (RSS, after the run)", "{:.0f} MB"),
    "page_load_kb": (300, "page load: largest response on the wire (gzip)", "{:.0f} KB"),
    "page_load_raw_kb": (None, "  the same, uncompressed", "{:.0f} KB"),
    "country_kb": (300, "choose the largest country: largest response (gzip)", "{:.0f} KB"),
    "country_raw_kb": (None, "  the same, uncompressed", "{:.0f} KB"),
    "search_kb": (300, f"search '{SEARCH}': table response (gzip)", "{:.0f} KB"),
    "search_raw_kb": (None, "  the same, uncompressed", "{:.0f} KB"),
    "first_rows_ms": (500, "table's first rows after the map paints", "{:.0f} ms"),
    "refill_ms": (300, "filter change → table refilled (browser)", "{:.0f} ms"),
    "refill_server_ms": (None, "  of which the table callback (new filter, p50)", "{:.0f} ms"),
    "export_api_s": (10, "full export, API (/api/records.csv)", "{:.2f} s"),
    "export_api_mb": (250, "  worker memory during it (peak RSS − before)", "{:.0f} MB"),
    "export_cli_s": (10, "full export, CLI (metoo-map export)", "{:.2f} s"),
    "export_cli_mb": (250, "  peak memory of the CLI process", "{:.0f} MB"),
}


def python() -> str:
    return sys.executable


def validate(folder: Path) -> str:
    result = subprocess.run([python(), "-m", "dashboard", "validate", str(folder)], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench: the generated folder is invalid:\n{result.stderr[:2000]}")
    return result.stdout.strip()


def startup_seconds(folder: Path) -> float:
    code = ("import sys, time; from pathlib import Path; t = time.perf_counter(); "
            "from dashboard.app import create_app; from dashboard.settings import Settings; "
            "create_app(Settings(data_dir=Path(sys.argv[1]))); print(time.perf_counter() - t)")
    return float(subprocess.check_output([python(), "-c", code, str(folder)], cwd=ROOT, text=True))


def gzip_kb(calls: Callbacks, body: bytes) -> tuple[float, float, float]:
    """(KB on the wire with gzip, KB uncompressed, ms) for one callback request."""
    request = urllib.request.Request(calls.url + "_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        wire = response.read()
        zipped = response.headers.get("Content-Encoding") == "gzip"
    ms = (time.perf_counter() - start) * 1000
    return len(wire) / KB, len(gzip.decompress(wire) if zipped else wire) / KB, ms


def wire_figures(url: str, largest: str) -> dict:
    calls = Callbacks(url)
    detail = "..detail-title.children...detail-body.children.."
    table = next(key for key in calls.specs if key.startswith("..table.getRowsResponse..."))
    first_page = [{"startRow": 0, "endRow": 25}]
    request = urllib.request.Request(url + "_dash-layout", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        layout = response.read()
    layout_kb = len(layout) / KB
    layout_raw = gzip.decompress(layout) if response.headers.get("Content-Encoding") == "gzip" else layout
    world, world_raw, _ = gzip_kb(calls, calls.body(detail, [None, "records"]))
    table_all, table_all_raw, _ = gzip_kb(calls, calls.body(table, first_page, [None, [], [], None, ""]))
    panel, panel_raw, _ = gzip_kb(calls, calls.body(detail, [largest, "records"]))
    table_country, table_country_raw, _ = gzip_kb(calls, calls.body(table, first_page, [None, [], [], largest, ""]))
    search, search_raw, _ = gzip_kb(calls, calls.body(table, first_page, [None, [], [], None, SEARCH]))
    # A new filter each time (nothing cached), as a person changing the filters makes.
    years = [[2006 + n % 10, 2025] for n in range(9)]
    refill = [gzip_kb(calls, calls.body(table, first_page, [span, ["case", "legal_reform"][n % 2:], [], None, ""]))[2]
              for n, span in enumerate(years)]
    return {"layout_kb": layout_kb, "layout_raw_kb": len(layout_raw) / KB,
            "page_load_kb": max(layout_kb, world, table_all),
            "page_load_raw_kb": max(len(layout_raw) / KB, world_raw, table_all_raw),
            "detail_world_kb": world, "table_first_page_kb": table_all,
            "country_kb": max(panel, table_country), "country_raw_kb": max(panel_raw, table_country_raw),
            "panel_kb": panel, "panel_raw_kb": panel_raw, "table_country_kb": table_country,
            "search_kb": search, "search_raw_kb": search_raw, "refill_server_ms": statistics.median(refill)}


ROWS_PROBE = """
window.__rows = null;
new MutationObserver(() => {
  if (window.__rows === null && document.querySelector('#table .ag-center-cols-container [row-id]')) {
    window.__rows = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""

REFILL = """
const done = arguments[arguments.length - 1];
const count = () => document.getElementById('table-count').textContent;
const before = count();
const t0 = performance.now();
window.dash_clientside.set_props('table-categories', {value: ['legal_reform']});
(function check() {
  const cells = Array.from(document.querySelectorAll('#table .ag-center-cols-container [col-id=category]'));
  if (count() !== before && cells.length && cells.every(c => c.textContent.trim() === 'Legal reforms')) {
    done(performance.now() - t0);
  } else if (performance.now() - t0 > 20000) {
    done(-1);
  } else {
    requestAnimationFrame(check);
  }
})();
"""


def browser_figures(url: str) -> dict:
    driver = browser()
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ROWS_PROBE})
    driver.set_script_timeout(30)
    try:
        driver.get(url)
        paint = wait_js(driver, "return window.__paint", seconds=60)
        rows = wait_js(driver, "return window.__rows", seconds=60)
        wait_js(driver, "return !document.querySelector('[data-dash-is-loading=\"true\"]')", seconds=60)
        time.sleep(0.5)
        refill = [driver.execute_async_script(REFILL)]
        driver.execute_script("window.dash_clientside.set_props('table-categories', {value: []})")
        time.sleep(1.0)
        refill.append(driver.execute_async_script(REFILL))
        return {"paint_ms": paint, "rows_ms": rows, "first_rows_ms": max(rows - paint, 0.0),
                "refill_ms": statistics.median(refill), "refill_runs_ms": refill}
    finally:
        driver.quit()


def export_api(url: str, master: subprocess.Popen) -> dict:
    """The full CSV from the API; the workers' RSS sampled every 20 ms while it streams."""
    pids = workers_of(master)
    before = {pid: rss_mb(pid) for pid in pids}
    peak = dict(before)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        ms = download_ms(url + "api/records.csv")
    finally:
        stop.set()
        sampler.join()
    return {"export_api_s": ms / 1000, "export_api_mb": max(peak[p] - before[p] for p in pids),
            "export_api_peak_rss_mb": max(peak.values())}


def export_cli(folder: Path) -> dict:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "all.csv"
        start = time.perf_counter()
        process = subprocess.Popen([python(), "-m", "dashboard", "export", "--data-dir", str(folder),
                                    "--out", str(out)], cwd=ROOT, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            raise RuntimeError("metoo-map export failed")
        return {"export_cli_s": seconds, "export_cli_mb": usage.ru_maxrss / 1024, "export_bytes": out.stat().st_size}


def measure(size: int, folder: Path) -> dict:
    print(f"bench: {size} records: writing and validating the folder …", flush=True)
    write_synthetic(folder, size)
    figures: dict = {"records": size, "validate": validate(folder)}
    from dashboard.data.atlas import load_atlas

    largest = load_atlas(folder).events["key"].value_counts().index[0]
    figures["largest_country"] = largest
    print(f"bench: {size} records: start-up, export (CLI) …", flush=True)
    figures["startup_s"] = startup_seconds(folder)
    figures.update(export_cli(folder))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    master = start_gunicorn(port, data_dir=folder)
    try:
        wait_healthy(url)
        print(f"bench: {size} records: callbacks, browser, export (API) …", flush=True)
        figures.update(wire_figures(url, largest))
        figures.update(browser_figures(url))
        figures.update(export_api(url, master))
        figures["rss_mb"] = worker_rss_mb(master)
    finally:
        master.terminate()
        master.wait(timeout=30)
    return figures


def table(results: list[dict]) -> list[str]:
    sizes = [f"{r['records']:,}" for r in results]
    width = max(len(label) for _, label, _ in TARGETS.values())
    lines = [f"{'figure':<{width}}  " + "".join(f"{s:>12}" for s in sizes) + f"  {'target':>10}  result"]
    for key, (target, label, form) in TARGETS.items():
        values = "".join(f"{form.format(r[key]):>12}" for r in results)
        if target is None:
            lines.append(f"{label:<{width}}  {values}")
            continue
        ok = results[-1][key] <= target
        lines.append(f"{label:<{width}}  {values}  {'≤ ' + form.format(target):>10}  {'PASS' if ok else 'FAIL'}")
    return lines


def main(sizes: tuple[int, ...]) -> None:
    RESULTS.mkdir(exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="metoo-scale-") as work:
        for size in sizes:
            results.append(measure(size, Path(work) / str(size)))
    lines = table(results)
    met = sum(results[-1][key] <= target for key, (target, _, _) in TARGETS.items() if target is not None)
    total = sum(target is not None for target, _, _ in TARGETS.values())
    header = (f"MeToo Atlas at scale — {time.strftime('%Y-%m-%d', time.gmtime())}, {platform.node()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}; targets at {sizes[-1]:,} records")
    print("\n" + header)
    print("\n".join(lines))
    print(f"\n{met} of {total} targets met at {sizes[-1]:,} records.")
    (RESULTS / "scale.json").write_text(json.dumps({"header": header, "results": results, "met": met,
                                                    "targets": total}, indent=2))
    (RESULTS / "scale.txt").write_text(header + "\n" + "\n".join(lines) + f"\n\n{met} of {total} targets met.\n")


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or SIZES)
