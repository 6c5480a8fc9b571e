"""`python -m benchmarks ingest`, `query` and `load`: their arguments and handlers.

The benchmarks' own command, apart from the product's ``practice-assistant``; like that CLI it
parses, calls the benchmarks, and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import BrowserMissingError
from benchmarks.ingest import run_bench
from benchmarks.report import load_report, query_report
from benchmarks.run import BenchOptions, run_load_bench, run_query_bench
from practice_assistant.privacy import configure_logging
from practice_assistant.settings import Settings

EXIT_OK, EXIT_USAGE = 0, 2
Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m benchmarks",
                                   description="Measure speed (see docs/benchmarks.md).")
    root.add_argument("-v", "--verbose", action="store_true", help="log route and timings")
    bench_sub = root.add_subparsers(dest="bench_command", required=True)
    bench_ingest = bench_sub.add_parser(
        "ingest", help="pipeline chunks/s against raw model encode, memory, unchanged re-ingest")
    bench_ingest.add_argument("--dataset", type=Path, help="a BEIR folder (corpus.jsonl)")
    bench_ingest.add_argument("--corpus", type=Path, help="a folder of articles")
    bench_ingest.add_argument("--limit", type=int, help="only the first N dataset documents")
    bench_ingest.add_argument("--json", action="store_true", help="one JSON object per source")
    query = bench_sub.add_parser(
        "query", help="warm query latency per stage at about 1k/10k/100k chunks, the plain "
                      "LangChain recipe beside ours, cold start and RSS (docs/performance.md)")
    query.add_argument("--sizes", nargs="+", default=["practice", "1000", "10000", "100000"],
                       metavar="N", help="corpus sizes in chunks, or 'practice' for the "
                                         "practice corpus alone (default: practice 1000 10000 "
                                         "100000)")
    query.add_argument("--data-dir", type=Path, default=Path("../shared/data"),
                       help="folder with counselchat/ and medquad/ (default ../shared/data)")
    query.add_argument("--no-recipe", dest="recipe", action="store_false",
                       help="skip the ingest comparison and the LangChain recipe")
    query.add_argument("--no-cold-start", dest="cold", action="store_false",
                       help="skip CLI and browser cold starts (and app RSS)")
    query.add_argument("--memory", action="store_true",
                       help="RSS by loading step for the largest size, in a fresh process")
    query.add_argument("--profile", metavar="SIZE",
                       help="pyinstrument profile of warm asks on one size, e.g. 10k")
    load = bench_sub.add_parser(
        "load", help="simultaneous visitors in Chromium, then simultaneous asks in threads")
    load.add_argument("--contexts", type=int, default=20, metavar="N",
                      help="browser contexts asking at once (default 20; 0 skips the browser)")
    load.add_argument("--threads", type=int, default=50, metavar="N",
                      help="simultaneous Assistant.ask calls (default 50; 0 skips them)")
    for parser, rounds in ((query, "timed passes over the golden questions"),
                           (load, "rounds of simultaneous visitors")):
        parser.add_argument("--rounds", type=int, default=3, metavar="N",
                            help=f"{rounds} (default 3)")
        parser.add_argument("--bench-dir", type=Path, default=Path("var/bench"),
                            help="bench indexes and results, reused (default var/bench)")
        parser.add_argument("--golden", type=Path, default=Path("eval/golden.jsonl"))
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and EXIT_USAGE
    configure_logging(args.verbose)
    handlers: dict[str, Handler] = {"ingest": _ingest, "query": _query, "load": _load}
    return handlers[args.bench_command](args, Settings())


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    sources = [("dataset", args.dataset), ("corpus", args.corpus)]
    given = [(kind, path) for kind, path in sources if path is not None]
    if not given:
        print("error: give --dataset DIR and/or --corpus DIR", file=sys.stderr)
        return EXIT_USAGE
    missing = [str(path) for _, path in given if not path.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    for kind, path in given:
        result = run_bench(limit=args.limit, **{kind: path})
        print(json.dumps(result.to_json()) if args.json else result.table(), flush=True)
    return EXIT_OK


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _sizes(values: list[str]) -> tuple[int | str, ...] | None:
    try:
        return tuple(v if v == "practice" else int(v) for v in values)
    except ValueError:
        return None


def _query(args: argparse.Namespace, settings: Settings) -> int:
    sizes = _sizes(args.sizes)
    if sizes is None or args.rounds < 1:
        print("error: --sizes takes 'practice' or chunk counts such as 1000; --rounds >= 1",
              file=sys.stderr)
        return EXIT_USAGE
    options = BenchOptions(bench_dir=args.bench_dir, data_dir=args.data_dir,
                           golden=args.golden, sizes=sizes, rounds=args.rounds,
                           recipe=args.recipe, cold=args.cold, memory=args.memory,
                           profile=args.profile)
    return _run(lambda: run_query_bench(options, settings, _say), query_report, args.json,
                needs_app=args.cold)


def _load(args: argparse.Namespace, settings: Settings) -> int:
    options = BenchOptions(bench_dir=args.bench_dir, golden=args.golden, rounds=args.rounds,
                           contexts=args.contexts, threads=args.threads)
    return _run(lambda: run_load_bench(options, settings, _say), load_report, args.json,
                needs_app=args.contexts > 0)


def _run(run: Callable[[], dict[str, Any]], report: Callable[[dict[str, Any]], str],
         as_json: bool, needs_app: bool) -> int:
    if needs_app and not Path("app.py").is_file():
        print("error: run from the project folder (app.py is started for the browser runs)",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        result = run()
    except (BrowserMissingError, FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(result, default=str) if as_json else report(result))
    return EXIT_OK
