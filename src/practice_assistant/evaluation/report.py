"""Presenting an evaluation (text table, Markdown report with a plot) and checking answers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.load import load_articles
from practice_assistant.embedding import load_embeddings
from practice_assistant.evaluation.datasets import build_golden_index
from practice_assistant.evaluation.retrieval import (
    DEFAULT_EVAL_DIR,
    METRICS,
    EvalResult,
    GoldenItem,
    load_golden,
)
from practice_assistant.practice.facts import is_facts, parse_facts
from practice_assistant.safety.router import SafetyRouter
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings

COLUMNS = (*METRICS, "p50_ms", "p95_ms")
MIN_ANSWER_WORDS = 20
MAX_ANSWER_WORDS = 260
SNIPPET_CHARS = 150
_MARK = re.compile(r"\[(\d+)\]")


def format_table(result: EvalResult | dict[str, Any]) -> str:
    """A fixed-width table of every setting; the assistant's default is marked with '*'."""
    data = result.to_json() if isinstance(result, EvalResult) else result
    width = max([len("setting"), *(len(name) + 2 for name in data["results"])])
    lines = [f"{data['dataset']} / {data['split']}",
             "setting".ljust(width) + "".join(c.rjust(10) for c in COLUMNS)]
    for name, metrics in data["results"].items():
        label = f"{name} *" if name == data["default"] else name
        cells = "".join((f"{metrics[c]:.1f}" if c.endswith("_ms") else f"{metrics[c]:.3f}")
                        .rjust(10) for c in COLUMNS)
        lines.append(label.ljust(width) + cells)
    lines.append(f"* default retriever ({data['default']})")
    return "\n".join(lines)


def worst_queries(result: EvalResult, setting: str | None = None,
                  n: int = 10) -> list[dict[str, Any]]:
    """The ``n`` queries with the lowest reciprocal rank (ties by id), with what came back."""
    chosen = result.settings[setting or _focus(result)]
    rows = []
    for query_id, rr in sorted(chosen.reciprocal_rank.items(), key=lambda kv: (kv[1], kv[0]))[:n]:
        relevant = result.qrels.get(query_id, {})
        top = [{"id": doc, "relevant": doc in relevant,
                "text": _snippet(result.doc_text.get(doc, ""))}
               for doc, _ in chosen.rankings.get(query_id, [])[:3]]
        rows.append({"id": query_id, "rr": rr, "query": result.queries[query_id],
                     "relevant": sorted(relevant), "top": top})
    return rows


def write_report(out_dir: Path | str, result: EvalResult) -> Path:
    """Write report.md, metrics_vs_k.png and results.json into ``out_dir``; return report.md."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result.to_json(), indent=2) + "\n",
                                      encoding="utf-8")
    plot_curves(result, out / "metrics_vs_k.png")
    focus = _focus(result)
    lines = [f"# Retrieval evaluation: {result.dataset} ({result.split})", "",
             f"Default retriever: `{result.default}`. Documents are ranked by their best chunk.",
             "", "```", format_table(result), "```", ""]
    if result.timings_s:
        lines += ["Timings (s): " + ", ".join(f"{k} {v}" for k, v in result.timings_s.items()),
                  ""]
    lines += [f"- {key}: {value}" for key, value in result.notes.items()]
    lines += ["", "![metrics against k](metrics_vs_k.png)", "",
              f"## The 10 worst queries for `{focus}` (lowest reciprocal rank)", ""]
    for row in worst_queries(result, focus):
        query = " ".join(row["query"].split())
        relevant = ", ".join(row["relevant"][:10]) or "none (unanswerable)"
        more = f" (+{len(row['relevant']) - 10} more)" if len(row["relevant"]) > 10 else ""
        lines += [f"### {row['id']}: reciprocal rank {row['rr']:.3f}", "",
                  f"> {query[:600]}{'…' if len(query) > 600 else ''}", "",
                  f"Relevant: {relevant}{more}", "", "Top 3 retrieved:", ""]
        for rank, doc in enumerate(row["top"], start=1):
            mark = " (relevant)" if doc["relevant"] else ""
            lines.append(f"{rank}. `{doc['id']}`{mark}: {doc['text']}")
        lines.append("")
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def plot_curves(result: EvalResult, path: Path) -> None:
    """One panel per metric (hit, recall, MRR, nDCG) against k, one line per setting."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(next(iter(result.settings.values())).curves)
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.6), squeeze=False)
    for ax, metric in zip(axes[0], names, strict=True):
        for setting, data in result.settings.items():
            ks = sorted(data.curves[metric])
            ax.plot(ks, [data.curves[metric][k] for k in ks], marker="o",
                    label=f"{setting} *" if setting == result.default else setting)
        ax.set_title(f"{metric}@k")
        ax.set_xlabel("k")
        ax.set_xticks(ks)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"{result.dataset} ({result.split})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _focus(result: EvalResult) -> str:
    return result.default if result.default in result.settings else next(iter(result.settings))


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:SNIPPET_CHARS] + ("…" if len(flat) > SNIPPET_CHARS else "")


