"""Safety routing: crisis and out-of-scope messages, decided before retrieval and without an LLM.

Crisis detection has two explainable parts:

1. regular expressions (:mod:`practice_assistant.safety_patterns`) for suicidal thoughts and
   warning signs, self-harm, eating-disorder harm, overdose or medical emergencies, abuse and
   threats, danger to others and children at risk, with negation and figurative-use checks;
2. embedding similarity to hand-written crisis examples (:mod:`practice_assistant.safety_exemplars`)
   for whatever the patterns miss, on the whole message and on sentence windows of long ones. A
   window fires when it is close enough to a crisis example and clearly closer to it than to any
   benign example (everyday distress, figurative speech, factual questions).

Only then are out-of-scope requests checked (:mod:`practice_assistant.safety_scope`). Nothing a
visitor writes (e.g. "ignore previous instructions") can switch crisis routing off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.models import RouteDecision
from practice_assistant.safety_exemplars import BENIGN, CRISIS
from practice_assistant.safety_patterns import (
    FICTION,
    FOREIGN_CRISIS,
    Hit,
    crisis_hits,
    has_negated_crisis,
    is_definitional,
    normalize,
)
from practice_assistant.safety_replies import (
    ABUSE_SIGNALS,
    crisis_reply,
    crisis_resources,
    out_of_scope_reply,
)
from practice_assistant.safety_scope import is_non_english, scope_check

log = logging.getLogger("practice_assistant")

_SIGNAL_PRIORITY = ("abuse_violence", "child_at_risk")
_OTHER_DIRECTED = frozenset({"abuse_violence", "danger_to_others", "child_at_risk"})
_OTHER_MASK = np.array([signal in _OTHER_DIRECTED for signal, _ in CRISIS])
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")


@dataclass(frozen=True)
class Similarity:
    """The best crisis and benign matches of one piece of a message."""

    crisis: float
    benign: float
    exemplar: int
    unit: str


class SafetyRouter:
    """Routes a message to crisis or out of scope, or returns None to go on to retrieval."""

    #: a piece fires when it is at least this close to a self-directed crisis example
    #: (suicide, self-harm, eating disorder, overdose, someone else at risk) ...
    threshold = 0.60
    #: ... or this close to an example of abuse, danger to others or a child at risk (these share
    #: everyday relationship vocabulary, so they need a closer match) ...
    other_threshold = 0.72
    #: ... and at least this much closer to it than to any benign example.
    margin = 0.12
    window_words = 45
    max_windows = 40

    def __init__(self, embeddings: Embeddings | None) -> None:
        self.embeddings = embeddings
        self._crisis: np.ndarray | None = None
        self._benign: np.ndarray | None = None
        if embeddings is not None:
            crisis = embeddings.embed_documents([text for _, text in CRISIS])
            benign = embeddings.embed_documents(list(BENIGN))
            self._crisis = _unit_rows(crisis)
            self._benign = _unit_rows(benign)

    def route(self, message: str, vector: Sequence[float] | None = None) -> RouteDecision | None:
        """None means: not crisis, not out of scope -> go on to retrieval. `vector` is the message's
        normalized embedding from embeddings.embed_query(message) when the caller already has it."""
        text = normalize(message)
        if not text:
            return None
        hits = crisis_hits(text)
        if hits:
            hit = _pick(hits)
            also = sorted({h.signal for h in hits} - {hit.signal})
            extra = f"; also {', '.join(also)}" if also else ""
            return RouteDecision("crisis", hit.signal,
                                 f"pattern: '{hit.phrase}' ({hit.name}){extra}")
        if is_non_english(message) and (match := FOREIGN_CRISIS.search(text)):
            return RouteDecision("crisis", "suicide_ideation",
                                 f"pattern (non-English): '{match.group(0)}'")
        best = self.closest(message, vector)
        if best is not None and self._fires(best):
            signal, exemplar = CRISIS[best.exemplar]
            return RouteDecision("crisis", signal,
                                 f"exemplar similarity {best.crisis:.2f} to '{exemplar}' "
                                 f"(benign {best.benign:.2f}; window '{_clip(best.unit)}')")
        scope = scope_check(text, message)
        if scope is not None:
            signal, phrase = scope
            return RouteDecision("out_of_scope", signal, f"pattern: '{_clip(phrase)}'")
        return None

    def closest(self, message: str,
                vector: Sequence[float] | None = None) -> Similarity | None:
        """The message piece most like a crisis example: one that fires if any, else the closest."""
        if self.embeddings is None or self._crisis is None or self._benign is None:
            return None
        pieces = windows(message, self.window_words)
        if len(pieces) > self.max_windows:  # a crisis sentence may end a long message
            half = self.max_windows // 2
            pieces = pieces[:half] + pieces[-half:]
        units = [message.strip(), *pieces]
        keep = [i for i, unit in enumerate(units) if _embeddable(unit)]
        if not keep:
            return None
        try:
            vectors: list[Sequence[float]] = []
            if 0 in keep:
                vectors.append(vector if vector is not None
                               else self.embeddings.embed_query(units[0]))
            rest = [units[i] for i in keep if i != 0]
            if rest:
                vectors.extend(self.embeddings.embed_documents(rest))
        except Exception:  # a broken model must not take crisis patterns down with it
            log.exception("safety: embedding failed; patterns only for this message")
            return None
        matrix = _unit_rows(vectors)
        crisis = matrix @ self._crisis.T
        benign = (matrix @ self._benign.T).max(axis=1)
        best: Similarity | None = None
        for row, index in enumerate(keep):
            fiction = bool(FICTION.search(normalize(units[index])))
            for mask in ((~_OTHER_MASK,) if fiction else (_OTHER_MASK, ~_OTHER_MASK)):
                col = int(np.where(mask, crisis[row], -np.inf).argmax())
                candidate = Similarity(float(crisis[row, col]), float(benign[row]), col,
                                       units[index])
                if best is None or self._rank(candidate) > self._rank(best):
                    best = candidate
        return best

    def _rank(self, sim: Similarity) -> tuple[bool, float]:
        return (self._fires(sim), sim.crisis)

    def _fires(self, sim: Similarity) -> bool:
        signal = CRISIS[sim.exemplar][0]
        floor = self.other_threshold if signal in _OTHER_DIRECTED else self.threshold
        return sim.crisis >= floor and sim.crisis - sim.benign >= self.margin


def windows(message: str, size: int = 45, min_words: int = 60) -> list[str]:
    """Runs of whole sentences, about ``size`` words each, of a long message.

    The embedding model reads only the first ~200 words and blurs a single alarming sentence in a
    long text, so long messages are also compared piece by piece. Short ones return [].
    """
    if len(message.split()) < min_words:
        return []
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(message):
        tokens = sentence.split()
        pieces += [" ".join(tokens[i:i + size]) for i in range(0, len(tokens), size)]
    runs: list[str] = []
    current: list[str] = []
    count = 0
    for piece in pieces:
        n = len(piece.split())
        if current and count + n > size:
            runs.append(" ".join(current))
            current, count = [], 0
        current.append(piece)
        count += n
    if current:
        runs.append(" ".join(current))
    return runs


def _embeddable(unit: str) -> bool:
    text = normalize(unit)
    return bool(text) and not has_negated_crisis(text) and not is_definitional(text)


def _unit_rows(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _pick(hits: list[Hit]) -> Hit:
    for signal in _SIGNAL_PRIORITY:
        for hit in hits:
            if hit.signal == signal:
                return hit
    return hits[0]


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["ABUSE_SIGNALS", "SafetyRouter", "crisis_reply", "crisis_resources",
           "out_of_scope_reply", "windows"]
