"""`python -m benchmarks ingest`: how close the whole ingest pipeline runs to the model.

It ingests a corpus into a temporary index and, in the same run, times the raw
`SentenceTransformer.encode` on the very texts the pipeline embeds. The ratio of the two rates
shows what loading, chunking, batching, Chroma writes and the version swap cost; the re-ingest
with nothing changed shows what an idempotent run costs.
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.article import slugify
from ingest.chunk import chunk_article
from ingest.load import load_articles
from ingest.pipeline import EMBED_BATCH, IngestOptions, ingest_articles, run_ingest
from ingest.pipeline import embedding_text as text_of
from practice_assistant.embedding import load_embeddings, model_path
from practice_assistant.models import Article
from practice_assistant.store import IndexStore

TARGET_RATIO = 0.85
TARGET_REINGEST_FRACTION = 0.03
ENCODE_BATCH = 32


@dataclass(frozen=True)
class IngestBench:
    """One benchmark run; rates are chunks per second."""

    source: str
    articles: int
    chunks: int
    pipeline_s: float
    pipeline_rate: float
    encode_s: float
    encode_rate: float
    ratio: float
    cpu_ratio: float
    pipeline_cpu_s: float
    encode_cpu_s: float
    reingest_s: float
    reingest_fraction: float
    peak_rss_mb: float
    embed_batch: int
    load_average: tuple[float, float]
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = {key: round(value, 4) if isinstance(value, float) else value
                for key, value in asdict(self).items()}
        data["stage_seconds"] = {k: round(v, 3) for k, v in self.stage_seconds.items()}
        return data

    def table(self) -> str:
        ok = "meets" if self.ratio >= TARGET_RATIO else "MISSES"
        ok_re = "meets" if self.reingest_fraction < TARGET_REINGEST_FRACTION else "MISSES"
        rows = [
            ("source", self.source),
            ("articles / chunks", f"{self.articles} / {self.chunks}"),
            ("pipeline (load→index)",
             f"{self.pipeline_s:.1f} s, {self.pipeline_rate:.1f} chunks/s"),
            ("raw encode, same texts",
             f"{self.encode_s:.1f} s, {self.encode_rate:.1f} chunks/s"),
            ("pipeline / raw", f"{self.ratio:.2f} ({ok} the {TARGET_RATIO} target)"),
            ("same, in CPU seconds", f"{self.cpu_ratio:.2f} ({self.pipeline_cpu_s:.1f} s "
                                     f"pipeline, {self.encode_cpu_s:.1f} s raw)"),
            ("unchanged re-ingest", f"{self.reingest_s:.2f} s = {self.reingest_fraction:.1%} of "
                                    f"the full ingest ({ok_re} the "
                                    f"{TARGET_REINGEST_FRACTION:.0%} target)"),
            ("pipeline stages", ", ".join(f"{k} {v:.1f} s"
                                          for k, v in self.stage_seconds.items())),
            ("peak RSS", f"{self.peak_rss_mb:.0f} MB"),
            ("load average start/end", f"{self.load_average[0]:.2f} / {self.load_average[1]:.2f}"),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def beir_articles(dataset: Path, limit: int | None = None) -> list[Article]:
    """BEIR `corpus.jsonl` documents as articles: slug from the id, empty title, text as body."""
    path = dataset / "corpus.jsonl" if dataset.is_dir() else dataset
    articles: list[Article] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            doc = json.loads(line)
            slug = slugify(str(doc["_id"])) or f"doc-{len(articles)}"
            articles.append(Article(slug=slug, title=doc.get("title") or "", body=doc["text"],
                                    source_path=str(path)))
            if limit is not None and len(articles) >= limit:
                break
    return articles


def run_bench(*, dataset: Path | None = None, corpus: Path | None = None,
              limit: int | None = None) -> IngestBench:
    """Benchmark one source (a BEIR folder or a corpus folder) end to end."""
    if (dataset is None) == (corpus is None):
        raise ValueError("give exactly one of dataset or corpus")
    load_start = os.getloadavg()[0]
    embeddings = load_embeddings()
    from sentence_transformers import SentenceTransformer

    raw = SentenceTransformer(model_path(), device="cpu")
    if dataset is not None:
        articles = beir_articles(dataset, limit)
        source = f"{dataset} (BEIR, {len(articles)} documents)"
    else:
        assert corpus is not None
        articles = list(load_articles([corpus]).articles)
        source = f"{corpus} ({len(articles)} articles)"
    texts = [text_of(c) for a in articles for c in chunk_article(a)]
    raw.encode(texts[:8], batch_size=ENCODE_BATCH)  # warm both models alike
    embeddings.embed_documents(texts[:8])

    def encode(part: list[str]) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        raw.encode(part, batch_size=ENCODE_BATCH, normalize_embeddings=True)
        return time.perf_counter() - wall, time.process_time() - cpu

    # Half the raw encode before the pipeline and half after, so drifting load on a shared
    # machine weighs on both alike; CPU seconds are reported beside wall seconds for that reason.
    half = len(texts) // 2
    before = encode(texts[:half])
    with tempfile.TemporaryDirectory(prefix="pa-bench-") as tmp:
        store = IndexStore(Path(tmp) / "index")

        def ingest() -> Any:
            if corpus is not None:
                return run_ingest([corpus], store, embeddings, IngestOptions(show_bar=False))
            return ingest_articles(articles, store, embeddings, IngestOptions(show_bar=False))

        wall, cpu = time.perf_counter(), time.process_time()
        report = ingest()
        pipeline_s, pipeline_cpu = time.perf_counter() - wall, time.process_time() - cpu
        started = time.perf_counter()
        again = ingest()
        reingest_s = time.perf_counter() - started
    after = encode(texts[half:])
    encode_s, encode_cpu = before[0] + after[0], before[1] + after[1]
    if report.chunks_embedded != len(texts) or again.chunks_embedded:
        raise RuntimeError("the benchmark's ingests did not embed what was expected")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipeline_rate = len(texts) / pipeline_s
    encode_rate = len(texts) / encode_s
    return IngestBench(source=source, articles=len(articles), chunks=len(texts),
                       pipeline_s=pipeline_s, pipeline_rate=pipeline_rate, encode_s=encode_s,
                       encode_rate=encode_rate, ratio=pipeline_rate / encode_rate,
                       cpu_ratio=encode_cpu / pipeline_cpu, pipeline_cpu_s=pipeline_cpu,
                       encode_cpu_s=encode_cpu, reingest_s=reingest_s,
                       reingest_fraction=reingest_s / pipeline_s, peak_rss_mb=peak_mb,
                       embed_batch=EMBED_BATCH, load_average=(load_start, os.getloadavg()[0]),
                       stage_seconds=dict(report.stage_seconds))


def format_results(results: Sequence[IngestBench]) -> str:
    return "\n\n".join(r.table() for r in results)