# --- answer checks ------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerFailure:
    """One problem with one golden question's answer."""

    question_id: str
    problem: str


def check_answers(assistant: Any, golden: Sequence[GoldenItem],
                  corpus_dir: Path | str | None = None) -> list[AnswerFailure]:
    """Ask every answerable golden question and check what a visitor would see.

    Every ``[n]`` has a citation, every quote is verbatim in its article, the consultation
    offer is there on an answer and absent on a crisis reply, and the length is within
    MIN_ANSWER_WORDS..MAX_ANSWER_WORDS. A standalone (non-follow-up) answerable question must
    be answered, not refused.
    """
    loaded = load_articles([Path(corpus_dir or assistant.settings.corpus_dir)])
    bodies = {a.slug: a.body for a in loaded.articles if not is_facts(a)}
    for article in (a for a in loaded.articles if is_facts(a)):
        facts = parse_facts(article.body)  # quotes are the staff's wording, not the YAML
        bodies[article.slug] = "\n".join([*(f.answer for f in facts.facts),
                                          *(e.answer for e in facts.extra)])
    failures: list[AnswerFailure] = []
    for item in golden:
        if not item.answerable:
            continue
        answer = assistant.ask(item.question)
        failures += [AnswerFailure(item.id, p) for p in answer_problems(answer, bodies, item)]
    return failures


def run_answer_checks(golden_path: Path | str = Path("eval/golden.jsonl"), *,
                      corpus_dir: Path | str | None = None, embeddings: Any | None = None,
                      settings: Any | None = None, eval_dir: Path | str = DEFAULT_EVAL_DIR,
                      safety: SafetyRouter) -> list[AnswerFailure]:
    """Index the corpus under ``eval_dir`` (not the serving index) and check every answer,
    routed by ``safety`` as the chat page routes it."""
    settings = settings or Settings()
    if embeddings is None:
        embeddings = load_embeddings()
    corpus = Path(corpus_dir or settings.corpus_dir)
    store = build_golden_index(corpus, embeddings, Path(eval_dir))
    assistant = Assistant(settings, embeddings, safety, store)
    return check_answers(assistant, load_golden(golden_path), corpus)


def answer_problems(answer: Any, bodies: dict[str, str],
                    item: GoldenItem | None = None) -> list[str]:
    """Everything wrong with one answer (empty list when it passes)."""
    problems: list[str] = []
    numbers = {c.n for c in answer.citations}
    for n in sorted({int(m) for m in _MARK.findall(answer.answer)} - numbers):
        problems.append(f"[{n}] in the answer has no citation")
    for n in sorted(numbers - {int(m) for m in _MARK.findall(answer.answer)}):
        problems.append(f"citation {n} is never referenced in the answer")
    for citation in answer.citations:
        body = bodies.get(citation.slug)
        if body is None:
            problems.append(f"citation {citation.n} names unknown article {citation.slug!r}")
        else:
            for part in citation.sections:
                if not part.quote.strip() or part.quote not in body:
                    problems.append(f"citation {citation.n} quote is not verbatim in "
                                    f"{citation.slug}: {_snippet(part.quote)!r}")
    if answer.route in ("answer", "practice_info") and not answer.consultation:
        problems.append(f"route {answer.route!r} without the consultation offer")
    if answer.route == "crisis" and answer.consultation:
        problems.append("crisis reply carries the consultation offer")
    words = len(answer.answer.split())
    if answer.route == "answer" and not MIN_ANSWER_WORDS <= words <= MAX_ANSWER_WORDS:
        problems.append(f"answer has {words} words; expected {MIN_ANSWER_WORDS}.."
                        f"{MAX_ANSWER_WORDS}")
    if item is not None and item.answerable and not item.followup_of and answer.route != "answer":
        problems.append(f"answerable question routed to {answer.route}")
    return problems
