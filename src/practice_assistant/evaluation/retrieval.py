"""Retrieval evaluation: a BEIR data set or the golden questions, at document level, with ranx.

Each data set gets its own index beside the practice's (never ``PA_INDEX_DIR``), built with the
same chunker, embedding text and store as ``ingest``, and reused by later runs (see
:mod:`practice_assistant.evaluation.datasets`). Tables, reports and answer checks live in
:mod:`practice_assistant.evaluation.report`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.load import load_articles
from practice_assistant.embedding import load_embeddings
from practice_assistant.evaluation.datasets import (
    DEFAULT_EVAL_DIR,
    BeirData,
    GoldenItem,
    build_beir_index,
    build_golden_index,
    doc_slugs,
    load_beir,
    load_golden,
    progress_bar,
)
from practice_assistant.retrieval.hybrid import RETRIEVERS, HybridRetriever, open_retriever
from practice_assistant.safety.router import SafetyRouter
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings

__all__ = [
    "DEFAULT_EVAL_DIR",
    "BeirData",
    "EvalResult",
    "GoldenEvalOptions",
    "GoldenItem",
    "SettingResult",
    "aggregate",
    "doc_slugs",
    "load_beir",
    "load_golden",
    "per_query_metrics",
    "rank_documents",
    "run_beir_eval",
    "run_golden_eval",
    "score_setting",
]

CHUNK_DEPTH = 100
CURVE_KS = (1, 3, 5, 10, 20)
METRICS = {"hit@1": "hit_rate@1", "hit@3": "hit_rate@3", "hit@5": "hit_rate@5",
           "recall@5": "recall@5", "recall@10": "recall@10", "mrr@10": "mrr@10",
           "ndcg@10": "ndcg@10"}
CURVE_METRICS = {"hit": "hit_rate", "recall": "recall", "mrr": "mrr", "ndcg": "ndcg"}
REFUSALS = ("no_answer", "out_of_scope")
_NO_DOC = "__none__"


@dataclass
class SettingResult:
    """One retriever setting: headline metrics, metric-vs-k curves and per-query detail."""

    name: str
    metrics: dict[str, float]
    curves: dict[str, dict[int, float]]
    rankings: dict[str, list[tuple[str, float]]]
    reciprocal_rank: dict[str, float]
    latencies_ms: list[float]


@dataclass
class EvalResult:
    """Everything a table, a JSON line or a report needs."""

    dataset: str
    split: str
    default: str
    settings: dict[str, SettingResult]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    doc_text: dict[str, str]
    timings_s: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "split": self.split, "default": self.default,
                "results": {name: dict(s.metrics) for name, s in self.settings.items()}}


# --- retrieval and metrics ----------------------------------------------------------------

def aggregate(passages: Sequence[Any], k: int,
              to_doc: Callable[[str], str] = str) -> list[tuple[str, float]]:
    """Chunks → documents by max score, in first-occurrence order (passages come best first)."""
    ranked: list[tuple[str, float]] = []
    seen: set[str] = set()
    for passage in passages:
        doc = to_doc(passage.chunk.slug)
        if doc not in seen:
            seen.add(doc)
            ranked.append((doc, float(passage.score)))
            if len(ranked) == k:
                break
    return ranked


def rank_documents(retriever: HybridRetriever, query: str, k: int,
                   to_doc: Callable[[str], str] = str, depth: int = CHUNK_DEPTH,
                   vector: Sequence[float] | None = None) -> tuple[list[tuple[str, float]], float]:
    """Top ``k`` documents for one query and the search time in ms (see :func:`aggregate`)."""
    started = time.perf_counter()
    passages = retriever.search(query, k=max(depth, k), vector=vector)
    elapsed = (time.perf_counter() - started) * 1000
    return aggregate(passages, k, to_doc), elapsed


def ranx_run(rankings: dict[str, list[tuple[str, float]]]) -> dict[str, dict[str, float]]:
    """Rank-derived scores, so ranx sees exactly the order the retriever produced."""
    run: dict[str, dict[str, float]] = {}
    for query_id, ranked in rankings.items():
        run[query_id] = {doc: float(len(ranked) - rank) for rank, (doc, _) in enumerate(ranked)}
        if not run[query_id]:
            run[query_id] = {_NO_DOC: 0.0}
    return run


def per_query_metrics(qrels: dict[str, dict[str, int]],
                      rankings: dict[str, list[tuple[str, float]]],
                      metrics: Sequence[str]) -> dict[str, dict[str, float]]:
    """ranx metric name → {query id: value} for every query in ``qrels``."""
    import warnings

    from ranx import evaluate

    # Plain dicts, not Qrels/Run: those build numba typed dicts, which compile for ~20 s in
    # every new process. Per-query scores come back in the dicts' insertion order.
    # ranx 0.3 raises KeyError for a single metric with return_mean=False: always ask for two.
    order = sorted(qrels)
    run = ranx_run({q: rankings.get(q, []) for q in order})
    asked = list(dict.fromkeys([*metrics, "hit_rate@1", "mrr@1000"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = evaluate({q: dict(qrels[q]) for q in order}, run, asked, return_mean=False)
    return {m: {q: float(v) for q, v in zip(order, scores[m], strict=True)} for m in metrics}


def score_setting(name: str, qrels: dict[str, dict[str, int]],
                  rankings: dict[str, list[tuple[str, float]]], latencies_ms: list[float],
                  refused: dict[str, bool] | None = None,
                  ks: Sequence[int] = CURVE_KS) -> SettingResult:
    """Headline metrics, curves and reciprocal ranks; ``refused`` scores unanswerable queries
    (no qrels) as 1.0 on every metric when the assistant refused them, else 0.0."""
    import numpy as np

    refused = refused or {}
    curve_names = [f"{m}@{k}" for m in CURVE_METRICS.values() for k in ks]
    wanted = list(dict.fromkeys([*METRICS.values(), *curve_names, "mrr@1000"]))
    per_query = per_query_metrics(qrels, rankings, wanted) if qrels else {m: {} for m in wanted}

    def mean(metric: str) -> float:
        values = [*per_query[metric].values(), *(float(r) for r in refused.values())]
        return round(float(np.mean(values)), 4) if values else 0.0

    metrics = {label: mean(metric) for label, metric in METRICS.items()}
    lat = np.asarray(latencies_ms or [0.0])
    metrics["p50_ms"] = round(float(np.percentile(lat, 50)), 2)
    metrics["p95_ms"] = round(float(np.percentile(lat, 95)), 2)
    curves = {label: {k: mean(f"{metric}@{k}") for k in ks}
              for label, metric in CURVE_METRICS.items()}
    rr = {**per_query["mrr@1000"], **{q: float(r) for q, r in refused.items()}}
    return SettingResult(name, metrics, curves, rankings, rr, list(latencies_ms))


# --- entry points -------------------------------------------------------------------------

def _setting_kwargs(setting: str, options: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """A setting is a retriever mode, or a label in ``options`` whose kwargs include 'mode'."""
    if options and setting in options:
        return dict(options[setting])
    if setting not in RETRIEVERS:
        raise ValueError(f"unknown retriever {setting!r}; choose from {', '.join(RETRIEVERS)}")
    return {"mode": setting}


def _query_vectors(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    """Every query embedded up front, so the timed search calls compare retrievers, not the
    model. Batched through ``embed_documents`` (6x faster than one by one on a busy CPU) when
    that gives the assistant's ``embed_query`` vector (no query prompt), else one by one."""
    import numpy as np

    if not texts:
        return []
    probe = np.asarray(embeddings.embed_query(texts[0]))
    batched = float(np.dot(probe, embeddings.embed_documents(texts[:1])[0]))
    same = batched >= 0.9999 * float(np.dot(probe, probe))
    vectors: list[list[float]] = []
    bar = progress_bar(len(texts), "embedding queries", "query")
    step = 32 if same else 1
    for offset in range(0, len(texts), step):
        batch = texts[offset:offset + step]
        vectors.extend(embeddings.embed_documents(batch) if same
                       else [embeddings.embed_query(t) for t in batch])
        bar.update(len(batch))
    bar.close()
    return vectors


