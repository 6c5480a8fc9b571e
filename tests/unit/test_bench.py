"""The bench helpers: variant corpora, stage clocks, nDCG, page checks and service concurrency."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from benchmarks.cli import build_parser
from benchmarks.corpus import BaseSet, corpus_batches, perturb, variant_chunk
from benchmarks.load import (
    check_page,
    comparable,
    service_questions,
    snippet,
    visitor_plan,
)
from benchmarks.query import StageClock, Summary
from benchmarks.recipe import docs_in_order, mean_ndcg
from benchmarks.report import all_targets, memory_report
from practice_assistant.evaluation.retrieval import GoldenItem
from practice_assistant.models import Answer, Chunk, Citation


def _chunk(i: int, slug: str = "doc") -> Chunk:
    return Chunk(id=f"{slug}:{i}", slug=f"{slug}-{i}", title=f"Title {i}", url=None,
                 section=None, text=f"First sentence {i}. Second one here. Third one too.",
                 position=0)


def _unit(rows: int, seed: int = 0) -> np.ndarray:
    matrix = np.random.default_rng(seed).standard_normal((rows, 384)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _base(practice: int = 3, extra: int = 10) -> BaseSet:
    return BaseSet(tuple(_chunk(i, "p") for i in range(practice)), _unit(practice, 1),
                   tuple(_chunk(i, "x") for i in range(extra)), _unit(extra, 2), "test")


def test_perturb_keeps_vectors_unit_length_and_near_the_original():
    """Variant vectors are renormalised and stay close to their source (cosine about 0.89)."""
    base = _unit(200)
    moved = perturb(base, np.random.default_rng(3))
    assert moved.shape == base.shape and moved.dtype == np.float32
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(moved * base, axis=1)
    assert 0.84 < cosines.mean() < 0.94 and cosines.min() > 0.75


@pytest.mark.parametrize("size", [3, 7, 13, 35, 101])
def test_corpus_batches_make_exactly_size_unique_chunks_practice_first(size):
    """Any size gives that many chunks with unique ids, practice chunks first, vectors aligned."""
    batches = list(corpus_batches(_base(), size, batch=4))
    chunks = [c for part, _ in batches for c in part]
    vectors = np.vstack([v for _, v in batches])
    assert len(chunks) == size == len(vectors)
    assert len({c.id for c in chunks}) == size
    assert [c.slug for c in chunks[:3]] == ["p-0", "p-1", "p-2"]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one():
    """Same seed, same chunks: the 10k index is the start of the 100k one."""
    small = [c.id for part, _ in corpus_batches(_base(), 30) for c in part]
    large = [c.id for part, _ in corpus_batches(_base(), 60) for c in part]
    assert large[:30] == small


def test_corpus_needs_the_practice_chunks():
    with pytest.raises(ValueError, match="practice chunks"):
        list(corpus_batches(_base(), 2))


def test_variant_chunk_shuffles_the_same_sentences_and_marks_the_variant():
    chunk = _chunk(1)
    variant = variant_chunk(chunk, 4)
    assert variant.id == "doc:1~v4" and variant.slug == "doc-1-v4"
    assert variant.text.endswith("(variant 4)")
    words = Counter(variant.text.removesuffix(" (variant 4)").split())
    assert words == Counter(chunk.text.split())
    assert variant_chunk(chunk, 4) == variant


def test_docs_in_order_keeps_first_occurrence_and_stops_at_k():
    assert [d for d, _ in docs_in_order(["a", "b", "a", "c", "b", "d"], k=3)] == ["a", "b", "c"]


def test_mean_ndcg_on_a_toy_qrels():
    """Perfect ranking scores 1; a relevant doc at rank 2 of 1 relevant scores 1/log2(3)."""
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 1}}
    perfect = {"q1": docs_in_order(["a", "x"]), "q2": docs_in_order(["b"]),
               "q3": docs_in_order(["c", "a"])}
    assert mean_ndcg(qrels, perfect) == pytest.approx(1.0)
    second = {"q1": docs_in_order(["x", "a"]), "q2": docs_in_order(["b"]), "q3": []}
    assert mean_ndcg(qrels, second) == pytest.approx((1 / np.log2(3) + 1 + 0) / 3, abs=1e-4)


def test_the_stage_clock_adds_up_stages_only_while_a_sink_is_set():
    """The bench's `on_stage` hook: repeated stages add up; end-to-end passes record nothing."""
    clock = StageClock()
    clock("dense", 1.0)
    clock.sink = sink = {}
    clock("dense", 1.5)
    clock("dense", 2.0)
    clock("bm25", 0.5)
    assert sink == {"dense": 3.5, "bm25": 0.5}


def test_summary_percentiles():
    summary = Summary.of([float(v) for v in range(1, 101)])
    assert (summary.n, summary.p50, summary.p95) == (100, 50.5, 95.05)
    assert Summary.of([]).n == 0


