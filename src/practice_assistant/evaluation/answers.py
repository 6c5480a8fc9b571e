"""`eval-answers`: extractive and LLM answers on the golden questions, side by side.

Measures, per mode: the share of answer sentences the verifier finds supported (for the LLM, in
the raw draft and in what the visitor gets), whether [n] markers resolve, how often the answer
fell back, and latency to the first token and in total. Also the follow-up rule's effect on
retrieval (hit@3 of the golden follow-ups with and without it).
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from practice_assistant.answering.followup import carry_topic
from practice_assistant.answering.generate import Drafted, LLMAnswerer, build_chat_model
from practice_assistant.answering.verify import Verifier
from practice_assistant.app_service import build_assistant
from practice_assistant.evaluation.datasets import GoldenItem, load_golden
from practice_assistant.models import Answer, Chunk, Passage
from practice_assistant.retrieval.hybrid import cap_per_article
from practice_assistant.service import Assistant

_MARKER = re.compile(r"\[(\d+)\]")


def history_for(row: GoldenItem, rows: Sequence[GoldenItem]) -> list[str]:
    """The earlier question a follow-up leans on, as the visitor's history."""
    by_id = {r.id: r for r in rows}
    chain: list[str] = []
    current = row
    while current.followup_of and current.followup_of in by_id:
        current = by_id[current.followup_of]
        chain.insert(0, current.question)
    return chain


def followup_hit_rates(assistant: Any, rows: Sequence[GoldenItem], k: int = 3) -> dict[str, Any]:
    """hit@k of retrieval with and without the follow-up rule.

    Follow-ups get their golden parent as history; the other answerable questions get the row
    before them as history, to show what the rule costs when it fires on a standalone question.
    """
    retriever = assistant.retriever()
    settings = assistant.settings

    def rank(query: str, slugs: tuple[str, ...]) -> int | None:
        passages = cap_per_article(retriever.search(query, k=settings.top_k * 4),
                                   settings.max_chunks_per_article, settings.top_k)
        return next((i for i, p in enumerate(passages) if p.chunk.slug in slugs), None)

    def hits(ranks: list[int | None], at: int) -> float:
        return _mean([r is not None and r < at for r in ranks])

    result: dict[str, Any] = {"k": k}
    followups = [r for r in rows if r.followup_of]
    standalone = [r for r in rows if r.answerable and not r.followup_of]
    for name, group, histories in (
            ("followups", followups, [history_for(r, rows) for r in followups]),
            ("standalone_after_previous", standalone,
             [[rows[max(rows.index(r) - 1, 0)].question] if rows.index(r) else []
              for r in standalone])):
        without = [rank(r.question, r.slugs) for r in group]
        rewritten = [carry_topic(r.question, h) for r, h in zip(group, histories, strict=True)]
        with_rule = [rank(q, r.slugs) for q, r in zip(rewritten, group, strict=True)]
        result[name] = {"n": len(group), "hit_without_rule": hits(without, k),
                        "hit_with_rule": hits(with_rule, k),
                        "hit1_without_rule": hits(without, 1), "hit1_with_rule": hits(with_rule, 1),
                        "rule_fired": sum(q != r.question
                                          for q, r in zip(rewritten, group, strict=True))}
    return result


