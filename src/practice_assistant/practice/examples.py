"""The topic examples the ``practice_info`` route compares a message with, and their thresholds.

Built only from ``training/`` (``practice_topics.jsonl`` plus any extra example files there) by
``practice-assistant train-practice`` and shipped in the package (``data/practice_examples.npz``)
so the app never embeds them at start-up. The thresholds come from leave-one-out similarity
on the same rows (:func:`fit_thresholds`); the evaluation sets in ``eval/`` are never read here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.embedding import MODEL_NAME
from practice_assistant.jsonl import read_jsonl

DEFAULT_BANK = Path(__file__).parent / "data" / "practice_examples.npz"
TRAINING_FILES = (Path("training/practice_topics.jsonl"), Path("training/practice_extra.jsonl"),
                  Path("training/practice_extra2.jsonl"))
ARTICLE = "article"
NEIGHBOURS = 3
# Embedding-only routing must keep the article rows' false-positive rate at or under this
# (leave-one-out on the training rows); a vetoed pattern needs half that margin.
MAX_ARTICLE_FP = 0.01
MARGIN_GRID = tuple(round(x * 0.01, 2) for x in range(0, 31))


class BankFileError(Exception):
    """The shipped examples are missing or unreadable: rebuild with `train-practice`."""


@dataclass(frozen=True, eq=False)
class ExampleBank:
    """Unit vectors of labelled examples (a topic, or ``article``) and the fitted margins."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    vectors: np.ndarray
    free_margin: float
    veto_margin: float
    fingerprint: str

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(sorted({label for label in self.labels if label != ARTICLE}))

    def scores(self, vector: Sequence[float],
               exclude: int | None = None) -> dict[str, tuple[float, int]]:
        """label → (mean cosine of its NEIGHBOURS nearest examples, index of the nearest)."""
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if exclude is not None:
            sims[exclude] = -1.0
        labels = np.asarray(self.labels)
        out: dict[str, tuple[float, int]] = {}
        for label in (*self.topics, ARTICLE):
            rows = np.flatnonzero(labels == label)
            if not len(rows):
                continue
            order = rows[np.argsort(-sims[rows])]
            out[label] = (float(sims[order[:NEIGHBOURS]].mean()), int(order[0]))
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, texts=np.array(self.texts), labels=np.array(self.labels),
                            vectors=self.vectors.astype(np.float16),
                            margins=np.array([self.free_margin, self.veto_margin]),
                            fingerprint=np.array(self.fingerprint))


def load_bank(path: Path = DEFAULT_BANK) -> ExampleBank:
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors = data["vectors"].astype(np.float32)
            free, veto = (float(x) for x in data["margins"])
            return ExampleBank(tuple(str(t) for t in data["texts"]),
                               tuple(str(label) for label in data["labels"]), vectors, free,
                               veto, str(data["fingerprint"]))
    except (OSError, KeyError, ValueError) as error:
        raise BankFileError(f"{path}: cannot read the practice examples ({error}); rebuild "
                            "them with `practice-assistant train-practice`") from None


def read_examples(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(text, topic) for every row of the given JSONL files that exist; bad rows raise."""
    rows: list[tuple[str, str]] = []
    for path in paths:
        if not path.is_file():
            continue
        for number, row in read_jsonl(path):
            if not isinstance(row.get("text"), str) or not isinstance(row.get("topic"), str):
                raise ValueError(f"{path}:{number}: expected 'text' and 'topic' strings")
            rows.append((row["text"], row["topic"]))
    return rows


def fingerprint(paths: Sequence[Path]) -> str:
    """Changes whenever a training file (or the embedding model) does."""
    digest = hashlib.sha256(MODEL_NAME.encode())
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def margin(scores: dict[str, tuple[float, int]]) -> tuple[str, float]:
    """The nearest topic and how much closer it is than the nearest article examples."""
    topic = max((t for t in scores if t != ARTICLE), key=lambda t: scores[t][0])
    return topic, scores[topic][0] - scores.get(ARTICLE, (0.0, 0))[0]


def fit_thresholds(labels: Sequence[str], vectors: np.ndarray) -> tuple[float, float]:
    """The smallest margin whose leave-one-out false-positive rate on the article rows is at
    most MAX_ARTICLE_FP (embedding-only routing), and half of it (a vetoed pattern)."""
    probe = ExampleBank(tuple("" for _ in labels), tuple(labels), vectors, 0.0, 0.0, "")
    article = [margin(probe.scores(vectors[i], exclude=i))[1]
               for i, label in enumerate(labels) if label == ARTICLE]
    values = np.asarray(article)
    free = next(m for m in (*MARGIN_GRID, 1.0) if (values >= m).mean() <= MAX_ARTICLE_FP)
    return free, round(free / 2, 3)


def train_bank(embeddings: Embeddings, paths: Sequence[Path] = TRAINING_FILES) -> ExampleBank:
    """Embed the training rows and fit the margins."""
    rows = read_examples(paths)
    if not rows:
        raise ValueError(f"no training rows in {', '.join(str(p) for p in paths)}")
    texts = tuple(t for t, _ in rows)
    labels = tuple(label for _, label in rows)
    vectors = np.asarray(embeddings.embed_documents(list(texts)), dtype=np.float32)
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float16)
    vectors = vectors.astype(np.float32)  # fit on exactly what ships
    free, veto = fit_thresholds(labels, vectors)
    return ExampleBank(texts, labels, vectors, free, veto, fingerprint(paths))
