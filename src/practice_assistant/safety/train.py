"""Train the crisis model and validate it honestly: every figure on a source left out of fitting.

A message is scored piece by piece, exactly as the router does (:func:`message_units`): the
whole message, and for a long one its sentence windows; the message's score is its highest piece.
Training follows that shape. Short messages are one labelled piece each. A long benign message
gives all its pieces as negatives; a long crisis message gives only its most alarming piece as a
positive (found with a first model fitted on short messages), because the rest of a long post is
often ordinary.

The threshold is chosen on out-of-fold scores of the training sources, at the lowest value that
keeps ``recall_target`` of their crisis messages (recall first: a missed person in danger costs
far more than a kind crisis reply to someone who did not need it).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

from practice_assistant.safety.model import (
    CrisisModel,
    DenseModel,
    LexicalModel,
    lexical_features,
    nearest_similarity,
)
from practice_assistant.safety.sources import CRISIS, VISITOR_WEIGHTS, LabelledMessage

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class TrainOptions:
    """Knobs of the fit; the defaults are what ships (docs/safety.md)."""

    recall_target: float = 0.97
    folds: int = 4
    hidden: int = 256              # hidden units of the embedding half
    alpha: float = 1e-3            # its L2 penalty
    epochs: int = 60               # its passes over the data (adam), a fixed budget
    lexical_strength: float = 16.0  # ... and of the lexical half
    lexical_weight: float = 0.5
    gate: float = 0.0               # a piece less similar to every crisis example cannot fire
    min_df: int = 2
    max_units: int = 24            # pieces per long benign message kept for training
    seed: int = 0


DEFAULT_OPTIONS = TrainOptions()
#: the threshold stays in this range whatever the out-of-fold scores say (their 0.97-recall
#: point is lower, so the floor is what ships). The floor is the lowest threshold, in steps of
#: 0.05, at which the benign held-out sets a visitor's own question resembles (golden,
#: practice-topics, XSTest) stay within the issue's 5 % false-positive budget, read off
#: leave-one-source-out scores of those sources only: 0.40 for the shipped model, with bank-w27
#: (XSTest 0.036, golden 0.047, practice-topics 0.018; at 0.35 XSTest is 0.052). docs/safety.md
#: has the curve; above 0.7 recall is no longer put first
MIN_THRESHOLD, MAX_THRESHOLD = 0.4, 0.7


@dataclass(frozen=True)
class Pieces:
    """The pieces of many messages: row ``i`` of ``vectors`` and ``texts[i]`` belong to
    message ``owner[i]``; ``features[i]`` are the piece's lexical features."""

    vectors: np.ndarray
    texts: tuple[str, ...]
    features: tuple[tuple[str, ...], ...]
    owner: np.ndarray
    count: int
    weight: np.ndarray | None = None   # per message; None weighs every message 1

    def subset(self, messages: Sequence[int]) -> Pieces:
        """The pieces of just these messages, renumbered in the order given."""
        new_index = np.full(self.count, -1, dtype=np.int64)
        new_index[np.asarray(messages, dtype=np.int64)] = np.arange(len(messages))
        mask = new_index[self.owner] >= 0
        rows = np.flatnonzero(mask)
        weight = None if self.weight is None else self.weight[np.asarray(messages, dtype=np.int64)]
        return Pieces(self.vectors[mask], tuple(self.texts[i] for i in rows),
                      tuple(self.features[i] for i in rows), new_index[self.owner[mask]],
                      len(messages), weight)

    def scores(self, model: CrisisModel) -> np.ndarray:
        """Each message's highest piece probability, as the router computes it."""
        return self.best(model.probability(self.vectors, self.texts))

    def best(self, piece_probabilities: np.ndarray) -> np.ndarray:
        best = np.zeros(self.count, dtype=np.float32)
        np.maximum.at(best, self.owner, piece_probabilities)
        return best


def embed_pieces(rows: Sequence[LabelledMessage], embed: Embed,
                 units: Callable[[str], list[str]]) -> Pieces:
    """Embed every piece of every message once (the caller's ``embed`` may cache)."""
    texts: list[str] = []
    owner: list[int] = []
    for i, row in enumerate(rows):
        pieces = units(row.text)
        texts += pieces
        owner += [i] * len(pieces)
    vectors = embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)
    weight = np.array([VISITOR_WEIGHTS.get(row.source, 1.0) for row in rows])
    return Pieces(np.asarray(vectors, dtype=np.float32), tuple(texts),
                  tuple(tuple(lexical_features(t)) for t in texts),
                  np.asarray(owner, dtype=np.int64), len(rows), weight)


