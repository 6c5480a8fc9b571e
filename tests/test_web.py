"""The public server: routes, security headers, readiness, trusted client addresses."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from browser_support import app_server
from conftest import ROOT
from practice_assistant.service import IndexMissingError
from practice_assistant.serving import AssistantHolder
from practice_assistant.settings import Settings
from practice_assistant.ui import CLIENT_ADDRESS_HEADER
from practice_assistant.web import (
    ClientAddressMiddleware,
    SecurityHeadersMiddleware,
    security_headers,
)

LOGS = ROOT / "artifacts" / "web"


def _echo_address_app(trusted: list[str]) -> Starlette:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.headers.get(CLIENT_ADDRESS_HEADER, "-"))

    settings = Settings(_env_file=None, embed_origins="https://www.example-practice.com")
    return Starlette(routes=[Route("/", echo)], middleware=[
        Middleware(ProxyHeadersMiddleware, trusted_hosts=trusted),
        Middleware(ClientAddressMiddleware),
        Middleware(SecurityHeadersMiddleware, headers=security_headers(settings))])


def _address(app: Starlette, peer: str, headers: dict[str, str]) -> str:
    with TestClient(app, client=(peer, 50000)) as client:
        return client.get("/", headers=headers).text



@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("127.0.0.1", "203.0.113.7", "203.0.113.7"),       # our nginx: believed
    ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the hop nginx saw, not a claim
    ("203.0.113.9", "10.9.9.9", "203.0.113.9"),         # a visitor claiming an address: ignored
    ("10.0.0.5", "203.0.113.8", "203.0.113.8"),         # inside a trusted range
])
def test_forwarded_address_is_believed_only_from_a_configured_proxy(peer, forwarded, expected):
    app = _echo_address_app(["127.0.0.1", "10.0.0.0/8"])
    assert _address(app, peer, {"X-Forwarded-For": forwarded}) == expected


def test_without_configured_proxies_no_forwarded_address_is_believed():
    app = _echo_address_app(list(Settings(_env_file=None).trusted_proxies))
    assert _address(app, "127.0.0.1", {"X-Forwarded-For": "203.0.113.7"}) == "127.0.0.1"


def test_a_client_cannot_set_the_address_header_itself():
    app = _echo_address_app([])
    assert _address(app, "203.0.113.9", {CLIENT_ADDRESS_HEADER: "192.0.2.1"}) == "203.0.113.9"


def test_frame_ancestors_are_self_plus_the_configured_origins_only():
    default = security_headers(Settings(_env_file=None))["Content-Security-Policy"]
    assert default.endswith("frame-ancestors 'self'")
    listed = security_headers(Settings(
        _env_file=None, embed_origins="https://www.example-practice.com/, https://b.example"))
    assert listed["Content-Security-Policy"].endswith(
        "frame-ancestors 'self' https://www.example-practice.com https://b.example")


def test_readiness_waits_for_the_model_and_then_the_index():
    release = threading.Event()

    class FakeAssistant:
        indexed = False

        def retriever(self):
            if not self.indexed:
                raise IndexMissingError("none yet")
            return object()

    fake = FakeAssistant()
    holder = AssistantHolder(lambda: release.wait(30) and fake)
    loading = holder.load_in_background()
    assert holder.readiness().ready is False and holder.readiness().model is False
    release.set()
    loading.join(30)
    assert (holder.readiness().model, holder.readiness().index) == (True, False)
    fake.indexed = True
    assert holder.readiness().ready


# --- a real server ----------------------------------------------------------------------------

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
