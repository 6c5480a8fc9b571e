"""Browser-test helpers: the package's harness, shaped for pytest (a skip reason, a URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    BrowserMissingError,
    free_port,
    require_browser,
)
from benchmarks.harness import asgi_server as _asgi_server
from benchmarks.harness import streamlit_server as _streamlit_server

__all__ = [
    "AXE_TAGS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "app_server",
    "axe_violations",
    "chromium_missing_reason",
    "free_port",
    "static_site",
    "streamlit_server",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def chromium_missing_reason() -> str | None:
    try:
        require_browser()
    except BrowserMissingError as error:
        return f"{error}: browser tests skipped (.ci/run installs chromium)"
    return None


@contextmanager
def streamlit_server(root: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """A real `streamlit run app.py`; yields its URL and always stops it."""
    with _streamlit_server(root, env, log) as app:
        yield app.url


@contextmanager
def app_server(root: Path, env: dict[str, str], log: Path, host: str = "127.0.0.1",
               ready: bool = True) -> Iterator[str]:
    """The app as `make run` serves it (uvicorn, `practice_assistant.web`); yields its URL."""
    with _asgi_server(root, env, log, host=host, ready=ready) as app:
        yield app.url


def axe_violations(target: Any, context: Any = None) -> list[str]:
    """axe-core's serious and critical WCAG 2.0/2.1/2.2 A and AA violations on a page or frame,
    one readable line each (rule, impact, where, why)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(target, context=context, options=options)
    return [f"{v['id']} ({v['impact']}) at {node['target']}: {node.get('failureSummary', '')}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")
            for node in v["nodes"]]


@contextmanager
def static_site(host: str, pages: dict[str, str], port: int | None = None) -> Iterator[str]:
    """A stand-in for the practice's own website: fixed HTML pages on another loopback origin
    (e.g. 127.0.0.2), served from a thread; yields its origin."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not found").encode("utf-8"))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, port or free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