def _search_all(retriever: HybridRetriever, queries: dict[str, str],
                vectors: dict[str, list[float]], k: int, to_doc: Callable[[str], str],
                label: str) -> tuple[dict[str, list[tuple[str, float]]], list[float]]:
    from tqdm import tqdm

    rankings: dict[str, list[tuple[str, float]]] = {}
    latencies: list[float] = []
    for query_id, text in tqdm(queries.items(), desc=label, unit="query", disable=None,
                               file=sys.stderr):
        rankings[query_id], elapsed = rank_documents(retriever, text, k, to_doc,
                                                     vector=vectors[query_id])
        latencies.append(elapsed)
    return rankings, latencies


def run_beir_eval(data_dir: Path | str, split: str = "dev",
                  retrievers: Sequence[str] = ("dense", "bm25", "rrf", "hybrid"), *,
                  k: int = 20, embeddings: Embeddings | None = None,
                  settings: Settings | None = None, eval_dir: Path | str = DEFAULT_EVAL_DIR,
                  options: dict[str, dict[str, Any]] | None = None) -> EvalResult:
    """Evaluate retriever settings on a BEIR data set at document level (top ``k`` docs)."""
    if k < 10:
        raise ValueError("k must be at least 10 (the table reports @10 metrics)")
    settings = settings or Settings()
    if embeddings is None:
        embeddings = load_embeddings()
    data_dir = Path(data_dir)
    data = load_beir(data_dir, split)
    started = time.perf_counter()
    store, built = build_beir_index(data, data_dir, embeddings, Path(eval_dir))
    index_s = time.perf_counter() - started
    current = store.current()
    assert current is not None
    base = open_retriever(store, current.version, embeddings)
    back = {slug: doc for doc, slug in doc_slugs(list(data.docs)).items()}
    started = time.perf_counter()
    vectors = dict(zip(data.queries, _query_vectors(embeddings, list(data.queries.values())),
                       strict=True))
    embed_s = time.perf_counter() - started
    results: dict[str, SettingResult] = {}
    for setting in retrievers:
        retriever = base.with_options(**_setting_kwargs(setting, options))
        rankings, latencies = _search_all(retriever, data.queries, vectors, k,
                                          lambda s: back.get(s, s), setting)
        results[setting] = score_setting(setting, data.qrels, rankings, latencies,
                                         ks=[x for x in CURVE_KS if x <= k])
    return EvalResult(
        dataset=data_dir.name, split=split, default=settings.retriever, settings=results,
        queries=data.queries, qrels=data.qrels,
        doc_text={doc: f"{title} {text}".strip() for doc, (title, text) in data.docs.items()},
        timings_s={"index": round(index_s, 1), "query_embedding": round(embed_s, 1),
                   "eval": round(time.perf_counter() - started, 1)},
        notes={"index": f"{'built' if built else 'reused'} {store.root} "
                        f"({current.chunks} chunks)"})


