"""The `bench query` and `bench load` runs: build or reuse the indexes, measure, collect JSON.

Indexes live under ``bench_dir`` (default ``var/bench``) and are reused by later runs:
``source`` (practice + CounselChat + MedQuAD, ingested with the real pipeline), ``practice``
(the practice corpus alone), ``size-1k``/``size-10k``/``size-100k`` (see
:mod:`benchmarks.corpus`); ``ingest-ours`` and ``ingest-recipe`` are rebuilt by
every ingest comparison.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.cold import app_env, browser_cold_start, cli_cold_start
from benchmarks.corpus import ensure_size_index, read_base, size_label, source_articles
from benchmarks.load import (
    browser_load,
    comparable,
    concurrent_asks,
    expected_answers,
    pick_questions,
    service_questions,
    visitor_plan,
)
from benchmarks.memory import compare_loads, profile_asks
from benchmarks.query import Summary, bench_settings, bench_sizes, ensure_practice_index
from benchmarks.recipe import (
    RECIPE_CHUNK_SIZE,
    RECIPE_OVERLAP,
    ingest_comparison,
    ndcg_comparison,
    query_comparison,
    recipe_embeddings,
)
from benchmarks.report import all_targets
from ingest.chunk import chunk_article
from ingest.load import load_articles
from ingest.pipeline import IngestOptions, embedding_text, ingest_articles
from practice_assistant.app_service import build_assistant
from practice_assistant.embedding import load_embeddings
from practice_assistant.evaluation.retrieval import load_golden
from practice_assistant.service import NO_ANSWER_LEAD
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore

Progress = Callable[[str], None]
COLD_QUESTION = "why won't my partner go to couples therapy"
DEFAULT_SIZES: tuple[int | str, ...] = ("practice", 1000, 10000, 100000)


@dataclass(frozen=True)
class BenchOptions:
    """Where things are and what to run; the CLI fills it from its arguments."""

    bench_dir: Path = Path("var/bench")
    data_dir: Path = Path("../shared/data")
    golden: Path = Path("eval/golden.jsonl")
    app_root: Path = Path(".")
    sizes: tuple[int | str, ...] = DEFAULT_SIZES
    rounds: int = 3
    recipe: bool = True
    cold: bool = True
    contexts: int = 20
    threads: int = 50
    memory: bool = False
    profile: str | None = None


def _machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "when": datetime.now(UTC).isoformat(timespec="seconds")}


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _write(bench_dir: Path, name: str, result: dict[str, Any]) -> Path:
    path = bench_dir / name
    path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return path


def run_query_bench(options: BenchOptions, settings: Settings,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Ingest comparison, warm latency per size, recipe comparison and cold starts."""
    say = progress or (lambda _m: None)
    bench_dir = options.bench_dir.resolve()
    bench_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"machine": _machine(), "load_at_start": _load()}
    started = time.perf_counter()
    embeddings = load_embeddings()
    embeddings.embed_query("warm up")
    result["model_load_s"] = round(time.perf_counter() - started, 2)
    golden = load_golden(options.golden)
    corpus_dir = Path(settings.corpus_dir)
    articles = source_articles(corpus_dir, options.data_dir)
    practice_slugs = {a.slug for a in load_articles([corpus_dir]).articles}
    source = IndexStore(bench_dir / "source", collection="practice")
    recipe_store = None
    if options.recipe:
        fresh = source.current() is None
        ours_dir = source.root if fresh else bench_dir / "ingest-ours"
        shutil.rmtree(ours_dir, ignore_errors=True)
        comparison = ingest_comparison(articles, ours_dir, bench_dir / "ingest-recipe",
                                       embeddings, recipe_embeddings(), say)
        result["ingest"] = {"runs": comparison["runs"], "source_built": fresh,
                            "words": _words_embedded(articles), "load": _load()}
        recipe_store = comparison["recipe"]
        _write(bench_dir, "query-results.json", result)
    else:
        say("source index (incremental ingest)")
        ingest_articles(articles, source, embeddings, IngestOptions(show_bar=False))
    base = read_base(source, practice_slugs)
    index_dirs: dict[str, Path] = {}
    built_s: dict[str, float | None] = {}
    for size in options.sizes:
        label = "practice" if size == "practice" else size_label(int(size))
        started = time.perf_counter()
        if size == "practice":
            store, built = ensure_practice_index(bench_dir, corpus_dir, embeddings), False
        else:
            say(f"{label}: building or reusing the index")
            store, built = ensure_size_index(bench_dir, base, int(size))
        built_s[label] = round(time.perf_counter() - started, 1) if built else None
        index_dirs[label] = store.root
    sizes = bench_sizes({label: bench_settings(settings, root, bench_dir)
                         for label, root in index_dirs.items()}, golden, options.rounds,
                        built_s, say)
    result["sizes"] = {label: s.to_json() for label, s in sizes.items()}
    _write(bench_dir, "query-results.json", result)
    if recipe_store is not None:
        say("recipe: query latency and nDCG@10")
        assistant = build_assistant(bench_settings(settings, source.root, bench_dir))
        latency = query_comparison(assistant, recipe_store, [g.question for g in golden],
                                   options.rounds)
        result["recipe"] = {
            "latency": {k: Summary.of(v).__dict__ for k, v in latency.items()},
            "ndcg": ndcg_comparison(assistant.retriever(), recipe_store, options.data_dir),
            "chunks": {"ours": len(assistant.retriever().chunks),
                       "recipe": result["ingest"]["runs"]["recipe full"]["chunks"]}}
        _write(bench_dir, "query-results.json", result)
    if options.cold:
        result["cold"] = cold_starts(options, settings, index_dirs, bench_dir, say,
                                     lambda cold: _write(bench_dir, "query-results.json",
                                                         {**result, "cold": cold}))
    if options.memory and index_dirs:
        label = list(index_dirs)[-1]
        say(f"memory by loading step: {label}, retriever rebuilt and loaded as saved")
        result["memory"] = {"corpus": label, **compare_loads(index_dirs[label])}
    if options.profile:
        if options.profile not in index_dirs:
            raise ValueError(f"--profile {options.profile}: not one of {', '.join(index_dirs)}")
        say(f"pyinstrument profile: {options.profile}")
        out = bench_dir / f"profile-{options.profile}.txt"
        profile_asks(bench_settings(settings, index_dirs[options.profile], bench_dir),
                     [g.question for g in golden], options.rounds, out)
        result["profile_file"] = str(out)

    result["targets"] = all_targets(result)
    result["load_at_end"] = _load()
    result["results_file"] = str(_write(bench_dir, "query-results.json", result))
    return result


