"""The ingest pipeline: load → clean → chunk → embed and index, changing only what changed."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.article import slugify
from ingest.chunk import article_topic, chunk_article
from ingest.errors import ArticleError
from ingest.guard import guard_articles
from ingest.load import MAX_FILE_BYTES, load_articles
from practice_assistant.answering.addressing import TERMS_FILE, ArticleTerms, article_terms
from practice_assistant.embedding import MODEL_NAME
from practice_assistant.models import Article, Chunk
from practice_assistant.practice.facts import FACTS_FILENAME, FACTS_SLUG, facts_chunks, is_facts
from practice_assistant.retrieval.lexical import (
    LexicalIndex,
    build_lexical,
    has_lexical,
    load_lexical,
    read_chunks,
    save_lexical,
)
from practice_assistant.retrieval.views import ArticleView
from practice_assistant.store import IndexStore, add_chunks, indexed_articles

PIPELINE_VERSION = "1"
EMBED_BATCH = 64
Progress = Callable[[int, int], None]
_MULTI_SUFFIXES = (".xml",)


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
    stage_seconds: dict[str, float] = field(default_factory=dict)

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
    parts += [f"{key}={value}" for key, value in zip(("topic", "focus"), article_topic(article),
                                                    strict=True) if value]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def chunks_for(article: Article) -> list[Chunk]:
    """The practice's facts get one chunk per field; an article is chunked by its headings."""
    return facts_chunks(article) if is_facts(article) else chunk_article(article)


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


@dataclass(frozen=True)
class IngestOptions:
    """How one ingest runs: kept apart from what it ingests and where, so calls stay short.

    ``failures`` are sources that failed before loading (a page that could not be fetched):
    they are reported, and their articles keep their indexed version like a failed file's.
    ``max_bytes`` and ``allowed_hosts`` apply when loading files (`run_ingest` only).
    """

    full: bool = False
    dry_run: bool = False
    max_bytes: int = MAX_FILE_BYTES
    progress: Progress | None = None
    show_bar: bool | None = None
    failures: tuple[ArticleError, ...] = ()
    allowed_hosts: tuple[str, ...] | None = None


def run_ingest(paths: Sequence[Path], store: IndexStore, embeddings: Embeddings | None,
               options: IngestOptions = IngestOptions()) -> IngestReport:
    """Ingest ``paths`` (the whole corpus) into ``store``; a bad file never stops the rest.

    Sentences planted to steer an assistant, or linking outside ``options.allowed_hosts``, are
    left out of the index and named in the report's notes.
    """
    started = time.perf_counter()
    articles, options, flagged = _load_guarded(paths, options)
    report = ingest_articles(articles, store, embeddings, options, started=started)
    return replace(report, notes=(*flagged, *report.notes))


def refresh_index(paths: Sequence[Path], store: IndexStore, load_model: Callable[[], Embeddings],
                  options: IngestOptions = IngestOptions(), *,
                  if_stale: bool = False) -> IngestReport:
    """Bring the index up to date with ``paths``, loading the model only if something changed.

    The one refresh the CLI, the staff page and evaluation share: the corpus is loaded once,
    planned with a dry run (no model), and ``load_model()`` is called only for a plan with
    changes. ``options.dry_run`` returns that plan; so does ``if_stale`` when nothing changed
    (nothing is touched). Otherwise an unchanged index still gets a missing BM25 index saved.
    """
    started = time.perf_counter()
    articles, options, flagged = _load_guarded(paths, options)
    report = ingest_articles(articles, store, None, replace(options, dry_run=True),
                             started=started)
    if not (options.dry_run or (if_stale and not report.plan.changes)):
        model = load_model() if report.plan.changes else None
        report = ingest_articles(articles, store, model, options, started=started)
    return replace(report, notes=(*flagged, *report.notes))


def _load_guarded(paths: Sequence[Path], options: IngestOptions
                  ) -> tuple[list[Article], IngestOptions, list[str]]:
    """Load and guard the corpus once: the articles, the options with the files that failed
    to load added to ``failures``, and a note per planted sentence left out."""
    loaded = load_articles(paths, max_bytes=options.max_bytes)
    # The facts file is the staff's own wording, quoted verbatim: the guard is for posts.
    facts = [a for a in loaded.articles if is_facts(a)]
    articles, flagged = guard_articles([a for a in loaded.articles if not is_facts(a)],
                                       options.allowed_hosts)
    return ([*articles, *facts], replace(options, failures=(*options.failures,
                                                             *loaded.failures)), flagged)


