"""The learned layer of crisis routing: two models, their probabilities averaged.

One reads the sentence embedding the app already computes for retrieval (and, for a long
message, the embeddings of its sentence windows) through one hidden layer: it generalises
across wording, and the hidden layer separates a crisis from everyday distress where a linear
score on the same embedding cannot (docs/safety.md compares them, held out by source). The
other reads TF-IDF weighted words, word pairs and character n-grams: it keeps sharp lexical cues
("pills", "noose", "unalive", misspellings) that an averaged embedding blurs. Both need nothing
but numpy at run time. The weights are trained by :mod:`practice_assistant.safety.train` from
the bank in ``training/crisis/`` plus the public sets in ``../shared/data/crisis/`` and shipped
in the package (``data/crisis_model.npz``, 2.2 MB). ``make safety-model`` rebuilds
them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from practice_assistant.safety.patterns import normalize
from practice_assistant.text import words as text_words

DEFAULT_MODEL = Path(__file__).parent / "data" / "crisis_model.npz"


class ModelFileError(Exception):
    """The shipped crisis model is missing or unreadable: rebuild it with `make safety-model`."""


CHAR_SIZES = (2, 3, 4, 5)


def lexical_features(text: str) -> list[str]:
    """Words, word pairs and character n-grams inside words (padded like sklearn's char_wb)."""
    words = text_words(normalize(text))
    features = [f"w:{w}" for w in words]
    features += [f"w:{a} {b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        for n in CHAR_SIZES:
            features += [f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    return features


@dataclass(frozen=True, eq=False)
class LexicalModel:
    """Sublinear TF-IDF (l2-normalised) over :func:`lexical_features`, then a linear score."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        out = np.full(len(texts), self.intercept, dtype=np.float64)
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for feature in lexical_features(text):
                column = self.vocabulary.get(feature)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64,
                                                count=len(counts)))) * self.idf[columns]
            out[row] += float(weights @ self.coef[columns]) / float(np.linalg.norm(weights))
        return out


@dataclass(frozen=True, eq=False)
class DenseModel:
    """One hidden layer (ReLU) over a unit sentence embedding, then a linear score."""

    hidden: np.ndarray       # (embedding size, hidden units)
    hidden_bias: np.ndarray  # (hidden units,)
    coef: np.ndarray         # (hidden units,)
    intercept: float

    def logits(self, vectors: np.ndarray) -> np.ndarray:
        hidden = np.maximum(np.asarray(vectors, dtype=np.float32) @ self.hidden
                            + self.hidden_bias, 0.0)
        return hidden @ self.coef + self.intercept


@dataclass(frozen=True, eq=False)
class CrisisModel:
    """A binary crisis detector (embedding and lexical halves) and a signal classifier.

    ``threshold`` is the averaged probability at which a message piece routes to crisis; it was
    chosen on out-of-fold predictions to favour recall (docs/safety.md says how).
    """

    dense: DenseModel
    lexical: LexicalModel
    threshold: float
    signal_coef: np.ndarray
    signal_intercept: np.ndarray
    signals: tuple[str, ...]
    anchors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), np.float16))
    gate: float = 0.0
    sources: tuple[str, ...] = ()
    lexical_weight: float = 0.5
    bank_digest: str = ""

    def probability(self, vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """P(crisis) for each piece: ``vectors`` are its unit embeddings, ``texts`` its words.

        A piece less similar than ``gate`` to every crisis example it was trained on scores 0:
        a linear model extrapolates far from its data, and messages unlike any crisis seen
        (a question about a celebrity, a Python process) must not fire on that extrapolation.
        """
        vectors = np.asarray(vectors, dtype=np.float32)
        dense = _sigmoid(self.dense.logits(vectors))
        lexical = _sigmoid(self.lexical.logits(texts))
        combined = (1.0 - self.lexical_weight) * dense + self.lexical_weight * lexical
        if self.gate <= 0 or len(self.anchors) == 0:
            return combined
        return np.where(nearest_similarity(vectors, self.anchors) >= self.gate, combined, 0.0)

    def signal(self, vector: np.ndarray) -> str:
        """The most likely kind of danger, which picks the wording and resources of the reply."""
        scores = self.signal_coef @ np.asarray(vector, dtype=np.float32) + self.signal_intercept
        return self.signals[int(np.argmax(scores))]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        features = sorted(self.lexical.vocabulary, key=self.lexical.vocabulary.__getitem__)
        np.savez_compressed(
            path, dense_hidden=self.dense.hidden.astype(np.float32),
            dense_hidden_bias=self.dense.hidden_bias.astype(np.float32),
            dense_coef=self.dense.coef.astype(np.float32),
            dense_intercept=np.float32(self.dense.intercept),
            threshold=np.float32(self.threshold), lexical_weight=np.float32(self.lexical_weight),
            lexical_features=np.array(features), lexical_idf=self.lexical.idf.astype(np.float32),
            lexical_coef=self.lexical.coef.astype(np.float32),
            lexical_intercept=np.float32(self.lexical.intercept),
            anchors=self.anchors.astype(np.float16), gate=np.float32(self.gate),
            bank_digest=np.array(self.bank_digest),
            signal_coef=self.signal_coef.astype(np.float32),
            signal_intercept=self.signal_intercept.astype(np.float32),
            signals=np.array(self.signals), sources=np.array(self.sources, dtype=str))

    @classmethod
    def load(cls, path: Path) -> CrisisModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                lexical = LexicalModel(
                    vocabulary={str(f): i for i, f in enumerate(data["lexical_features"])},
                    idf=data["lexical_idf"].astype(np.float64),
                    coef=data["lexical_coef"].astype(np.float64),
                    intercept=float(data["lexical_intercept"]))
                dense = DenseModel(hidden=data["dense_hidden"],
                                   hidden_bias=data["dense_hidden_bias"],
                                   coef=data["dense_coef"],
                                   intercept=float(data["dense_intercept"]))
                return cls(dense=dense, lexical=lexical,
                           lexical_weight=float(data["lexical_weight"]),
                           anchors=data["anchors"], gate=float(data["gate"]),
                           bank_digest=str(data["bank_digest"]),
                           threshold=float(data["threshold"]), signal_coef=data["signal_coef"],
                           signal_intercept=data["signal_intercept"],
                           signals=tuple(str(s) for s in data["signals"]),
                           sources=tuple(str(s) for s in data["sources"]))
        except (OSError, KeyError, ValueError) as error:
            raise ModelFileError(f"cannot read the crisis model {path}: {error}; rebuild it "
                                 "with `make safety-model`") from error


def nearest_similarity(vectors: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Each row's cosine to its most similar anchor (rows and anchors are unit vectors)."""
    if len(anchors) == 0:
        return np.ones(len(vectors), dtype=np.float32)
    best = np.full(len(vectors), -1.0, dtype=np.float32)
    for start in range(0, len(anchors), 4096):
        block = anchors[start:start + 4096].astype(np.float32)
        best = np.maximum(best, (np.asarray(vectors, dtype=np.float32) @ block.T).max(axis=1))
    return best


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -40, 40)))


@lru_cache(maxsize=1)
def load_default_model() -> CrisisModel:
    """The model shipped in the package, read once per process."""
    return CrisisModel.load(DEFAULT_MODEL)
