"""The public server: routes, security headers, readiness, trusted client addresses."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from browser_support import app_server
from conftest import ROOT

LOGS = ROOT / "artifacts" / "web"


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(settings) -> Iterator[str]:
    env = {"PA_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1",
           "PA_EMBED_ORIGINS": "https://www.example-practice.com"}
    with app_server(ROOT, env, LOGS / "server.log") as url:
        yield url


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/", "/embed.js", "/safety", "/healthz", "/_stcore/health",
                                  "/staff", "/favicon.png"])
def test_every_response_carries_the_security_headers(server, path):
    status, headers, _ = _get(server + path)
    assert status == 200
    assert headers["content-security-policy"].endswith(
        "frame-ancestors 'self' https://www.example-practice.com")
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "microphone=()" in headers["permissions-policy"]


@pytest.mark.slow
def test_embed_js_is_a_cacheable_script_that_sets_no_cookie(server):
    status, headers, body = _get(server + "/embed.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert "set-cookie" not in {k.lower() for k in headers}
    assert b"document.cookie" not in body and b"window.PracticeAssistant" in body


@pytest.mark.slow
def test_xsrf_cookie_is_same_site_lax_by_default(server):
    _, headers, _ = _get(server + "/_stcore/health")
    assert "_streamlit_xsrf=" in headers["set-cookie"] and "SameSite=Lax" in headers["set-cookie"]


@pytest.mark.slow
def test_healthz_is_ready_with_model_and_index(server):
    status, headers, body = _get(server + "/healthz")
    assert status == 200 and json.loads(body) == {"ready": True, "model": True, "index": True}
    assert headers["cache-control"] == "no-store"


@pytest.mark.slow
def test_safety_page_publishes_the_crisis_protocol_storage_and_age_limit(server):
    status, headers, body = _get(server + "/safety")
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "What happens when a message may be about a crisis" in page
    assert '<a href="tel:988">Call 988</a>' in page
    assert '<a href="sms:741741?body=HOME">Text HOME to 741741</a>' in page
    assert "Nothing but feedback you choose to give" in page and "90 days" in page
    assert "automated assistant, not a therapist" in page
    assert "not meant for anyone under 18" in page


@pytest.mark.slow
def test_without_an_index_healthz_says_not_ready_and_xsrf_cookie_follows_settings(tmp_path):
    env = {"PA_INDEX_DIR": str(tmp_path / "empty-index"), "HF_HUB_OFFLINE": "1",
           "PA_XSRF_COOKIE_SAME_SITE": "none"}
    with app_server(ROOT, env, LOGS / "server-no-index.log", ready=False) as url:
        status, _, body = _get(url + "/healthz")
        assert status == 503
        assert json.loads(body)["model"] is True and json.loads(body)["index"] is False
        _, headers, _ = _get(url + "/_stcore/health")  # where the page gets its cookie
    cookie = headers.get("set-cookie", "")
    assert "_streamlit_xsrf=" in cookie and "SameSite=None" in cookie and "Secure" in cookie
