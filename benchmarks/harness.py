"""A real `streamlit run app.py` on a free loopback port, and Debian's Chromium to drive it.

Package code for the bench commands (cold start, load test); ``tests/browser_support.py`` has the
same helpers for the browser tests and could re-export these.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class BrowserMissingError(Exception):
    """Chromium or playwright is not installed."""


def require_browser() -> None:
    """Raise with what to install when the browser bench cannot run."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        raise BrowserMissingError("Debian's chromium is not installed (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        raise BrowserMissingError("playwright is not installed (pip install -e '.[test]'); "
                                  "never run `playwright install`: Debian's chromium is used"
                                  ) from None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class RunningApp:
    """A started app: its URL, its process id, and when `streamlit run` was started."""

    url: str
    pid: int
    started: float
    healthy_s: float


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set (VmHWM) in MiB, or None when it cannot be read."""
    return _status_mb(pid, "VmHWM")


def rss_mb(pid: int) -> float | None:
    """The process's resident set now (VmRSS) in MiB, or None when it cannot be read."""
    return _status_mb(pid, "VmRSS")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far, or None when it cannot be read."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_mb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def streamlit_server(root: Path, env: dict[str, str], log: Path,
                     timeout_s: float = 120) -> Iterator[RunningApp]:
    """Start the app, wait for its health check, and always stop it."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    with _served(cmd, root, env, log, url, healthy, timeout_s) as app:
        yield app


@contextmanager
def asgi_server(root: Path, env: dict[str, str], log: Path, host: str = "127.0.0.1",
                timeout_s: float = 180, ready: bool = True) -> Iterator[RunningApp]:
    """Start the app as production serves it (`make run`: uvicorn and `practice_assistant.web`),
    wait until ``/healthz`` says the model and index are loaded (``ready=False``: until it
    reports that the model is, whatever the index), and always stop it."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "practice_assistant.web:create_app",
           "--host", host, "--port", str(port), "--no-proxy-headers"]
    url = f"http://{host}:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                return response.status == 200
        except urllib.error.HTTPError as error:  # 503 while loading, or without an index
            return not ready and bool(json.loads(error.read() or b"{}").get("model"))
        except OSError:  # not listening yet
            return False

    with _served(cmd, root, env, log, url, healthy, timeout_s) as app:
        yield app


@contextmanager
def _served(cmd: list[str], root: Path, env: dict[str, str], log: Path, url: str,
            healthy: Callable[[], bool], timeout_s: float) -> Iterator[RunningApp]:
    """Run ``cmd`` until ``healthy()`` (or fail naming the log), yield it, always stop it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=root, env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while not healthy():
            if process.poll() is not None:
                raise RuntimeError(f"{cmd[2]} exited early; see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{cmd[2]} did not become ready; see {log}")
            time.sleep(0.25)
        yield RunningApp(url, process.pid, started, time.perf_counter() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
