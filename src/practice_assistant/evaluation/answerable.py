"""Fit the answerability model and validate it leaving one writer out at a time.

Every labelled question (answerable ones, and near misses the articles do not answer) is asked
through the real :class:`~practice_assistant.service.Assistant` over the golden index of
``corpus/`` *without* the model, recording its route under the addressing rules and, when an
answer was composed, the pipeline features
(:data:`~practice_assistant.answering.answerable.FEATURES`). Those rows are fitted (not
the ones the disclaimer rule refuses): the model decides wherever an answer was composed.

Only questions someone checked against the articles are labelled answerable: the golden set,
the narrower-topic set, and each writer's answerable file with the sentence that answers it. The
practical-question files' ``article`` rows are not used: that label says a question is not
about the practice, not that an article answers it ("can a relationship survive when we live in
different states?").

Honest figures: for each writer, the model is fitted on every other writer (its nearest-question
features computed against the other writers' questions only, its threshold chosen from the
other writers alone, by the same rule as the shipped one), then that writer's rows are routed.
Nothing reported for a writer was fitted or tuned on that writer. The shipped model is then
fitted on every writer; the files it reads are therefore in-sample for it, and only the
leave-one-writer-out table measures it (docs/evaluation.md).

The threshold rule: within the writers being fitted, leave each one out in turn and score its
answerable rows; the threshold keeps ANSWERED_SHARE of those out-of-fold scores. Refusing an
answerable question is costly, and so is answering from the wrong article; the share was read
off the leave-one-writer-out trade-off (docs/evaluation.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from practice_assistant.answering.addressing import Addressing
from practice_assistant.answering.answerable import FEATURES, AnswerModel, neighbours
from practice_assistant.jsonl import read_jsonl
from practice_assistant.service import Assistant

REFUSALS = ("no_answer", "out_of_scope")
STRENGTH = 0.3  # sklearn's C: few rows, eleven features
ANSWERED_SHARE = 0.90  # of left-out writers' answerable questions the threshold keeps
#: the file each labelled question comes from, and how its rows are read
SOURCES: tuple[tuple[str, str], ...] = (
    ("eval/golden.jsonl", "golden"),
    ("eval/golden_narrow.jsonl", "narrow"),
    ("eval/golden_heldout_w15.jsonl", "narrow"),
    ("eval/golden_heldout_w16.jsonl", "narrow"),
    ("eval/golden_heldout_w21.jsonl", "narrow"),
    ("eval/golden_heldout_w25.jsonl", "narrow"),
    ("eval/golden_heldout_w29.jsonl", "narrow"),
    ("training/answerable_train_w26.jsonl", "narrow"),
    ("training/answerable_train_w36.jsonl", "narrow"),
    ("eval/near_misses.jsonl", "near_miss"),
    ("eval/near_misses_heldout.jsonl", "near_miss"),
    ("eval/near_misses_heldout2.jsonl", "near_miss"),
    ("eval/near_misses_heldout3.jsonl", "near_miss"),
    ("eval/near_misses_heldout4.jsonl", "near_miss"),
    ("eval/near_misses_heldout5.jsonl", "near_miss"),
    ("eval/near_misses_heldout6.jsonl", "near_miss"),
    ("eval/near_misses_heldout7.jsonl", "near_miss"),
    ("eval/near_misses_heldout8.jsonl", "near_miss"),
    ("eval/near_misses_heldout9.jsonl", "near_miss"),
    ("training/near_misses_train.jsonl", "near_miss"),
    ("training/near_misses_train_w26.jsonl", "near_miss"),
    ("training/near_misses_train_w36.jsonl", "near_miss"),
)
#: ``source`` field → writer (other sources are their own writer's name)
WRITERS = {"near-miss-eval": "eval", "heldout-fresh": "fresh", "heldout-w6": "w6",
           "heldout-w7": "w7", "heldout-w11": "w11", "narrow-eval": "narrow-eval"}


@dataclass(frozen=True)
class Question:
    """One labelled question: does an article answer it, who wrote it, which file."""

    text: str
    answered: bool
    writer: str
    path: str
    near_miss: bool = False     # from a near-miss file (its ``expected`` is the target)
    expected: str = "answer"


@dataclass
class Asked:
    """A question as the assistant routed it without the model, and the model's inputs."""

    question: Question
    route: str
    vector: np.ndarray
    features: tuple[float, ...] = ()   # FEATURES[2:], when an answer was composed

    @property
    def reaches_model(self) -> bool:
        return bool(self.features)


