"""`practice-assistant`: parse arguments, call the package, print. No logic lives here."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from practice_assistant.settings import Settings

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="practice-assistant",
                                     description="Answers visitors from the practice's articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log route and timings")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="load, chunk, embed and index articles")
    ingest.add_argument("paths", nargs="*", type=Path,
                        help="files or folders (default: the corpus folder); they are the whole "
                             "corpus: indexed articles not among them are removed")
    ingest.add_argument("--json", action="store_true", help="print a JSON summary as last line")
    ingest.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    ingest.add_argument("--full", action="store_true", help="re-embed every article")
    ingest.add_argument("--if-stale", action="store_true",
                        help="do nothing when the index already matches the corpus")

    ask = sub.add_parser("ask", help="answer one question, or one per line from stdin with '-'")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")

    routing = sub.add_parser("eval-routing", help="crisis routing recall and false positives")
    routing.add_argument("--dataset", type=Path, required=True, help="JSONL: text, label, source")
    routing.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and EXIT_USAGE
    _configure_logging(args.verbose)
    settings = Settings()
    handlers = {"ingest": _ingest, "ask": _ask, "eval-routing": _eval_routing}
    return handlers[args.command](args, settings)


def _configure_logging(verbose: bool) -> None:
    from practice_assistant.privacy import RedactingFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("practice_assistant")
    root.handlers = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import run_ingest
    from practice_assistant.embedding import load_embeddings
    from practice_assistant.store import IndexStore, IngestLockedError

    paths = args.paths or [settings.corpus_dir]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    store = IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    try:
        plan_only = run_ingest(paths, store, None, full=args.full, dry_run=True)
        if args.dry_run or (args.if_stale and not plan_only.plan.changes and not args.full):
            report = plan_only
        else:
            report = run_ingest(paths, store, load_embeddings(), full=args.full)
    except IngestLockedError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_LOCKED
    for path, reason in report.failed:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    if report.dry_run:
        for label, slugs in (("add", report.plan.added), ("update", report.plan.updated),
                             ("remove", report.plan.removed)):
            for slug in slugs:
                print(f"would {label} {slug}")
    print(report.summary())
    if args.json:
        print(json.dumps(report.to_json()))
    return EXIT_FAILED_FILES if report.failed else EXIT_OK


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from practice_assistant.app_service import build_assistant
    from practice_assistant.service import IndexMissingError

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


def _eval_routing(args: argparse.Namespace, settings: Settings) -> int:
    from practice_assistant.embedding import load_embeddings
    from practice_assistant.routing_eval import evaluate_routing, format_table, load_rows
    from practice_assistant.safety import SafetyRouter

    try:
        rows = load_rows(args.dataset)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    result = evaluate_routing(rows, SafetyRouter(load_embeddings()))
    print(json.dumps(result) if args.json else format_table(result))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