def ingest_articles(articles: Sequence[Article], store: IndexStore,
                    embeddings: Embeddings | None, options: IngestOptions = IngestOptions(),
                    *, started: float | None = None) -> IngestReport:
    """Index already-loaded articles (the whole corpus), changing only what changed."""
    started = time.perf_counter() if started is None else started
    failures, full, dry_run = options.failures, options.full, options.dry_run
    failed = tuple((e.path, e.reason) for e in failures)
    protected = {FACTS_SLUG if Path(e.path).name == FACTS_FILENAME else slugify(Path(e.path).stem)
                 for e in failures}
    notes: list[str] = []
    with store.lock():
        serving = store.current()
        indexed = indexed_articles(store.open_collection(serving.version)) if serving else {}
        multi = [e.path for e in failures if Path(e.path).suffix.lower() in _MULTI_SUFFIXES]
        if multi:
            # An export or feed may have held any number of articles: remove none this time.
            protected |= set(indexed)
            notes.append(f"nothing removed: {', '.join(multi)} failed to load and may hold "
                         "indexed articles")
        plan = make_plan(articles, indexed, protected, full=full)
        by_slug = {a.slug: a for a in articles}
        todo = [by_slug[s] for s in (*plan.added, *plan.updated)]
        chunks = [c for article in todo for c in chunks_for(article)]
        if not dry_run and not plan.changes and serving:
            notes += save_missing_version_files(store, serving.version)
        if dry_run or not plan.changes:
            return IngestReport(plan, failed, 0, time.perf_counter() - started,
                                articles=len(articles), chunks=serving.chunks if serving else 0,
                                dry_run=dry_run, version=serving.version if serving else None,
                                notes=tuple(notes))
        if embeddings is None:
            raise ValueError("an embedding model is needed to ingest changes")
        stages = {"plan": time.perf_counter() - started}
        mark = time.perf_counter()
        vectors = _embed(embeddings, [embedding_text(c) for c in chunks], options.progress,
                         options.show_bar)
        stages["embed"], mark = time.perf_counter() - mark, time.perf_counter()
        copy_from = serving.version if serving else None
        version, collection = store.new_version(copy_from, drop_slugs=set(plan.updated))
        try:
            add_chunks(collection, chunks, vectors,
                       {a.slug: article_hash(a) for a in todo})
            if plan.removed:
                collection.delete(where={"slug": {"$in": list(plan.removed)}})
            kept = indexed_articles(collection)
            stages["write"], mark = time.perf_counter() - mark, time.perf_counter()
            # From the whole new version, copied chunks included: BM25's statistics (document
            # frequencies, average length) are the corpus's, so nothing is reused from before.
            save_version_files(collection, store.version_files(version))
            stages["bm25"], mark = time.perf_counter() - mark, time.perf_counter()
            record = store.commit(version, articles=len(kept), chunks=collection.count(),
                                  model=MODEL_NAME)
            stages["commit"] = time.perf_counter() - mark
        except BaseException:
            store.discard(version)
            raise
    return IngestReport(plan, failed, len(chunks), time.perf_counter() - started,
                        articles=record.articles, chunks=record.chunks, version=version,
                        notes=tuple(notes), stage_seconds=stages)


def save_version_files(collection: Any, folder: Path) -> None:
    """Save what a finished (not yet committed) version serves with, beside its Chroma data:
    the articles' BM25 index and their term counts (for the addressing check), both from one
    read of its article chunks."""
    index = _article_index(collection)
    save_lexical(index, folder)
    article_terms(index.chunks).save(folder)


def save_missing_version_files(store: IndexStore, version: str) -> list[str]:
    """Save the BM25 index or term counts of a version written before ingest saved them (no
    model needed); a note for the report when it did. The caller holds the ingest lock."""
    folder = store.version_files(version)
    if not has_lexical(folder):
        save_version_files(store.open_collection(version), folder)
        return [f"saved the BM25 index of index version {version}, written without one"]
    if ArticleTerms.load(folder) is None:
        saved = load_lexical(folder)  # its chunk table, in id order; else read them again
        index = saved if saved is not None else _article_index(store.open_collection(version))
        article_terms(index.chunks).save(folder)
        return [f"saved the article term counts ({TERMS_FILE}) of index version {version}"]
    return []


def _article_index(collection: Any) -> LexicalIndex:
    """The version's articles indexed in memory, rows in chunk-id order; the practice's facts
    are left out, as retrieval leaves them."""
    view = collection if isinstance(collection, ArticleView) else ArticleView(collection)
    return build_lexical(read_chunks(view))


def _embed(embeddings: Embeddings, texts: list[str], progress: Progress | None,
           show_bar: bool | None) -> list[list[float]]:
    """Embed in EMBED_BATCH groups, longest texts first, and return vectors in input order.

    Sorting the whole list by length (as one big `encode` call would) keeps each model batch
    of similar lengths, so little time goes on padding; the groups still report progress.
    """
    from tqdm import tqdm

    bar = tqdm(total=len(texts), unit="chunk", desc="embedding",
               disable=not (sys.stderr.isatty() if show_bar is None else show_bar))
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    vectors: list[list[float]] = [[] for _ in texts]
    done = 0
    for offset in range(0, len(order), EMBED_BATCH):
        group = order[offset:offset + EMBED_BATCH]
        for i, vector in zip(group, embeddings.embed_documents([texts[i] for i in group]),
                             strict=True):
            vectors[i] = vector
        done += len(group)
        bar.update(len(group))
        if progress:
            progress(done, len(texts))
    bar.close()
    return vectors