@dataclass
class WriterFigures:
    writer: str
    threshold: float
    near_misses: int = 0
    near_before: int = 0
    near_after: int = 0
    answerable: int = 0
    answered_before: int = 0
    answered_after: int = 0
    lost: list[str] = field(default_factory=list)        # answered by the rules, refused now
    gained: list[str] = field(default_factory=list)      # refused by the rules, answered now
    caught: list[str] = field(default_factory=list)      # near miss the rules answered
    let_through: list[str] = field(default_factory=list)  # near miss the rules refused

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"writer": self.writer, "threshold": round(self.threshold, 3)}
        if self.near_misses:
            out["near_misses"] = {"rows": self.near_misses,
                                  "before": round(self.near_before / self.near_misses, 3),
                                  "after": round(self.near_after / self.near_misses, 3)}
        if self.answerable:
            out["answerable"] = {"rows": self.answerable, "answered_before": self.answered_before,
                                 "answered_after": self.answered_after}
        return {**out, "lost": self.lost, "gained": self.gained, "caught": self.caught,
                "let_through": self.let_through}


def read_questions(paths: Iterable[tuple[str, str]] = SOURCES,
                   root: Path = Path(".")) -> list[Question]:
    """Every labelled question of the files that exist (golden follow-ups left out: alone,
    "can I do it over video?" is no question)."""
    out: list[Question] = []
    for name, kind in paths:
        path = root / name
        if not path.exists():
            continue
        for _, row in read_jsonl(path):
            question = _question(row, kind, name)
            if question is not None:
                out.append(question)
    return out


def _question(row: dict[str, Any], kind: str, name: str) -> Question | None:
    source = row.get("source")
    writer = WRITERS.get(source, source) if source else Path(name).stem.replace("_", "-")
    if kind == "golden":
        if row.get("followup_of"):
            return None
        return Question(row["question"], bool(row["answerable"]), "golden", name,
                        expected="answer" if row["answerable"] else "no_answer")
    if kind == "narrow":
        return Question(row["text"], True, writer, name)
    if kind == "near_miss":
        return Question(row["text"], False, writer, name, near_miss=True,
                        expected=row["expected"])
    raise ValueError(f"{name}: unknown kind of labelled file {kind!r}")


def fingerprint(paths: Iterable[tuple[str, str]] = SOURCES, root: Path = Path(".")) -> str:
    digest = hashlib.sha256()
    for name, _ in paths:
        path = root / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class _Recording(Assistant):
    """The assistant without the model, keeping the last addressing verdict."""

    last: Addressing | None = None

    def _addresses(self, loaded: Any, query: str, vector: list[float],
                   composed: Any) -> Addressing:
        self.last = super()._addresses(loaded, query, vector, composed)
        return self.last


def ask_all(settings: Any, embeddings: Any, safety: Any, store: Any,
            questions: Sequence[Question]) -> list[Asked]:
    assistant = _Recording(settings, embeddings, safety, store, answerable=None)
    vectors = np.asarray(embeddings.embed_documents([q.text for q in questions]),
                         dtype=np.float32)
    out: list[Asked] = []
    for question, vector in zip(questions, vectors, strict=True):
        assistant.last = None
        answer = assistant.ask(question.text)
        verdict = assistant.last
        # The disclaimer rule refuses before the model: those rows are not the model's.
        features = verdict.features if verdict is not None and verdict.left_out is None else ()
        out.append(Asked(question, answer.route, vector, tuple(features)))
    return out


def _design(rows: Sequence[Asked], vectors: np.ndarray, answered: np.ndarray,
            writers: np.ndarray | None = None) -> np.ndarray:
    """Feature rows; nearest questions among ``vectors``, without the row's own writer when
    ``writers`` are given (that is how an unseen writer's question is seen)."""
    out = []
    for row in rows:
        keep = writers != row.question.writer if writers is not None else None
        yes, no, _, _ = neighbours(vectors, answered, row.vector, keep)
        out.append([yes, no, *row.features])
    return np.asarray(out, dtype=np.float64)


def _fit(rows: Sequence[Asked], writers: set[str]) -> AnswerModel:
    """The model fitted on ``writers``, comparing with their questions (threshold not set)."""
    bank = [r for r in rows if r.question.writer in writers]
    vectors = np.stack([b.vector for b in bank])
    answered = np.array([b.question.answered for b in bank])
    fitted = [r for r in bank if r.reaches_model]
    x = _design(fitted, vectors, answered, np.array([b.question.writer for b in bank]))
    y = np.array([r.question.answered for r in fitted], dtype=int)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    lr = LogisticRegression(C=STRENGTH, class_weight="balanced", max_iter=5000)
    lr.fit((x - mean) / scale, y)
    return AnswerModel(coef=lr.coef_[0], intercept=float(lr.intercept_[0]), mean=mean,
                       scale=scale, threshold=0.0, vectors=vectors, answered=answered,
                       texts=tuple(b.question.text for b in bank))


