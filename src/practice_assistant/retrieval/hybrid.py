"""Retrieve stage: dense (Chroma), BM25 (bm25s) and their fusion over one index version."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.models import Passage
from practice_assistant.retrieval.lexical import (
    LexicalIndex,
    build_lexical,
    chunk_from_record,
    load_lexical,
    read_chunks,
    tokenize,
)
from practice_assistant.retrieval.views import ArticleView
from practice_assistant.store import IndexStore

__all__ = ["DEFAULT_RETRIEVER", "FETCH_K", "HYBRID_BM25_WEIGHT", "RETRIEVERS", "Hit",
           "HybridRetriever", "StageHook", "cap_per_article", "chunk_from_record",
           "open_retriever", "timed", "tokenize"]

RETRIEVERS = ("dense", "bm25", "rrf", "hybrid")
DEFAULT_RETRIEVER = "hybrid"
# Fused score = cosine + HYBRID_BM25_WEIGHT * BM25 / best BM25 among the candidates. 0.2 was
# chosen on CounselChat dev (docs/evaluation.md): nDCG@10 is flat from 0.15 to 0.3, lower at 0.1.
HYBRID_BM25_WEIGHT = 0.2
FETCH_K = 40
log = logging.getLogger("practice_assistant")
StageHook = Callable[[str, float], None]
"""Told each stage's name and milliseconds: how the benchmarks time the real code path."""


@dataclass(frozen=True)
class Hit:
    """One candidate with the signals fusion needs."""

    index: int
    dense: float
    bm25: float


def open_retriever(store: IndexStore, version: str, embeddings: Embeddings, *,
                   site_url: str | None = None, **options: Any) -> HybridRetriever:
    """The retriever for one version of ``store``, from the BM25 index saved at ingest.

    A version written before BM25 indexes were saved (or whose saved index does not match its
    collection) is indexed in memory from its chunks instead, as every version used to be;
    ``python -m ingest`` saves the missing index without re-embedding anything.

    The practice's facts (slug ``practice-facts``) share the version's collection but are
    never searched: the retriever reads the collection through :class:`ArticleView`, and the
    saved BM25 index holds the articles' chunks only. ``site_url`` makes the chunks'
    site-relative URLs absolute as they load, so citations and topic links need no patching.
    """
    collection = ArticleView(store.open_collection(version))
    lexical = load_lexical(store.version_files(version), site_url)
    if lexical is not None and len(lexical.chunks) != collection.count():
        log.warning("index version %s: saved BM25 holds %d chunks, the collection %d; "
                    "indexing in memory instead", version, len(lexical.chunks),
                    collection.count())
        lexical = None
    elif lexical is None:
        log.warning("index version %s has no saved BM25 index (written before ingest saved "
                    "one): indexing its chunks in memory; run `python -m ingest` once to save "
                    "it", version)
    if lexical is None:
        lexical = build_lexical(read_chunks(collection), site_url)
    return HybridRetriever(collection, embeddings, lexical=lexical, **options)


