"""Safety routing: crisis and out-of-scope messages, decided before retrieval and without an LLM.

Crisis detection has two explainable layers:

1. regular expressions (:mod:`practice_assistant.safety.rules`, matched by
   :mod:`practice_assistant.safety.patterns`), a high-precision first layer for suicidal thoughts
   and warning signs, self-harm, eating-disorder harm, overdose or medical emergencies, abuse and
   threats, danger to others and children at risk, with negation and figurative-use checks. They
   need no model, so they run before anything that can fail (:meth:`SafetyRouter.rules`);
2. a trained classifier (:mod:`practice_assistant.safety.model`) over the sentence embedding the
   app already computes, on the whole message and on sentence windows of a long one, for every
   wording the rules miss. The reason names the probability and the piece that fired.

Only then are out-of-scope requests checked (:mod:`practice_assistant.safety.scope`). Nothing a
visitor writes (e.g. "ignore previous instructions") can switch crisis routing off.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.models import RouteDecision
from practice_assistant.safety.model import CrisisModel
from practice_assistant.safety.patterns import (
    FOREIGN_CRISIS,
    Hit,
    crisis_hits,
    is_definitional,
    mask_idioms,
    mask_negated_crisis,
    normalize,
)
from practice_assistant.safety.replies import (
    ABUSE_SIGNALS,
    crisis_reply,
    crisis_resources,
    out_of_scope_reply,
)
from practice_assistant.safety.scope import is_non_english, scope_check
from practice_assistant.text import sentences

log = logging.getLogger("practice_assistant")

_SIGNAL_PRIORITY = ("abuse_violence", "child_at_risk")
WINDOW_WORDS = 45
MAX_WINDOWS = 40
#: a scope request this short is answered as such unless the classifier is sure of danger
SCOPE_FIRST_WORDS = 30
#: how sure, read off held-out-by-source scores of the hidden-layer model before its last six
#: banks: no short benign scope request scored this high (60 of them, the highest 0.53) while 5 of
#: the 6 crisis messages worded as one did ("what's the point of a restraining order when I could
#: just end this myself?"); later models' checks in docs/safety.md
SCOPE_OVERRIDE_PROBABILITY = 0.6


@dataclass(frozen=True)
class Detection:
    """The classifier's view of a message: its most alarming piece and how alarming it is."""

    probability: float
    threshold: float
    piece: str
    signal: str

    @property
    def fires(self) -> bool:
        return self.probability >= self.threshold


class SafetyRouter:
    """Routes a message to crisis or out of scope, or returns None to go on to retrieval."""

    def __init__(self, embeddings: Embeddings, model: CrisisModel) -> None:
        self.embeddings = embeddings
        self.model = model

    def rules(self, message: str) -> RouteDecision | None:
        """The crisis rules alone: no model, so nothing here can fail on a broken model."""
        return rule_decision(message)

    def route(self, message: str, vector: Sequence[float] | None = None) -> RouteDecision | None:
        """None means: not crisis, not out of scope -> go on to retrieval. ``vector`` is the
        message's embedding from ``embeddings.embed_query(message)`` when the caller has it."""
        return self.rules(message) or self.after_rules(message, vector)

    def after_rules(self, message: str,
                    vector: Sequence[float] | None = None) -> RouteDecision | None:
        """Scope, then the classifier, for a message the rules let through.

        A short explicit request ("are you a bot?", "should I stop taking Zoloft?") is answered
        by its scope reply unless the classifier is far surer than its threshold
        (SCOPE_OVERRIDE_PROBABILITY): its false alarms cluster on such short questions, but a
        legal or medication question can carry the danger ("if I bring my rifle to the custody
        hearing, would they listen?"). A long message is read by the classifier first, because
        one alarming sentence in it matters more than a request it also makes; except a
        jailbreak ("ignore previous instructions…"), whose role-play text reads as danger to a
        classifier.
        """
        text = normalize(message)
        if not text:
            return None
        scope = scope_check(text, message)
        if scope is not None and scope[0] == "injection":
            return _out_of_scope(scope)
        detection = self.detect(message, vector)
        if scope is not None and len(text.split()) <= SCOPE_FIRST_WORDS and (
                detection is None
                or detection.probability < max(SCOPE_OVERRIDE_PROBABILITY, detection.threshold)):
            return _out_of_scope(scope)
        if detection is not None and detection.fires:
            return RouteDecision(
                "crisis", detection.signal,
                f"classifier: p={detection.probability:.2f} (threshold "
                f"{detection.threshold:.2f}) on '{_clip(detection.piece)}'")
        return _out_of_scope(scope) if scope is not None else None

    def detect(self, message: str, vector: Sequence[float] | None = None) -> Detection | None:
        """The classifier on every piece of the message; None if the model cannot run."""
        pieces = [p for p in message_units(message) if not is_definitional(normalize(p))]
        if not pieces:
            return None
        try:
            vectors: list[Sequence[float]] = []
            rest = pieces
            if vector is not None and pieces[0] == message.strip():
                vectors.append(vector)
                rest = pieces[1:]
            if rest:
                vectors.extend(self.embeddings.embed_documents(rest))
        except Exception:  # a broken model must not take the crisis rules down with it
            log.exception("safety: embedding failed; rules only for this message")
            return None
        matrix = _unit_rows(vectors)
        probabilities = self.model.probability(matrix, pieces)
        best = int(np.argmax(probabilities))
        return Detection(float(probabilities[best]), self.model.threshold, pieces[best],
                         self.model.signal(matrix[best]))