def train_model(rows: Sequence[LabelledMessage], pieces: Pieces, caught: np.ndarray,
                options: TrainOptions = DEFAULT_OPTIONS) -> CrisisModel:
    """Fit detector and signal classifier on ``rows``, threshold from out-of-fold scores.

    ``caught`` marks the rows the rules already route to crisis: the router runs rules first,
    so the threshold only has to catch enough of the others for the pair to reach the target.
    """
    labels = np.array([row.label == CRISIS for row in rows])
    keep = np.array([row.trainable for row in rows])
    detector = _fit_detector(labels, keep, pieces, options)
    oof = _out_of_fold(labels, keep, pieces, options)
    crisis = keep & labels
    threshold = choose_threshold(oof[crisis & ~caught], int(crisis.sum()),
                                 options.recall_target)
    signal_coef, signal_intercept, signals = _fit_signals(rows, pieces, detector)
    return CrisisModel(dense=detector.dense, lexical=detector.lexical.packed(),
                       threshold=threshold,
                       lexical_weight=options.lexical_weight,
                       # the crisis examples ship only when the gate reads them
                       anchors=detector.anchors if options.gate > 0 else detector.anchors[:0],
                       gate=options.gate, signal_coef=signal_coef,
                       signal_intercept=signal_intercept, signals=signals,
                       sources=tuple(sorted({r.source for r in rows})))


def choose_threshold(uncaught_scores: np.ndarray, crisis_total: int,
                     recall_target: float) -> float:
    """The highest threshold (within its range) at which rules and classifier together still catch
    ``recall_target`` of ``crisis_total`` crisis messages; ``uncaught_scores`` are the
    classifier's scores of those the rules miss."""
    allowed = int(np.floor((1.0 - recall_target) * crisis_total))
    if allowed >= len(uncaught_scores):
        return MAX_THRESHOLD
    return float(np.clip(np.sort(uncaught_scores)[allowed], MIN_THRESHOLD, MAX_THRESHOLD))


@dataclass(frozen=True)
class _Lexical:
    """The lexical half while training: sklearn's vectorizer and regression."""

    vectorizer: TfidfVectorizer
    regression: LogisticRegression

    def logits(self, features: Sequence[Sequence[str]]) -> np.ndarray:
        return self.regression.decision_function(self.vectorizer.transform(features))

    def packed(self) -> LexicalModel:
        """The numpy-only form the router runs."""
        return LexicalModel(vocabulary={str(k): int(v) for k, v in
                                        self.vectorizer.vocabulary_.items()},
                            idf=self.vectorizer.idf_.astype(np.float64),
                            coef=self.regression.coef_[0].astype(np.float64),
                            intercept=float(self.regression.intercept_[0]))


@dataclass(frozen=True)
class _Detector:
    dense: DenseModel
    lexical: _Lexical
    lexical_weight: float
    anchors: np.ndarray
    gate: float

    def piece_probabilities(self, pieces: Pieces) -> np.ndarray:
        dense = _sigmoid(self.dense.logits(pieces.vectors))
        lexical = _sigmoid(self.lexical.logits(pieces.features))
        combined = (1.0 - self.lexical_weight) * dense + self.lexical_weight * lexical
        return np.where(nearest_similarity(pieces.vectors, self.anchors) >= self.gate,
                        combined, 0.0)


def _fit_detector(labels: np.ndarray, keep: np.ndarray, pieces: Pieces,
                  options: TrainOptions) -> _Detector:
    counts = np.bincount(pieces.owner, minlength=pieces.count)
    first = _fit_halves(_training_rows(labels, keep & (counts == 1), pieces, None, options),
                        labels, pieces, options)
    probabilities = first.piece_probabilities(pieces)
    return _fit_halves(_training_rows(labels, keep, pieces, probabilities, options),
                       labels, pieces, options)


def _fit_halves(index: np.ndarray, labels: np.ndarray, pieces: Pieces,
                options: TrainOptions) -> _Detector:
    y = labels[pieces.owner[index]]
    weight = None if pieces.weight is None else pieces.weight[pieces.owner[index]]
    anchors = pieces.vectors[index[y]].astype(np.float16)
    dense = _fit_dense(pieces.vectors[index], y, weight, options)
    vectorizer = TfidfVectorizer(analyzer=_given, min_df=options.min_df, sublinear_tf=True,
                                 lowercase=False)
    matrix = vectorizer.fit_transform([pieces.features[i] for i in index])
    lexical = LogisticRegression(C=options.lexical_strength, class_weight="balanced",
                                 max_iter=3000, random_state=options.seed).fit(matrix, y,
                                                                             sample_weight=weight)
    return _Detector(dense, _Lexical(vectorizer, lexical), options.lexical_weight, anchors,
                     options.gate)


def _fit_dense(vectors: np.ndarray, y: np.ndarray, weight: np.ndarray | None,
               options: TrainOptions) -> DenseModel:
    """The embedding half: one hidden layer, classes balanced through the sample weights (the
    network has no ``class_weight``), a fixed number of passes."""
    weight = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    positive = float(np.average(y, weights=weight))
    balanced = weight * np.where(y, 0.5 / max(positive, 1e-9), 0.5 / max(1 - positive, 1e-9))
    network = MLPClassifier((options.hidden,), alpha=options.alpha, max_iter=options.epochs,
                            random_state=options.seed)
    with warnings.catch_warnings():  # a fixed budget of passes, not convergence, is the design
        warnings.simplefilter("ignore", ConvergenceWarning)
        network.fit(vectors, y, sample_weight=balanced)
    return DenseModel(hidden=network.coefs_[0].astype(np.float32),
                      hidden_bias=network.intercepts_[0].astype(np.float32),
                      coef=network.coefs_[1][:, 0].astype(np.float32),
                      intercept=float(network.intercepts_[1][0]))