def _answer(question: str, text: str, title: str) -> Answer:
    return Answer(question=question, route="answer",
                  answer=f"Here is what the practice's articles say about that:\n\n{text} [1]",
                  citations=(Citation(1, "s", title, None, None, text),),
                  timings_ms={"total": 1.0})


def test_check_page_accepts_its_own_answer_and_flags_another():
    mine = _answer("q1", "Partners avoid therapy because it feels risky.", "Avoid")
    theirs = _answer("q2", "EMDR stands for eye movement desensitization.", "EMDR")
    assert snippet(mine) == "partners avoid therapy because it feels risky"
    own = "q1 Partners avoid therapy because it feels risky. [1] [1] Avoid"
    assert check_page(mine, own, [mine, theirs]) == []
    crossed = own + " EMDR stands for eye movement desensitization. EMDR"
    assert any("shows the answer to 'q2'" in p for p in check_page(mine, crossed,
                                                                  [mine, theirs]))
    assert check_page(theirs, own, [mine, theirs])


def test_visitor_plan_gives_different_questions_each_round():
    plan = visitor_plan(["a", "b", "c", "d"], contexts=4, rounds=3)
    assert all(len({asked[turn] for asked in plan}) == 4 for turn in range(3))
    assert plan[0] == ["a", "b", "c"]


def test_service_questions_mix_unanswerable_in():
    golden = [GoldenItem(f"g{i}", f"question {i}", ("s",) if i % 4 else (), bool(i % 4))
              for i in range(20)]
    picked = service_questions(golden, 8)
    assert len(picked) == 8 and "question 0" in picked
    assert len(service_questions(golden, 30)) == 30


def test_comparable_drops_only_timings():
    data = comparable(_answer("q", "Some sentence here.", "T"))
    assert "timings_ms" not in data and data["citations"][0]["title"] == "T"


def test_all_targets_judges_each_figure():
    stage = {"p50": 10.0, "p95": 12.0}
    result = {"sizes": {"1k": {"e2e": {"p95": 40.0}, "stages": {"embed": stage}},
                        "10k": {"e2e": {"p95": 44.0}, "stages": {"embed": stage}},
                        "100k": {"e2e": {"p95": 70.0}, "stages": {"embed": stage}}},
              "ingest": {"runs": {"full": {"seconds": 9.0, "chunks": 100},
                                  "recipe full": {"seconds": 10.0},
                                  "edit one article": {"chunks_embedded": 6},
                                  "no change": {"chunks_embedded": 0}}},
              "cold": {"100k": {"app": {"peak_rss_mb": 1300.0}}}}
    assert [c["met"] for c in all_targets(result)] == [True, False, True, True, False]
    best = {"e2e_best": {"p95": 30.0}, "stages_best": {"embed": stage}}
    for size in result["sizes"].values():
        size.update(best)
    assert [c["met"] for c in all_targets(result)] == [True, False, True, True, True, True,
                                                        False]


def _probe(how: str, load_s: float, peak: float) -> dict:
    steps = [{"step": "model loaded", "s": 5.0, "rss_mb": 600.0, "peak_mb": 600.0},
             {"step": f"retriever {how}", "s": 5.0 + load_s, "rss_mb": peak - 10,
              "peak_mb": peak}]
    return {"how": how, "load_s": load_s, "first_search_s": 0.1, "steps": steps,
            "sizes": {"bm25_vocabulary": 2.0}}


def test_memory_targets_judge_the_saved_load_against_a_rebuild_in_the_same_run():
    memory = {"corpus": "100k", "rebuilt": _probe("rebuilt", 20.0, 1600.0),
              "saved": _probe("saved", 3.0, 980.0)}
    checks = all_targets({"memory": memory})
    assert [(c["measured"], c["limit"], c["met"]) for c in checks] == [
        (980.0, 1000.0, True), (3.0, 4.0, True)]
    memory["saved"] = _probe("saved", 4.5, 1010.0)
    assert [c["met"] for c in all_targets({"memory": memory})] == [False, False]
    report = "\n".join(memory_report(memory))
    assert "rebuilt: peak MiB" in report and "saved: peak MiB" in report
    assert "retriever rebuilt / retriever saved" in report
    assert all_targets({"memory": {**memory, "corpus": "10k"}}) == []


def test_bench_query_and_load_parse():
    args = build_parser().parse_args(["query", "--sizes", "practice", "1000",
                                      "--no-recipe", "--no-cold-start", "--rounds", "1"])
    assert (args.sizes, args.recipe, args.cold, args.rounds) == (["practice", "1000"], False,
                                                                 False, 1)
    args = build_parser().parse_args(["load", "--contexts", "0", "--threads", "5"])
    assert (args.contexts, args.threads, args.rounds) == (0, 5, 3)
