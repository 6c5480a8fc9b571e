"""The on-disk embedding cache that training and leave-one-source-out evaluation share."""

from __future__ import annotations

from conftest import BrokenEmbeddings
from practice_assistant.embedding import CachingEmbeddings


class CountingEmbeddings:
    def __init__(self) -> None:
        self.calls = 0

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [[float(len(t)), 1.0] for t in texts]


def test_saved_vectors_are_read_back_without_the_model(tmp_path):
    path = tmp_path / "cache.npz"
    first = CachingEmbeddings(CountingEmbeddings(), path)
    assert first.embed_documents(["a", "bb", "a"]) == [[1.0, 1.0], [2.0, 1.0], [1.0, 1.0]]
    first.save()
    again = CachingEmbeddings(BrokenEmbeddings(), path)
    assert again.embed_documents(["bb", "a"]) == [[2.0, 1.0], [1.0, 1.0]]


def test_two_caches_saving_to_one_path_leave_one_complete_file(tmp_path):
    path = tmp_path / "cache.npz"
    one, two = CachingEmbeddings(CountingEmbeddings(), path), CachingEmbeddings(
        CountingEmbeddings(), path)
    one.embed_documents(["x"])
    two.embed_documents(["x", "yy"])
    one.save()
    two.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.npz"]
    assert CachingEmbeddings(BrokenEmbeddings(), path).embed_documents(["yy"]) == [[2.0, 1.0]]
