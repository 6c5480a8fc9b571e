"""Evaluation data: BEIR and golden-set loaders, and each data set's own index.

Loaders name the file and line of anything malformed. A BEIR corpus becomes one `Article` per
document (slug = document id when that is a valid slug), chunked, embedded and committed with
the same machinery as ``ingest``, into its own store, never the practice's. The folder and
collection are named after the data set and a hash of its corpus, so a second run reuses them.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest import chunk
from ingest.article import _SLUG_OK, slugify
from ingest.chunk import chunk_article
from ingest.pipeline import (
    EMBED_BATCH,
    PIPELINE_VERSION,
    article_hash,
    embedding_text,
    refresh_index,
    save_missing_version_files,
    save_version_files,
)
from practice_assistant.embedding import MODEL_NAME
from practice_assistant.jsonl import read_jsonl
from practice_assistant.models import Article
from practice_assistant.store import IndexStore, add_chunks

DEFAULT_EVAL_DIR = Path("var/eval-index")


@dataclass(frozen=True)
class BeirData:
    """A BEIR data set: docs {id: (title, text)}, queries {id: text}, qrels {qid: {docid: grade}}.

    Only queries with at least one positive judgement in the split are kept.
    """

    docs: dict[str, tuple[str, str]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


@dataclass(frozen=True)
class GoldenItem:
    """One line of ``eval/golden.jsonl``."""

    id: str
    question: str
    slugs: tuple[str, ...]
    answerable: bool
    followup_of: str | None = None


def _text_field(path: Path, number: int, row: dict[str, Any], key: str,
                required: bool = True) -> str:
    value = row.get(key)
    if value is None and not required:
        return ""
    if key == "_id":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{path}:{number}: field '_id' must be a non-empty string")
    elif not isinstance(value, str):
        raise ValueError(f"{path}:{number}: field {key!r} must be a string")
    return value


def load_beir(data_dir: Path | str, split: str = "dev") -> BeirData:
    """Read ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/<split>.tsv`` from a BEIR folder."""
    root = Path(data_dir)
    docs: dict[str, tuple[str, str]] = {}
    corpus = root / "corpus.jsonl"
    for number, row in read_jsonl(corpus):
        doc_id = _text_field(corpus, number, row, "_id")
        if doc_id in docs:
            raise ValueError(f"{corpus}:{number}: duplicate document id {doc_id!r}")
        docs[doc_id] = (_text_field(corpus, number, row, "title", required=False),
                        _text_field(corpus, number, row, "text"))
    all_queries: dict[str, str] = {}
    queries_path = root / "queries.jsonl"
    for number, row in read_jsonl(queries_path):
        query_id = _text_field(queries_path, number, row, "_id")
        if query_id in all_queries:
            raise ValueError(f"{queries_path}:{number}: duplicate query id {query_id!r}")
        all_queries[query_id] = _text_field(queries_path, number, row, "text")
    qrels_path = root / "qrels" / f"{split}.tsv"
    if not qrels_path.is_file():
        raise FileNotFoundError(f"{qrels_path}: no such file (is {split!r} a split of "
                                f"{root}?)")
    qrels: dict[str, dict[str, int]] = {}
    lines = qrels_path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (number == 1 and line.lower().startswith("query-id")):
            continue
        parts = line.rstrip("\r").split("\t")
        if len(parts) != 3:
            raise ValueError(f"{qrels_path}:{number}: expected 3 tab-separated fields "
                             f"(query-id, corpus-id, score), got {len(parts)}")
        query_id, doc_id, score = parts
        try:
            grade = int(score)
        except ValueError:
            raise ValueError(f"{qrels_path}:{number}: score {score!r} is not an integer") from None
        if query_id not in all_queries:
            raise ValueError(f"{qrels_path}:{number}: query {query_id!r} is not in "
                             f"{queries_path}")
        if doc_id not in docs:
            raise ValueError(f"{qrels_path}:{number}: document {doc_id!r} is not in {corpus}")
        if grade > 0:
            qrels.setdefault(query_id, {})[doc_id] = grade
    if not qrels:
        raise ValueError(f"{qrels_path}: no positive judgements")
    return BeirData(docs=docs, queries={q: all_queries[q] for q in qrels}, qrels=qrels)


def load_golden(path: Path | str) -> list[GoldenItem]:
    """Read the golden questions, naming the line of any malformed entry."""
    source = Path(path)
    items: list[GoldenItem] = []
    for number, row in read_jsonl(source):
        try:
            item = GoldenItem(id=str(row["id"]), question=str(row["question"]),
                              slugs=tuple(str(s) for s in row.get("slugs") or ()),
                              answerable=bool(row["answerable"]),
                              followup_of=row.get("followup_of"))
        except KeyError as error:
            raise ValueError(f"{source}:{number}: missing field {error.args[0]!r}") from None
        if item.answerable and not item.slugs:
            raise ValueError(f"{source}:{number}: an answerable question needs 'slugs'")
        items.append(item)
    return items


# --- indexing -----------------------------------------------------------------------------

def progress_bar(total: int, desc: str, unit: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=None, file=sys.stderr)


def doc_slugs(doc_ids: Sequence[str]) -> dict[str, str]:
    """doc id → article slug: the id itself when it is a valid slug, else a safe unique one."""
    mapping: dict[str, str] = {}
    for doc_id in doc_ids:
        if _SLUG_OK.match(doc_id):
            mapping[doc_id] = doc_id
        else:
            digest = hashlib.sha256(doc_id.encode()).hexdigest()[:10]
            mapping[doc_id] = f"{slugify(doc_id)[:100] or 'doc'}-{digest}"
    return mapping


def collection_name(data_dir: Path) -> str:
    """Data set folder name + short sha256 of corpus.jsonl (and of what shapes the index)."""
    digest = hashlib.sha256((data_dir / "corpus.jsonl").read_bytes())
    digest.update(f"{PIPELINE_VERSION}|{MODEL_NAME}|{chunk.MIN_WORDS}|{chunk.MAX_WORDS}".encode())
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", data_dir.resolve().name).strip("-_") or "beir"
    return f"{name[:40]}-{digest.hexdigest()[:12]}"


def build_beir_index(data: BeirData, data_dir: Path, embeddings: Embeddings,
                     eval_dir: Path = DEFAULT_EVAL_DIR) -> tuple[IndexStore, bool]:
    """The data set's own index, reused when its marker already exists; (store, built_now)."""
    name = collection_name(Path(data_dir))
    store = IndexStore(root=Path(eval_dir) / name, collection=name)
    current = store.current()
    if current is not None and current.model == MODEL_NAME:
        with store.lock():  # an index built before BM25 was saved at ingest gets it now
            save_missing_version_files(store, current.version)
        return store, False
    slugs = doc_slugs(list(data.docs))
    articles = [Article(slug=slugs[doc_id], title=title, body=text, source_path=doc_id)
                for doc_id, (title, text) in data.docs.items() if text.strip()]
    with store.lock():
        index_articles(store, articles, embeddings, {a.slug: article_hash(a) for a in articles})
    return store, True


