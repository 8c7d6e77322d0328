"""Scale-out without a home-made cluster: two gunicorn instances behind nginx, round-robin.

A full browser session (load, scrub, click, export) through the proxy gives the
same results as one instance alone, because no view state lives on a server.
Loopback only; every process is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_browser import (
    By, Keys, click, click_country, free_port, make_browser, open_page, slider_value, wait, wait_for_health,
)

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.browser
if not Path(NGINX).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs nginx (apt-get install nginx-light)")
    pytest.skip("nginx not installed", allow_module_level=True)

NGINX_CONF = """
worker_processes 1;
error_log {tmp}/error.log;
pid {tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    log_format upstreamlog '$upstream_addr $request';
    access_log {tmp}/access.log upstreamlog;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream atlas {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{ proxy_pass http://atlas; proxy_set_header Host $host; }}
    }}
}}
"""


def gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "DASHBOARD_HOST": "127.0.0.1", "WEB_CONCURRENCY": "1"}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf",
                             "--access-logfile", "/dev/null", "dashboard.wsgi:server"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("nginx")
    ports = {"a": free_port(), "b": free_port(), "port": free_port()}
    backends = [gunicorn(ports["a"]), gunicorn(ports["b"])]
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, **ports))
    proxy = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for port, process in ((ports["a"], backends[0]), (ports["b"], backends[1])):
            wait_for_health(f"http://127.0.0.1:{port}/", process)
        wait_for_health(f"http://127.0.0.1:{ports['port']}/", proxy)
        yield {"proxy": f"http://127.0.0.1:{ports['port']}/", "direct": f"http://127.0.0.1:{ports['a']}/",
               "log": tmp / "access.log", "ports": ports}
    finally:
        for process in (proxy, *backends):
            process.terminate()
        for process in (proxy, *backends):
            process.wait(timeout=20)


def session(url: str, download_dir: Path) -> dict:
    """Load, scrub, click, filter and export as a user would; return what they saw."""
    driver = make_browser(download_dir)
    driver.download_dir = download_dir
    try:
        open_page(driver, url + "?year=2018")
        thumb = driver.find_element(By.CSS_SELECTOR, "#year-slider [role=slider]")
        thumb.send_keys(Keys.ARROW_RIGHT)
        wait(driver, lambda d: slider_value(d) == 2019)
        click_country(driver, "IND")
        wait(driver, lambda d: d.find_element(By.ID, "detail-title").text == "India")
        panel = driver.find_element(By.ID, "detail-panel").text
        click(driver, driver.find_element(By.ID, "export-button"))
        path = wait(driver, lambda d: next(iter(download_dir.glob("*.csv")), None), "no download")
        wait(driver, lambda d: path.stat().st_size > 0)
        return {"panel": panel, "csv": path.read_bytes(), "name": path.name,
                "url": driver.current_url.split("?", 1)[1]}
    finally:
        driver.quit()


def test_a_session_through_two_instances_equals_one_instance(cluster, tmp_path) -> None:
    through_proxy = session(cluster["proxy"], tmp_path / "proxy")
    direct = session(cluster["direct"], tmp_path / "direct")
    assert through_proxy == direct
    upstreams = {line.split()[0] for line in cluster["log"].read_text().splitlines() if line.strip()}
    ports = cluster["ports"]
    assert {f"127.0.0.1:{ports['a']}", f"127.0.0.1:{ports['b']}"} <= upstreams, "round-robin used one backend"
