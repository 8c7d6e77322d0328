"""Load: 32 concurrent clients for 30 s against gunicorn — page, layout, callbacks, export.

Loopback only, bounded in time, stops by itself. Asserts no error and memory
that levels off instead of growing with the number of requests.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .dash_requests import request_body
from .test_browser import free_port, wait_for_health
from .test_scaleout import gunicorn

CLIENTS = 32
SECONDS = 30


def rss_mb(master_pid: int) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total = 0.0
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def test_thirty_two_clients_for_thirty_seconds(atlas) -> None:
    port = free_port()
    server = gunicorn(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_health(url, server)
        specs = {s["output"]: s for s in json.load(urllib.request.urlopen(url + "_dash-dependencies"))}

        def body(output: str, values: list, state: list | None = None) -> bytes:
            return json.dumps(request_body(specs[output], output, values, state)).encode()

        countries = atlas.keys_with_records
        requests = [("GET", "", None), ("GET", "_dash-layout", None), ("GET", "healthz", None)]
        requests += [("POST", "_dash-update-component", body("..detail-title.children...detail-body.children..", [c, "records"]))
                     for c in countries[:30]]
        table = next(key for key in specs if key.startswith("..table.getRowsResponse..."))
        requests += [("POST", "_dash-update-component", body(table,
                                                              [{"startRow": 0, "endRow": 25}],
                                                              [[2017, 2020], ["case"], [], c, ""])) for c in countries[:10]]
        requests.append(("GET", "api/records.csv?from=2006&to=2025", None))
        errors: list[str] = []
        done = [0]
        lock = threading.Lock()
        stop = time.monotonic() + SECONDS

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                method, path, data = rng.choice(requests)
                request = urllib.request.Request(url + path, data=data, method=method,
                                                 headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        response.read()
                        ok = response.status == 200
                except (urllib.error.URLError, OSError) as error:
                    ok, response = False, error
                with lock:
                    done[0] += 1
                    if not ok:
                        errors.append(f"{method} {path}: {response}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS / 3)
        early = rss_mb(server.pid)
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
        late = rss_mb(server.pid)
        assert errors == [], errors[:5]
        assert done[0] > 1000
        assert late < early * 1.25 + 20, f"memory grew from {early:.0f} MB to {late:.0f} MB"
        assert wait_for_health(url, server) is None
    finally:
        server.terminate()
        server.wait(timeout=20)
