"""PA_CHROMA_URL: ingest into and answer from a real `chroma run` server, then change an article."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.pipeline import run_ingest
from practice_assistant.app_service import build_assistant
from practice_assistant.retrieval.lexical import has_lexical
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server on a free port, stopped with SIGTERM whatever the test does."""
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists() and not shutil.which("chroma"):
        pytest.skip("the `chroma` executable (from the chromadb package) is not installed")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    server = subprocess.Popen([str(chroma if chroma.exists() else "chroma"), "run", "--path",
                               str(tmp_path / "chroma-data"), "--host", "127.0.0.1", "--port",
                               str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((tmp_path / "chroma.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_ingest_ask_and_reingest_through_a_chroma_server(tmp_path: Path, corpus_copy: Path,
                                                         chroma_url: str, embeddings):
    settings = Settings(_env_file=None, index_dir=tmp_path / "lock-only", corpus_dir=corpus_copy,
                        chroma_url=chroma_url, feedback_path=tmp_path / "feedback.jsonl")
    store = IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    first = run_ingest([corpus_copy], store, embeddings)
    assert first.plan.added and store.current().version == first.version
    assert not (tmp_path / "lock-only" / "versions").exists()  # vectors live on the server
    assert has_lexical(tmp_path / "lock-only" / "version-files" / first.version)  # BM25 here

    assistant = build_assistant(settings, embeddings)
    answer = assistant.ask("what is EMDR therapy")
    assert answer.citations[0].slug == "what-is-emdr-therapy"
    assert assistant.retriever().lexical.saved

    emdr = corpus_copy / "what-is-emdr-therapy.md"
    emdr.write_text(emdr.read_text() + "\nEvery EMDR client is offered a weighted blanket "
                    "shaped like a tortoise.\n")
    second = run_ingest([corpus_copy], store, embeddings)
    assert second.plan.updated == ("what-is-emdr-therapy",) and second.version != first.version
    changed = assistant.ask("the weighted blanket shaped like a tortoise in EMDR")
    assert any("tortoise" in cited.quote for cited in changed.citations[0].sections)

    other_replica = IndexStore(tmp_path / "elsewhere", settings.collection, chroma_url)
    assert other_replica.current() == store.current()  # the marker lives on the server
    elsewhere = build_assistant(settings.model_copy(update={"index_dir": other_replica.root}),
                                embeddings)
    assert not elsewhere.retriever().lexical.saved  # no local BM25 there: built in memory
    question = "the weighted blanket shaped like a tortoise in EMDR"
    assert elsewhere.ask(question).citations == assistant.ask(question).citations
    again = run_ingest([corpus_copy], store, embeddings)
    assert again.chunks_embedded == 0 and store.current().version == second.version
