"""Route and compose: one function per visitor action, shared by the CLI and the chat page."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.embeddings import Embeddings

from practice_assistant.compose import compose
from practice_assistant.models import Answer, Citation
from practice_assistant.retrieval import HybridRetriever, cap_per_article
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, IndexVersion

log = logging.getLogger("practice_assistant")
NO_ANSWER_LEAD = ("I couldn't find one of the practice's articles that covers that, and I'd "
                  "rather not guess. Here are some topics the articles do cover:")
TRUNCATION_NOTICE = "Your message was very long, so only its first {n} characters were read."


class IndexMissingError(Exception):
    """Nothing has been ingested yet into the configured index."""


@dataclass(frozen=True)
class _Loaded:
    version: IndexVersion
    retriever: HybridRetriever


class Assistant:
    """Answers visitors; follows the index marker so a new ingest is served without a restart."""

    def __init__(self, settings: Settings, embeddings: Embeddings,
                 store: IndexStore | None = None, safety: Any | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.store = store or IndexStore(settings.index_dir, settings.collection,
                                         settings.chroma_url)
        self.safety = safety
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    def retriever(self) -> HybridRetriever:
        """The retriever for the serving version, reloaded when the marker moves."""
        current = self.store.current()
        if current is None:
            raise IndexMissingError(
                f"no index at {self.settings.index_dir}: run `python -m ingest` first")
        loaded = self._loaded
        if loaded is None or loaded.version.version != current.version:
            with self._lock:
                loaded = self._loaded
                if loaded is None or loaded.version.version != current.version:
                    collection = self.store.open_collection(current.version)
                    loaded = _Loaded(current, HybridRetriever(
                        collection, self.embeddings, mode=self.settings.retriever))
                    self._loaded = loaded
        return loaded.retriever

    def ask(self, question: str) -> Answer:
        """Route a visitor's message and compose the reply; never raises on bad input."""
        started = time.perf_counter()
        text, notice = self._prepare(question)
        if not text:
            return Answer(question=question, route="out_of_scope",
                          answer="Please type a question about relationships, therapy or the "
                                 "practice's services, and I'll look through the articles.",
                          signal="empty", timings_ms={"retrieve": 0.0, "compose": 0.0,
                                                      "total": _ms(started)})
        vector = self.embeddings.embed_query(text)
        decision = self.safety.route(text, vector) if self.safety else None
        if decision is not None:
            answer = self._safety_answer(question, decision)
            return replace(answer, notice=notice, timings_ms={
                "retrieve": 0.0, "compose": 0.0, "total": _ms(started)})
        retrieve_started = time.perf_counter()
        retriever = self.retriever()
        passages = retriever.search(text, k=self.settings.top_k * 4, vector=vector)
        passages = cap_per_article(passages, self.settings.max_chunks_per_article,
                                   self.settings.top_k)
        retrieve_ms = _ms(retrieve_started)
        compose_started = time.perf_counter()
        if not passages or max(p.relevance for p in passages) < self.settings.relevance_floor:
            answer = self._no_answer(question, passages, retriever)
        else:
            composed = compose(text, passages)
            answer = Answer(question=question, route="answer", answer=composed.answer,
                            citations=self._with_urls(composed.citations),
                            consultation=self.settings.consultation)
        timings = {"retrieve": retrieve_ms, "compose": _ms(compose_started), "total": _ms(started)}
        log.info("route=%s chars=%d citations=%d total_ms=%.1f", answer.route, len(text),
                 len(answer.citations), timings["total"])
        return replace(answer, notice=notice, timings_ms=timings)

    def stream(self, answer: Answer) -> Iterator[str]:
        """Yield the answer in word-sized pieces for `st.write_stream`."""
        for piece in answer.answer.split(" "):
            yield piece + " "

    def _prepare(self, question: str) -> tuple[str, str | None]:
        text = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
        limit = self.settings.max_message_chars
        if len(text) > limit:
            return text[:limit], TRUNCATION_NOTICE.format(n=limit)
        return text, None

    def _safety_answer(self, question: str, decision: Any) -> Answer:
        from practice_assistant import safety

        if decision.route == "crisis":
            return Answer(question=question, route="crisis",
                          answer=safety.crisis_reply(decision, self.settings),
                          resources=tuple(safety.crisis_resources(decision, self.settings)),
                          signal=decision.signal)
        text, consult = safety.out_of_scope_reply(decision, self.settings)
        return Answer(question=question, route="out_of_scope", answer=text,
                      consultation=self.settings.consultation if consult else None,
                      signal=decision.signal)

    def _no_answer(self, question: str, passages: list[Any],
                   retriever: HybridRetriever) -> Answer:
        topics: list[tuple[str, str | None]] = []
        for chunk in [*(p.chunk for p in passages), *retriever.chunks]:
            if all(chunk.title != title for title, _ in topics):
                topics.append((chunk.title, self._url(chunk.url)))
            if len(topics) == 3:
                break
        lines = [NO_ANSWER_LEAD, ""]
        lines += [f"- [{t}]({u})" if u else f"- {t}" for t, u in topics]
        return Answer(question=question, route="no_answer", answer="\n".join(lines))

    def _url(self, url: str | None) -> str | None:
        if url and url.startswith("/"):
            return self.settings.site_url.rstrip("/") + url
        return url

    def _with_urls(self, citations: tuple[Citation, ...]) -> tuple[Citation, ...]:
        return tuple(replace(c, url=self._url(c.url)) for c in citations)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
