"""Lighthouse (npm, simulated throttling) against the app and the tutorial Dash choropleth app, side by side.

    .venv/bin/python bench/lighthouse.py [--runs 3]

Installs Lighthouse from bench/lighthouse/package.json with `npm ci` on first use,
builds the tutorial app itself (one app.py: px.choropleth on the same geometry,
the full plotly.js bundle), serves both with gunicorn on loopback, runs Lighthouse
`--runs` times on mobile and desktop for each, and prints the medians. Debian's
Chromium does the rendering (CHROME_PATH). Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, free_port  # noqa: E402  (bench/run.py's helpers)

LH_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LH_DIR / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results"
CHROME = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "first-contentful-paint",
           "speed-index")
TARGETS = {"mobile": {"performance": 75, "accessibility": 100, "best-practices": 100, "seo": 100,
                      "largest-contentful-paint": 2500, "total-blocking-time": 600, "cumulative-layout-shift": 0.1},
           "desktop": {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}}

TUTORIAL_APP = '''
import json
import pandas as pd
import plotly.express as px
from dash import Dash, dcc, html, Input, Output

geojson = json.load(open("countries.geojson"))
events = pd.read_csv("events.csv", dtype=str, keep_default_na=False)
events["year"] = events["date"].str[:4].astype(int)
counts = events[events["country"] != ""].groupby(["country", "year"]).size().reset_index(name="records")
app = Dash(__name__)
server = app.server
app.layout = html.Div([html.H1("MeToo map"), dcc.Slider(2006, 2025, 1, value=2018, id="year"), dcc.Graph(id="map")])


@app.callback(Output("map", "figure"), Input("year", "value"))
def draw(year):
    rows = counts[counts["year"] == year]
    return px.choropleth(rows, geojson=geojson, locations="country", color="records", featureidkey="id")
'''


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(LH_DIR)], check=True)


def serve(command: list[str], cwd: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server did not start: {command}")


def tutorial_dir(workdir: Path) -> Path:
    shutil.copy(ROOT / "data" / "countries.geojson", workdir / "countries.geojson")
    shutil.copy(ROOT / "data" / "events.csv", workdir / "events.csv")
    (workdir / "app.py").write_text(TUTORIAL_APP, encoding="utf-8")
    return workdir


def lighthouse(url: str, form: str, out: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    if form == "desktop":
        command.append("--preset=desktop")
    for attempt in (1, 2):  # Chromium now and then exits mid-run on this machine: one retry, said aloud
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode == 0:
            break
        print(f"bench: lighthouse failed (attempt {attempt}): {done.stderr.strip()[-300:]}", file=sys.stderr)
    else:
        raise RuntimeError(f"lighthouse failed twice on {url} ({form})")
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores.update({m: report["audits"][m]["numericValue"] for m in METRICS})
    return scores


def medians(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def show(value: float, key: str) -> str:
    if key in CATEGORIES:
        return f"{value:.0f}"
    if key == "cumulative-layout-shift":
        return f"{value:.3f}"
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_lighthouse()
    RESULTS.mkdir(exist_ok=True)
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app_port, tutorial_port = free_port(), free_port()
        apps = {
            "MeToo Atlas": serve([sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{app_port}", "-w", "2",
                                  "--preload", "dashboard.wsgi:server"], ROOT, app_port),
            "tutorial app": serve([sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{tutorial_port}", "-w", "2",
                                   "app:server"], tutorial_dir(Path(tmp)), tutorial_port),
        }
        urls = {"MeToo Atlas": f"http://127.0.0.1:{app_port}/", "tutorial app": f"http://127.0.0.1:{tutorial_port}/"}
        try:
            for name, url in urls.items():
                for form in ("mobile", "desktop"):
                    runs = [lighthouse(url, form, Path(tmp) / f"{form}-{n}.json") for n in range(args.runs)]
                    results.setdefault(name, {})[form] = medians(runs)
                    print(f"bench: {name}, {form}: done", file=sys.stderr)
        finally:
            for process in apps.values():
                process.terminate()
    (RESULTS / "lighthouse.json").write_text(json.dumps(results, indent=2))
    print(f"Lighthouse {args.runs}-run medians (simulated throttling), {time.strftime('%Y-%m-%d')}")
    print(f"{'figure':<28}{'form':<9}{'MeToo Atlas':>13}{'tutorial app':>14}{'target':>10}  result")
    for form in ("mobile", "desktop"):
        for key in (*CATEGORIES, *METRICS):
            ours, theirs = results["MeToo Atlas"][form][key], results["tutorial app"][form][key]
            target = TARGETS[form].get(key)
            verdict = ""
            if target is not None:
                better_high = key in CATEGORIES
                verdict = "pass" if (ours >= target if better_high else ours <= target) else "FAIL"
            print(f"{key:<28}{form:<9}{show(ours, key):>13}{show(theirs, key):>14}"
                  f"{show(target, key) if target is not None else '':>10}  {verdict}")


if __name__ == "__main__":
    main()
