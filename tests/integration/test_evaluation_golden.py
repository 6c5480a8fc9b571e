"""Retrieval evaluation: metrics, BEIR loading, reports, and the golden / CounselChat gates."""

from __future__ import annotations

import pytest

from conftest import CORPUS, ROOT, SHARED_DATA
from practice_assistant.evaluation.retrieval import (
    REFUSALS,
    load_golden,
)

GOLDEN = ROOT / "eval" / "golden.jsonl"


COUNSELCHAT = SHARED_DATA / "counselchat"


COUNSELCHAT_DEV_NDCG10 = 0.699


GOLDEN_MIN_HIT3 = 0.90


@pytest.fixture(scope="module")
def golden_env(tmp_path_factory: pytest.TempPathFactory, embeddings):
    """The golden index built once, with the session's model (not a second copy)."""
    from practice_assistant.evaluation.retrieval import build_golden_index

    eval_dir = tmp_path_factory.mktemp("eval-index")
    store = build_golden_index(CORPUS, embeddings, eval_dir)
    return embeddings, store, eval_dir


@pytest.mark.slow
def test_golden_hit3_and_refusals(golden_env) -> None:
    from practice_assistant.app_service import build_router
    from practice_assistant.evaluation.retrieval import GoldenEvalOptions, run_golden_eval
    from practice_assistant.retrieval.hybrid import DEFAULT_RETRIEVER
    from practice_assistant.service import Assistant
    from practice_assistant.settings import Settings

    embeddings, store, eval_dir = golden_env
    settings = Settings(_env_file=None, corpus_dir=CORPUS)
    router = build_router(embeddings)
    options = GoldenEvalOptions(GOLDEN, (DEFAULT_RETRIEVER,), eval_dir=eval_dir,
                                corpus_dir=CORPUS)
    result = run_golden_eval(options, embeddings=embeddings, settings=settings, safety=router)
    assert result.settings[DEFAULT_RETRIEVER].metrics["hit@3"] >= GOLDEN_MIN_HIT3
    assistant = Assistant(settings, embeddings, router, store)
    routes = {g.id: assistant.ask(g.question).route
              for g in load_golden(GOLDEN) if not g.answerable}
    assert routes and all(route in REFUSALS for route in routes.values()), routes


@pytest.mark.slow
def test_golden_answers_pass_checks(golden_env) -> None:
    from practice_assistant.app_service import build_router
    from practice_assistant.evaluation.report import check_answers
    from practice_assistant.service import Assistant
    from practice_assistant.settings import Settings

    embeddings, store, _ = golden_env
    assistant = Assistant(Settings(_env_file=None, corpus_dir=CORPUS), embeddings,
                          build_router(embeddings), store)
    assert check_answers(assistant, load_golden(GOLDEN), CORPUS) == []


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.skipif(not (COUNSELCHAT / "qrels" / "dev.tsv").is_file(),
                    reason=f"CounselChat data not found at {COUNSELCHAT} (a fresh clone has no "
                           "../shared/data)")
def test_counselchat_dev_default_retriever_ndcg10() -> None:
    from practice_assistant.evaluation.retrieval import run_beir_eval
    from practice_assistant.retrieval.hybrid import DEFAULT_RETRIEVER

    result = run_beir_eval(COUNSELCHAT, "dev", [DEFAULT_RETRIEVER],
                           eval_dir=ROOT / "var" / "eval-index")
    ndcg = result.settings[DEFAULT_RETRIEVER].metrics["ndcg@10"]
    assert ndcg >= COUNSELCHAT_DEV_NDCG10 - 0.01, result.to_json()
