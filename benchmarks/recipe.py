"""The plain LangChain recipe beside our pipeline, on the same documents.

The recipe is what a tutorial gives: ``RecursiveCharacterTextSplitter`` (1,000 characters,
200 overlap), ``HuggingFaceEmbeddings`` on the same model, ``Chroma.from_documents`` (in batches
no larger than Chroma's maximum, which ``add_texts`` does not split) and
``similarity_search(k=4)``. Compared: ingest time, query latency and nDCG@10 on the CounselChat
dev split at document level (chunk hits aggregated to document ids, first occurrence wins).
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ingest.pipeline import IngestOptions, ingest_articles
from practice_assistant.embedding import load_embeddings, model_path
from practice_assistant.evaluation.retrieval import load_beir
from practice_assistant.models import Article
from practice_assistant.retrieval.hybrid import cap_per_article
from practice_assistant.store import IndexStore

RECIPE_CHUNK_SIZE = 1000
RECIPE_OVERLAP = 200
RECIPE_K = 4
CHROMA_MAX_BATCH = 5461
EDIT_TEXT = ("\n\nA paragraph added for the ingest benchmark, so that exactly one article "
             "changes and only its chunks need to be embedded again by the pipeline.")
Progress = Callable[[str], None]


def docs_in_order(doc_ids: Sequence[str], k: int = 10) -> list[tuple[str, float]]:
    """Chunk hits (best first) → the first ``k`` distinct documents, scored by rank."""
    ranked: list[tuple[str, float]] = []
    for doc in doc_ids:
        if all(doc != seen for seen, _ in ranked):
            ranked.append((doc, float(-len(ranked))))
            if len(ranked) == k:
                break
    return ranked


def mean_ndcg(qrels: dict[str, dict[str, int]],
              rankings: dict[str, list[tuple[str, float]]], k: int = 10) -> float:
    """Mean nDCG@k over every query in ``qrels`` (a query with no ranking scores 0), by ranx.

    Scores are rank-derived, so ranx sees exactly the order given.
    """
    import warnings

    from ranx import Qrels, Run, evaluate

    run: dict[str, dict[str, float]] = {}
    for query_id in qrels:
        ranked = rankings.get(query_id, [])
        run[query_id] = {doc: float(len(ranked) - rank)
                         for rank, (doc, _) in enumerate(ranked)} or {"__none__": 0.0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = evaluate(Qrels(qrels), Run(run), [f"ndcg@{k}", f"recall@{k}"],
                          make_comparable=True)
    return round(float(scores[f"ndcg@{k}"]), 4)


def recipe_embeddings() -> Any:
    from langchain_huggingface import HuggingFaceEmbeddings


    load_embeddings()  # sets HF_HUB_OFFLINE and quiets the hub, as in the app
    return HuggingFaceEmbeddings(model_name=model_path())


def recipe_ingest(articles: Sequence[Article], directory: Path, embeddings: Any,
                  doc_id: Callable[[Article], str]) -> tuple[Any, float, int]:
    """Split, embed and store like the tutorial; returns (vector store, seconds, chunks)."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    shutil.rmtree(directory, ignore_errors=True)
    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=RECIPE_CHUNK_SIZE,
                                              chunk_overlap=RECIPE_OVERLAP)
    docs = splitter.create_documents([a.body for a in articles],
                                     metadatas=[{"doc": doc_id(a)} for a in articles])
    settings = chromadb.Settings(anonymized_telemetry=False)
    store = Chroma.from_documents(docs[:CHROMA_MAX_BATCH], embeddings,
                                  persist_directory=str(directory), client_settings=settings)
    for offset in range(CHROMA_MAX_BATCH, len(docs), CHROMA_MAX_BATCH):
        store.add_documents(docs[offset:offset + CHROMA_MAX_BATCH])
    return store, time.perf_counter() - started, len(docs)