@dataclass(frozen=True)
class GoldenEvalOptions:
    """What one golden evaluation reads and compares; the collaborators stay arguments.

    ``retriever_options`` maps a setting label to retriever kwargs (with 'mode'), as for BEIR.
    """

    golden_path: Path = Path("eval/golden.jsonl")
    retrievers: tuple[str, ...] = ("dense", "bm25", "rrf", "hybrid")
    k: int = 20
    corpus_dir: Path | None = None
    eval_dir: Path = DEFAULT_EVAL_DIR
    retriever_options: dict[str, dict[str, Any]] | None = None


def run_golden_eval(options: GoldenEvalOptions = GoldenEvalOptions(), *,
                    safety: SafetyRouter, embeddings: Embeddings | None = None,
                    settings: Settings | None = None) -> EvalResult:
    """Evaluate on the golden questions; follow-ups are skipped, and an unanswerable question
    scores 1.0 on every metric when the assistant, routed by ``safety``, sends it to
    no_answer or out_of_scope."""
    golden_path, retrievers, k = options.golden_path, options.retrievers, options.k
    if k < 10:
        raise ValueError("k must be at least 10 (the table reports @10 metrics)")
    settings = settings or Settings()
    if embeddings is None:
        embeddings = load_embeddings()
    golden = [g for g in load_golden(golden_path) if not g.followup_of]
    started = time.perf_counter()
    corpus = Path(options.corpus_dir or settings.corpus_dir)
    store = build_golden_index(corpus, embeddings, Path(options.eval_dir))
    index_s = time.perf_counter() - started
    queries = {g.id: g.question for g in golden}
    qrels = {g.id: dict.fromkeys(g.slugs, 1) for g in golden if g.answerable}
    started = time.perf_counter()
    vectors = dict(zip(queries, _query_vectors(embeddings, list(queries.values())), strict=True))
    results: dict[str, SettingResult] = {}
    for setting in retrievers:
        kwargs = _setting_kwargs(setting, options.retriever_options)
        assistant = Assistant(settings.model_copy(update={"retriever": kwargs["mode"]}),
                              embeddings, safety, store)
        retriever = assistant.retriever()
        if len(kwargs) > 1:
            retriever = retriever.with_options(**kwargs)
        rankings, latencies = _search_all(retriever, queries, vectors, k, str, setting)
        refused = {g.id: assistant.ask(g.question).route in REFUSALS
                   for g in golden if not g.answerable}
        results[setting] = score_setting(setting, qrels, rankings, latencies, refused,
                                         ks=[x for x in CURVE_KS if x <= k])

    texts = {a.slug: a.body for a in load_articles([corpus]).articles}
    return EvalResult(
        dataset="golden", split=Path(golden_path).name, default=settings.retriever,
        settings=results, queries=queries, qrels=qrels, doc_text=texts,
        timings_s={"index": round(index_s, 1), "eval": round(time.perf_counter() - started, 1)},
        notes={"unanswerable": f"{len(queries) - len(qrels)} questions score 1 when refused"})
