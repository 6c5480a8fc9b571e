"""The CLI contract that evaluators and tests rely on, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SEED_SLUG

pytestmark = pytest.mark.slow


def _cli(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "practice_assistant.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)


def test_ask_json_prints_one_object_with_the_contract_fields(cli_env):
    done = _cli(["ask", "why won't my partner go to couples therapy", "--json"], cli_env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["route"] == "answer"
    assert data["citations"][0]["slug"] == SEED_SLUG
    assert data["consultation"]["text"].startswith("Book a free 15-minute")
    assert data["resources"] == []
    assert "won't my partner" not in done.stderr


def test_ask_dash_reads_one_question_per_line(cli_env):
    questions = "what is EMDR?\n\nhow do I repot a succulent\n"
    done = _cli(["ask", "-", "--json"], cli_env, stdin=questions)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["route"] for d in lines] == ["answer", "no_answer"]


def test_ask_json_gives_the_practice_info_route_with_its_signal(cli_env):
    done = _cli(["ask", "How much does a session cost?", "--json"], cli_env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["route"] == "practice_info" and data["signal"] == "practice_pattern:fees"
    assert data["answer"].startswith("The practice can tell you about fees")
    assert data["citations"] == [] and data["consultation"]["url"]


def test_eval_practice_sets_print_precision_recall_and_confusions(cli_env, tmp_path):
    rows = [{"text": "How much does a session cost?", "label": "practice_info",
             "topic": "fees"},
            {"text": "what is EMDR?", "label": "article", "topic": None}]
    practice = tmp_path / "practice.jsonl"
    practice.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    near = tmp_path / "near.jsonl"
    near.write_text(json.dumps({"text": "how do I set boundaries with my landlord",
                                "expected": "no_answer"}) + "\n", encoding="utf-8")
    done = _cli(["eval", "--practice", str(practice), "--near-misses", str(near), "--json"],
                {**cli_env, "PA_CORPUS_DIR": str(ROOT / "corpus")})
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["set"] == "practice.jsonl" and first["tp"] == 1 and first["fp"] == 0
    assert first["confusion"] == {"practice_info": {"practice_info": 1},
                                  "article": {"answer": 1}}
    assert second["set"] == "near.jsonl" and second["as_expected"] == 1.0


def test_unknown_subcommand_is_a_usage_error(cli_env):
    assert _cli(["frobnicate"], cli_env).returncode == 2


def test_ask_without_an_index_says_how_to_build_one(cli_env, tmp_path):
    done = _cli(["ask", "what is EMDR?"], {**cli_env, "PA_INDEX_DIR": str(tmp_path / "none")})
    assert done.returncode == 2 and "python -m ingest" in done.stderr


def test_eval_golden_json_has_the_documented_shape(cli_env, tmp_path):
    done = _cli(["eval", "--golden", "eval/golden.jsonl", "--retriever", "dense", "hybrid",
                 "--json", "--report", str(tmp_path / "report")], cli_env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["default"] == "hybrid" and set(data["results"]) == {"dense", "hybrid"}
    assert set(data["results"]["hybrid"]) == {"hit@1", "hit@3", "hit@5", "recall@5", "recall@10",
                                              "mrr@10", "ndcg@10", "p50_ms", "p95_ms"}
    assert data["results"]["hybrid"]["hit@3"] >= 0.9
    assert (tmp_path / "report" / "metrics_vs_k.png").stat().st_size > 1000


def test_eval_on_a_missing_dataset_is_a_usage_error(cli_env, tmp_path):
    done = _cli(["eval", "--dataset", str(tmp_path / "nope")], cli_env)
    assert done.returncode == 2 and "nope" in done.stderr
