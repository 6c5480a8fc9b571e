"""The public server: routes, security headers, readiness, trusted client addresses."""

from __future__ import annotations

import threading

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from practice_assistant.service import IndexMissingError
from practice_assistant.serving import AssistantHolder
from practice_assistant.settings import Settings
from practice_assistant.ui import CLIENT_ADDRESS_HEADER
from practice_assistant.web import (
    ClientAddressMiddleware,
    SecurityHeadersMiddleware,
    security_headers,
)


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
