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
        self._facts = len(collection.get(where=_FACTS, include=[])["ids"])

    def count(self) -> int:
        return int(self.collection.count()) - self._facts

    def get(self, ids: list[str] | None = None, **kwargs: Any) -> Any:
        if ids is not None:
            return self.collection.get(ids=ids, **kwargs)
        if not self._facts:  # nothing to leave out: the collection's own reads, unfiltered
            return self.collection.get(**kwargs)
        return self.collection.get(where=_both(kwargs.pop("where", None)), **kwargs)

    def query(self, **kwargs: Any) -> Any:
        if not self._facts:
            return self.collection.query(**kwargs)
        return self.collection.query(where=_both(kwargs.pop("where", None)), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.collection, name)


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