def recipe_rankings(store: Any, queries: dict[str, str], k: int = RECIPE_K,
                    top: int = 10) -> dict[str, list[tuple[str, float]]]:
    return {qid: docs_in_order([d.metadata["doc"] for d in store.similarity_search(text, k=k)],
                               top)
            for qid, text in queries.items()}


def our_rankings(retriever: Any, queries: dict[str, str], depth: int = 100,
                 top: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Our retriever at document level, as `practice-assistant eval` ranks (100 chunks deep)."""
    return {qid: docs_in_order([p.chunk.slug for p in retriever.search(text, k=depth)], top)
            for qid, text in queries.items()}


def ingest_comparison(articles: Sequence[Article], ours_dir: Path, recipe_dir: Path,
                      embeddings: Any, recipe_emb: Any,
                      progress: Progress | None = None) -> dict[str, Any]:
    """Full ingest, one-article edit, revert and no-change re-ingest with our pipeline into
    ``ours_dir`` (which must hold no index yet), then the recipe's full ingest into
    ``recipe_dir``. After the revert, ``ours_dir`` holds exactly ``articles`` again."""
    say = progress or (lambda _m: None)
    store = IndexStore(ours_dir, collection="practice")
    if store.current() is not None:
        raise ValueError(f"{ours_dir} already holds an index; the full ingest must start empty")
    runs: dict[str, Any] = {}
    edited = [dataclasses.replace(articles[0], body=articles[0].body + EDIT_TEXT),
              *articles[1:]]
    for name, docs in (("full", articles), ("edit one article", edited),
                       ("revert the edit", articles), ("no change", articles)):
        say(f"ingest (ours): {name}")
        report = ingest_articles(docs, store, embeddings, IngestOptions(show_bar=False))
        runs[name] = {"seconds": round(report.seconds, 2), "chunks": report.chunks,
                      "chunks_embedded": report.chunks_embedded}
    say("ingest (recipe): full")
    vectorstore, seconds, chunks = recipe_ingest(articles, recipe_dir, recipe_emb,
                                                 lambda a: a.slug)
    runs["recipe full"] = {"seconds": round(seconds, 2), "chunks": chunks,
                           "chunks_embedded": chunks}
    return {"runs": runs, "store": store, "recipe": vectorstore}


def query_comparison(assistant: Any, recipe_store: Any, questions: Sequence[str],
                     rounds: int) -> dict[str, list[float]]:
    """Interleaved per question: the recipe's similarity_search(k=4), our embed + retrieve, and
    our full ask, so background load hits all three alike."""
    settings = assistant.settings
    retriever = assistant.retriever()
    out: dict[str, list[float]] = {"recipe": [], "retrieve": [], "ask": []}
    for question in questions:  # warm-up
        recipe_store.similarity_search(question, k=RECIPE_K)
        assistant.ask(question)
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            recipe_store.similarity_search(question, k=RECIPE_K)
            out["recipe"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            passages = retriever.search(question, k=settings.top_k * 4)
            cap_per_article(passages, settings.max_chunks_per_article, settings.top_k)
            out["retrieve"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assistant.ask(question)
            out["ask"].append((time.perf_counter() - started) * 1000)
    return out


def ndcg_comparison(retriever: Any, recipe_store: Any, data_dir: Path) -> dict[str, Any]:
    """nDCG@10 on CounselChat dev for our retriever and the recipe over the same documents."""
    data = load_beir(Path(data_dir) / "counselchat", "dev")
    started = time.perf_counter()
    ours = our_rankings(retriever, data.queries)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    recipe = recipe_rankings(recipe_store, data.queries)
    recipe_s = time.perf_counter() - started
    return {"queries": len(data.queries),
            "ours": {"mode": retriever.mode, "ndcg@10": mean_ndcg(data.qrels, ours),
                     "seconds": round(ours_s, 1)},
            "recipe": {"k": RECIPE_K, "ndcg@10": mean_ndcg(data.qrels, recipe),
                       "seconds": round(recipe_s, 1)}}
