"""The ingest command and pipeline on a real model and a real Chroma index on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_SLUG
from ingest.pipeline import IngestOptions, refresh_index, run_ingest
from practice_assistant.retrieval.hybrid import open_retriever
from practice_assistant.store import IndexStore, indexed_articles

pytestmark = pytest.mark.slow


def test_invalid_front_matter_is_named_and_the_rest_ingested(tmp_path, corpus_copy, cli_env):
    bad = corpus_copy / "broken.md"
    bad.write_text("---\ntitle: [oops\n---\n\nSome body text that never loads.\n")
    env = {**cli_env, "PA_INDEX_DIR": str(tmp_path / "index")}
    done = subprocess.run([sys.executable, "-m", "ingest", str(corpus_copy), "--json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1
    assert f"skipped {bad}: front matter is not valid YAML" in done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["added"] == 3 and report["failed"][0]["path"] == str(bad)
    assert "ingested 3 articles" in done.stdout


def test_unchanged_reingest_embeds_nothing_and_keeps_the_version(tmp_path, corpus_copy,
                                                                 embeddings):
    store = IndexStore(tmp_path / "index")
    first = run_ingest([corpus_copy], store, embeddings)
    again = run_ingest([corpus_copy], store, embeddings)
    assert first.chunks_embedded > 0
    assert again.chunks_embedded == 0 and len(again.plan.unchanged) == 3
    assert store.current().version == first.version


def test_changed_article_is_reembedded_and_removed_one_deleted(tmp_path, corpus_copy,
                                                               embeddings):
    store = IndexStore(tmp_path / "index")
    run_ingest([corpus_copy], store, embeddings)
    emdr = corpus_copy / "what-is-emdr-therapy.md"
    emdr.write_text(emdr.read_text() + "\nA brand new closing sentence about EMDR.\n")
    (corpus_copy / "setting-healthy-boundaries.md").unlink()
    report = run_ingest([corpus_copy], store, embeddings)
    assert report.plan.updated == ("what-is-emdr-therapy",)
    assert report.plan.removed == ("setting-healthy-boundaries",)
    assert report.plan.unchanged == (SEED_SLUG,)
    held = indexed_articles(store.open_collection(store.current().version))
    assert set(held) == {SEED_SLUG, "what-is-emdr-therapy"}


def test_refresh_reingests_a_changed_file_with_the_real_model(tmp_path, corpus_copy,
                                                            embeddings):
    """The shared refresh: the model is asked for once, and the new sentence is searchable."""
    store = IndexStore(tmp_path / "index")
    run_ingest([corpus_copy], store, embeddings)
    emdr = corpus_copy / "what-is-emdr-therapy.md"
    emdr.write_text(emdr.read_text() + "\nEvery client gets a weighted blanket shaped like a "
                    "tortoise.\n")
    loads: list[int] = []
    report = refresh_index([corpus_copy], store, lambda: loads.append(1) or embeddings)
    assert loads == [1] and report.plan.updated == ("what-is-emdr-therapy",)
    assert report.chunks_embedded > 0 and store.current().version == report.version
    top = open_retriever(store, report.version, embeddings).search("weighted blanket tortoise",
                                                                    k=3)[0]
    assert top.chunk.slug == "what-is-emdr-therapy" and "tortoise" in top.chunk.text


def test_dry_run_changes_nothing(tmp_path: Path, corpus_copy, embeddings):
    store = IndexStore(tmp_path / "index")
    report = run_ingest([corpus_copy], store, embeddings, IngestOptions(dry_run=True))
    assert len(report.plan.added) == 3 and store.current() is None


def test_failed_file_keeps_its_previous_version_served(tmp_path, corpus_copy, embeddings):
    store = IndexStore(tmp_path / "index")
    run_ingest([corpus_copy], store, embeddings)
    (corpus_copy / "what-is-emdr-therapy.md").write_bytes(b"\xff\xfe broken")
    report = run_ingest([corpus_copy], store, embeddings)
    assert report.failed and report.plan.removed == ()
    held = indexed_articles(store.open_collection(store.current().version))
    assert "what-is-emdr-therapy" in held


def test_previous_version_survives_a_new_ingest_for_readers_still_holding_it(
        tmp_path, corpus_copy, embeddings):
    import os

    store = IndexStore(tmp_path / "index")
    versions = tmp_path / "index" / "versions"
    emdr = corpus_copy / "what-is-emdr-therapy.md"
    made = []
    for n in range(3):
        for folder in versions.glob("*"):
            os.utime(folder, (0, 0))  # old enough that only being kept protects it
        emdr.write_text(emdr.read_text() + f"\nClosing sentence number {n} about EMDR.\n")
        made.append(run_ingest([corpus_copy], store, embeddings).version)
    assert store.open_collection(made[1]).count() > 0
    assert sorted(p.name for p in versions.iterdir()) == sorted(made[1:])
