"""Bench corpora of about 1k, 10k and 100k chunks, built without embedding 100k texts.

The practice articles, CounselChat answers and MedQuAD passages are ingested once with the real
pipeline (the *source* index, a few thousand unique chunks). Larger indexes are the practice
chunks plus the other chunks, then *variants* of those: the sentences shuffled with a variant
marker appended (so BM25 sees a distinct document) and the stored vector nudged by a small
random perturbation and renormalised (so HNSW sees a distinct point). Search latency depends on
how many vectors and postings an index holds, not on whether their texts are unique.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.article import slugify
from ingest.load import load_articles
from ingest.pipeline import save_missing_version_files, save_version_files
from practice_assistant.embedding import MODEL_NAME
from practice_assistant.models import Article, Chunk
from practice_assistant.retrieval.lexical import chunk_from_record
from practice_assistant.store import ADD_BATCH, IndexStore, add_chunks

VARIANT_NOISE = 0.5
SEED = 7
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class BaseSet:
    """The unique chunks and vectors every bench index is made from."""

    practice: tuple[Chunk, ...]
    practice_vectors: np.ndarray
    extra: tuple[Chunk, ...]
    extra_vectors: np.ndarray
    digest: str


def counselchat_articles(path: Path) -> list[Article]:
    """CounselChat answers as articles (slug = document id; titles empty, as in the data)."""
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["text"].strip():
                articles.append(Article(slug=row["_id"], title=row.get("title") or "",
                                        body=row["text"], source_path=row["_id"]))
    return articles


def medquad_articles(path: Path) -> list[Article]:
    """MedQuAD answers as articles titled with their question."""
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            articles.append(Article(slug=f"mq-{slugify(row['qid'])}", title=row["question"],
                                    body=row["answer"], url=row.get("url"),
                                    source_path=row["qid"]))
    return articles


def source_articles(corpus_dir: Path, data_dir: Path) -> list[Article]:
    """Practice articles first, then CounselChat and MedQuAD."""
    loaded = load_articles([corpus_dir])
    if loaded.failures:
        raise ValueError("corpus files failed to load: " +
                         "; ".join(f"{e.path}: {e.reason}" for e in loaded.failures))
    return [*loaded.articles,
            *counselchat_articles(data_dir / "counselchat" / "corpus.jsonl"),
            *medquad_articles(data_dir / "medquad" / "medquad_mental_health_subset.jsonl")]


def read_base(store: IndexStore, practice_slugs: set[str]) -> BaseSet:
    """Chunks and vectors of the source index, practice apart, in a stable order."""
    current = store.current()
    if current is None:
        raise ValueError(f"no source index at {store.root}")
    collection = store.open_collection(current.version)
    rows: list[tuple[Chunk, np.ndarray]] = []
    for offset in range(0, collection.count(), ADD_BATCH):
        got = collection.get(include=["documents", "metadatas", "embeddings"], offset=offset,
                             limit=ADD_BATCH)
        for cid, text, meta, emb in zip(got["ids"], got["documents"], got["metadatas"],
                                        got["embeddings"], strict=True):
            rows.append((chunk_from_record(cid, text, meta), np.asarray(emb, dtype=np.float32)))
    rows.sort(key=lambda row: row[0].id)
    practice = [r for r in rows if r[0].slug in practice_slugs]
    extra = [r for r in rows if r[0].slug not in practice_slugs]
    random.Random(SEED).shuffle(extra)
    digest = hashlib.sha256("\n".join(r[0].id for r in rows).encode()).hexdigest()[:12]
    return BaseSet(tuple(r[0] for r in practice), _stack([r[1] for r in practice]),
                   tuple(r[0] for r in extra), _stack([r[1] for r in extra]), digest)


def _stack(vectors: list[np.ndarray]) -> np.ndarray:
    return np.vstack(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)


def perturb(vectors: np.ndarray, rng: np.random.Generator,
            noise: float = VARIANT_NOISE) -> np.ndarray:
    """Unit vectors near ``vectors``: noise of norm about ``noise`` added, then renormalised.

    With noise 0.5 a variant's cosine to its original is about 0.89.
    """
    dims = vectors.shape[1]
    moved = vectors + rng.standard_normal(vectors.shape, dtype=np.float32) * (noise / dims ** 0.5)
    return (moved / np.linalg.norm(moved, axis=1, keepdims=True)).astype(np.float32)


def variant_chunk(chunk: Chunk, n: int) -> Chunk:
    """Variant ``n`` of a chunk: its sentences shuffled (seeded) and a variant marker appended."""
    sentences = _SENTENCE_END.split(chunk.text)
    random.Random(f"{n}:{chunk.id}").shuffle(sentences)
    return Chunk(id=f"{chunk.id}~v{n}", slug=f"{chunk.slug}-v{n}", title=chunk.title,
                 url=chunk.url, section=chunk.section,
                 text=" ".join(sentences) + f" (variant {n})", position=chunk.position)


def corpus_batches(base: BaseSet, size: int, batch: int = ADD_BATCH,
                   seed: int = SEED) -> Iterator[tuple[list[Chunk], np.ndarray]]:
    """``size`` chunks: all practice chunks, the unique others, then rounds of variants.

    Round ``n`` makes variant ``n`` of every other chunk, so a smaller corpus is a prefix of a
    larger one built with the same seed.
    """
    if size < len(base.practice):
        raise ValueError(f"a bench corpus needs at least the {len(base.practice)} practice chunks")
    if size > len(base.practice) and not base.extra:
        raise ValueError("no chunks besides the practice ones to fill the corpus with")
    yield list(base.practice), base.practice_vectors
    left = size - len(base.practice)
    n = 0
    while left > 0:
        take = min(left, len(base.extra))
        vectors = base.extra_vectors[:take]
        if n:
            vectors = perturb(base.extra_vectors, np.random.default_rng([seed, n]))[:take]
        for offset in range(0, take, batch):
            part = base.extra[offset:min(take, offset + batch)]
            chunks = list(part) if n == 0 else [variant_chunk(c, n) for c in part]
            yield chunks, vectors[offset:offset + len(part)]
        left -= take
        n += 1


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def ensure_size_index(bench_dir: Path, base: BaseSet, size: int) -> tuple[IndexStore, bool]:
    """The bench index of ``size`` chunks, reused when one built from the same base exists."""
    root = Path(bench_dir) / f"size-{size_label(size)}"
    tag = {"size": size, "base": base.digest, "seed": SEED, "noise": VARIANT_NOISE}
    tag_path = root / "bench.json"
    store = IndexStore(root, collection="practice")
    current = store.current()
    if tag_path.exists() and json.loads(tag_path.read_text()) == tag and current:
        with store.lock():  # an index built before its BM25 and term counts were saved
            save_missing_version_files(store, current.version)
        return store, False
    shutil.rmtree(root, ignore_errors=True)
    with store.lock():
        version, collection = store.new_version(None, drop_slugs=set())
        slugs: set[str] = set()
        for chunks, vectors in corpus_batches(base, size):
            slugs.update(c.slug for c in chunks)
            add_chunks(collection, chunks, vectors.tolist(),
                       {c.slug: "bench" for c in chunks})
        save_version_files(collection, store.version_files(version))
        store.commit(version, articles=len(slugs), chunks=collection.count(), model=MODEL_NAME)
    tag_path.write_text(json.dumps(tag))
    return store, True
