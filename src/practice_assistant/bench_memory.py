"""Where a serving process's memory and time go.

Memory: RSS after each loading step, in a fresh process.
Run through :func:`probe` (a subprocess, so nothing else is in memory). Steps follow what the
app does: imports, model, safety router, opening the index, building the retriever (chunk texts
from Chroma, BM25 tokenising and indexing), the first search (Chroma loads the HNSW index).
With ``trace=True`` the retriever build also runs under ``tracemalloc``: its Python-side peak
and the source lines holding the most memory afterwards (slower, and tracing costs memory).

Time: :func:`profile_asks` runs warm :meth:`Assistant.ask` calls under pyinstrument (in the
``test`` extra) and writes the call tree as text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from practice_assistant.browser_harness import peak_rss_mb, rss_mb

PROBE_QUESTION = "why won't my partner go to couples therapy"


def _sizes(retriever: Any) -> dict[str, float]:
    """Rough sizes (MiB) of what the retriever keeps: chunk objects and the BM25 matrix."""
    chunks = retriever.chunks
    text = sum(sys.getsizeof(c.text) for c in chunks)
    other = sum(sys.getsizeof(c) + sys.getsizeof(c.id) + sys.getsizeof(c.slug) +
                sys.getsizeof(c.title) for c in chunks)
    scores = getattr(retriever.bm25, "scores", {}) or {}
    matrix = sum(getattr(v, "nbytes", 0) for v in scores.values())
    return {"chunk_texts": round(text / 2**20, 1), "chunk_objects": round(other / 2**20, 1),
            "bm25_matrix": round(matrix / 2**20, 1)}


def rss_by_stage(index_dir: str, trace: bool = False) -> dict[str, Any]:
    """Load like the app does in this process, noting RSS and peak RSS after each step."""
    pid = os.getpid()
    steps: list[dict[str, Any]] = []
    started = time.perf_counter()

    def mark(step: str) -> None:
        steps.append({"step": step, "rss_mb": rss_mb(pid), "peak_mb": peak_rss_mb(pid),
                      "s": round(time.perf_counter() - started, 1)})

    mark("python started")
    from practice_assistant.app_service import build_assistant
    from practice_assistant.embedding import load_embeddings
    from practice_assistant.retrieval import HybridRetriever
    from practice_assistant.settings import Settings

    mark("imports")
    embeddings = load_embeddings()
    embeddings.embed_query("warm up")
    mark("model loaded")
    settings = Settings(_env_file=None, index_dir=Path(index_dir), collection="practice")
    assistant = build_assistant(settings)
    mark("safety router built")
    current = assistant.store.current()
    assert current is not None, f"no index at {index_dir}"
    collection = assistant.store.open_collection(current.version)
    mark("collection opened")
    traced: dict[str, Any] = {}
    if trace:
        import tracemalloc

        tracemalloc.start()
    retriever = HybridRetriever(collection, embeddings, mode=settings.retriever)
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        top = tracemalloc.take_snapshot().statistics("lineno")[:8]
        tracemalloc.stop()
        traced = {"python_peak_mb": round(peak / 2**20, 1),
                  "held_by_line": [{"where": str(s.traceback[0]),
                                    "mb": round(s.size / 2**20, 1)} for s in top]}
    mark("retriever built (chunks + BM25)")
    retriever.search(PROBE_QUESTION, k=20)
    mark("first search (HNSW loaded)")
    return {"chunks": len(retriever.chunks), "steps": steps, "sizes": _sizes(retriever),
            **traced}


def probe(index_dir: Path, trace: bool = False) -> dict[str, Any]:
    """:func:`rss_by_stage` in a fresh Python process."""
    code = ("import json, sys; from practice_assistant.bench_memory import rss_by_stage; "
            "print(json.dumps(rss_by_stage(sys.argv[1], sys.argv[2] == '1')))")
    done = subprocess.run([sys.executable, "-c", code, str(index_dir), "1" if trace else "0"],
                          capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "HF_HUB_OFFLINE": "1",
                               "TOKENIZERS_PARALLELISM": "false"})
    if done.returncode != 0:
        raise RuntimeError(f"memory probe failed: {done.stderr[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile_asks(settings: Any, questions: list[str], rounds: int, out: Path) -> str:
    """Profile ``rounds`` warm passes of ``ask`` over ``questions``; write and return the text."""
    from pyinstrument import Profiler

    from practice_assistant.app_service import build_assistant

    assistant = build_assistant(settings)
    for question in questions:  # warm: index loaded, caches filled
        assistant.ask(question)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(rounds):
        for question in questions:
            assistant.ask(question)
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text
