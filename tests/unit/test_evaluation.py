"""Retrieval evaluation: metrics, BEIR loading, reports, and the golden / CounselChat gates."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import ROOT
from practice_assistant.evaluation.report import answer_problems, format_table, write_report
from practice_assistant.evaluation.retrieval import (
    EvalResult,
    aggregate,
    doc_slugs,
    load_beir,
    load_golden,
    score_setting,
)
from practice_assistant.models import Answer, Chunk, Citation, Passage

GOLDEN = ROOT / "eval" / "golden.jsonl"

# q1: relevant a, b; ranked x a y b -> first hit at rank 2.  q2: c at rank 1.  q3: never found.
QRELS = {"q1": {"a": 1, "b": 1}, "q2": {"c": 1}, "q3": {"d": 1}}
RANKINGS = {"q1": [("x", 0.9), ("a", 0.8), ("y", 0.7), ("b", 0.6)],
            "q2": [("c", 0.5)],
            "q3": [("e", 0.4), ("f", 0.3)]}
NDCG_Q1 = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))


def test_metrics_by_hand() -> None:
    result = score_setting("t", QRELS, RANKINGS, [1.0, 2.0, 3.0, 4.0])
    m = result.metrics
    assert m["hit@1"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["hit@3"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["hit@5"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["recall@5"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["recall@10"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["mrr@10"] == pytest.approx((0.5 + 1.0 + 0.0) / 3, abs=1e-4)
    assert m["ndcg@10"] == pytest.approx((NDCG_Q1 + 1.0 + 0.0) / 3, abs=1e-4)
    assert m["p50_ms"] == pytest.approx(2.5)
    assert m["p95_ms"] == pytest.approx(3.85)
    assert result.reciprocal_rank == pytest.approx({"q1": 0.5, "q2": 1.0, "q3": 0.0})
    assert result.curves["hit"][1] == pytest.approx(1 / 3, abs=1e-4)
    assert result.curves["recall"][3] == pytest.approx((0.5 + 1.0) / 3, abs=1e-4)


def test_metrics_agree_with_ranx() -> None:
    from ranx import evaluate

    run = {q: {doc: score for doc, score in ranked} for q, ranked in RANKINGS.items()}
    expected = evaluate(QRELS, run, ["hit_rate@3", "recall@5", "mrr@10", "ndcg@10"])
    got = score_setting("t", QRELS, RANKINGS, [1.0]).metrics
    for ours, theirs in (("hit@3", "hit_rate@3"), ("recall@5", "recall@5"),
                         ("mrr@10", "mrr@10"), ("ndcg@10", "ndcg@10")):
        assert got[ours] == pytest.approx(float(expected[theirs]), abs=1e-4)


def test_refused_unanswerable_questions_count_as_hits() -> None:
    result = score_setting("t", QRELS, RANKINGS, [1.0], refused={"u1": True, "u2": False})
    assert result.metrics["hit@1"] == pytest.approx((0 + 1 + 0 + 1 + 0) / 5, abs=1e-4)
    assert result.metrics["ndcg@10"] == pytest.approx((NDCG_Q1 + 1 + 0 + 1 + 0) / 5, abs=1e-4)
    assert result.reciprocal_rank["u1"] == 1.0 and result.reciprocal_rank["u2"] == 0.0


def test_per_query_metrics_single_metric() -> None:
    from practice_assistant.evaluation.retrieval import per_query_metrics

    got = per_query_metrics(QRELS, RANKINGS, ["ndcg@10"])
    assert got["ndcg@10"] == pytest.approx({"q1": NDCG_Q1, "q2": 1.0, "q3": 0.0})


def test_empty_ranking_scores_zero() -> None:
    result = score_setting("t", {"q": {"a": 1}}, {"q": []}, [1.0])
    assert result.metrics["ndcg@10"] == 0.0 and result.metrics["hit@5"] == 0.0


def _passage(slug: str, score: float) -> Passage:
    chunk = Chunk(id=f"{slug}:{score}", slug=slug, title="", url=None, section=None,
                  text="t", position=0)
    return Passage(chunk, score, score)


def test_aggregate_keeps_best_chunk_per_document_in_order() -> None:
    passages = [_passage("a", 0.9), _passage("b", 0.8), _passage("a", 0.7), _passage("c", 0.6)]
    assert aggregate(passages, 10) == [("a", 0.9), ("b", 0.8), ("c", 0.6)]
    assert aggregate(passages, 2) == [("a", 0.9), ("b", 0.8)]
    assert aggregate(passages, 10, {"a": "A", "b": "B", "c": "C"}.get)[0] == ("A", 0.9)


def test_doc_ids_that_are_not_slugs_are_mapped_safely() -> None:
    mapping = doc_slugs(["cc-a0000", "Doc_1/X", "doc-1-x"])
    assert mapping["cc-a0000"] == "cc-a0000"
    assert mapping["Doc_1/X"].startswith("doc-1-x-") and mapping["Doc_1/X"] != "doc-1-x"
    assert len(set(mapping.values())) == 3


# --- load_beir ----------------------------------------------------------------------------

def _write_beir(root: Path, corpus: str | None = None, queries: str | None = None,
                qrels: str | None = None) -> Path:
    (root / "qrels").mkdir(parents=True, exist_ok=True)
    (root / "corpus.jsonl").write_text(corpus if corpus is not None else (
        '{"_id": "d1", "title": "", "text": "one"}\n{"_id": "d2", "text": "two"}\n'))
    (root / "queries.jsonl").write_text(queries if queries is not None else (
        '{"_id": "q1", "text": "first?"}\n{"_id": "q2", "text": "second?"}\n'
        '{"_id": "q3", "text": "unjudged"}\n'))
    (root / "qrels" / "dev.tsv").write_text(qrels if qrels is not None else (
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td2\t2\n"))
    return root


def test_load_beir_reads_a_valid_set(tmp_path: Path) -> None:
    data = load_beir(_write_beir(tmp_path), "dev")
    assert data.docs == {"d1": ("", "one"), "d2": ("", "two")}
    assert data.queries == {"q1": "first?", "q2": "second?"}
    assert data.qrels == {"q1": {"d1": 1}, "q2": {"d2": 2}}


@pytest.mark.parametrize(("files", "message"), [
    ({"corpus": '{"_id": "d1", "text": "one"}\n{"_id": "d2", "text": \n'},
     r"corpus\.jsonl:2: not valid JSON"),
    ({"corpus": '{"_id": "d1", "text": "one"}\n["d2"]\n'}, r"corpus\.jsonl:2: expected a JSON"),
    ({"corpus": '{"text": "one"}\n'}, r"corpus\.jsonl:1: field '_id'"),
    ({"corpus": '{"_id": "d1", "text": 3}\n'}, r"corpus\.jsonl:1: field 'text'"),
    ({"corpus": '{"_id": "d1", "text": "a"}\n{"_id": "d1", "text": "b"}\n'},
     r"corpus\.jsonl:2: duplicate document id 'd1'"),
    ({"queries": '{"_id": "q1"}\n'}, r"queries\.jsonl:1: field 'text'"),
    ({"qrels": "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2 d2 1\n"},
     r"dev\.tsv:3: expected 3 tab-separated fields"),
    ({"qrels": "q1\td1\tyes\n"}, r"dev\.tsv:1: score 'yes' is not an integer"),
    ({"qrels": "q1\td9\t1\n"}, r"dev\.tsv:1: document 'd9' is not in .*corpus\.jsonl"),
    ({"qrels": "q9\td1\t1\n"}, r"dev\.tsv:1: query 'q9' is not in .*queries\.jsonl"),
    ({"qrels": "query-id\tcorpus-id\tscore\nq1\td1\t0\n"}, r"dev\.tsv: no positive"),
])
def test_load_beir_names_file_and_line(tmp_path: Path, files: dict[str, str],
                                       message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_beir(_write_beir(tmp_path, **files), "dev")


def test_load_beir_names_a_missing_file(tmp_path: Path) -> None:
    root = _write_beir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"qrels/test\.tsv"):
        load_beir(root, "test")
    (root / "queries.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match=r"queries\.jsonl"):
        load_beir(root, "dev")


def test_load_golden_flags_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "golden.jsonl"
    path.write_text('{"id": "g1", "question": "q", "slugs": ["a"], "answerable": true}\n'
                    '{"id": "g2", "question": "q", "answerable": true}\n')
    with pytest.raises(ValueError, match=r"golden\.jsonl:2: an answerable question needs"):
        load_golden(path)
    items = load_golden(GOLDEN)
    assert items and {i.id for i in items if i.followup_of}


# --- presentation -------------------------------------------------------------------------

def _tiny_result() -> EvalResult:
    settings = {name: score_setting(name, QRELS, RANKINGS, [1.0, 2.0])
                for name in ("dense", "hybrid")}
    return EvalResult(dataset="tiny", split="dev", default="hybrid", settings=settings,
                      queries={"q1": "first query", "q2": "second", "q3": "third query"},
                      qrels=QRELS, doc_text={"x": "an unrelated document " * 20, "a": "doc a"})


def test_json_shape_and_table() -> None:
    result = _tiny_result()
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == {"dataset", "split", "default", "results"}
    assert set(data["results"]["hybrid"]) == {"hit@1", "hit@3", "hit@5", "recall@5",
                                              "recall@10", "mrr@10", "ndcg@10", "p50_ms",
                                              "p95_ms"}
    table = format_table(result)
    assert "hybrid *" in table and "ndcg@10" in table


def test_write_report(tmp_path: Path) -> None:
    path = write_report(tmp_path / "report", _tiny_result())
    text = path.read_text()
    assert (tmp_path / "report" / "metrics_vs_k.png").stat().st_size > 1000
    assert json.loads((tmp_path / "report" / "results.json").read_text())["default"] == "hybrid"
    worst = text.split("## The 10 worst queries")[1]
    assert worst.index("q3") < worst.index("q1") < worst.index("q2")
    assert "third query" in worst and "an unrelated document" in worst


def test_answer_problems_catch_broken_answers() -> None:
    bodies = {"a": "The exact sentence. Another one."}
    good = Answer(question="q", route="answer",
                  answer="Here is what the practice's articles say about that: The exact "
                         "sentence. [1] and more words to reach the minimum length of twenty "
                         "words in total for this check",
                  citations=(Citation(1, "a", "A", None, None, "The exact sentence."),),
                  consultation={"text": "Book", "url": "u"})
    assert answer_problems(good, bodies) == []
    bad = Answer(question="q", route="answer", answer="Too short [1] [2]",
                 citations=(Citation(1, "a", "A", None, None, "Not in the body."),))
    problems = answer_problems(bad, bodies)
    assert any("[2]" in p for p in problems)
    assert any("not verbatim" in p for p in problems)
    assert any("consultation" in p for p in problems)
    assert any("words" in p for p in problems)


def test_near_misses_count_a_practical_reply_wrong_but_as_no_article_answer() -> None:
    """`as_expected` follows the label; `no_article_answer` counts only article digests."""
    from practice_assistant.evaluation.practice import NearMissReport, Routed

    report = NearMissReport("near", [
        Routed("a", "no_answer", "no_answer"), Routed("b", "no_answer", "practice_info"),
        Routed("c", "no_answer", "answer"), Routed("d", "practice_info", "practice_info")])
    figures = report.to_json()
    assert figures["as_expected"] == 0.5
    assert figures["no_article_answer"] == 0.75


# --- slow: real model, real index ---------------------------------------------------------
