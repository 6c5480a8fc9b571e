"""`python -m benchmarks query`: warm latency per stage and end to end, per corpus size.

Stages are timed through the timing hook of :class:`Assistant` itself (``on_stage``), so the
bench runs exactly what a visitor's question runs: ``embed`` and ``safety`` as routed, ``dense``
(the HNSW query), ``bm25``, and ``fusion``, the rest of the retrieve step (BM25 top-k, the exact
cosine of BM25-only candidates, a Chroma ``get`` shown apart as ``exact``, the weighted sum, the
sort and ``cap_per_article``); ``compose`` is the composer and the addressing check. A question
routed before retrieval (crisis, practice facts) has no retrieval or compose sample. ``non_embed``
is every stage but the query embedding, summed per question. End to end is the wall time of
:meth:`Assistant.ask`, measured in separate passes with the hook recording nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.pipeline import IngestOptions, run_ingest
from practice_assistant.app_service import build_assistant
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore

STAGES = ("embed", "safety", "dense", "bm25", "fusion", "exact", "compose", "non_embed")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Summary:
    """Percentiles of one series of timings, in milliseconds."""

    n: int
    p50: float
    p95: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            return cls(0, 0.0, 0.0, 0.0)
        arr = np.asarray(values, dtype=float)
        return cls(len(arr), round(float(np.percentile(arr, 50)), 2),
                   round(float(np.percentile(arr, 95)), 2), round(float(arr.mean()), 2))


@dataclass
class SizeResult:
    """One corpus size: how it was built and loaded, and how fast it answers."""

    label: str
    chunks: int
    built_s: float | None
    load_s: float
    stages: dict[str, Summary]
    e2e: Summary
    routes: dict[str, int]
    expected_cited: float
    stages_best: dict[str, Summary] = field(default_factory=dict)
    e2e_best: Summary | None = None
    slowest: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "chunks": self.chunks, "built_s": self.built_s,
                "load_s": self.load_s, "stages": {k: v.__dict__ for k, v in self.stages.items()},
                "e2e": self.e2e.__dict__,
                "stages_best": {k: v.__dict__ for k, v in self.stages_best.items()},
                "e2e_best": self.e2e_best.__dict__ if self.e2e_best else None,
                "slowest": self.slowest, "routes": self.routes,
                "expected_cited": self.expected_cited, "notes": self.notes}


def best_of(values: Sequence[float], rounds: int) -> list[float]:
    """Per question, the fastest of its ``rounds`` samples (samples are round-major).

    On a shared machine a single sample mostly measures who else was running; the best of
    several is the uncontended cost, and percentiles over questions of it show which
    questions are slow by themselves.
    """
    if not values:
        return []
    return np.asarray(values, dtype=float).reshape(rounds, -1).min(axis=0).tolist()


class StageClock:
    """The assistant's ``on_stage`` hook: adds each stage's milliseconds to ``sink`` while one
    is set (one measuring pass at a time; the end-to-end passes leave it unset)."""

    def __init__(self) -> None:
        self.sink: dict[str, float] | None = None

    def __call__(self, stage: str, ms: float) -> None:
        if self.sink is not None:
            self.sink[stage] = self.sink.get(stage, 0.0) + ms


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def stage_one(assistant: Any, clock: StageClock, question: str,
              out: dict[str, list[float]]) -> None:
    """Time each stage of one :meth:`Assistant.ask` through its hook; a stage that did not run
    for this question (retrieval for a crisis message) gets no sample."""
    clock.sink = sink = {}
    try:
        assistant.ask(question)
    finally:
        clock.sink = None
    if "retrieve" in sink:
        sink["fusion"] = sink["retrieve"] - sink.get("dense", 0.0) - sink.get("bm25", 0.0)
    for stage in STAGES[:-1]:
        if stage in sink:
            out[stage].append(sink[stage])
    out["non_embed"].append(sum(sink.get(s, 0.0) for s in ("safety", "dense", "bm25", "fusion",
                                                           "compose")))


def expected_cited(golden: Sequence[Any], answers: Sequence[Any]) -> float:
    """Share of answerable golden questions answered with one of their expected articles cited."""
    hits = [a.route == "answer" and any(c.slug in g.slugs for c in a.citations)
            for g, a in zip(golden, answers, strict=True) if g.answerable]
    return round(sum(hits) / len(hits), 3) if hits else 0.0


def bench_sizes(indexes: dict[str, Settings], golden: Sequence[Any], rounds: int,
                built_s: dict[str, float | None], progress: Progress | None = None
                ) -> dict[str, SizeResult]:
    """Load every index, warm each up, then ``rounds`` passes over the golden questions.

    Sizes are interleaved per question (in a rotating order), and each question's stage
    timing and its ``ask`` follow each other, so load from other processes falls on every
    size alike and ratios between sizes stay meaningful on a busy machine.
    """
    assistants: dict[str, Any] = {}
    clocks: dict[str, StageClock] = {}
    load_s: dict[str, float] = {}
    for label, settings in indexes.items():
        if progress:
            progress(f"{label}: loading the retriever")
        first = next(iter(assistants.values()), None)
        clocks[label] = StageClock()
        assistant = build_assistant(settings, first.embeddings if first else None,
                                    on_stage=clocks[label])
        started = time.perf_counter()
        assistant.retriever()
        load_s[label] = round(_ms(started) / 1000, 2)
        assistants[label] = assistant
    questions = [g.question for g in golden]
    labels = list(assistants)
    answers = {label: [assistants[label].ask(q) for q in questions] for label in labels}  # warm
    stages = {label: {s: [] for s in STAGES} for label in labels}
    e2e: dict[str, list[float]] = {label: [] for label in labels}
    for round_no in range(rounds):
        if progress:
            progress(f"round {round_no + 1}/{rounds} over {', '.join(labels)}")
        for i, question in enumerate(questions):
            shift = (i + round_no) % len(labels)
            for label in labels[shift:] + labels[:shift]:
                assistant = assistants[label]
                stage_one(assistant, clocks[label], question, stages[label])
                started = time.perf_counter()
                answers[label][i] = assistant.ask(question)
                e2e[label].append(_ms(started))
    results = {}
    for label in labels:
        best = best_of(e2e[label], rounds)
        slowest = sorted(zip(questions, best, strict=True), key=lambda qb: -qb[1])[:3]
        results[label] = SizeResult(
            label=label, chunks=len(assistants[label].retriever().chunks),
            built_s=built_s.get(label), load_s=load_s[label],
            stages={s: Summary.of(v) for s, v in stages[label].items()},
            e2e=Summary.of(e2e[label]), routes=dict(Counter(a.route for a in answers[label])),
            expected_cited=expected_cited(golden, answers[label]),
            stages_best={s: Summary.of(best_of(v, rounds)) for s, v in stages[label].items()},
            e2e_best=Summary.of(best),
            slowest=[(q, round(ms, 1)) for q, ms in slowest])
    return results


def bench_settings(settings: Settings, index_dir: Path, bench_dir: Path) -> Settings:
    """The caller's settings pointed at a bench index (embedded Chroma)."""
    return settings.model_copy(update={"index_dir": Path(index_dir), "chroma_url": None,
                                       "collection": "practice",
                                       "feedback_path": Path(bench_dir) / "feedback.jsonl"})


def ensure_practice_index(bench_dir: Path, corpus_dir: Path, embeddings: Any) -> IndexStore:
    """The practice corpus alone, ingested (incrementally) with the real pipeline."""
    store = IndexStore(Path(bench_dir) / "practice", collection="practice")
    report = run_ingest([Path(corpus_dir)], store, embeddings, IngestOptions(show_bar=False))
    if report.failed:
        raise ValueError("corpus files failed to load: " +
                         "; ".join(f"{p}: {r}" for p, r in report.failed))
    return store
