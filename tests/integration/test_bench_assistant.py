"""The bench helpers: variant corpora, stage clocks, nDCG, page checks and service concurrency."""

from __future__ import annotations

import pytest

from benchmarks.load import (
    comparable,
    concurrent_asks,
    service_questions,
)
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