def _scores(model: AnswerModel, rows: Sequence[Asked]) -> np.ndarray:
    return np.array([model.probability(v)
                     for v in _design(rows, model.vectors, model.answered)])


def choose_threshold(rows: Sequence[Asked], writers: set[str],
                     share: float = ANSWERED_SHARE) -> float:
    """The score that keeps ``share`` of the answerable rows of writers left out of the fit."""
    held_out: list[float] = []
    for writer in sorted(writers):
        held = [r for r in rows if r.question.writer == writer and r.reaches_model
                and r.question.answered]
        if not held or len(writers) < 2:
            continue
        model = _fit(rows, writers - {writer})
        held_out.extend(_scores(model, held))
    if not held_out:
        return 0.0
    return float(np.quantile(np.asarray(held_out), 1.0 - share))


def train(rows: Sequence[Asked], writers: set[str] | None = None,
          fingerprint_: str = "") -> AnswerModel:
    writers = writers if writers is not None else {r.question.writer for r in rows}
    model = _fit(rows, writers)
    return AnswerModel(model.coef, model.intercept, model.mean, model.scale,
                       choose_threshold(rows, writers), model.vectors, model.answered,
                       model.texts, fingerprint_)


def leave_one_writer_out(rows: Sequence[Asked]) -> list[WriterFigures]:
    """Per writer: fitted (and thresholded) on the others, that writer's rows routed."""
    writers = {r.question.writer for r in rows}
    figures: list[WriterFigures] = []
    for writer in sorted(writers):
        model = train(rows, writers - {writer})
        held = [r for r in rows if r.question.writer == writer]
        reaching = [r for r in held if r.reaches_model]
        scores = dict(zip(map(id, reaching), _scores(model, reaching), strict=True)) \
            if reaching else {}
        fig = WriterFigures(writer, model.threshold)
        for row in held:
            refused = id(row) in scores and scores[id(row)] < model.threshold
            # the model decides every row that reaches it; the rest keep their route
            after = ("no_answer" if refused else "answer") if id(row) in scores else row.route
            q = row.question
            if q.near_miss:
                fig.near_misses += 1
                fig.near_before += _as_expected(q.expected, row.route)
                fig.near_after += _as_expected(q.expected, after)
            if q.answered:
                fig.answerable += 1
                fig.answered_before += row.route == "answer"
                fig.answered_after += after == "answer"
                if row.route == "answer" and refused:
                    fig.lost.append(q.text)
                elif row.route != "answer" and after == "answer":
                    fig.gained.append(q.text)
            elif refused and row.route == "answer":
                fig.caught.append(q.text)
            elif after == "answer" and row.route != "answer":
                fig.let_through.append(q.text)
        figures.append(fig)
    return figures


def _as_expected(expected: str, route: str) -> bool:
    return route in REFUSALS if expected == "no_answer" else route == expected


def format_figures(figures: Sequence[WriterFigures]) -> str:
    lines = ["writer             near misses (rules -> model)    answerable answered "
             "(rules -> model)    threshold"]
    for f in figures:
        near = (f"{f.near_before / f.near_misses:.3f} -> {f.near_after / f.near_misses:.3f} "
                f"of {f.near_misses}" if f.near_misses else "-")
        ans = (f"{f.answered_before} -> {f.answered_after} of {f.answerable}"
               if f.answerable else "-")
        lines.append(f"{f.writer:<18} {near:<31} {ans:<33} {f.threshold:.3f}")
        for name in ("lost", "gained", "caught", "let_through"):
            lines += [f"    {name}: {t!r}" for t in getattr(f, name)]
    near = sum(f.near_misses for f in figures)
    ans = sum(f.answerable for f in figures)
    if near and ans:
        lines.append(
            f"{'all writers':<18} "
            f"{sum(f.near_before for f in figures) / near:.3f} -> "
            f"{sum(f.near_after for f in figures) / near:.3f} of {near}{'':<9} "
            f"{sum(f.answered_before for f in figures)} -> "
            f"{sum(f.answered_after for f in figures)} of {ans}")
    return "\n".join(lines)


__all__ = ["FEATURES", "Asked", "Question", "WriterFigures", "ask_all", "choose_threshold",
           "fingerprint", "format_figures", "leave_one_writer_out", "read_questions", "train"]
