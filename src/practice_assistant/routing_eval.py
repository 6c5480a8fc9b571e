"""Measure safety routing on a labelled JSONL set: crisis recall and benign false positives.

Rows are ``{"text", "label", "source"}`` with labels such as ``crisis``, ``benign`` and
``unsafe-other``. Recall counts crisis rows routed ``crisis``; the false-positive rate counts
benign rows routed ``crisis``. Other labels only show up in the confusion table.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from practice_assistant.eval_data import read_jsonl
from practice_assistant.safety import SafetyRouter

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
    """Route every row and count: overall and per-source recall and false-positive rate."""
    rows = list(rows)
    vectors = _vectors(rows, router)
    confusion: dict[str, dict[str, int]] = {}
    per_source: dict[str, dict[str, int]] = {}
    for row, vector in zip(rows, vectors, strict=True):
        decision = router.route(row["text"], vector)
        route = decision.route if decision is not None else "answer"
        label = row["label"]
        confusion.setdefault(label, dict.fromkeys(ROUTES, 0))[route] += 1
        counts = per_source.setdefault(row.get("source") or "unknown", {
            "n": 0, "crisis": 0, "crisis_hit": 0, "benign": 0, "benign_hit": 0})
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
        "per_source": {
            source: {"n": c["n"],
                     "crisis_recall": _rate(c["crisis_hit"], c["crisis"]),
                     "benign_false_positive_rate": _rate(c["benign_hit"], c["benign"])}
            for source, c in sorted(per_source.items())},
    }


def format_table(result: dict[str, Any]) -> str:
    """The evaluation as a plain-text table for a terminal."""
    lines = [f"Routing on {result['n']} messages",
             f"crisis recall {_fmt(result['crisis_recall'])}, benign false-positive rate "
             f"{_fmt(result['benign_false_positive_rate'])}", "",
             f"{'label':<16}" + "".join(f"{route:>14}" for route in ROUTES)]
    for label, counts in sorted(result["confusion"].items()):
        lines.append(f"{label:<16}" + "".join(f"{counts.get(r, 0):>14}" for r in ROUTES))
    width = max([len("source"), *(len(s) for s in result["per_source"])]) + 2
    lines += ["", f"{'source':<{width}}{'n':>6}{'crisis recall':>16}{'benign FP rate':>17}"]
    for source, stats in result["per_source"].items():
        lines.append(f"{source:<{width}}{stats['n']:>6}{_fmt(stats['crisis_recall']):>16}"
                     f"{_fmt(stats['benign_false_positive_rate']):>17}")
    return "\n".join(lines)


def _vectors(rows: list[dict[str, Any]], router: SafetyRouter) -> list[list[float] | None]:
    """Whole-message embeddings in batches (what the service passes as ``vector``)."""
    if router.embeddings is None:
        return [None] * len(rows)
    vectors: list[list[float] | None] = []
    for start in range(0, len(rows), _BATCH):
        batch = [row["text"].strip() for row in rows[start:start + _BATCH]]
        vectors.extend(router.embeddings.embed_documents(batch))
    return vectors


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
