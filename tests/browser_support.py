"""Browser-test helpers: the package's harness, shaped for pytest (a skip reason, a URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from practice_assistant.browser_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    BrowserMissingError,
    free_port,
    require_browser,
)
from practice_assistant.browser_harness import streamlit_server as _streamlit_server

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium_missing_reason", "free_port",
           "streamlit_server"]


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