def _out_of_scope(scope: tuple[str, str]) -> RouteDecision:
    signal, phrase = scope
    return RouteDecision("out_of_scope", signal, f"pattern: '{_clip(phrase)}'")


def rule_decision(message: str) -> RouteDecision | None:
    """Crisis by the rules (and the non-English keyword list), or None."""
    text = normalize(message)
    if not text:
        return None
    hits = crisis_hits(text)
    if hits:
        hit = _pick(hits)
        also = sorted({h.signal for h in hits} - {hit.signal})
        extra = f"; also {', '.join(also)}" if also else ""
        return RouteDecision("crisis", hit.signal, f"pattern: '{hit.phrase}' ({hit.name}){extra}")
    if is_non_english(message) and (match := FOREIGN_CRISIS.search(text)):
        return RouteDecision("crisis", "suicide_ideation",
                             f"pattern (non-English): '{match.group(0)}'")
    return None


def message_units(message: str, size: int = WINDOW_WORDS,
                  max_windows: int = MAX_WINDOWS) -> list[str]:
    """The pieces the classifier reads: the whole message, then windows of a long one, each
    without its denied crisis clauses and everyday hyperbole (`mask_negated_crisis`,
    `mask_idioms`).

    The embedding model reads only the first ~200 words and blurs a single alarming sentence in a
    long text; a crisis sentence may also end a long message, so its head and tail are kept.
    """
    whole = mask_idioms(mask_negated_crisis(message.strip()))
    if not whole:
        return []
    pieces = windows(whole, size)
    if len(pieces) > max_windows:
        half = max_windows // 2
        pieces = pieces[:half] + pieces[-half:]
    return [whole, *(p for p in pieces if p != whole)]


def windows(message: str, size: int = 45, min_words: int = 60) -> list[str]:
    """Runs of whole sentences, about ``size`` words each, of a long message.

    The embedding model reads only the first ~200 words and blurs a single alarming sentence in a
    long text, so long messages are also compared piece by piece. Short ones return [].
    """
    if len(message.split()) < min_words:
        return []
    pieces: list[str] = []
    # A line break ends a sentence; a stop does only where whitespace follows it directly.
    for sentence in sentences(message, at="space", lines=True, closers=False):
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


def _unit_rows(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _pick(hits: list[Hit]) -> Hit:
    """Abuse first (its hotline is shown); a passive wish only when nothing more active fired."""
    for signal in _SIGNAL_PRIORITY:
        for hit in hits:
            if hit.signal == signal:
                return hit
    return next((hit for hit in hits if hit.signal != "passive_ideation"), hits[0])


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["ABUSE_SIGNALS", "Detection", "SafetyRouter", "crisis_reply", "crisis_resources",
           "message_units", "out_of_scope_reply", "rule_decision", "windows"]
