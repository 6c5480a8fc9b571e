"""The public server: Streamlit's ASGI app (`st.App`) plus our routes and middleware.

    uvicorn --factory practice_assistant.web:create_app --host 127.0.0.1 --port 8501 \\
        --no-proxy-headers        # `make run`; forwarded headers are judged here, not by uvicorn

Routes: ``/embed.js`` (the launcher), ``/safety`` (how crisis messages are handled, what is
stored), ``/healthz`` (200 once the model and index are loaded, else 503). Every HTTP response
gets the security headers below; ``frame-ancestors`` lists ``'self'`` and ``PA_EMBED_ORIGINS``.
Client addresses come from ``X-Forwarded-For`` only when the peer is in ``PA_TRUSTED_PROXIES``
(uvicorn's maintained `ProxyHeadersMiddleware`), and reach the pages in one header that no
client can set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from practice_assistant import serving
from practice_assistant.answering.disclosure import UNDER_18_NOTICE
from practice_assistant.settings import Settings
from practice_assistant.ui import CLIENT_ADDRESS_HEADER, contact_segments

ROOT = Path(__file__).resolve().parents[2]  # the checkout (`pip install -e .`, as `make` does)
STATIC = Path(__file__).parent / "static"
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                      "hid=(), display-capture=(), browsing-topics=()")


def content_security_policy(embed_origins: tuple[str, ...]) -> str:
    """Same-origin everything (no third-party fonts, images, scripts or connections), framed
    only by the assistant itself and the configured sites."""
    ancestors = " ".join(["'self'", *embed_origins])
    return ("default-src 'self'; script-src 'self' 'unsafe-inline' blob:; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
            "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; "
            f"form-action 'self'; frame-ancestors {ancestors}")


def security_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings.embed_origins),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (Streamlit's and ours)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in self.headers}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ClientAddressMiddleware:
    """Tells the pages the client address (already resolved from trusted proxies) in one header.

    Any copy of that header a client sent is dropped first, so it cannot be forged.
    """

    header = CLIENT_ADDRESS_HEADER.lower().encode("latin-1")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            address = (client[0] if client else "unknown").encode("latin-1")
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != self.header]
            scope = {**scope, "headers": [*headers, (self.header, address)]}
        await self.app(scope, receive, send)


_templates = Environment(loader=PackageLoader("practice_assistant", "templates"),
                         autoescape=select_autoescape(["html"]))


def render_safety_page(settings: Settings) -> str:
    """The public /safety page: crisis protocol, what is stored, automated, not for under 18s."""
    resources = [(r.name, contact_segments(r.contact)) for r in settings.crisis_resources]
    return _templates.get_template("safety.html").render(
        settings=settings, resources=resources,
        under_18=contact_segments(UNDER_18_NOTICE),
        reminder_hours=round(settings.disclosure_interval_s / 3600, 1))


def create_app(settings: Settings | None = None,
               services: serving.Services | None = None) -> st.App:
    """The ASGI app `make run` serves; settings are read here once when not given."""
    from streamlit import config

    settings = settings or (services.settings if services else Settings())
    services = serving.install(services or serving.Services.from_settings(settings))
    config.set_option("server.xsrfCookieSameSite", settings.xsrf_cookie_same_site)
    embed_js = (STATIC / "embed.js").read_bytes()
    safety_html = render_safety_page(settings)

    async def embed(_: Request) -> Response:
        return Response(embed_js, media_type="text/javascript; charset=utf-8", headers={
            "Cache-Control": "public, max-age=300",
            "Cross-Origin-Resource-Policy": "cross-origin"})

    async def safety(_: Request) -> Response:
        return HTMLResponse(safety_html)

    async def healthz(_: Request) -> Response:
        readiness = await run_in_threadpool(services.assistant.readiness)
        body: dict[str, Any] = {"ready": readiness.ready, "model": readiness.model,
                                "index": readiness.index}
        if readiness.detail:
            body["detail"] = readiness.detail
        return JSONResponse(body, status_code=200 if readiness.ready else 503,
                            headers={"Cache-Control": "no-store"})

    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        services.assistant.load_in_background()  # /healthz turns ready when this is done
        yield

    script = ROOT / "app.py"
    return st.App(
        str(script if script.exists() else Path.cwd() / "app.py"),  # else run from the checkout
        lifespan=lifespan,
        routes=[Route("/embed.js", embed), Route("/safety", safety), Route("/healthz", healthz)],
        middleware=[
            Middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies)),
            Middleware(ClientAddressMiddleware),
            Middleware(SecurityHeadersMiddleware, headers=security_headers(settings)),
        ],
    )
