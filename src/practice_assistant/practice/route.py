"""Recognise a practical question about the practice (route ``practice_info``) before retrieval.

Two signals, both explainable in the answer's ``signal`` and ``reason``:

- **patterns** (:mod:`practice_assistant.practice.patterns`): a topic's words in a practical
  shape, unless a trap in the same clause says it is an article question;
- **similarity** to the labelled topic examples (:mod:`practice_assistant.practice.examples`):
  the mean cosine of the three nearest examples of each topic against the three nearest
  ``article`` examples.

A pattern without a trap routes. A pattern with a trap routes only when the examples agree by
the veto margin (never past a definition or a request for the assistant's own advice). No
pattern routes only on a clear embedding margin (the free margin) over examples that are close
in themselves (FREE_MIN_SIMILARITY), when the message speaks to
the practice or for the visitor, when it is about therapy at all (it names something of
therapy, or is a short fragment) or is very close to the examples, and when no trap for that
topic is in the message ("what happens in a free consultation" is close to the consultation
examples, but it is the consultation article's question). Both margins are fitted on the
training rows. Questions staff added to the facts file's ``extra`` list are matched by
similarity to their wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from practice_assistant.practice.examples import ExampleBank, load_bank, margin
from practice_assistant.practice.patterns import (
    HARD_TRAPS,
    PRIORITY,
    addressed,
    in_context,
    pattern_hits,
    traps_for,
)

EXTRA_MIN_SIMILARITY = 0.78  # cosine to a staff-written extra question to use its answer
CONTEXT_FREE_SIMILARITY = 0.65  # embedding-only routing without a word of therapy needs this
# Embedding-only routing needs the topic's nearest examples at least this close, whatever the
# margin: a margin over the article examples means little when both are far ("does the
# practice have a podcast": hours 0.43, article 0.30). The lowest training row that routes
# this way (leave-one-out) is at 0.49.
FREE_MIN_SIMILARITY = 0.45
PRIORITY_WEIGHT = 0.02  # tie-break between matched topics: similarity + this per priority rank


@dataclass(frozen=True)
class PracticeMatch:
    """Which field answers the message, and why (for the JSON ``signal`` and ``reason``)."""

    topic: str
    signal: str
    reason: str
    extra: int | None = None


class PracticeDetector:
    """Decides whether a message asks the practice something practical, and which field."""

    def __init__(self, bank: ExampleBank | None = None) -> None:
        self.bank = bank if bank is not None else load_bank()

    def detect(self, text: str, vector: Sequence[float],
               extras: Sequence[tuple[str, Sequence[float]]] = ()) -> PracticeMatch | None:
        """A match, or None for a message that article retrieval should take.

        ``extras`` are the facts file's own questions with their vectors.
        """
        extra = self._extra(vector, extras)
        if extra is not None:
            return extra
        scores = self.bank.scores(vector)
        nearest, lead = margin(scores)
        hits = pattern_hits(text)
        live = [h for h in hits if not h.vetoed]
        if live:
            best = max(live, key=lambda h: scores[h.topic][0] + PRIORITY_WEIGHT
                       * (len(PRIORITY) - PRIORITY.index(h.topic)))
            also = [h.topic for h in live if h is not best]
            return PracticeMatch(best.topic, f"practice_pattern:{best.topic}",
                                 f"matched {best.matched!r}"
                                 + (f" (also {', '.join(also)})" if also else "")
                                 + f"; {self._similarity(scores, best.topic)}")
        soft = [h for h in hits if not any(name in HARD_TRAPS for name, _ in h.traps)]
        if soft and lead >= self.bank.veto_margin:
            hit = max(soft, key=lambda h: scores[h.topic][0])
            traps = ", ".join(f"{name} {found!r}" for name, found in hit.traps)
            return PracticeMatch(hit.topic, f"practice_similarity:{hit.topic}",
                                 f"matched {hit.matched!r} despite {traps}: margin "
                                 f"{lead:.2f} >= {self.bank.veto_margin:.2f}; "
                                 f"{self._similarity(scores, hit.topic)}")
        if not hits and lead >= self.bank.free_margin and not traps_for(text, nearest) \
                and scores[nearest][0] >= FREE_MIN_SIMILARITY and addressed(text) \
                and (in_context(text) or scores[nearest][0] >= CONTEXT_FREE_SIMILARITY):
            return PracticeMatch(nearest, f"practice_similarity:{nearest}",
                                 f"no pattern; margin {lead:.2f} >= "
                                 f"{self.bank.free_margin:.2f}; "
                                 f"{self._similarity(scores, nearest)}")
        return None

    def explain(self, text: str, vector: Sequence[float]) -> str:
        """Why a message was left to article retrieval (for logs and the evaluation)."""
        scores = self.bank.scores(vector)
        nearest, lead = margin(scores)
        hits = pattern_hits(text)
        vetoed = "; ".join(f"{h.topic} {h.matched!r} vetoed by "
                           + ", ".join(f"{n} {t!r}" for n, t in h.traps) for h in hits)
        return (f"{vetoed or 'no pattern'}; margin {lead:.2f}; "
                f"{self._similarity(scores, nearest)}")

    def _similarity(self, scores: dict[str, tuple[float, int]], topic: str) -> str:
        sim, row = scores[topic]
        art, art_row = scores.get("article", (0.0, -1))
        example = self.bank.texts[row]
        against = self.bank.texts[art_row] if art_row >= 0 else ""
        return (f"{topic} examples {sim:.2f} ({_clip(example)!r}), article examples "
                f"{art:.2f} ({_clip(against)!r})")

    def _extra(self, vector: Sequence[float],
               extras: Sequence[tuple[str, Sequence[float]]]) -> PracticeMatch | None:
        if not extras:
            return None
        query = np.asarray(vector, dtype=np.float32)
        sims = [float(np.dot(query, np.asarray(v, dtype=np.float32))) for _, v in extras]
        best = int(np.argmax(sims))
        if sims[best] < EXTRA_MIN_SIMILARITY:
            return None
        return PracticeMatch("extra", "practice_extra",
                             f"similarity {sims[best]:.2f} >= {EXTRA_MIN_SIMILARITY} to the "
                             f"facts file's question {_clip(extras[best][0])!r}", extra=best)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def leave_one_out(bank: ExampleBank) -> dict[str, float]:
    """Route each training row with the other rows as examples (the patterns were written
    with these rows in view, so this is a training figure, not a held-out one)."""
    from dataclasses import replace

    tp = fp = fn = topic_ok = 0
    for i, (text, label) in enumerate(zip(bank.texts, bank.labels, strict=True)):
        keep = np.arange(len(bank.texts)) != i
        rest = replace(bank, texts=tuple(t for j, t in enumerate(bank.texts) if j != i),
                       labels=tuple(x for j, x in enumerate(bank.labels) if j != i),
                       vectors=bank.vectors[keep])
        match = PracticeDetector(rest).detect(text, bank.vectors[i])
        practical = label != "article"
        tp += bool(match) and practical
        fp += bool(match) and not practical
        fn += not match and practical
        topic_ok += bool(match) and match is not None and match.topic == label
    return {"rows": len(bank.texts), "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
            "topic_accuracy": round(topic_ok / tp, 3) if tp else 0.0}