def index_articles(store: IndexStore, articles: Sequence[Article], embeddings: Embeddings,
                   hashes: dict[str, str]) -> None:
    """Chunk, embed and commit ``articles`` as a fresh version of ``store`` (caller holds lock)."""
    chunks = [c for article in articles for c in chunk_article(article)]
    texts = [embedding_text(c) for c in chunks]
    vectors: list[list[float]] = []
    bar = progress_bar(len(texts), "embedding", "chunk")
    for offset in range(0, len(texts), EMBED_BATCH):
        batch = texts[offset:offset + EMBED_BATCH]
        vectors.extend(embeddings.embed_documents(batch))
        bar.update(len(batch))
    bar.close()
    version, collection = store.new_version(None, drop_slugs=set())
    try:
        add_chunks(collection, chunks, vectors, hashes)
        save_version_files(collection, store.version_files(version))
        store.commit(version, articles=len(articles), chunks=len(chunks), model=MODEL_NAME)
    except BaseException:
        store.discard(version)
        raise


def build_golden_index(corpus_dir: Path, embeddings: Embeddings,
                       eval_dir: Path = DEFAULT_EVAL_DIR) -> IndexStore:
    """The practice corpus indexed under the eval folder by the shared (incremental) refresh."""
    store = IndexStore(root=Path(eval_dir) / "golden", collection="practice")
    report = refresh_index([Path(corpus_dir)], store, lambda: embeddings)
    if report.failed:
        raise ValueError("corpus files failed to load: " +
                         "; ".join(f"{p}: {r}" for p, r in report.failed))
    return store
