"""Is this a question the practice's articles answer? A small logistic regression, shipped.

It decides every composed answer (only a question about what a cited article says it does not
cover is refused before it, by rule). It reads eleven numbers the pipeline already has, each
one explainable:

- ``answered`` / ``unanswered``: the mean cosine of the question to its NEIGHBOURS nearest
  labelled questions that the articles do answer, and to those they do not (near misses written
  by several writers, ``eval/`` and ``training/``), shipped as unit vectors with their texts so
  the ``reason`` can name the nearest of each;
- ``central_uncovered`` / ``joint_uncovered`` / ``rare_uncovered``: for the question's rare
  content words that no cited passage contains, how far the question's embedding moves when the
  most central one is removed, when all are removed together, and how many there are
  (:mod:`practice_assistant.answering.addressing`);
- ``coverage`` and ``similarity``: the rarity-weighted share of the question's terms the picked
  sentences contain, and the best cosine between the question and one picked sentence;
- ``uncovered``: the share of the question's content words no picked sentence (or cited title)
  contains;
- ``context_coverage``: the rarity-weighted share of its content terms the cited passages,
  their titles and sections contain;
- ``best_passage``: the best retrieved passage's cosine to the question;
- ``title``: the best cosine between the question and a cited article's title.

Why one model and not the rules of :mod:`~practice_assistant.answering.addressing` in front of
it: on writers left out of the fit, the rules refused a third of the answerable questions worded
as a visitor's own situation ("the walls are paper thin": six incidental words, central
together), and the same numbers weighed together with the nearest labelled questions refuse as
many near misses while answering more of those (docs/evaluation.md).

Fitted by ``practice-assistant train-answerable`` (:mod:`practice_assistant.evaluation.answerable`,
which also validates it leaving one writer out at a time) into ``data/answerable_model.npz``.
A question scoring under ``threshold`` gets ``no_answer``.

The labelled questions describe the articles as they are: a new article that answers what was a
near miss needs its near misses relabelled and the model rebuilt (`make answerable-model`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_MODEL = Path(__file__).parent / "data" / "answerable_model.npz"
FEATURES = ("answered", "unanswered", "central_uncovered", "joint_uncovered", "rare_uncovered",
            "coverage", "similarity", "uncovered", "context_coverage", "best_passage", "title")
NEIGHBOURS = 3


class AnswerModelError(Exception):
    """The shipped answerability model is missing or unreadable: rebuild it."""


@dataclass(frozen=True)
class Judgement:
    """The model's score for one question, and what it was compared with."""

    probability: float
    threshold: float
    nearest_answered: str
    nearest_unanswered: str

    @property
    def answerable(self) -> bool:
        return self.probability >= self.threshold


@dataclass(frozen=True, eq=False)
class AnswerModel:
    """Standardised logistic regression over FEATURES, with the labelled questions it reads."""

    coef: np.ndarray          # one per feature, on standardised values
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    vectors: np.ndarray       # unit vectors of the labelled questions
    answered: np.ndarray      # bool per row: the articles answer it
    texts: tuple[str, ...]
    fingerprint: str = ""

    def neighbours(self, vector: Sequence[float],
                   keep: np.ndarray | None = None) -> tuple[float, float, int, int]:
        """(mean cosine to the nearest answered, ... unanswered, index of each nearest);
        ``keep`` masks the rows that may be compared with (leaving one writer out)."""
        return neighbours(self.vectors, self.answered, vector, keep)

    def probability(self, features: Sequence[float]) -> float:
        values = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        return float(1.0 / (1.0 + np.exp(-(values @ self.coef + self.intercept))))

    def judge(self, vector: Sequence[float], pipeline: Sequence[float]) -> Judgement:
        """``pipeline`` is FEATURES[2:] as :class:`AddressCheck` computes them."""
        answered, unanswered, near_yes, near_no = self.neighbours(vector)
        return Judgement(round(self.probability([answered, unanswered, *pipeline]), 3),
                         self.threshold, self.texts[near_yes], self.texts[near_no])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, features=np.array(FEATURES), coef=self.coef.astype(np.float64),
            intercept=np.float64(self.intercept), mean=self.mean.astype(np.float64),
            scale=self.scale.astype(np.float64), threshold=np.float64(self.threshold),
            vectors=self.vectors.astype(np.float16), answered=self.answered.astype(bool),
            texts=np.array(self.texts), fingerprint=np.array(self.fingerprint))

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> AnswerModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                if tuple(str(f) for f in data["features"]) != FEATURES:
                    raise ValueError("its features are not this version's")
                return cls(coef=data["coef"], intercept=float(data["intercept"]),
                           mean=data["mean"], scale=data["scale"],
                           threshold=float(data["threshold"]),
                           vectors=data["vectors"].astype(np.float32),
                           answered=data["answered"].astype(bool),
                           texts=tuple(str(t) for t in data["texts"]),
                           fingerprint=str(data["fingerprint"]))
        except (OSError, KeyError, ValueError) as error:
            raise AnswerModelError(f"cannot read the answerability model {path}: {error}; "
                                   "rebuild it with `make answerable-model`") from error


def neighbours(vectors: np.ndarray, answered: np.ndarray, vector: Sequence[float],
               keep: np.ndarray | None = None) -> tuple[float, float, int, int]:
    """Mean cosine of the NEIGHBOURS nearest answered and unanswered rows, and each nearest."""
    sims = vectors @ np.asarray(vector, dtype=np.float32)
    out: list[float] = []
    nearest: list[int] = []
    for label in (True, False):
        mask = answered == label
        if keep is not None:
            mask &= keep
        rows = np.flatnonzero(mask)
        if not len(rows):
            out.append(0.0)
            nearest.append(0)
            continue
        order = rows[np.argsort(-sims[rows])][:NEIGHBOURS]
        out.append(float(sims[order].mean()))
        nearest.append(int(order[0]))
    return out[0], out[1], nearest[0], nearest[1]


@functools.cache
def load_default_model() -> AnswerModel:
    return AnswerModel.load(DEFAULT_MODEL)