class HybridRetriever:
    """Searches one index version; built once per version and shared by all visitors.

    Every method is read-only after construction, so concurrent requests are safe.
    """

    def __init__(self, collection: Any, embeddings: Embeddings, mode: str = DEFAULT_RETRIEVER,
                 bm25_weight: float = HYBRID_BM25_WEIGHT, fetch_k: int = FETCH_K,
                 lexical: LexicalIndex | None = None, on_stage: StageHook | None = None) -> None:
        """``lexical`` is the version's BM25 index and chunk table (see :func:`open_retriever`);
        without it every chunk is read from ``collection`` and indexed here, in memory.
        ``on_stage`` is told how long ``dense``, ``bm25`` and ``exact`` took in each search."""
        if mode not in RETRIEVERS:
            raise ValueError(f"unknown retriever {mode!r}; choose one of {', '.join(RETRIEVERS)}")
        self.collection = collection
        self.embeddings = embeddings
        self.mode = mode
        self.bm25_weight = bm25_weight
        self.fetch_k = fetch_k
        self.lexical = lexical or build_lexical(read_chunks(collection))
        self.chunks = self.lexical.chunks
        self.bm25 = self.lexical.bm25
        self.on_stage = on_stage

    def with_options(self, **options: Any) -> HybridRetriever:
        """The same version searched another way (mode, weight, depth), sharing its index."""
        current = {"mode": self.mode, "bm25_weight": self.bm25_weight, "fetch_k": self.fetch_k,
                   "on_stage": self.on_stage}
        return HybridRetriever(self.collection, self.embeddings, lexical=self.lexical,
                               **{**current, **options})

    def embed_query(self, query: str) -> list[float]:
        return self.embeddings.embed_query(query)

    def dense_hits(self, vector: Sequence[float], n: int) -> dict[int, float]:
        """Cosine similarity for the top ``n`` chunks by HNSW search."""
        n = min(n, len(self.chunks))
        if n == 0:
            return {}
        found = self.collection.query(query_embeddings=[list(vector)], n_results=n,
                                      include=["distances"])
        rows = self.chunks.rows_of(found["ids"][0])
        return {row: 1.0 - dist for row, dist in zip(rows, found["distances"][0], strict=True)}

    def bm25_scores(self, query: str) -> np.ndarray:
        """BM25 over the query's distinct known terms: a long message that repeats a word
        should not let that word outweigh the rest (BM25's k3 = 0)."""
        tokens = tokenize([query])[0]
        known = list(dict.fromkeys(t for t in tokens if t in self.bm25.vocab_dict))
        if not known or not self.chunks:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return self.bm25.get_scores(known)

    def search(self, query: str, k: int = 10,
               vector: Sequence[float] | None = None) -> list[Passage]:
        """The top ``k`` chunks for ``query`` under this retriever's mode."""
        if not self.chunks:
            return []
        if self.mode == "bm25":
            scores = timed(self.on_stage, "bm25", self.bm25_scores, query)
            top = _top(scores, k)
            peak = float(scores[top[0]]) if len(top) else 0.0
            return [Passage(self.chunks[i], _squash(float(scores[i]), peak)) for i in top
                    if scores[i] > 0]
        vector = vector if vector is not None else self.embed_query(query)
        dense = timed(self.on_stage, "dense", self.dense_hits, vector, max(k, self.fetch_k))
        if self.mode == "dense":
            ranked = sorted(dense.items(), key=lambda kv: -kv[1])[:k]
            return [Passage(self.chunks[i], score, score) for i, score in ranked]
        scores = timed(self.on_stage, "bm25", self.bm25_scores, query)
        bm25_top = [int(i) for i in _top(scores, self.fetch_k) if scores[i] > 0]
        if self.mode == "rrf":
            return self._rrf(dense, bm25_top, k)
        missing = [i for i in bm25_top if i not in dense]
        dense.update(timed(self.on_stage, "exact", self._exact_dense, vector, missing))
        peak = float(scores[bm25_top[0]]) if bm25_top else 0.0
        fused = {i: d + self.bm25_weight * (float(scores[i]) / peak if peak else 0.0)
                 for i, d in dense.items()}
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        return [Passage(self.chunks[i], score, dense[i]) for i, score in ranked]

    def _rrf(self, dense: dict[int, float], bm25_top: list[int], k: int) -> list[Passage]:
        fused: dict[int, float] = {}
        for rank, (i, _) in enumerate(sorted(dense.items(), key=lambda kv: -kv[1])):
            fused[i] = fused.get(i, 0.0) + 1.0 / (60 + rank + 1)
        for rank, i in enumerate(bm25_top):
            fused[i] = fused.get(i, 0.0) + 1.0 / (60 + rank + 1)
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        return [Passage(self.chunks[i], score, dense.get(i)) for i, score in ranked]

    def _exact_dense(self, vector: Sequence[float], rows: list[int]) -> dict[int, float]:
        """Exact cosine for BM25-only candidates, so fusion compares like with like."""
        if not rows:
            return {}
        got = self.collection.get(ids=self.chunks.ids_of(rows), include=["embeddings"])
        query = np.asarray(vector, dtype=np.float32)
        return {row: float(np.dot(np.asarray(emb, dtype=np.float32), query))
                for row, emb in zip(self.chunks.rows_of(got["ids"]), got["embeddings"],
                                    strict=True)}


def timed(hook: StageHook | None, stage: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, telling ``hook`` how long it took (nothing is timed without a hook)."""
    if hook is None:
        return fn(*args)
    started = time.perf_counter()
    try:
        return fn(*args)
    finally:
        hook(stage, (time.perf_counter() - started) * 1000)


def _top(scores: np.ndarray, k: int) -> list[int]:
    k = min(k, len(scores))
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in part[np.argsort(-scores[part])]]


def _squash(score: float, peak: float) -> float:
    """BM25 has no fixed scale; map to 0..1 relative to the best hit for display only."""
    return 0.0 if peak <= 0 else score / peak * (1 - math.exp(-peak / 5))


def cap_per_article(passages: Sequence[Passage], per_article: int, k: int) -> list[Passage]:
    """Keep at most ``per_article`` chunks of any one article, best first."""
    counts: dict[str, int] = {}
    kept: list[Passage] = []
    for passage in passages:
        if counts.get(passage.chunk.slug, 0) >= per_article:
            continue
        counts[passage.chunk.slug] = counts.get(passage.chunk.slug, 0) + 1
        kept.append(passage)
        if len(kept) == k:
            break
    return kept