def _given(features: Sequence[str]) -> Sequence[str]:
    """The vectorizer's analyzer: pieces arrive already split by `lexical_features`."""
    return features


def _training_rows(labels: np.ndarray, keep: np.ndarray, pieces: Pieces,
                   probabilities: np.ndarray | None, options: TrainOptions) -> np.ndarray:
    """Pieces to fit on: every piece of a benign message; the top piece of a long crisis one."""
    by_owner: dict[int, list[int]] = {}
    for row in np.flatnonzero(keep[pieces.owner]):
        by_owner.setdefault(int(pieces.owner[row]), []).append(int(row))
    picked: list[int] = []
    for owner, rows in by_owner.items():
        if labels[owner] and len(rows) > 1:
            if probabilities is not None:
                picked.append(max(rows, key=lambda r: probabilities[r]))
        else:
            picked += rows[:options.max_units]
    return np.asarray(picked, dtype=np.int64)


def _out_of_fold(labels: np.ndarray, keep: np.ndarray, pieces: Pieces,
                 options: TrainOptions) -> np.ndarray:
    """Message scores, each from a detector that never saw that message."""
    scores = np.zeros(pieces.count, dtype=np.float32)
    messages = np.flatnonzero(keep)
    folds = StratifiedKFold(n_splits=options.folds, shuffle=True, random_state=options.seed)
    for train, test in folds.split(messages, labels[messages]):
        train_keep = np.zeros(pieces.count, dtype=bool)
        train_keep[messages[train]] = True
        detector = _fit_detector(labels, train_keep, pieces, options)
        fold_scores = pieces.best(detector.piece_probabilities(pieces))
        scores[messages[test]] = fold_scores[messages[test]]
    return scores


def _fit_signals(rows: Sequence[LabelledMessage], pieces: Pieces,
                 detector: _Detector) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Which kind of danger: fitted on the bank's crisis rows that name their signal."""
    probabilities = detector.piece_probabilities(pieces)
    x: list[np.ndarray] = []
    y: list[str] = []
    for i, row in enumerate(rows):
        if row.label != CRISIS or not row.signal:
            continue
        own = np.flatnonzero(pieces.owner == i)
        x.append(pieces.vectors[own[int(np.argmax(probabilities[own]))]])
        y.append(row.signal)
    dims = pieces.vectors.shape[1]
    if len(set(y)) < 2:
        signals = tuple(sorted(set(y))) or ("suicide_ideation",)
        return np.zeros((len(signals), dims), np.float32), np.zeros(len(signals)), signals
    model = LogisticRegression(C=4.0, max_iter=3000).fit(np.stack(x), np.array(y))
    return (model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
            tuple(str(c) for c in model.classes_))


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -40, 40)))


@dataclass(frozen=True)
class HeldOut:
    """Routing of one source by a model fitted and tuned without it."""

    source: str
    crisis: int
    crisis_caught: int
    benign: int
    benign_flagged: int
    report_only: int
    report_only_flagged: int
    threshold: float
    by_rules: int
    by_classifier: int

    @property
    def recall(self) -> float | None:
        return self.crisis_caught / self.crisis if self.crisis else None

    @property
    def false_positive_rate(self) -> float | None:
        return self.benign_flagged / self.benign if self.benign else None


def leave_one_source_out(rows: Sequence[LabelledMessage], pieces: Pieces, caught: np.ndarray,
                         route: Callable[[CrisisModel, LabelledMessage], tuple[bool, str]],
                         options: TrainOptions = DEFAULT_OPTIONS,
                         held_out: Sequence[str] | None = None) -> list[HeldOut]:
    """For each source: fit and tune on every other source, then route this one.

    ``route(model, row)`` routes one message with the full router built on ``model`` and says
    whether it went to crisis and which layer decided ("rules", "classifier" or "").
    """
    names = sorted({row.source for row in rows})
    results: list[HeldOut] = []
    for source in held_out or names:
        train_ids = [i for i, row in enumerate(rows) if row.source != source]
        test_ids = [i for i, row in enumerate(rows) if row.source == source]
        if not test_ids:
            continue
        model = train_model([rows[i] for i in train_ids], pieces.subset(train_ids),
                            caught[train_ids], options)
        counts = {"crisis": 0, "crisis_caught": 0, "benign": 0, "benign_flagged": 0,
                  "report_only": 0, "report_only_flagged": 0, "by_rules": 0,
                  "by_classifier": 0}
        for i in test_ids:
            row = rows[i]
            flagged, layer = route(model, row)
            key = {"crisis": ("crisis", "crisis_caught"), "benign": ("benign", "benign_flagged")
                   }.get(row.label, ("report_only", "report_only_flagged"))
            counts[key[0]] += 1
            counts[key[1]] += flagged
            if flagged and row.label == CRISIS:
                counts["by_rules" if layer == "rules" else "by_classifier"] += 1
        results.append(HeldOut(source=source, threshold=model.threshold, **counts))
    return results
