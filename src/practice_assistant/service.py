"""Route and compose: one function per visitor action, shared by the CLI and the chat page."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.embeddings import Embeddings

from practice_assistant.answering.addressing import (
    AddressCheck,
    Addressing,
    ArticleTerms,
    article_terms,
)
from practice_assistant.answering.answerable import AnswerModel, load_default_model
from practice_assistant.answering.compose import Composed, compose
from practice_assistant.answering.followup import carry_topic
from practice_assistant.answering.generate import LLMAnswerer
from practice_assistant.limits_policy import RATE_LIMITED_REPLY, QuestionLimiter, Visitor
from practice_assistant.models import Answer, Passage, RouteDecision
from practice_assistant.practice.facts import PracticeFacts
from practice_assistant.practice.info import practice_reply
from practice_assistant.practice.route import PracticeDetector
from practice_assistant.retrieval.hybrid import (
    HybridRetriever,
    StageHook,
    cap_per_article,
    open_retriever,
    timed,
)
from practice_assistant.retrieval.views import read_facts
from practice_assistant.safety.router import (
    SafetyRouter,
    crisis_reply,
    crisis_resources,
    out_of_scope_reply,
)
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, IndexVersion

log = logging.getLogger("practice_assistant")
UNAVAILABLE = ("Sorry, something went wrong on my side and I can't look through the articles "
               "right now. Please try again in a little while.")
NO_ANSWER_LEAD = ("I couldn't find one of the practice's articles that covers that, and I'd "
                  "rather not guess. Here are some topics the articles do cover:")
SAFETY_SCAN_CHARS = 20_000  # crisis routing reads far more of a long message than answering does
TRUNCATION_NOTICE = "Your message was very long, so only its first {n} characters were read."
RetrieverOpener = Callable[..., HybridRetriever]
Composer = Callable[[str, Sequence[Passage]], Composed]


class IndexMissingError(Exception):
    """Nothing has been ingested yet into the configured index."""


@dataclass(frozen=True)
class _Loaded:
    """What one index version serves: article retrieval, the facts, the addressing check."""

    version: IndexVersion
    retriever: HybridRetriever
    facts: PracticeFacts
    extras: tuple[tuple[str, list[float]], ...]
    addressing: AddressCheck


class AnswerStream:
    """Text pieces as they come (for `st.write_stream`), then the final verified Answer.

    Iterate it to the end, then call `result()`. In extractive mode, and for routed replies,
    nothing streams from a model: the finished answer is yielded word by word instead (crisis
    replies yield nothing; the page draws them differently).
    """

    def __init__(self, steps: Generator[str, None, Answer]) -> None:
        self._steps = steps
        self._answer: Answer | None = None
        self.streamed = False

    def __iter__(self) -> Iterator[str]:
        if self._answer is None:
            try:
                while True:
                    piece = next(self._steps)
                    self.streamed = True
                    yield piece
            except StopIteration as stop:
                self._answer = stop.value
        if not self.streamed and self._answer.route != "crisis":
            for word in self._answer.answer.split(" "):
                yield word + " "

    def result(self) -> Answer:
        """The final answer; drains the stream first if nobody iterated it."""
        if self._answer is None:
            for _ in self:
                pass
        assert self._answer is not None
        return self._answer


class Assistant:
    """Answers visitors; follows the index marker so a new ingest is served without a restart."""

    def __init__(self, settings: Settings, embeddings: Embeddings, safety: SafetyRouter,
                 store: IndexStore, answerer: LLMAnswerer | None = None,
                 limiter: QuestionLimiter | None = None,
                 practice: PracticeDetector | None = None, *,
                 open_index: RetrieverOpener = open_retriever, composer: Composer = compose,
                 on_stage: StageHook | None = None,
                 answerable: AnswerModel | bool | None = True) -> None:
        """``open_index(store, version, embeddings, site_url=..., mode=...)`` gives each
        version's retriever, its chunks' URLs joined on the site's;
        ``composer`` writes the extractive answer; ``on_stage`` is told each stage's name and
        milliseconds (embed, safety, retrieve, compose, and the retriever's own), for timing;
        ``answerable`` is the answerability model the addressing check reads after its rules
        (True: the shipped one; None: none, which only its training uses)."""
        if not isinstance(safety, SafetyRouter):
            raise TypeError("an Assistant needs a SafetyRouter: crisis routing cannot be left out")
        self.settings = settings
        self.embeddings = embeddings
        self.store = store
        self.safety = safety
        self.answerer = answerer
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        self.limiter = limiter  # rate limit (issue 11): None = unlimited (CLI, evaluation)
        # practical questions (issue 12): the shipped topic examples unless given others
        self.practice = practice if practice is not None else PracticeDetector()
        self.open_index = open_index
        self.composer = composer
        self.on_stage = on_stage
        self.answerable = load_default_model() if answerable is True else answerable or None

    def retriever(self) -> HybridRetriever:
        """The retriever for the serving version, reloaded when the marker moves."""
        return self._version().retriever

    def facts(self) -> PracticeFacts:
        """The practice's facts in the serving version (all empty when none were ingested)."""
        return self._version().facts

    def _version(self) -> _Loaded:
        current = self.store.current()
        if current is None:
            raise IndexMissingError(
                f"no index at {self.settings.index_dir}: run `python -m ingest` first")
        loaded = self._loaded
        if loaded is None or loaded.version.version != current.version:
            with self._lock:
                loaded = self._loaded
                if loaded is None or loaded.version.version != current.version:
                    loaded = self._load(current)
                    self._loaded = loaded
        return loaded

    def _load(self, current: IndexVersion) -> _Loaded:
        # The articles through the BM25 index saved at ingest; the facts from the same version.
        hook = {"on_stage": self.on_stage} if self.on_stage is not None else {}
        site = self.settings.site_url
        retriever = self.open_index(self.store, current.version, self.embeddings,
                                    mode=self.settings.retriever, site_url=site, **hook)
        facts = read_facts(self.store.open_collection(current.version), site)
        questions = [item.question for item in facts.extra]
        vectors = self.embeddings.embed_documents(questions) if questions else []
        terms = ArticleTerms.load(self.store.version_files(current.version))
        if terms is None:
            log.warning("index version %s has no saved article term counts (written before "
                        "ingest saved them): counting its chunks; run `python -m ingest` once "
                        "to save them", current.version)
            terms = article_terms(retriever.chunks)
        return _Loaded(current, retriever, facts,
                       tuple(zip(questions, (list(v) for v in vectors), strict=True)),
                       AddressCheck(self.embeddings, terms, model=self.answerable))

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """Route a visitor's message and compose the reply; never raises on bad input.

        ``history`` holds the visitor's previous questions, oldest first: a follow-up is made
        standalone from them before retrieval (routing still reads the raw message first).
        """
        return self.ask_stream(question, history).result()

    def ask_stream(self, question: str, history: Sequence[str] = (),
                   visitor: Visitor | None = None) -> AnswerStream:
        """Like `ask`, but the model's text can be read while it is written.

        ``visitor`` identifies the asker for the rate limit (the chat page passes it).
        """
        return AnswerStream(self._answer(question, history, visitor))

    def _answer(self, question: str, history: Sequence[str],
                visitor: Visitor | None = None) -> Generator[str, None, Answer]:
        started = time.perf_counter()
        text, notice = self._prepare(question, self.settings.max_message_chars)
        scanned, _ = self._prepare(question, SAFETY_SCAN_CHARS)
        if not text:
            return Answer(question=question, route="out_of_scope",
                          answer="Please type a question about relationships, therapy or the "
                                 "practice's services, and I'll look through the articles.",
                          signal="empty", timings_ms={"retrieve": 0.0, "compose": 0.0,
                                                      "total": _ms(started)})
        # The rules need no model: a crisis message gets its reply even if everything else fails.
        decision = timed(self.on_stage, "safety", self.safety.rules, scanned)
        if decision is None:
            try:
                vector = timed(self.on_stage, "embed", self.embeddings.embed_query, text)
            except Exception:
                log.exception("embedding failed; the message was not answered")
                return self._unavailable(question, started)
            decision = timed(self.on_stage, "safety", self.safety.after_rules, scanned,
                             vector if scanned == text else None)
        # Rate limit only once safety routing has decided this is not a crisis, so a crisis
        # message is never limited out of its crisis reply.
        crisis = decision is not None and decision.route == "crisis"
        if self.limiter is not None and visitor is not None and not crisis \
                and not self.limiter.allow(visitor):
            return Answer(question=question, route="rate_limited", answer=RATE_LIMITED_REPLY,
                          signal="rate_limited", timings_ms={"total": _ms(started)})
        if decision is not None:
            answer = self._safety_answer(question, decision)
            return replace(answer, notice=notice, timings_ms={
                "retrieve": 0.0, "compose": 0.0, "total": _ms(started)})
        try:
            # A follow-up is made standalone first, so "can I do it over video?" after an EMDR
            # question is read as being about EMDR, and "how much is it?" still as fees.
            query = self._standalone(text, history)
            if query != text:
                vector = timed(self.on_stage, "embed", self.embeddings.embed_query, query)
            practical = self._practice_info(question, query, vector)
            if practical is not None:
                log.info("route=practice_info chars=%d total_ms=%.1f", len(text), _ms(started))
                return replace(practical, notice=notice, timings_ms={
                    "retrieve": 0.0, "compose": 0.0, "total": _ms(started)})
            answer = yield from self._grounded(question, text, query, vector, started)
        except IndexMissingError:
            raise
        except Exception:
            log.exception("retrieval or composing failed; the message was not answered")
            return self._unavailable(question, started)
        notice = " ".join(n for n in (notice, answer.notice) if n) or None
        return replace(answer, notice=notice)

    def _practice_info(self, question: str, text: str, vector: list[float]) -> Answer | None:
        """A practical question about the practice, answered from the facts file only."""
        loaded = self._version()
        match = self.practice.detect(text, vector, loaded.extras)
        if match is None:
            return None
        return practice_reply(question, match, loaded.facts, self.settings)

    def _grounded(self, question: str, text: str, query: str, vector: list[float],
                  started: float) -> Generator[str, None, Answer]:
        """Retrieve and compose: the answer made only from the practice's articles."""
        retrieve_started = time.perf_counter()
        loaded = self._version()
        retriever = loaded.retriever
        passages = retriever.search(query, k=self.settings.top_k * 4, vector=vector)
        passages = cap_per_article(passages, self.settings.max_chunks_per_article,
                                   self.settings.top_k)
        retrieve_ms = _ms(retrieve_started)
        compose_started = time.perf_counter()
        best = max((p.relevance for p in passages), default=0.0)
        composed = (self.composer(query, passages) if best >= self.settings.relevance_floor
                    else None)
        verdict = self._addresses(loaded, query, vector, composed) if composed else None
        if self.on_stage is not None:  # unrounded: the bench subtracts the retriever's parts
            self.on_stage("retrieve", (compose_started - retrieve_started) * 1000)
            self.on_stage("compose", (time.perf_counter() - compose_started) * 1000)
        if composed is None:
            answer = replace(self._no_answer(question, passages, retriever), signal="below_floor",
                             reason=f"best passage similarity {best:.2f} < relevance floor "
                                    f"{self.settings.relevance_floor:.2f}")
        elif verdict is not None and not verdict.addressed:
            answer = replace(self._no_answer(question, passages, retriever),
                             signal="not_addressed", reason=verdict.reason)
        elif self.answerer is not None:
            drafted = yield from self.answerer.draft(query, passages, started)
            answer = Answer(question=question, route="answer", answer=drafted.answer,
                            citations=drafted.citations,
                            consultation=self.settings.consultation, notice=drafted.notice,
                            fallback=drafted.fallback, timings_ms=drafted.timings_ms)
        else:
            answer = Answer(question=question, route="answer", answer=composed.answer,
                            citations=composed.citations,
                            consultation=self.settings.consultation,
                            reason=verdict.reason if verdict else None)
        timings = {**answer.timings_ms, "retrieve": retrieve_ms,
                   "compose": _ms(compose_started), "total": _ms(started)}
        log.info("route=%s chars=%d citations=%d total_ms=%.1f", answer.route, len(text),
                 len(answer.citations), timings["total"])
        return replace(answer, timings_ms=timings)

    def _addresses(self, loaded: _Loaded, query: str, vector: list[float],
                   composed: Composed) -> Addressing:
        """Whether the sentences the composer picked speak to the question at all."""
        used = {u.source for u in composed.picked}
        chunks = [p.chunk for i, p in enumerate(composed.sources) if i in used]
        best = max((p.relevance for p in composed.sources), default=0.0)
        return loaded.addressing.check(query, vector, [u.text for u in composed.picked], chunks,
                                       best_passage=best)

    def _unavailable(self, question: str, started: float) -> Answer:
        """A short apology that still carries the crisis line: the visitor may need it."""
        line = " · ".join(f"{r.name}: {r.contact}" for r in self.settings.crisis_resources
                          if r.kind in ("suicide", "emergency"))
        return Answer(question=question, route="error",
                      answer=f"{UNAVAILABLE}\n\nIf you are in crisis or thinking about suicide, "
                             f"please reach out now: {line}.",
                      timings_ms={"total": _ms(started)})

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

    def _safety_answer(self, question: str, decision: RouteDecision) -> Answer:
        if decision.route == "crisis":
            return Answer(question=question, route="crisis",
                          answer=crisis_reply(decision, self.settings),
                          resources=tuple(crisis_resources(decision, self.settings)),
                          signal=decision.signal, reason=decision.reason)
        text, consult = out_of_scope_reply(decision, self.settings)
        return Answer(question=question, route="out_of_scope", answer=text,
                      consultation=self.settings.consultation if consult else None,
                      signal=decision.signal, reason=decision.reason)

    def _no_answer(self, question: str, passages: list[Any],
                   retriever: HybridRetriever) -> Answer:
        topics: list[tuple[str, str | None]] = []
        for chunk in itertools.chain((p.chunk for p in passages), retriever.chunks):  # lazy
            if all(chunk.title != title for title, _ in topics):
                topics.append((chunk.title, chunk.url))
            if len(topics) == 3:
                break
        lines = [NO_ANSWER_LEAD, ""]
        lines += [f"- [{t}]({u})" if u else f"- {t}" for t, u in topics]
        return Answer(question=question, route="no_answer", answer="\n".join(lines))



def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
