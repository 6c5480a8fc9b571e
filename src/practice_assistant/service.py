"""Route and compose: one function per visitor action, shared by the CLI and the chat page."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.embeddings import Embeddings

from practice_assistant.compose import compose
from practice_assistant.followup import carry_topic
from practice_assistant.generate import AnswerStream, LLMAnswerer, build_chat_model
from practice_assistant.models import Answer, Citation
from practice_assistant.retrieval import HybridRetriever, cap_per_article, open_retriever
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, IndexVersion

log = logging.getLogger("practice_assistant")
NO_ANSWER_LEAD = ("I couldn't find one of the practice's articles that covers that, and I'd "
                  "rather not guess. Here are some topics the articles do cover:")
SAFETY_SCAN_CHARS = 20_000  # crisis routing reads far more of a long message than answering does
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
                 store: IndexStore | None = None, safety: Any | None = None,
                 answerer: LLMAnswerer | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.store = store or IndexStore(settings.index_dir, settings.collection,
                                         settings.chroma_url)
        self.safety = safety
        self.answerer = answerer if answerer is not None else _answerer(settings, embeddings)
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
                    loaded = _Loaded(current, open_retriever(
                        self.store, current.version, self.embeddings,
                        mode=self.settings.retriever))
                    self._loaded = loaded
        return loaded.retriever

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """Route a visitor's message and compose the reply; never raises on bad input.

        ``history`` holds the visitor's previous questions, oldest first: a follow-up is made
        standalone from them before retrieval (routing still reads the raw message first).
        """
        return self.ask_stream(question, history).result()

    def ask_stream(self, question: str, history: Sequence[str] = ()) -> AnswerStream:
        """Like `ask`, but the model's text can be read while it is written."""
        return AnswerStream(self._answer(question, history))

    def _answer(self, question: str, history: Sequence[str]) -> Generator[str, None, Answer]:
        started = time.perf_counter()
        text, notice = self._prepare(question, self.settings.max_message_chars)
        scanned, _ = self._prepare(question, SAFETY_SCAN_CHARS)
        if not text:
            return Answer(question=question, route="out_of_scope",
                          answer="Please type a question about relationships, therapy or the "
                                 "practice's services, and I'll look through the articles.",
                          signal="empty", timings_ms={"retrieve": 0.0, "compose": 0.0,
                                                      "total": _ms(started)})
        vector = self.embeddings.embed_query(text)
        decision = None
        if self.safety:
            decision = self.safety.route(scanned, vector if scanned == text else None)
        if decision is not None:
            answer = self._safety_answer(question, decision)
            return replace(answer, notice=notice, timings_ms={
                "retrieve": 0.0, "compose": 0.0, "total": _ms(started)})
        retrieve_started = time.perf_counter()
        retriever = self.retriever()
        query = self._standalone(text, history)
        if query != text:
            vector = self.embeddings.embed_query(query)
        passages = retriever.search(query, k=self.settings.top_k * 4, vector=vector)
        passages = cap_per_article(passages, self.settings.max_chunks_per_article,
                                   self.settings.top_k)
        retrieve_ms = _ms(retrieve_started)
        compose_started = time.perf_counter()
        if not passages or max(p.relevance for p in passages) < self.settings.relevance_floor:
            answer = self._no_answer(question, passages, retriever)
        elif self.answerer is not None:
            drafted = yield from self.answerer.draft(query, passages, started)
            answer = Answer(question=question, route="answer", answer=drafted.answer,
                            citations=self._with_urls(drafted.citations),
                            consultation=self.settings.consultation, notice=drafted.notice,
                            fallback=drafted.fallback, timings_ms=drafted.timings_ms)
        else:
            composed = compose(query, passages)
            answer = Answer(question=question, route="answer", answer=composed.answer,
                            citations=self._with_urls(composed.citations),
                            consultation=self.settings.consultation)
        timings = {**answer.timings_ms, "retrieve": retrieve_ms,
                   "compose": _ms(compose_started), "total": _ms(started)}
        notice = " ".join(n for n in (notice, answer.notice) if n) or None
        log.info("route=%s chars=%d citations=%d total_ms=%.1f", answer.route, len(text),
                 len(answer.citations), timings["total"])
        return replace(answer, notice=notice, timings_ms=timings)

    def _standalone(self, text: str, history: Sequence[str]) -> str:
        if not any(h.strip() for h in history):
            return text
        if self.answerer is not None:
            return self.answerer.rewrite(text, history)
        return carry_topic(text, history)

    def _prepare(self, question: str, limit: int) -> tuple[str, str | None]:
        """Printable text only; answers read the first ``limit`` characters."""
        text = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
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
        for chunk in itertools.chain((p.chunk for p in passages), retriever.chunks):  # lazy
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


def _answerer(settings: Settings, embeddings: Embeddings) -> LLMAnswerer | None:
    """The LLM answerer when ``settings.llm`` names one; None keeps the extractive composer."""
    chat_model = build_chat_model(settings)
    if chat_model is None:
        return None
    from practice_assistant.verify import Verifier

    return LLMAnswerer(chat_model, Verifier(embeddings), settings.llm_timeout_s,
                       settings.practice_name)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
