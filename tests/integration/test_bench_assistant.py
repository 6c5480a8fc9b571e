"""The bench helpers: variant corpora, stage clocks, nDCG, page checks and service concurrency."""

from __future__ import annotations

import pytest

from benchmarks.load import (
    comparable,
    concurrent_asks,
    service_questions,
)
from benchmarks.query import bench_sizes
from conftest import ROOT
from practice_assistant.evaluation.retrieval import load_golden


@pytest.mark.slow
def test_fifty_simultaneous_asks_match_sequential_answers(assistant):
    """50 threads released together on the shared assistant: no errors, same answers."""
    questions = service_questions(load_golden(ROOT / "eval" / "golden.jsonl"), 50)
    expected = [comparable(assistant.ask(q)) for q in questions]
    result = concurrent_asks(assistant, questions, expected)
    assert result["errors"] == [] and result["mismatches"] == []
    assert len(result["latencies_ms"]) == 50


@pytest.mark.slow
def test_bench_query_times_the_assistant_itself(settings):
    """`bench query`'s stages come from `Assistant.ask` through its hook: one sample per asked
    question for the stages every question runs, none for retrieval a routed one skips."""
    golden = load_golden(ROOT / "eval" / "golden.jsonl")[:8]
    result = bench_sizes({"practice": settings}, golden, 1, {})["practice"]
    assert result.e2e.n == result.stages["non_embed"].n == result.stages["safety"].n == 8
    answered = sum(n for route, n in result.routes.items()
                   if route in ("answer", "no_answer"))
    assert answered and result.stages["dense"].n == result.stages["compose"].n == answered
    assert all(summary.p50 >= 0 for summary in result.stages.values())
