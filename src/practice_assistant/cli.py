"""`practice-assistant`: parse arguments, call the package, print. No logic lives here."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest import command as ingest_command
from ingest.command import EXIT_FAILED_FILES, EXIT_OK, EXIT_USAGE
from practice_assistant.answering.answerable import DEFAULT_MODEL as DEFAULT_ANSWER_MODEL
from practice_assistant.app_service import build_assistant, build_router
from practice_assistant.embedding import CachingEmbeddings, load_embeddings
from practice_assistant.evaluation import answerable
from practice_assistant.evaluation.answers import format_report, run_answer_eval
from practice_assistant.evaluation.datasets import DEFAULT_EVAL_DIR, build_golden_index
from practice_assistant.evaluation.practice import (
    evaluate_narrow,
    evaluate_near_misses,
    evaluate_practice_questions,
    format_reports,
)
from practice_assistant.evaluation.report import format_table, run_answer_checks, write_report
from practice_assistant.evaluation.retrieval import (
    GoldenEvalOptions,
    run_beir_eval,
    run_golden_eval,
)
from practice_assistant.evaluation.routing import (
    evaluate_routing,
    format_held_out,
    held_out_by_source,
    load_rows,
    train_shipped_model,
)
from practice_assistant.evaluation.routing import format_table as format_routing_table
from practice_assistant.practice.examples import DEFAULT_BANK, TRAINING_FILES, train_bank
from practice_assistant.practice.route import leave_one_out
from practice_assistant.privacy import configure_logging
from practice_assistant.retrieval.hybrid import RETRIEVERS
from practice_assistant.safety.model import DEFAULT_MODEL
from practice_assistant.safety.router import SafetyRouter
from practice_assistant.safety.sources import RoutingData
from practice_assistant.service import Assistant, IndexMissingError
from practice_assistant.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="practice-assistant",
                                     description="Answers visitors from the practice's articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log route and timings")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest_command.add_arguments(sub.add_parser(
        "ingest", help="load, chunk, embed and index articles"))

    ask = sub.add_parser("ask", help="answer one question, or one per line from stdin with '-'")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")

    evaluate = sub.add_parser("eval", help="retrieval metrics on a BEIR data set or the golden "
                              "set; routing on the practice-question sets")
    source = evaluate.add_mutually_exclusive_group()
    source.add_argument("--dataset", type=Path, help="a BEIR folder: corpus.jsonl, queries.jsonl, "
                        "qrels/SPLIT.tsv")
    source.add_argument("--golden", type=Path, help="golden questions JSONL (eval/golden.jsonl)")
    evaluate.add_argument("--split", default="dev", help="qrels split (default dev)")
    evaluate.add_argument("--retriever", nargs="+", default=None, metavar="NAME",
                          help="settings to compare (default: all of dense bm25 rrf hybrid)")
    evaluate.add_argument("--k", type=int, default=20, help="documents ranked per query (>= 10)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--report", type=Path, metavar="DIR",
                          help="write report.md, a metrics-vs-k plot and the worst queries")
    evaluate.add_argument("--answers", action="store_true",
                          help="with --golden: also check every composed answer")
    evaluate.add_argument("--practice", type=Path, metavar="JSONL",
                          help="practical questions (text, label, topic): practice_info "
                               "precision, recall and confusions (eval/practice_questions.jsonl)")
    evaluate.add_argument("--near-misses", type=Path, metavar="JSONL",
                          help="near misses (text, expected): share routed as expected "
                               "(eval/near_misses.jsonl)")
    evaluate.add_argument("--narrow", type=Path, metavar="JSONL",
                          help="narrower-topic questions (text, slug): cited with the "
                               "narrower-topic lead-in (eval/golden_narrow.jsonl)")

    routing = sub.add_parser("eval-routing", help="crisis routing recall and false positives")
    what = routing.add_mutually_exclusive_group(required=True)
    what.add_argument("--dataset", type=Path, help="JSONL: text, label, source (the shipped "
                      "router routes it)")
    what.add_argument("--leave-one-source-out", action="store_true",
                      help="for each source, fit and tune the classifier without it, then "
                           "route it: the honest held-out figures")
    _add_routing_data(routing)
    routing.add_argument("--source", action="append", metavar="NAME",
                         help="with --leave-one-source-out: only these held-out sources")
    routing.add_argument("--scores", type=Path, metavar="FILE",
                         help="with --leave-one-source-out: write each held-out message's "
                              "rule decision and classifier probability (no text) as JSONL")
    routing.add_argument("--json", action="store_true")

    practice = sub.add_parser("train-practice",
                              help="embed the practice-topic examples and fit their margins")
    practice.add_argument("--training", type=Path, nargs="+", default=None, metavar="JSONL",
                          help="example files (default training/practice_topics.jsonl, "
                               "practice_extra.jsonl and practice_extra2.jsonl)")
    practice.add_argument("--out", type=Path, default=None,
                          help="where to write the examples (default "
                               "practice/data/practice_examples.npz in the package)")

    answerable = sub.add_parser(
        "train-answerable", help="fit the answerability model the addressing check ships, and "
                                 "validate it leaving one writer out at a time")
    answerable.add_argument("--out", type=Path, default=DEFAULT_ANSWER_MODEL,
                            help="where to write the model (default "
                                 f"{DEFAULT_ANSWER_MODEL.name} in the package)")
    answerable.add_argument("--json", action="store_true", help="the table as JSON lines")

    train = sub.add_parser("train-safety", help="fit the crisis classifier the router ships")
    _add_routing_data(train)
    train.add_argument("--out", type=Path, default=DEFAULT_MODEL,
                       help=f"where to write the model (default {DEFAULT_MODEL.name} in the "
                            "package)")

    answers = sub.add_parser("eval-answers",
                             help="extractive vs LLM answers on the golden questions")
    answers.add_argument("--golden", type=Path, required=True, help="JSONL: id, question, slugs")
    answers.add_argument("--limit", type=int, default=None, help="only the first N rows")
    answers.add_argument("--json", action="store_true")

    return parser


def _add_routing_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bank", type=Path, default=Path("training/crisis"),
                        help="the hand-written bank (default training/crisis)")
    parser.add_argument("--shared-data", type=Path, default=Path("../shared/data/crisis"),
                        help="the public crisis sets, read in place (default "
                             "../shared/data/crisis; skipped with a note when absent)")
    parser.add_argument("--golden", type=Path, default=Path("eval/golden.jsonl"),
                        help="the golden questions, a benign source")
    parser.add_argument("--visitor-questions", type=Path,
                        default=Path("training/practice_topics.jsonl"),
                        help="practical visitor questions, a benign source")
    parser.add_argument("--cache", type=Path, default=Path("var/cache/safety-embeddings.npz"),
                        help="embedding cache, so repeated runs embed each text once")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and EXIT_USAGE
    configure_logging(args.verbose)
    settings = Settings()
    handlers = {"ingest": ingest_command.run, "ask": _ask, "eval": _eval,
                "eval-routing": _eval_routing,
                "train-safety": _train_safety, "train-practice": _train_practice,
                "train-answerable": _train_answerable,
                "eval-answers": _eval_answers}
    return handlers[args.command](args, settings)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    assistant = build_assistant(settings)
    questions = (line.rstrip("\n") for line in sys.stdin) if args.question == "-" \
        else iter([args.question])
    for question in questions:
        if args.question == "-" and not question.strip():
            continue
        try:
            answer = assistant.ask(question)
        except IndexMissingError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_USAGE
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.answer)
            for c in answer.citations:
                print(f"[{c.n}] {c.title} — {c.url or c.slug}")
            if answer.consultation:
                print(f"\n{answer.consultation['text']}: {answer.consultation['url']}")
    return EXIT_OK


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    retrievers = tuple(args.retriever or RETRIEVERS)
    sets = [p for p in (args.practice, args.near_misses, args.narrow) if p is not None]
    given = [p for p in (args.dataset, args.golden, *sets) if p is not None]
    if not given:
        print("error: give --dataset, --golden, or one of --practice, --near-misses, --narrow",
              file=sys.stderr)
        return EXIT_USAGE
    missing = [str(p) for p in given if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    embeddings = load_embeddings()

    safety = build_router(embeddings)
    status = _eval_practice(args, settings, embeddings, safety) if sets else EXIT_OK
    if not (args.dataset or args.golden):
        return status
    try:
        if args.dataset:
            result = run_beir_eval(args.dataset, args.split, retrievers, k=args.k,
                                   embeddings=embeddings, settings=settings)
        else:
            result = run_golden_eval(
                GoldenEvalOptions(args.golden, tuple(retrievers), k=args.k),
                embeddings=embeddings, settings=settings, safety=safety)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(result.to_json()) if args.json else format_table(result))
    if args.report:
        print(f"report: {write_report(args.report, result)}", file=sys.stderr)
    if args.answers and args.golden:
        failures = run_answer_checks(args.golden, embeddings=embeddings, settings=settings,
                                     safety=safety)
        for failure in failures:
            print(f"answer check failed: {failure.question_id}: {failure.problem}",
                  file=sys.stderr)
        print(f"answer checks: {len(failures)} failures", file=sys.stderr)
        return EXIT_FAILED_FILES if failures else status
    return status


def _eval_practice(args: argparse.Namespace, settings: Settings, embeddings: Any,
                   safety: SafetyRouter) -> int:
    store = build_golden_index(settings.corpus_dir, embeddings, DEFAULT_EVAL_DIR)
    assistant = Assistant(settings, embeddings, safety, store)
    runs = [(args.practice, evaluate_practice_questions), (args.near_misses, evaluate_near_misses),
            (args.narrow, evaluate_narrow)]
    try:
        reports = [run(assistant, path) for path, run in runs if path is not None]
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        for report in reports:
            print(json.dumps(report.to_json()))
    else:
        print(format_reports(reports))
    return EXIT_OK


def _routing_data(args: argparse.Namespace) -> RoutingData | None:
    if not args.bank.is_dir():
        print(f"error: no such folder: {args.bank}", file=sys.stderr)
        return None
    shared = args.shared_data if args.shared_data.is_dir() else None
    if shared is None:
        print(f"note: {args.shared_data} is absent: only the bank and golden questions are used",
              file=sys.stderr)
    return RoutingData(args.bank, shared, args.golden, args.cache, args.visitor_questions)


def _eval_routing(args: argparse.Namespace, settings: Settings) -> int:
    if args.leave_one_source_out:
        data = _routing_data(args)
        if data is None:
            return EXIT_USAGE
        try:
            scores: list[dict[str, Any]] | None = [] if args.scores else None
            results = held_out_by_source(data, load_embeddings(), sources=args.source,
                                         scores=scores)
            if args.scores:
                args.scores.write_text("".join(json.dumps(r) + "\n" for r in scores or []),
                                       encoding="utf-8")
        except (OSError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_USAGE
        if args.json:
            print(json.dumps([{**dataclasses.asdict(r), "recall": r.recall,
                               "false_positive_rate": r.false_positive_rate} for r in results]))
        else:
            print(format_held_out(results))
        return EXIT_OK
    try:
        rows = load_rows(args.dataset)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    result = evaluate_routing(rows, build_router(load_embeddings()))
    print(json.dumps(result) if args.json else format_routing_table(result))
    return EXIT_OK


def _train_safety(args: argparse.Namespace, settings: Settings) -> int:
    data = _routing_data(args)
    if data is None:
        return EXIT_USAGE
    try:
        model = train_shipped_model(data, load_embeddings(), args.out)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {args.out}: threshold {model.threshold:.3f}, "
          f"{len(model.lexical.vocabulary)} lexical features, signals {', '.join(model.signals)}; "
          f"trained on {', '.join(model.sources)}")
    return EXIT_OK


def _train_practice(args: argparse.Namespace, settings: Settings) -> int:
    paths = tuple(args.training or TRAINING_FILES)
    out = args.out or DEFAULT_BANK
    embeddings = CachingEmbeddings(load_embeddings(), Path("var/cache/practice-embeddings.npz"))
    try:
        bank = train_bank(embeddings, paths)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    embeddings.save()
    bank.save(out)
    figures = leave_one_out(bank)
    print(f"wrote {out}: {len(bank.texts)} examples ({len(bank.topics)} topics), free margin "
          f"{bank.free_margin:.3f}, veto margin {bank.veto_margin:.3f}; leave-one-out on the "
          f"training rows: {json.dumps(figures)}")
    return EXIT_OK


def _train_answerable(args: argparse.Namespace, settings: Settings) -> int:
    embeddings = CachingEmbeddings(load_embeddings(), Path("var/cache/answerable-embeddings.npz"))
    try:
        questions = answerable.read_questions()
        store = build_golden_index(settings.corpus_dir, embeddings, DEFAULT_EVAL_DIR)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    rows = answerable.ask_all(settings, embeddings, build_router(embeddings), store, questions)
    embeddings.save()
    figures = answerable.leave_one_writer_out(rows)
    if args.json:
        for figure in figures:
            print(json.dumps(figure.to_json()))
    else:
        print("leave one writer out (each row: fitted and thresholded on the other writers)")
        print(answerable.format_figures(figures))
    model = answerable.train(rows, fingerprint_=answerable.fingerprint())
    model.save(args.out)
    print(f"wrote {args.out}: {len(model.texts)} labelled questions "
          f"({int(model.answered.sum())} answered), {sum(r.reaches_model for r in rows)} fitted, "
          f"threshold {model.threshold:.3f}, coefficients "
          + json.dumps({f: round(float(c), 2) for f, c in zip(answerable.FEATURES, model.coef,
                                                               strict=True)}))
    return EXIT_OK


def _eval_answers(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = run_answer_eval(settings, args.golden, args.limit)
    except (OSError, ValueError, IndexMissingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if settings.llm == "none":
        print("note: PA_LLM=none, so only the extractive answers were measured; set PA_LLM=openai "
              "and PA_LLM_BASE_URL to compare a model", file=sys.stderr)
    print(json.dumps(report) if args.json else format_report(report))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
