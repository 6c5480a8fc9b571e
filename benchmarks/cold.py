"""Cold start and memory: a fresh process, from its start to its first answer.

* CLI: ``practice-assistant ask QUESTION --json`` as a subprocess; seconds to the JSON line and
  to exit, and the process's peak RSS (its ``VmHWM``, polled while it runs).
* App: ``streamlit run app.py`` and Debian's Chromium; seconds from starting streamlit to the
  health check, to the chat box (model and index loaded), and to the first full answer; the
  app process's peak RSS (``VmHWM``) after that answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    peak_rss_mb,
    require_browser,
    rss_mb,
    streamlit_server,
)

ANSWER_TIMEOUT_MS = 600_000
CHAT_MESSAGE = '[data-testid="stChatMessage"]'


def app_env(index_dir: Path, feedback: Path) -> dict[str, str]:
    """What the app or CLI needs to serve a bench index; an empty PA_CHROMA_URL means the
    embedded client, whatever the caller's environment says."""
    return {"PA_INDEX_DIR": str(index_dir), "PA_COLLECTION": "practice", "PA_CHROMA_URL": "",
            "PA_FEEDBACK_PATH": str(feedback), "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false"}


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "practice-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "practice_assistant.cli"]


def cli_cold_start(index_dir: Path, question: str, work_dir: Path) -> dict[str, Any]:
    """Run the CLI once; seconds to its answer line and to exit, and its peak RSS.

    The RSS is the child's own ``VmHWM``, polled until it exits: ``wait4``'s ``ru_maxrss``
    would count the parent's memory, which a spawned child carries until it execs.
    """
    env = {**os.environ, **app_env(index_dir, Path(work_dir) / "feedback.jsonl")}
    peak: list[float] = []
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen([*cli_command(), "ask", question, "--json"], cwd=work_dir,
                                   env=env, stdout=subprocess.PIPE, stderr=errors)
        watcher = threading.Thread(target=_watch_rss, args=(process, peak), daemon=True)
        watcher.start()
        assert process.stdout is not None
        line = process.stdout.readline()
        answered = time.perf_counter() - started
        process.stdout.read()
        process.wait()
        exited = time.perf_counter() - started
        watcher.join()
        errors.seek(0)
        tail = errors.read().decode(errors="replace")[-500:]
    if process.returncode != 0 or not line.strip():
        raise RuntimeError(f"`ask` failed (exit {process.returncode}): {tail}")
    route = json.loads(line)["route"]
    return {"answer_s": round(answered, 2), "exit_s": round(exited, 2),
            "peak_rss_mb": max(peak, default=None), "route": route}


def _watch_rss(process: subprocess.Popen[bytes], peak: list[float]) -> None:
    while process.poll() is None:
        rss = peak_rss_mb(process.pid)
        if rss is not None:
            peak.append(rss)
        time.sleep(0.02)


def browser_cold_start(root: Path, index_dir: Path, question: str, work_dir: Path,
                       consultation_text: str, no_answer_text: str) -> dict[str, Any]:
    """Start the app on ``index_dir``, ask once in Chromium, and time each step from the start."""
    require_browser()
    from playwright.sync_api import sync_playwright

    work_dir.mkdir(parents=True, exist_ok=True)
    env = app_env(index_dir, work_dir / "feedback.jsonl")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            with streamlit_server(root, env, work_dir / "streamlit.log") as app:
                page = browser.new_page()
                page.goto(app.url)
                box = page.get_by_role("textbox").first
                box.wait_for(timeout=ANSWER_TIMEOUT_MS)
                ready = time.perf_counter() - app.started
                box.fill(question)
                asked = time.perf_counter()
                box.press("Enter")
                message = page.locator(CHAT_MESSAGE).nth(1)
                done = message.get_by_role("link", name=consultation_text).or_(
                    message.get_by_text(no_answer_text[:40]))
                done.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
                answered = time.perf_counter()
                rss, now = peak_rss_mb(app.pid), rss_mb(app.pid)
        finally:
            browser.close()
    return {"healthy_s": round(app.healthy_s, 2), "chat_ready_s": round(ready, 2),
            "first_answer_s": round(answered - app.started, 2),
            "answer_after_ask_s": round(answered - asked, 2), "peak_rss_mb": rss,
            "rss_mb": now}