def evaluate_mode(assistant: Any, rows: Sequence[GoldenItem], verifier: Verifier,
                  drafts: list[Drafted] | None = None) -> dict[str, Any]:
    """Ask every answerable golden question (follow-ups with their history) and score."""
    supported: list[float] = []
    markers_ok: list[float] = []
    cites_gold: list[bool] = []
    first_token: list[float] = []
    total: list[float] = []
    fallbacks: dict[str, int] = {}
    routes: dict[str, int] = {}
    for row in (r for r in rows if r.answerable):
        answer = assistant.ask(row.question, history_for(row, rows))
        routes[answer.route] = routes.get(answer.route, 0) + 1
        if answer.route != "answer":
            continue
        supported.append(_supported_fraction(answer, verifier, assistant.retriever().chunks))
        markers = [int(n) for n in _MARKER.findall(answer.answer)]
        numbers = {c.n for c in answer.citations}
        markers_ok.append(sum(n in numbers for n in markers) / len(markers) if markers else 0.0)
        cites_gold.append(any(c.slug in row.slugs for c in answer.citations))
        if answer.fallback:
            fallbacks[answer.fallback] = fallbacks.get(answer.fallback, 0) + 1
        total.append(answer.timings_ms["total"])
        first_token.append(answer.timings_ms.get("first_token", answer.timings_ms["total"]))
    answered = len(total)
    report: dict[str, Any] = {
        "routes": routes, "answered": answered,
        "sentences_supported": _mean(supported), "markers_resolve": _mean(markers_ok),
        "cites_golden_article": _mean(cites_gold),
        "fallback_rate": {k: round(v / answered, 3) for k, v in fallbacks.items()}
        if answered else {},
        "first_token_ms": _percentiles(first_token), "total_ms": _percentiles(total)}
    if drafts:
        verified = [d.verification for d in drafts if d.verification is not None]
        report["draft"] = {
            "n": len(drafts),
            "sentences_supported": _mean([v.supported_fraction for v in verified]),
            "words_kept": _mean([v.kept_fraction for v in verified]),
            "markers_valid": _mean([1 - v.invalid_markers / v.markers for v in verified
                                    if v.markers]),
            "drafts_without_markers": sum(v.markers == 0 for v in verified)}
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = []
    for mode in ("extractive", "llm"):
        data = report.get(mode)
        if not data:
            continue
        lines.append(f"{mode}: answered {data['answered']} {data['routes']}")
        lines.append(f"  sentences supported {data['sentences_supported']:.3f}  markers resolve "
                     f"{data['markers_resolve']:.3f}  cites golden article "
                     f"{data['cites_golden_article']:.3f}  fallback {data['fallback_rate']}")
        lines.append(f"  first token ms {data['first_token_ms']}  total ms {data['total_ms']}")
        if "draft" in data:
            lines.append(f"  raw drafts: {data['draft']}")
    if "followup" in report:
        lines.append(f"follow-up rule (hit@{report['followup']['k']}): "
                     f"{json.dumps({k: v for k, v in report['followup'].items() if k != 'k'})}")
    return "\n".join(lines)


def _supported_fraction(answer: Answer, verifier: Verifier, chunks: Sequence[Chunk]) -> float:
    """Each answer sentence checked against the passage its citation quotes from."""
    passages = []
    for c in sorted(answer.citations, key=lambda c: c.n):
        text = next((ch.text for ch in chunks if ch.slug == c.slug and c.quote in ch.text),
                    c.quote)
        passages.append(Passage(Chunk(id=str(c.n), slug=c.slug, title=c.title, url=c.url,
                                      section=c.section, text=text, position=0), 1.0))
    body = answer.answer
    lead = body.split("\n", 1)
    if len(lead) == 2 and not _MARKER.search(lead[0]):
        body = lead[1]  # the extractive lead-in line is not a claim
    return verifier.verify(body, passages).supported_fraction


def _mean(values: Sequence[float | bool]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


def run_answer_eval(settings: Any, golden: Path, limit: int | None = None) -> dict[str, Any]:
    """Extractive always; the LLM too when ``settings.llm`` names one (PA_LLM=openai)."""
    rows = load_golden(golden)
    rows = rows[:limit] if limit else rows
    extractive = build_assistant(settings.model_copy(update={"llm": "none"}))
    verifier = Verifier(extractive.embeddings)
    report: dict[str, Any] = {"questions": sum(r.answerable for r in rows),
                              "extractive": evaluate_mode(extractive, rows, verifier),
                              "followup": followup_hit_rates(extractive, rows)}
    chat_model = build_chat_model(settings)
    if chat_model is not None:
        drafts: list[Drafted] = []
        answerer = LLMAnswerer(chat_model, verifier, settings.llm_timeout_s,
                               settings.practice_name, observer=drafts.append)
        llm = Assistant(settings, extractive.embeddings, extractive.safety, extractive.store,
                        answerer=answerer)
        report["llm"] = {"model": settings.llm_model, "base_url": settings.llm_base_url,
                         **evaluate_mode(llm, rows, verifier, drafts)}
    return report
