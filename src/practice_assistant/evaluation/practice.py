"""Measuring issue 12's routes end to end: practical questions, near misses, narrower topics.

Every row is asked through the real :class:`~practice_assistant.service.Assistant` (crisis
routing first, then the practice detector, retrieval, the addressing check) over the golden
index of ``corpus/``. Nothing here feeds back into a threshold, a pattern or an example of the
practice detector (those come from ``training/``). The answerability model of the addressing
check is the exception: ``train-answerable`` fits it on these files' near misses and article
questions too (:mod:`practice_assistant.evaluation.answerable`), so for that check these sets
are in-sample and only its leave-one-writer-out table measures it.

- ``eval/practice_questions.jsonl`` (``text``, ``label`` practice_info|article, ``topic``):
  precision and recall of ``practice_info``, the route confusion and the topic confusion;
- ``eval/near_misses.jsonl`` (``text``, ``expected`` no_answer|practice_info): the share routed
  as expected (``out_of_scope`` counts as a refusal for a ``no_answer`` row);
- ``eval/golden_narrow.jsonl`` (``text``, ``slug``, ``narrower``): answered, citing the slug,
  with the narrower-topic lead-in.

Rows that the crisis router sends to ``crisis`` are counted and reported apart (the figures
are given with them and without them), since that router is measured in docs/safety.md.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from practice_assistant.answering.compose import NARROW_LEAD_IN, NARROW_LEAD_IN_MANY
from practice_assistant.jsonl import read_jsonl

REFUSALS = ("no_answer", "out_of_scope")


@dataclass(frozen=True)
class Routed:
    """One row as the assistant routed it."""

    text: str
    expected: str
    route: str
    topic: str | None = None
    got_topic: str | None = None
    signal: str | None = None
    reason: str | None = None
    detail: str | None = None


@dataclass
class PracticeReport:
    """Figures for ``eval`` and docs/evaluation.md; ``rows`` keep every routed row."""

    name: str
    rows: list[Routed] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"set": self.name, "rows": len(self.rows)}


@dataclass
class PracticeInfoReport(PracticeReport):
    def counts(self, skip_crisis: bool = False) -> dict[str, int]:
        rows = [r for r in self.rows if not (skip_crisis and r.route == "crisis")]
        tp = sum(r.expected == "practice_info" and r.route == "practice_info" for r in rows)
        fp = sum(r.expected != "practice_info" and r.route == "practice_info" for r in rows)
        fn = sum(r.expected == "practice_info" and r.route != "practice_info" for r in rows)
        return {"rows": len(rows), "tp": tp, "fp": fp, "fn": fn}

    def metrics(self, skip_crisis: bool = False) -> dict[str, float]:
        c = self.counts(skip_crisis)
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        right = sum(r.route == "practice_info" and r.topic == r.got_topic for r in self.rows)
        return {"precision": round(precision, 3), "recall": round(recall, 3),
                "topic_accuracy": round(right / c["tp"], 3) if c["tp"] else 0.0}

    def confusion(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = {}
        for r in self.rows:
            table.setdefault(r.expected, Counter())[r.route] += 1
        return {k: dict(v) for k, v in table.items()}

    def topic_confusion(self) -> dict[str, int]:
        pairs = Counter(f"{r.topic} -> {r.got_topic}" for r in self.rows
                        if r.route == "practice_info" and r.expected == "practice_info"
                        and r.topic != r.got_topic)
        return dict(pairs.most_common())

    def to_json(self) -> dict[str, Any]:
        return {"set": self.name, **self.counts(), **self.metrics(),
                "crisis_routed": sum(r.route == "crisis" for r in self.rows),
                "without_crisis_rows": self.metrics(skip_crisis=True),
                "confusion": self.confusion(), "topic_confusion": self.topic_confusion()}


@dataclass
class NearMissReport(PracticeReport):
    def correct(self, row: Routed) -> bool:
        if row.expected == "no_answer":
            return row.route in REFUSALS
        return row.route == row.expected

    def rate(self, skip_crisis: bool = False) -> float:
        rows = [r for r in self.rows if not (skip_crisis and r.route == "crisis")]
        return round(sum(self.correct(r) for r in rows) / len(rows), 3) if rows else 0.0

    def to_json(self) -> dict[str, Any]:
        table: dict[str, Counter[str]] = {}
        for r in self.rows:
            table.setdefault(r.expected, Counter())[r.route] += 1
        return {"set": self.name, "rows": len(self.rows), "as_expected": self.rate(),
                "crisis_routed": sum(r.route == "crisis" for r in self.rows),
                "as_expected_without_crisis_rows": self.rate(skip_crisis=True),
                "no_article_answer": self.no_article_answer(),
                "confusion": {k: dict(v) for k, v in table.items()}}

    def no_article_answer(self) -> float:
        """Share of the rows that got no article digest: the failure the near misses are for is
        an answer quoted from the wrong article; a practical or scope reply is not that, though
        ``as_expected`` counts it wrong where the label says ``no_answer``."""
        return round(sum(r.route != "answer" for r in self.rows) / len(self.rows), 3) \
            if self.rows else 0.0


@dataclass
class NarrowReport(PracticeReport):
    def to_json(self) -> dict[str, Any]:
        routes = Counter(r.route for r in self.rows)
        return {"set": self.name, "rows": len(self.rows), "routes": dict(routes),
                "cites_slug": sum(r.detail in ("narrow", "cited") for r in self.rows),
                "narrow_lead_in": sum(r.detail == "narrow" for r in self.rows)}


def evaluate_practice_questions(assistant: Any, path: Path) -> PracticeInfoReport:
    report = PracticeInfoReport(path.name)
    for number, row in read_jsonl(path):
        text, label = _field(path, number, row, "text"), _field(path, number, row, "label")
        answer = assistant.ask(text)
        report.rows.append(Routed(text, label, answer.route, row.get("topic"),
                                  _topic(answer.signal), answer.signal, answer.reason))
    return report


def evaluate_near_misses(assistant: Any, path: Path) -> NearMissReport:
    report = NearMissReport(path.name)
    for number, row in read_jsonl(path):
        text, expected = _field(path, number, row, "text"), _field(path, number, row, "expected")
        answer = assistant.ask(text)
        report.rows.append(Routed(text, expected, answer.route, None, _topic(answer.signal),
                                  answer.signal, answer.reason))
    return report


def evaluate_narrow(assistant: Any, path: Path) -> NarrowReport:
    report = NarrowReport(path.name)
    for number, row in read_jsonl(path):
        text, slug = _field(path, number, row, "text"), _field(path, number, row, "slug")
        answer = assistant.ask(text)
        cited = any(c.slug == slug for c in answer.citations)
        lead = answer.answer.split("\n", 1)[0]
        narrow = lead.startswith((NARROW_LEAD_IN.split("{")[0], NARROW_LEAD_IN_MANY.split("{")[0]))
        detail = "narrow" if cited and narrow else "cited" if cited else "not cited"
        report.rows.append(Routed(text, "answer", answer.route, slug, None, answer.signal,
                                  lead if answer.route == "answer" else answer.reason, detail))
    return report


def narrow_lead_ins(assistant: Any, questions: Sequence[str]) -> int:
    """How many of ``questions`` (on-topic golden ones) get the narrower-topic lead-in."""
    prefixes = (NARROW_LEAD_IN.split("{")[0], NARROW_LEAD_IN_MANY.split("{")[0])
    return sum(assistant.ask(q).answer.startswith(prefixes) for q in questions)


def format_reports(reports: Sequence[PracticeReport], show_errors: bool = True) -> str:
    """A text block per set: the headline figures, the confusion, and each misrouted row."""
    lines: list[str] = []
    for report in reports:
        data = report.to_json()
        lines.append(f"{data['set']}: " + json.dumps({k: v for k, v in data.items()
                                                      if k not in ("set", "confusion",
                                                                   "topic_confusion")}))
        if "confusion" in data:
            lines.append(f"  confusion (expected -> routes): {json.dumps(data['confusion'])}")
        if data.get("topic_confusion"):
            lines.append(f"  topic confusion: {json.dumps(data['topic_confusion'])}")
        if show_errors:
            for row in _errors(report):
                lines.append(f"  - expected {row.expected}, got {row.route}"
                             f"{f' ({row.got_topic})' if row.got_topic else ''}: {row.text!r}"
                             f"  [{row.signal or '-'}: {(row.reason or '')[:140]}]")
    return "\n".join(lines)


def _errors(report: PracticeReport) -> list[Routed]:
    if isinstance(report, NearMissReport):
        return [r for r in report.rows if not report.correct(r)]
    if isinstance(report, NarrowReport):
        return [r for r in report.rows if r.detail != "narrow"]
    return [r for r in report.rows if (r.expected == "practice_info") != (
        r.route == "practice_info") or (r.route == "practice_info" and r.topic != r.got_topic
                                        and r.expected == "practice_info")]


def _topic(signal: str | None) -> str | None:
    if signal and signal.startswith("practice_") and ":" in signal:
        return signal.split(":", 1)[1]
    return None


def _field(path: Path, number: int, row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{path}:{number}: field {key!r} must be a non-empty string")
    return value
