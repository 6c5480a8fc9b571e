"""Measure safety routing: on a labelled JSONL set, and held out by source.

:func:`evaluate_routing` routes a labelled set with a given router (the shipped one, usually).
:func:`held_out_by_source` is the honest figure: for each source, a router whose classifier was
fitted and tuned without that source routes it. :func:`train_shipped_model` fits on all sources.

Rows are ``{"text", "label", "source"}`` with labels such as ``crisis``, ``benign`` and
``unsafe-other``. Recall counts crisis rows routed ``crisis``; the false-positive rate counts
benign rows routed ``crisis``. Other labels only show up in the confusion table.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.embedding import CachingEmbeddings
from practice_assistant.jsonl import read_jsonl
from practice_assistant.safety.model import CrisisModel
from practice_assistant.safety.router import SafetyRouter, message_units, rule_decision
from practice_assistant.safety.sources import (
    LabelledMessage,
    RoutingData,
    bank_digest,
    load_all,
)
from practice_assistant.safety.train import (
    DEFAULT_OPTIONS,
    HeldOut,
    Pieces,
    TrainOptions,
    embed_pieces,
    leave_one_source_out,
    train_model,
)

log = logging.getLogger(__name__)

ROUTES = ("crisis", "out_of_scope", "answer")
_BATCH = 64


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL routing set; a bad row raises ValueError naming its line."""
    rows: list[dict[str, Any]] = []
    for number, row in read_jsonl(Path(path)):
        for key in ("text", "label", "source"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise ValueError(f"{path}:{number}: missing or empty string field {key!r}")
        rows.append(row)
    return rows


def evaluate_routing(rows: Iterable[dict[str, Any]], router: SafetyRouter) -> dict[str, Any]:
    """Route every row and count: overall, per-source and per-category (rows that carry a
    ``category``) recall and false-positive rate."""
    rows = list(rows)
    vectors = _vectors(rows, router)
    confusion: dict[str, dict[str, int]] = {}
    per_source: dict[str, dict[str, int]] = {}
    per_category: dict[str, dict[str, int]] = {}
    for row, vector in zip(rows, vectors, strict=True):
        decision = router.route(row["text"], vector)
        route = decision.route if decision is not None else "answer"
        label = row["label"]
        confusion.setdefault(label, dict.fromkeys(ROUTES, 0))[route] += 1
        groups = [per_source.setdefault(row.get("source") or "unknown", _empty_counts())]
        if isinstance(row.get("category"), str):
            groups.append(per_category.setdefault(f"{label}/{row['category']}", _empty_counts()))
        for counts in groups:
            counts["n"] += 1
            if label in ("crisis", "benign"):
                counts[label] += 1
                counts[f"{label}_hit"] += route == "crisis"
    crisis = confusion.get("crisis", {})
    benign = confusion.get("benign", {})
    return {
        "n": len(rows),
        "crisis_recall": _rate(crisis.get("crisis", 0), sum(crisis.values())),
        "benign_false_positive_rate": _rate(benign.get("crisis", 0), sum(benign.values())),
        "confusion": confusion,
        "per_source": {source: _group_rates(c) for source, c in sorted(per_source.items())},
        "per_category": {name: _group_rates(c) for name, c in sorted(per_category.items())},
    }


def _empty_counts() -> dict[str, int]:
    return {"n": 0, "crisis": 0, "crisis_hit": 0, "benign": 0, "benign_hit": 0}


def _group_rates(counts: dict[str, int]) -> dict[str, Any]:
    return {"n": counts["n"], "crisis_recall": _rate(counts["crisis_hit"], counts["crisis"]),
            "benign_false_positive_rate": _rate(counts["benign_hit"], counts["benign"])}


def format_table(result: dict[str, Any]) -> str:
    """The evaluation as a plain-text table for a terminal."""
    lines = [f"Routing on {result['n']} messages",
             f"crisis recall {_fmt(result['crisis_recall'])}, benign false-positive rate "
             f"{_fmt(result['benign_false_positive_rate'])}", "",
             f"{'label':<16}" + "".join(f"{route:>14}" for route in ROUTES)]
    for label, counts in sorted(result["confusion"].items()):
        lines.append(f"{label:<16}" + "".join(f"{counts.get(r, 0):>14}" for r in ROUTES))
    for heading, groups in (("source", result["per_source"]),
                            ("category", result.get("per_category") or {})):
        if not groups:
            continue
        width = max([len(heading), *(len(s) for s in groups)]) + 2
        lines += ["", f"{heading:<{width}}{'n':>6}{'crisis recall':>16}{'benign FP rate':>17}"]
        for name, stats in groups.items():
            lines.append(f"{name:<{width}}{stats['n']:>6}{_fmt(stats['crisis_recall']):>16}"
                         f"{_fmt(stats['benign_false_positive_rate']):>17}")
    return "\n".join(lines)


def _vectors(rows: list[dict[str, Any]], router: SafetyRouter) -> list[list[float] | None]:
    """Whole-message embeddings in batches (what the service passes as ``vector``)."""
    if router.embeddings is None:
        return [None] * len(rows)
    vectors: list[list[float] | None] = []
    try:
        for start in range(0, len(rows), _BATCH):
            batch = [row["text"].strip() for row in rows[start:start + _BATCH]]
            vectors.extend(router.embeddings.embed_documents(batch))
    except Exception:  # the router then routes by its rules alone, as the service would
        log.exception("eval-routing: embedding failed; routing by the rules alone")
        return [None] * len(rows)
    return vectors


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _prepared(data: RoutingData, embeddings: Embeddings
              ) -> tuple[list[LabelledMessage], Pieces, np.ndarray, CachingEmbeddings]:
    """Rows, their embedded pieces (cached on disk) and which of them the rules catch."""
    rows = load_all(data.bank, data.shared_crisis, data.golden, data.visitor_questions)
    if not rows:
        raise ValueError(f"no labelled messages under {data.bank}")
    cached = CachingEmbeddings(embeddings, data.cache)
    pieces = embed_pieces(rows, lambda texts: np.asarray(cached.embed_documents(list(texts)),
                                                         dtype=np.float32), message_units)
    cached.save()
    caught = np.array([rule_decision(row.text) is not None for row in rows])
    return rows, pieces, caught, cached


def train_shipped_model(data: RoutingData, embeddings: Embeddings, out: Path,
                        options: TrainOptions = DEFAULT_OPTIONS) -> CrisisModel:
    """Fit on every source and write the model the router ships with."""
    rows, pieces, caught, _ = _prepared(data, embeddings)
    model = dataclasses.replace(train_model(rows, pieces, caught, options),
                                bank_digest=bank_digest(data.bank))
    model.save(out)
    return model


def held_out_by_source(data: RoutingData, embeddings: Embeddings,
                       options: TrainOptions = DEFAULT_OPTIONS,
                       sources: Sequence[str] | None = None,
                       scores: list[dict[str, Any]] | None = None) -> list[HeldOut]:
    """Every source routed by the full router (rules, classifier) fitted and tuned without it.

    ``scores``, when given, receives one record per held-out message (source, label, kind,
    whether the rules caught it, the classifier's probability; never the text), so the
    recall / false-positive trade-off can be read at any threshold from one run.
    """
    rows, pieces, caught, cached = _prepared(data, embeddings)

    def route(model: CrisisModel, row: LabelledMessage) -> tuple[bool, str]:
        router = SafetyRouter(cached, model)
        by_rules = router.rules(row.text) is not None
        detection = None if by_rules and scores is None else router.detect(row.text)
        if scores is not None:
            scores.append({"source": row.source, "label": row.label, "kind": row.kind,
                           "rules": by_rules, "threshold": model.threshold,
                           "probability": None if detection is None
                           else round(detection.probability, 4)})
        if by_rules:
            return True, "rules"
        return bool(detection is not None and detection.fires), "classifier"

    return leave_one_source_out(rows, pieces, caught, route, options, sources)


def format_held_out(results: Sequence[HeldOut]) -> str:
    """The held-out figures as a Markdown table: one row per source left out."""
    lines = ["| held-out source | crisis recall | by rules / classifier | benign false "
             "positives | other labels routed crisis | threshold |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in results:
        recall = f"{r.recall:.3f} ({r.crisis_caught}/{r.crisis})" if r.crisis else "-"
        fpr = (f"{r.false_positive_rate:.3f} ({r.benign_flagged}/{r.benign})" if r.benign
               else "-")
        other = f"{r.report_only_flagged}/{r.report_only}" if r.report_only else "-"
        layers = f"{r.by_rules} / {r.by_classifier}" if r.crisis else "-"
        lines.append(f"| {r.source} | {recall} | {layers} | {fpr} | {other} | "
                     f"{r.threshold:.3f} |")
    return "\n".join(lines)
