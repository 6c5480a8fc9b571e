"""The staff page's services: password, index status, uploads, preview, re-ingest, facts.

Sign-in attempts are counted per client address by `limits_policy.SignInGuard`.

Nothing here imports Streamlit; `pages/staff.py` only reads widgets and calls these.
"""

from __future__ import annotations

import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import ArticleError
from ingest.load import discover, load_file
from ingest.pipeline import IngestOptions, chunks_for, refresh_index
from practice_assistant.embedding import load_embeddings
from practice_assistant.models import Article, Chunk
from practice_assistant.practice.facts import (
    FACTS_FILENAME,
    PracticeFacts,
    facts_from_form,
    parse_facts,
    render_facts,
)
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, IndexVersion

UPLOAD_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
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


# --- index status -----------------------------------------------------------------------------

def index_status(settings: Settings, store: IndexStore | None = None) -> IndexVersion | None:
    """What the serving index holds (articles, chunks, last ingest time, model), or None."""
    store = store or IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    return store.current()


def corpus_files(settings: Settings) -> list[Path]:
    """The source files an ingest would read, sorted."""
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
    try:
        articles = load_file(path)
    except ArticleError as error:
        return Preview(path, error=error.reason)
    return Preview(path, tuple(articles), tuple(tuple(chunks_for(a)) for a in articles))


# --- re-ingest --------------------------------------------------------------------------------

def reingest(settings: Settings, embeddings: Any | None = None,
             progress: Callable[[int, int], None] | None = None) -> Any:
    """Ingest the corpus folder into the index (only what changed); returns the IngestReport.

    Raises `store.IngestLockedError` when another ingest is running. The model is loaded
    only when something changed.
    """
    store = IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    options = IngestOptions(progress=progress, show_bar=False,
                            allowed_hosts=tuple(settings.site_hosts()))
    load_model = load_embeddings if embeddings is None else lambda: embeddings
    return refresh_index([settings.corpus_dir], store, load_model, options)


# --- the practice's facts ------------------------------------------------------------------

@dataclass(frozen=True)
class FactsSaved:
    """The facts file that was written and the ingest that followed."""

    path: Path
    report: Any


def facts_path(settings: Settings) -> Path:
    return settings.corpus_dir / FACTS_FILENAME


def read_facts_file(settings: Settings) -> Any:
    """The facts file as the form shows it: the template's empty fields when there is none.

    Raises `facts.FactsError` when the file exists but cannot be read, so a hand edit with a
    mistake is reported rather than overwritten by the form.
    """
    path = facts_path(settings)
    if not path.exists():
        return PracticeFacts()
    return parse_facts(path.read_text(encoding="utf-8-sig"))


def save_facts(settings: Settings, values: Mapping[str, tuple[str, str]],
               extra: Any = (), embeddings: Any | None = None,
               progress: Callable[[int, int], None] | None = None) -> FactsSaved:
    """What the staff form does: validate, write ``practice.yaml`` atomically, re-ingest.

    ``values`` maps each field to (answer, url); ``extra`` holds (question, answer, url) rows.
    Raises `facts.FactsError` (nothing written) or `store.IngestLockedError` (file written,
    index unchanged until the next ingest).
    """
    facts = facts_from_form(values, extra)
    path = facts_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_text(render_facts(facts), encoding="utf-8")
    os.replace(tmp, path)
    return FactsSaved(path, reingest(settings, embeddings, progress))