def _words_embedded(articles: list[Any]) -> dict[str, int]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter


    ours = sum(len(embedding_text(c).split()) for a in articles for c in chunk_article(a))
    splitter = RecursiveCharacterTextSplitter(chunk_size=RECIPE_CHUNK_SIZE,
                                              chunk_overlap=RECIPE_OVERLAP)
    recipe = sum(len(t.split()) for a in articles for t in splitter.split_text(a.body))
    return {"ours": ours, "recipe": recipe}


def cold_starts(options: BenchOptions, settings: Settings, index_dirs: dict[str, Path],
                bench_dir: Path, say: Progress,
                checkpoint: Callable[[dict[str, Any]], Any] | None = None) -> dict[str, Any]:
    """CLI and app cold start, and the app's peak RSS, for each bench index."""
    out: dict[str, Any] = {}
    for label, index_dir in index_dirs.items():
        work = bench_dir / "cold" / label
        work.mkdir(parents=True, exist_ok=True)
        say(f"cold start: {label} (CLI)")
        cli = cli_cold_start(index_dir, COLD_QUESTION, work)
        say(f"cold start: {label} (app in Chromium)")
        app = browser_cold_start(options.app_root.resolve(), index_dir, COLD_QUESTION, work,
                                 settings.consultation_text, NO_ANSWER_LEAD)
        out[label] = {"cli": cli, "app": app, "load": _load()}
        if checkpoint:
            checkpoint(out)
    return out


def run_load_bench(options: BenchOptions, settings: Settings,
                   progress: Progress | None = None) -> dict[str, Any]:
    """Simultaneous visitors in Chromium, then simultaneous `Assistant.ask` calls in threads."""
    say = progress or (lambda _m: None)
    bench_dir = options.bench_dir.resolve()
    bench_dir.mkdir(parents=True, exist_ok=True)
    embeddings = load_embeddings()
    store = ensure_practice_index(bench_dir, Path(settings.corpus_dir), embeddings)
    local = bench_settings(settings, store.root, bench_dir)
    golden = load_golden(options.golden)
    say("expected answers (sequential)")
    sequential = build_assistant(local)
    expected = {g.question: sequential.ask(g.question) for g in golden}
    result: dict[str, Any] = {"machine": _machine(), "load_at_start": _load()}
    if options.contexts:
        questions = pick_questions(golden, expected, options.contexts)
        plan = visitor_plan(questions, options.contexts, options.rounds)
        say(f"browser: {options.contexts} visitors x {options.rounds} rounds")
        browser = browser_load(options.app_root.resolve(),
                               app_env(store.root, bench_dir / "load-feedback.jsonl"),
                               bench_dir / "load-streamlit.log", plan,
                               expected_answers(sequential, plan),
                               (settings.consultation_text, NO_ANSWER_LEAD))
        browser["summary"] = Summary.of(browser["latencies_ms"]).__dict__
        browser["solo_summary"] = Summary.of(browser["solo_latencies_ms"]).__dict__
        browser["questions"] = questions
        result["browser"] = browser
    if options.threads:
        calls = service_questions(golden, options.threads)
        say(f"service: {len(calls)} simultaneous Assistant.ask calls")
        fresh = build_assistant(local)  # its index is loaded by the first of the threads
        service = concurrent_asks(fresh, calls, [comparable(expected[q]) for q in calls])
        service["summary"] = Summary.of(service["latencies_ms"]).__dict__
        result["service"] = service
    result["load_at_end"] = _load()
    result["results_file"] = str(_write(bench_dir, "load-results.json", result))
    return result
