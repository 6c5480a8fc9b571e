"""What one serving process shares between the web server and every visitor's page.

The ASGI entry (`practice_assistant.web.create_app`) reads the settings once, builds these
services and installs them; the Streamlit pages then use the same ones through `services()`,
so `/healthz` reports on the very assistant that answers visitors. Run any other way
(`streamlit run app.py`, AppTest), the first page run builds them from `Settings()`.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from practice_assistant.app_service import build_assistant
from practice_assistant.limits_policy import QuestionLimiter, SignInGuard
from practice_assistant.privacy import configure_logging
from practice_assistant.service import Assistant, IndexMissingError
from practice_assistant.settings import Settings


@dataclass(frozen=True)
class Readiness:
    """Whether the process can answer: the model is loaded and an index is being served."""

    model: bool
    index: bool
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.model and self.index


class AssistantHolder:
    """Builds the assistant (model and index) once per process, in the background or on demand."""

    def __init__(self, build: Callable[[], Assistant]) -> None:
        self._build = build
        self._assistant: Assistant | None = None
        self._error: str | None = None
        self._lock = threading.Lock()

    def get(self) -> Assistant:
        """The assistant, loading the model and the serving index first if needed."""
        with self._lock:
            if self._assistant is None:
                try:
                    assistant = self._build()
                except Exception as error:
                    self._error = type(error).__name__
                    raise
                with contextlib.suppress(IndexMissingError):  # the page says how to ingest
                    assistant.retriever()
                self._assistant = assistant
            return self._assistant

    def load_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self._load_quietly, name="load-assistant", daemon=True)
        thread.start()
        return thread

    def readiness(self) -> Readiness:
        """Ready once the model is loaded and the index opened; never loads the model itself."""
        assistant = self._assistant
        if assistant is None:
            return Readiness(False, False, f"failed: {self._error}" if self._error
                             else "loading the model")
        try:
            assistant.retriever()
        except IndexMissingError:
            return Readiness(True, False, "no index: run `python -m ingest`")
        return Readiness(True, True)

    def _load_quietly(self) -> None:
        with contextlib.suppress(Exception):  # readiness() reports the failure
            self.get()


@dataclass(frozen=True)
class Services:
    """Everything a page needs besides its own widgets; one per process."""

    settings: Settings
    assistant: AssistantHolder
    questions: QuestionLimiter
    sign_in: SignInGuard
    clock: Callable[[], float] = field(default=time.time)

    @classmethod
    def from_settings(cls, settings: Settings,
                      clock: Callable[[], float] = time.time) -> Services:
        questions = QuestionLimiter.from_settings(settings)

        def build() -> Assistant:
            return build_assistant(settings, limiter=questions)

        return cls(settings, AssistantHolder(build), questions,
                   SignInGuard.from_settings(settings), clock)


_installed: Services | None = None
_install_lock = threading.Lock()


def install(services: Services) -> Services:
    """Make ``services`` the ones every page of this process uses."""
    global _installed
    with _install_lock:
        _installed = services
    return services


def services() -> Services:
    """The installed services, built from `Settings()` the first time when none were installed."""
    global _installed
    with _install_lock:
        if _installed is None:
            configure_logging()
            _installed = Services.from_settings(Settings())
        return _installed


@contextmanager
def installed(services: Services) -> Iterator[Services]:
    """Install ``services`` for a while (tests), then put back what was there."""
    global _installed
    with _install_lock:
        previous, _installed = _installed, services
    try:
        yield services
    finally:
        with _install_lock:
            _installed = previous
