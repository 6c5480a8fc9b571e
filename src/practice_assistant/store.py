"""Embed-and-index stage: a versioned Chroma index that is never half-written.

Every ingest that changes something builds a new version beside the serving one and then
swaps a small marker file atomically; a reader follows the marker. Killing an ingest at any
moment leaves the marker, and so the serving index, as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chromadb
from filelock import FileLock, Timeout

from practice_assistant.models import Chunk

MARKER = "CURRENT.json"
SERVER_FILES = "version-files"
ADD_BATCH = 2000
HNSW_CONFIG: dict[str, Any] = {"hnsw": {"space": "cosine", "ef_construction": 200,
                                        "ef_search": 200}}


class IngestLockedError(Exception):
    """Another ingest holds the lock on this index."""


@dataclass(frozen=True)
class IndexVersion:
    """What the marker says: which version serves, and a summary for the staff page."""

    version: str
    created: str
    articles: int
    chunks: int
    model: str


class IndexStore:
    """Owns the index folder (marker, lock, versions) and the Chroma client behind it."""

    def __init__(self, root: Path, collection: str = "practice", chroma_url: str | None = None):
        self.root = Path(root)
        self.collection = collection
        self.chroma_url = chroma_url
        self._clients: dict[str, Any] = {}

    def current(self) -> IndexVersion | None:
        """The serving version, or None when nothing was ever ingested."""
        if self.chroma_url:
            return self._current_remote()
        try:
            data = json.loads((self.root / MARKER).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        return IndexVersion(**data)

    def open_collection(self, version: str) -> Any:
        """The Chroma collection holding one version's chunks."""
        return self._client(version).get_collection(self._name(version))

    def version_files(self, version: str) -> Path:
        """A local folder for files that belong to one version (such as a saved search index),
        written before the version is committed and pruned with it.

        Embedded: the version's own folder, beside its Chroma database. Server mode: the server
        holds only Chroma collections, so the files live on this machine's disk under
        ``<root>/version-files/<version>``, beside the lock; a replica with another root has
        none, and its readers must do without them.
        """
        if self.chroma_url:
            return self.root / SERVER_FILES / version
        return self.root / "versions" / version

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Only one ingest at a time per index folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / "ingest.lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise IngestLockedError(
                f"another ingest is running on {self.root}; wait for it to finish") from None
        try:
            yield
        finally:
            lock.release()

    def new_version(self, copy_from: str | None, drop_slugs: set[str]) -> tuple[str, Any]:
        """Start a version aside: a copy of ``copy_from`` minus the articles being replaced."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        version = f"v{stamp}-{uuid.uuid4().hex[:6]}"
        target = self._client(version).create_collection(
            self._name(version), configuration=HNSW_CONFIG,
            embedding_function=None)
        if copy_from:
            source = self.open_collection(copy_from)
            total = source.count()
            for offset in range(0, total, ADD_BATCH):
                batch = source.get(include=["embeddings", "documents", "metadatas"],
                                   offset=offset, limit=ADD_BATCH)
                keep = [i for i, meta in enumerate(batch["metadatas"])
                        if meta.get("slug") not in drop_slugs]
                if keep:
                    target.add(ids=[batch["ids"][i] for i in keep],
                               embeddings=[batch["embeddings"][i] for i in keep],
                               documents=[batch["documents"][i] for i in keep],
                               metadatas=[batch["metadatas"][i] for i in keep])
        return version, target

    def commit(self, version: str, articles: int, chunks: int, model: str) -> IndexVersion:
        """Point readers at ``version`` (atomic), then prune versions older than the previous."""
        record = IndexVersion(version=version, created=datetime.now(UTC).isoformat(),
                              articles=articles, chunks=chunks, model=model)
        previous = self.current()
        if self.chroma_url:
            self._write_remote_marker(record)
        else:
            tmp = self.root / f".{MARKER}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(record.__dict__), encoding="utf-8")
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, self.root / MARKER)
        self._prune(keep={version} | ({previous.version} if previous else set()))
        return record

    def discard(self, version: str) -> None:
        """Remove a version that was never committed."""
        if self.chroma_url:
            self._remote().delete_collection(self._name(version))
            shutil.rmtree(self.version_files(version), ignore_errors=True)
        else:
            self._clients.pop(version, None)
            shutil.rmtree(self.root / "versions" / version, ignore_errors=True)

    def _prune(self, keep: set[str], grace_s: float = 600.0) -> None:
        """Drop old versions, but leave recent ones a reader may still have open.

        Server mode: the server's collections are pruned with the marker; here only the
        local version files are.
        """
        versions = self.root / (SERVER_FILES if self.chroma_url else "versions")
        if not versions.exists():
            return
        now = time.time()
        for folder in sorted(versions.iterdir()):
            if folder.name in keep or now - folder.stat().st_mtime < grace_s:
                continue
            shutil.rmtree(folder, ignore_errors=True)

    def _name(self, version: str) -> str:
        return f"{self.collection}-{version}" if self.chroma_url else self.collection

    def _client(self, version: str) -> Any:
        if self.chroma_url:
            return self._remote()
        if version not in self._clients:
            path = self.root / "versions" / version
            path.mkdir(parents=True, exist_ok=True)
            self._clients[version] = chromadb.PersistentClient(
                path=str(path), settings=chromadb.Settings(anonymized_telemetry=False))
        return self._clients[version]

    def _remote(self) -> Any:
        if "remote" not in self._clients:
            from urllib.parse import urlparse

            url = urlparse(self.chroma_url or "")
            self._clients["remote"] = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1", port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chromadb.Settings(anonymized_telemetry=False))
        return self._clients["remote"]

    def _marker_collection(self) -> Any:
        return self._remote().get_or_create_collection(f"{self.collection}-marker",
                                                       embedding_function=None)

    def _current_remote(self) -> IndexVersion | None:
        meta = self._marker_collection().metadata or {}
        return IndexVersion(**json.loads(meta["record"])) if "record" in meta else None

    def _write_remote_marker(self, record: IndexVersion) -> None:
        previous = self._current_remote()
        self._marker_collection().modify(metadata={"record": json.dumps(record.__dict__)})
        if previous and previous.version != record.version:
            old = self._name(previous.version)
            stale = [c.name for c in self._remote().list_collections()
                     if c.name.startswith(f"{self.collection}-v") and c.name != old
                     and c.name != self._name(record.version)]
            for name in stale:
                self._remote().delete_collection(name)


def add_chunks(collection: Any, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]],
               article_hashes: dict[str, str]) -> None:
    """Write chunks with their vectors, in batches Chroma accepts."""
    for offset in range(0, len(chunks), ADD_BATCH):
        part = chunks[offset:offset + ADD_BATCH]
        collection.add(
            ids=[c.id for c in part],
            embeddings=[list(v) for v in vectors[offset:offset + ADD_BATCH]],
            documents=[c.text for c in part],
            metadatas=[{**c.metadata(), "article_hash": article_hashes[c.slug]} for c in part],
        )


def indexed_articles(collection: Any) -> dict[str, str]:
    """slug → article hash of what a version holds, read from chunk metadata."""
    found: dict[str, str] = {}
    total = collection.count()
    for offset in range(0, total, ADD_BATCH):
        batch = collection.get(include=["metadatas"], offset=offset, limit=ADD_BATCH)
        for meta in batch["metadatas"]:
            found[meta["slug"]] = meta.get("article_hash", "")
    return found
