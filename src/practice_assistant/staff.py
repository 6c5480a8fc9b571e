"""The staff page's services: sign-in, index status, uploads, preview and re-ingest.

Nothing here imports Streamlit; `pages/1_Staff.py` only reads widgets and calls these.
"""

from __future__ import annotations

import hmac
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practice_assistant.models import Article, Chunk
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, IndexVersion

UPLOAD_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_TRIES = 5
LOCKOUT_S = 300.0
ENABLE_HINT = ("The staff page is turned off because no staff password is set. To turn it on, "
               "set the environment variable PA_STAFF_PASSWORD (or add `staff_password = "
               "\"...\"` to .streamlit/secrets.toml) and restart the app.")


class UploadError(ValueError):
    """An uploaded file that cannot go into the corpus, with the reason to show staff."""


def configured_password(settings: Settings, secrets: Mapping[str, Any] | None = None) -> str | None:
    """The staff password from settings (PA_STAFF_PASSWORD), else Streamlit secrets; None = off."""
    if settings.staff_password is not None and settings.staff_password.get_secret_value():
        return settings.staff_password.get_secret_value()
    try:
        value = (secrets or {}).get("staff_password")
    except Exception:  # Streamlit's secrets raise when no secrets.toml exists
        return None
    return str(value) if value else None


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so timing says nothing about how much of a guess was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: ok, or refused with tries left or seconds of lock-out."""

    ok: bool
    tries_left: int
    locked_for_s: float = 0.0

    @property
    def message(self) -> str:
        if self.ok:
            return "Signed in."
        if self.locked_for_s > 0:
            minutes = max(1, round(self.locked_for_s / 60))
            return (f"Too many wrong passwords. Sign-in is locked for about {minutes} "
                    f"minute{'s' if minutes != 1 else ''}.")
        tries = "try" if self.tries_left == 1 else "tries"
        return f"Wrong password. {self.tries_left} {tries} left before a lock-out."


class LoginGuard:
    """Counts wrong passwords per session and locks a session out after ``max_tries``.

    One guard per process (the page keeps it in `st.cache_resource`); thread-safe, because
    Streamlit runs each session's script in its own thread.
    """

    def __init__(self, max_tries: int = MAX_TRIES, lockout_s: float = LOCKOUT_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_tries = max_tries
        self.lockout_s = lockout_s
        self.clock = clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked_for(self, session: str) -> float:
        """Seconds of lock-out left for ``session`` (0 when it may try)."""
        with self._lock:
            return self._locked_for(session)

    def attempt(self, session: str, given: str, expected: str) -> SignIn:
        """Check one password; a locked session is refused without comparing."""
        with self._lock:
            left = self._locked_for(session)
            if left > 0:
                return SignIn(False, 0, left)
            if password_matches(given, expected):
                self._failures.pop(session, None)
                return SignIn(True, self.max_tries)
            failures = self._failures.get(session, 0) + 1
            if failures >= self.max_tries:
                self._failures.pop(session, None)
                self._locked_until[session] = self.clock() + self.lockout_s
                return SignIn(False, 0, self.lockout_s)
            self._failures[session] = failures
            return SignIn(False, self.max_tries - failures)

    def _locked_for(self, session: str) -> float:
        until = self._locked_until.get(session)
        if until is None:
            return 0.0
        left = until - self.clock()
        if left <= 0:
            del self._locked_until[session]
            return 0.0
        return left


# --- index status -----------------------------------------------------------------------------

def index_status(settings: Settings, store: IndexStore | None = None) -> IndexVersion | None:
    """What the serving index holds (articles, chunks, last ingest time, model), or None."""
    store = store or IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    return store.current()


def corpus_files(settings: Settings) -> list[Path]:
    """The source files an ingest would read, sorted."""
    from ingest.load import discover

    return discover([settings.corpus_dir]) if settings.corpus_dir.exists() else []


# --- uploads ----------------------------------------------------------------------------------

def safe_filename(name: str) -> str:
    """A plain file name for the corpus folder: no folders, no dots in front, ASCII only."""
    base = re.split(r"[\\/]", name.replace("\x00", ""))[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = ascii_name.rpartition(".")
    if not dot:
        stem, suffix = ascii_name, ""
    suffix = f".{suffix.lower()}"
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError(f"'{base}' is not a supported file: upload "
                          f"{', '.join(UPLOAD_SUFFIXES)} files")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_ ")[:100]
    if not stem:
        raise UploadError(f"'{base}' has no usable file name")
    return f"{stem}{suffix}"


def save_upload(corpus_dir: Path, name: str, data: bytes,
                max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Write an uploaded post into the corpus folder atomically; returns where it went."""
    filename = safe_filename(name)
    if len(data) > max_bytes:
        raise UploadError(f"'{filename}' is {len(data) / 1_048_576:.1f} MB; the limit is "
                          f"{max_bytes / 1_048_576:.0f} MB")
    if not data.strip():
        raise UploadError(f"'{filename}' is empty")
    folder = corpus_dir.resolve()
    target = (folder / filename).resolve()
    if target.parent != folder:
        raise UploadError(f"'{name}' would be saved outside the corpus folder")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{filename}.{os.getpid()}.upload"
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


@dataclass(frozen=True)
class Preview:
    """How one file will look in the index: its articles and their chunks, or why it failed."""

    path: Path
    articles: tuple[Article, ...] = ()
    chunks: tuple[tuple[Chunk, ...], ...] = ()
    error: str | None = None


def preview_file(path: Path) -> Preview:
    """Load, clean and chunk ``path`` exactly as an ingest would, without indexing it."""
    from ingest.chunk import chunk_article
    from ingest.errors import ArticleError
    from ingest.load import load_file

    try:
        articles = load_file(path)
    except ArticleError as error:
        return Preview(path, error=error.reason)
    return Preview(path, tuple(articles), tuple(tuple(chunk_article(a)) for a in articles))


# --- re-ingest --------------------------------------------------------------------------------

def reingest(settings: Settings, embeddings: Any | None = None,
             progress: Callable[[int, int], None] | None = None) -> Any:
    """Ingest the corpus folder into the index (only what changed); returns the IngestReport.

    Raises `store.IngestLockedError` when another ingest is running. The model is loaded
    only when something changed.
    """
    from ingest.pipeline import run_ingest

    store = IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    paths = [settings.corpus_dir]
    hosts = settings.site_hosts()
    plan = run_ingest(paths, store, None, dry_run=True, allowed_hosts=hosts)
    if not plan.plan.changes:
        from dataclasses import replace

        return replace(plan, dry_run=False)
    if embeddings is None:
        from practice_assistant.embedding import load_embeddings

        embeddings = load_embeddings()
    return run_ingest(paths, store, embeddings, progress=progress, show_bar=False,
                      allowed_hosts=hosts)
