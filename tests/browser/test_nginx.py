"""The deployed path: Debian's nginx with deploy/nginx/practice-assistant.conf (its TLS lines
swapped for a loopback listen) in front of the real server, and a browser asking through it."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, app_server, chromium_missing_reason, free_port
from conftest import ROOT, SEED_SLUG

pytestmark = [pytest.mark.slow, pytest.mark.nginx]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx" / "practice-assistant.conf"
UNIT = ROOT / "deploy" / "practice-assistant.service"
TLS_INCLUDE = "include /etc/nginx/snippets/practice-assistant-tls.conf;"
TIMEOUT = 60_000
MAIN_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log notice;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def test_the_site_config_proxies_the_websocket_and_leaves_tls_to_one_include():
    site = SITE.read_text()
    assert site.count(TLS_INCLUDE) == 1 and "ssl_certificate" not in site
    assert re.search(r"location /_stcore/stream \{[^}]*proxy_pass", site)
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert re.search(r"client_max_body_size \d+m;", site)
    upstream_port = re.search(r"server 127\.0\.0\.1:(\d+);", site)
    unit_port = re.search(r"--port (\d+)", UNIT.read_text())
    assert upstream_port and unit_port and upstream_port[1] == unit_port[1]
    assert "practice_assistant.web:create_app" in UNIT.read_text()
    assert "--no-proxy-headers" in UNIT.read_text()


@pytest.fixture(scope="module")
def proxied(settings, tmp_path_factory) -> Iterator[str]:
    if not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (.ci/run installs it: apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("nginx")
    env = {"PA_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1",
           "PA_TRUSTED_PROXIES": "127.0.0.1", "PA_QUESTIONS_PER_ADDRESS": "1000/minute"}
    with app_server(ROOT, env, ROOT / "artifacts" / "nginx" / "server.log") as app_url:
        port = free_port()
        (tmp / "test-listen.conf").write_text(f"listen 127.0.0.1:{port};\n")
        site = SITE.read_text().replace(TLS_INCLUDE, f"include {tmp}/test-listen.conf;")
        site = re.sub(r"server 127\.0\.0\.1:\d+;", f"server {app_url.removeprefix('http://')};",
                      site)
        (tmp / "site.conf").write_text(site)
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp))
        check = subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError((tmp / "error.log").read_text()) from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


def test_a_question_through_nginx_gets_a_cited_answer_over_the_proxied_websocket(proxied):
    skip = chromium_missing_reason()
    if skip:
        pytest.skip(skip)
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(proxied)
        box = page.get_by_role("textbox").first
        box.wait_for(timeout=TIMEOUT)
        box.fill("why won't my partner go to couples therapy")
        box.press("Enter")
        message = page.locator('[data-testid="stChatMessage"]').last
        expect(message).to_contain_text("Some common reasons I hear", timeout=TIMEOUT)
        link = message.get_by_role("link", name=re.compile("Why One Partner Often Avoids"))
        expect(link.first).to_have_attribute("href", re.compile(f"/blog/{SEED_SLUG}$"))
        browser.close()


def test_nginx_passes_the_security_headers_and_hides_its_version(proxied):
    with urllib.request.urlopen(proxied + "/", timeout=10) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Server"] == "nginx"  # server_tokens off: no version number


def test_nginx_refuses_a_request_body_over_the_size_cap(proxied):
    request = urllib.request.Request(proxied + "/_stcore/upload_file/x/y", data=b"x" * 4_000_000,
                                     method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413
