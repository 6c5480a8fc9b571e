"""Where a serving process's memory and time go.

Memory: RSS after each loading step, in a fresh process.
Run through :func:`probe` (a subprocess, so nothing else is in memory). Steps follow what the
app does: imports, model, safety router, opening the index, loading the retriever for the
serving version, the first search (Chroma loads the HNSW index). The retriever is loaded one of
two ways (:data:`HOWS`), each in its own process, so one bench run shows both side by side:
``saved`` is what the app does (:func:`open_retriever`: the BM25 index and chunk table saved at
ingest, memory-mapped), ``rebuilt`` is what it did before they were saved (every chunk read from
Chroma, tokenised and indexed in memory; still the fallback for a version written without them).
With ``trace=True`` the retriever load also runs under ``tracemalloc``: its Python-side peak and
the source lines holding the most memory afterwards (slower, and tracing costs memory, so the
timings of a traced probe are not comparable).

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

from benchmarks.harness import peak_rss_mb, rss_mb
from practice_assistant.app_service import build_assistant
from practice_assistant.embedding import load_embeddings
from practice_assistant.retrieval.hybrid import HybridRetriever, open_retriever
from practice_assistant.retrieval.lexical import ChunkList
from practice_assistant.settings import Settings

PROBE_QUESTION = "why won't my partner go to couples therapy"
HOWS = ("rebuilt", "saved")
RETRIEVER_STEP = {"rebuilt": "retriever built (chunk texts + BM25)",
                  "saved": "retriever loaded (saved BM25 + chunk table)"}


def _mib(nbytes: float) -> float:
    return round(nbytes / 2**20, 1)


def _sizes(retriever: Any) -> dict[str, float]:
    """Rough sizes (MiB) of what the retriever keeps: in memory, or mapped from its files."""
    vocab = retriever.bm25.vocab_dict or {}
    sizes = {"bm25_vocabulary": _mib(sys.getsizeof(vocab) +
                                     sum(sys.getsizeof(k) for k in vocab))}
    scores = getattr(retriever.bm25, "scores", {}) or {}
    matrix = sum(getattr(v, "nbytes", 0) for v in scores.values())
    if isinstance(retriever.chunks, ChunkList):
        chunks = list(retriever.chunks)
        sizes["chunk_texts"] = _mib(sum(sys.getsizeof(c.text) for c in chunks))
        sizes["chunk_objects"] = _mib(sum(sys.getsizeof(c) + sys.getsizeof(c.id) +
                                          sys.getsizeof(c.slug) + sys.getsizeof(c.title)
                                          for c in chunks))
        sizes["bm25_matrix"] = _mib(matrix)
    else:  # memory-mapped: on disk, resident only as far as searches touch it
        sizes["bm25_matrix_mapped"] = _mib(matrix)
        folder = Path(retriever.chunks.folder)
        sizes["chunk_table_mapped"] = _mib(sum(p.stat().st_size for p in folder.glob("chunks.*")))
    return sizes


def rss_by_stage(index_dir: str, how: str = "saved", trace: bool = False) -> dict[str, Any]:
    """Load like the app does in this process, noting RSS and peak RSS after each step."""
    if how not in HOWS:
        raise ValueError(f"how must be one of {', '.join(HOWS)}")
    pid = os.getpid()
    steps: list[dict[str, Any]] = []
    started = time.perf_counter()

    def mark(step: str) -> None:
        steps.append({"step": step, "rss_mb": rss_mb(pid), "peak_mb": peak_rss_mb(pid),
                      "s": round(time.perf_counter() - started, 1)})

    mark("python started")

    mark("imports")
    embeddings = load_embeddings()
    embeddings.embed_query("warm up")
    mark("model loaded")
    settings = Settings(_env_file=None, index_dir=Path(index_dir), collection="practice")
    assistant = build_assistant(settings)
    mark("safety router built")
    store = assistant.store
    current = store.current()
    assert current is not None, f"no index at {index_dir}"
    collection = store.open_collection(current.version)
    mark("collection opened")
    traced: dict[str, Any] = {}
    if trace:
        import tracemalloc

        tracemalloc.start()
    loading = time.perf_counter()
    if how == "saved":
        retriever = open_retriever(store, current.version, embeddings, mode=settings.retriever)
    else:
        retriever = HybridRetriever(collection, embeddings, mode=settings.retriever)
    load_s = time.perf_counter() - loading
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        top = tracemalloc.take_snapshot().statistics("lineno")[:8]
        tracemalloc.stop()
        traced = {"python_peak_mb": _mib(peak),
                  "held_by_line": [{"where": str(s.traceback[0]), "mb": _mib(s.size)}
                                   for s in top]}
    mark(RETRIEVER_STEP[how])
    searching = time.perf_counter()
    retriever.search(PROBE_QUESTION, k=20)
    search_s = time.perf_counter() - searching
    mark("first search (HNSW loaded)")
    return {"how": how, "saved": retriever.lexical.saved, "chunks": len(retriever.chunks),
            "load_s": round(load_s, 2), "first_search_s": round(search_s, 2), "steps": steps,
            "sizes": _sizes(retriever), **traced}


def probe(index_dir: Path, how: str = "saved", trace: bool = False) -> dict[str, Any]:
    """:func:`rss_by_stage` in a fresh Python process."""
    code = ("import json, sys; from benchmarks.memory import rss_by_stage; "
            "print(json.dumps(rss_by_stage(sys.argv[1], sys.argv[2], sys.argv[3] == '1')))")
    done = subprocess.run([sys.executable, "-c", code, str(index_dir), how,
                           "1" if trace else "0"],
                          capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "HF_HUB_OFFLINE": "1",
                               "TOKENIZERS_PARALLELISM": "false"})
    if done.returncode != 0:
        raise RuntimeError(f"memory probe failed: {done.stderr[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare_loads(index_dir: Path) -> dict[str, Any]:
    """Both ways of loading the retriever, each in a fresh process, one after the other."""
    return {how: probe(index_dir, how) for how in HOWS}


def profile_asks(settings: Any, questions: list[str], rounds: int, out: Path) -> str:
    """Profile ``rounds`` warm passes of ``ask`` over ``questions``; write and return the text."""
    from pyinstrument import Profiler


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
