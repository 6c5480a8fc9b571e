"""`bench ingest` on a tiny BEIR folder: the figures it reports are there and consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.ingest import beir_articles, run_bench


def _beir(folder: Path, n: int) -> Path:
    folder.mkdir()
    lines = [json.dumps({"_id": f"Doc #{i}/A", "title": "", "text": f"Document {i}. " + (
        "Talking about worry with a partner can ease it. " * 12)}) for i in range(n)]
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_beir_documents_become_untitled_articles_with_slug_safe_ids(tmp_path: Path):
    articles = beir_articles(_beir(tmp_path / "beir", 3), limit=2)
    assert [a.slug for a in articles] == ["doc-0-a", "doc-1-a"]
    assert articles[0].title == "" and articles[0].body.startswith("Document 0.")


@pytest.mark.slow
def test_bench_reports_rates_memory_and_the_unchanged_reingest(tmp_path: Path, embeddings):
    result = run_bench(dataset=_beir(tmp_path / "beir", 6))
    assert (result.articles, result.chunks) == (6, 6)
    assert result.pipeline_rate > 0 and result.encode_rate > 0
    assert result.ratio == pytest.approx(result.pipeline_rate / result.encode_rate)
    assert 0 < result.reingest_s < result.pipeline_s
    assert result.peak_rss_mb > 100
    assert "pipeline / raw" in result.table() and json.dumps(result.to_json())
