"""`refresh_index`: a dry run first, and the model loaded only when something changed.

Real Chroma on disk and the real pipeline; hashed vectors stand in for the model, and a
factory that raises stands in for loading it where it must not be loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from ingest.pipeline import IngestOptions, refresh_index, run_ingest
from practice_assistant.store import IndexStore


class HashedEmbeddings(Embeddings):
    """Eight numbers from a text's hash: ingest needs vectors, not good ones."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[b / 255 for b in hashlib.sha256(t.encode()).digest()[:8]] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class ModelLoadedError(AssertionError):
    """The refresh loaded the model although nothing needed embedding."""


def never_load() -> Embeddings:
    raise ModelLoadedError("the model was loaded")


def counting(calls: list[int]) -> Callable[[], Embeddings]:
    def load() -> Embeddings:
        calls.append(1)
        return HashedEmbeddings()
    return load


@pytest.fixture
def indexed(tmp_path: Path, corpus_copy: Path) -> IndexStore:
    store = IndexStore(tmp_path / "index")
    assert not run_ingest([corpus_copy], store, HashedEmbeddings()).failed
    return store


def test_a_refresh_with_nothing_changed_does_not_load_the_model(indexed, corpus_copy):
    """Nothing changed: no model, no new version, a report that is not a dry run."""
    before = indexed.current()
    report = refresh_index([corpus_copy], indexed, never_load)
    assert not report.dry_run and report.chunks_embedded == 0
    assert len(report.plan.unchanged) == 3 and not report.plan.changes
    assert indexed.current().version == before.version == report.version


def test_an_if_stale_refresh_with_nothing_changed_returns_the_plan(indexed, corpus_copy):
    """`make run`'s ingest: an up-to-date index is left as it is and the plan reported."""
    report = refresh_index([corpus_copy], indexed, never_load, if_stale=True)
    assert report.dry_run and not report.plan.changes


def test_a_dry_run_refresh_never_loads_the_model(indexed, corpus_copy):
    """A change is planned and reported, not embedded."""
    before = indexed.current().version
    (corpus_copy / "setting-healthy-boundaries.md").unlink()
    report = refresh_index([corpus_copy], indexed, never_load, IngestOptions(dry_run=True))
    assert report.dry_run and report.plan.removed == ("setting-healthy-boundaries",)
    assert indexed.current().version == before


def test_a_changed_file_loads_the_model_once_and_is_reingested(indexed, corpus_copy):
    """The plan has a change: the factory is called once and a new version serves it."""
    before = indexed.current().version
    emdr = corpus_copy / "what-is-emdr-therapy.md"
    emdr.write_text(emdr.read_text() + "\nA brand new closing sentence about EMDR.\n")
    calls: list[int] = []
    report = refresh_index([corpus_copy], indexed, counting(calls))
    assert calls == [1] and report.plan.updated == ("what-is-emdr-therapy",)
    assert report.chunks_embedded > 0 and indexed.current().version == report.version != before
