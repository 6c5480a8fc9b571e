"""The ingest pipeline: load → clean → chunk → embed and index, changing only what changed."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.chunk import chunk_article
from ingest.load import MAX_FILE_BYTES, load_articles, slugify
from practice_assistant.embedding import MODEL_NAME
from practice_assistant.models import Article, Chunk
from practice_assistant.store import IndexStore, add_chunks, indexed_articles

PIPELINE_VERSION = "1"
EMBED_BATCH = 64
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IngestPlan:
    """What an ingest will do, per article slug."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]

    @property
    def changes(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class IngestReport:
    """The outcome the CLI prints as a summary line and as JSON."""

    plan: IngestPlan
    failed: tuple[tuple[str, str], ...]
    chunks_embedded: int
    seconds: float
    articles: int
    chunks: int
    dry_run: bool = False
    version: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"added": len(self.plan.added), "updated": len(self.plan.updated),
                "removed": len(self.plan.removed), "unchanged": len(self.plan.unchanged),
                "failed": [{"path": p, "reason": r} for p, r in self.failed],
                "chunks_embedded": self.chunks_embedded, "seconds": round(self.seconds, 3)}

    def summary(self) -> str:
        verb = "would ingest" if self.dry_run else "ingested"
        return (f"{verb} {self.articles} articles into {self.chunks} chunks in "
                f"{self.seconds:.1f}s: {len(self.plan.added)} added, {len(self.plan.updated)} "
                f"updated, {len(self.plan.removed)} removed, {len(self.plan.unchanged)} unchanged, "
                f"{self.chunks_embedded} chunks embedded, {len(self.failed)} failed")


def article_hash(article: Article) -> str:
    """Changes to anything that reaches the index (text, title, url, section) change this."""
    parts = [PIPELINE_VERSION, MODEL_NAME, article.slug, article.title, article.url or "",
             article.body]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def embedding_text(chunk: Chunk) -> str:
    """Title and section give a short chunk the context its words leave implicit."""
    head = " — ".join(part for part in (chunk.title, chunk.section) if part)
    return f"{head}\n{chunk.text}" if head else chunk.text


def make_plan(articles: Sequence[Article], indexed: dict[str, str],
              protected: set[str], full: bool = False) -> IngestPlan:
    """Diff loaded articles against the serving index; failed files keep their old version."""
    current = {a.slug: article_hash(a) for a in articles}
    added = tuple(s for s in current if s not in indexed)
    updated = tuple(s for s in current if s in indexed and (full or indexed[s] != current[s]))
    unchanged = tuple(s for s in current if s in indexed and s not in updated)
    removed = tuple(s for s in indexed if s not in current and s not in protected)
    return IngestPlan(added, updated, removed, unchanged)


def run_ingest(paths: Sequence[Path], store: IndexStore, embeddings: Embeddings | None,
               *, full: bool = False, dry_run: bool = False, max_bytes: int = MAX_FILE_BYTES,
               progress: Progress | None = None, show_bar: bool | None = None) -> IngestReport:
    """Ingest ``paths`` (the whole corpus) into ``store``; a bad file never stops the rest."""
    started = time.perf_counter()
    loaded = load_articles(paths, max_bytes=max_bytes)
    failed = tuple((e.path, e.reason) for e in loaded.failures)
    protected = {slugify(Path(e.path).stem) for e in loaded.failures}
    with store.lock():
        serving = store.current()
        indexed = indexed_articles(store.open_collection(serving.version)) if serving else {}
        plan = make_plan(loaded.articles, indexed, protected, full=full)
        by_slug = {a.slug: a for a in loaded.articles}
        todo = [by_slug[s] for s in (*plan.added, *plan.updated)]
        chunks = [c for article in todo for c in chunk_article(article)]
        if dry_run or not plan.changes:
            total = sum(1 for _ in loaded.articles)
            return IngestReport(plan, failed, 0, time.perf_counter() - started,
                                articles=total, chunks=serving.chunks if serving else 0,
                                dry_run=dry_run, version=serving.version if serving else None)
        if embeddings is None:
            raise ValueError("an embedding model is needed to ingest changes")
        vectors = _embed(embeddings, [embedding_text(c) for c in chunks], progress, show_bar)
        copy_from = serving.version if serving else None
        version, collection = store.new_version(copy_from, drop_slugs=set(plan.updated))
        try:
            add_chunks(collection, chunks, vectors,
                       {a.slug: article_hash(a) for a in todo})
            if plan.removed:
                collection.delete(where={"slug": {"$in": list(plan.removed)}})
            kept = indexed_articles(collection)
            record = store.commit(version, articles=len(kept), chunks=collection.count(),
                                  model=MODEL_NAME)
        except BaseException:
            store.discard(version)
            raise
    return IngestReport(plan, failed, len(chunks), time.perf_counter() - started,
                        articles=record.articles, chunks=record.chunks, version=version)


def _embed(embeddings: Embeddings, texts: list[str], progress: Progress | None,
           show_bar: bool | None) -> list[list[float]]:
    from tqdm import tqdm

    bar = tqdm(total=len(texts), unit="chunk", desc="embedding",
               disable=not (sys.stderr.isatty() if show_bar is None else show_bar))
    vectors: list[list[float]] = []
    for offset in range(0, len(texts), EMBED_BATCH):
        batch = texts[offset:offset + EMBED_BATCH]
        vectors.extend(embeddings.embed_documents(batch))
        bar.update(len(batch))
        if progress:
            progress(len(vectors), len(texts))
    bar.close()
    return vectors
