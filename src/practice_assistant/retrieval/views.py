"""Two views of one serving index version: the articles that retrieval searches, and the facts.

The practice's facts are ingested into the same versioned collection as the articles (slug
``practice-facts``), so they are hashed, versioned and swapped with everything else. Article
retrieval must never see them (they are quoted only on the ``practice_info`` route), so the
retriever is handed :class:`ArticleView`, which filters them out of every read.
"""

from __future__ import annotations

from typing import Any

from practice_assistant.models import Chunk
from practice_assistant.practice.facts import FACTS_SLUG, PracticeFacts, facts_from_chunks
from practice_assistant.retrieval.lexical import chunk_from_record

_NOT_FACTS: dict[str, Any] = {"slug": {"$ne": FACTS_SLUG}}
_FACTS: dict[str, Any] = {"slug": FACTS_SLUG}


class ArticleView:
    """A Chroma collection with the facts chunks left out of ``count``, ``get`` and ``query``."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        self._fact_ids = frozenset(collection.get(where=_FACTS, include=[])["ids"])

    def count(self) -> int:
        return int(self.collection.count()) - len(self._fact_ids)

    def get(self, ids: list[str] | None = None, **kwargs: Any) -> Any:
        if ids is not None:
            return self.collection.get(ids=ids, **kwargs)
        if not self._fact_ids:  # nothing to leave out: the collection's own reads, unfiltered
            return self.collection.get(**kwargs)
        return self.collection.get(where=_both(kwargs.pop("where", None)), **kwargs)

    def query(self, *, n_results: int = 10, **kwargs: Any) -> Any:
        """The nearest ``n_results`` article chunks. Asked unfiltered for as many more as there
        are facts chunks, which are then dropped: the same hits, whereas a ``where`` filter
        made Chroma hold about 155 MiB more at 100k chunks (docs/performance.md, run 7)."""
        if "where" in kwargs or not self._fact_ids:
            where = kwargs.pop("where", None)
            if self._fact_ids:
                where = _both(where)
            if where:
                kwargs["where"] = where
            return self.collection.query(n_results=n_results, **kwargs)
        found = self.collection.query(n_results=n_results + len(self._fact_ids), **kwargs)
        keep = [[cid not in self._fact_ids for cid in ids] for ids in found["ids"]]
        return {key: _kept(value, keep, n_results) if key in _PER_HIT else value
                for key, value in found.items()}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.collection, name)


#: the fields of a query result that hold one list per query, one entry per hit
_PER_HIT = ("ids", "distances", "documents", "metadatas", "embeddings", "uris", "data")


def _kept(value: Any, keep: list[list[bool]], n: int) -> Any:
    if value is None:
        return None
    return [[hit for hit, kept in zip(hits, mask, strict=True) if kept][:n]
            for hits, mask in zip(value, keep, strict=True)]


def _both(where: dict[str, Any] | None) -> dict[str, Any]:
    return _NOT_FACTS if not where else {"$and": [_NOT_FACTS, where]}


def read_facts(collection: Any, site_url: str | None = None) -> PracticeFacts:
    """The facts a version holds; all empty when it holds none (no facts file ingested).
    Site-relative URLs are joined on ``site_url`` (see `Chunk.at_site`)."""
    found = collection.get(where=_FACTS, include=["documents", "metadatas"])
    chunks: list[Chunk] = [chunk_from_record(cid, text or "", meta).at_site(site_url)
                           for cid, text, meta in zip(found["ids"], found["documents"],
                                                      found["metadatas"], strict=True)]
    return facts_from_chunks(chunks)
