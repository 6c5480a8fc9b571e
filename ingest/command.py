"""The `ingest` command's arguments and run, shared by `python -m ingest` and
`practice-assistant ingest`: parse, call the pipeline, print the plan and the failures."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ingest.pipeline import IngestOptions, refresh_index
from ingest.site import SiteError, fetch_site
from practice_assistant.embedding import load_embeddings
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore, IngestLockedError

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path,
                        help="files or folders (default: the corpus folder); they are the whole "
                             "corpus: indexed articles not among them are removed")
    parser.add_argument("--json", action="store_true", help="print a JSON summary as last line")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--full", action="store_true", help="re-embed every article")
    parser.add_argument("--if-stale", action="store_true",
                        help="do nothing when the index already matches the corpus")
    parser.add_argument("--site", metavar="URL",
                        help="fetch the live blog's article pages (from URL/sitemap.xml, or a "
                             "sitemap or RSS/Atom feed URL) and ingest them; with no PATHS the "
                             "site is the whole corpus")
    parser.add_argument("--max-pages", type=int, default=200, metavar="N",
                        help="with --site: fetch at most N pages (default 200)")
    parser.add_argument("--delay", type=float, default=0.5, metavar="S",
                        help="with --site: seconds between requests (default 0.5; robots.txt "
                             "Crawl-delay wins when longer)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the given paths (or the live site), print what happened; the exit code."""
    paths = list(args.paths) if args.site else (args.paths or [settings.corpus_dir])
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if not args.site:
        return _ingest_paths(args, settings, paths)
    with tempfile.TemporaryDirectory(prefix="pa-site-") as tmp:
        try:
            fetched = fetch_site(args.site, Path(tmp), max_pages=args.max_pages,
                                 delay=args.delay)
        except SiteError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_USAGE
        for url, reason in fetched.skipped:
            print(f"not fetched {url}: {reason}", file=sys.stderr)
        print(f"fetched {len(fetched.saved)} article pages from {args.site} "
              f"({len(fetched.failed)} failed, {len(fetched.skipped)} not fetched)",
              file=sys.stderr)
        if not fetched.saved:
            print("error: no article page could be fetched; the index is left as it was",
                  file=sys.stderr)
            return EXIT_USAGE
        return _ingest_paths(args, settings, [Path(tmp), *paths], site=fetched)


def _ingest_paths(args: argparse.Namespace, settings: Settings, paths: list[Path],
                  site: Any = None) -> int:

    store = IndexStore(settings.index_dir, settings.collection, settings.chroma_url)
    failures = site.failures() if site else []
    try:
        hosts = settings.site_hosts()
        if site:
            hosts.append(urlparse(args.site).hostname or "")
        options = IngestOptions(full=args.full, dry_run=args.dry_run, failures=tuple(failures),
                                allowed_hosts=tuple(hosts))
        report = refresh_index(paths, store, load_embeddings, options, if_stale=args.if_stale)
    except IngestLockedError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_LOCKED
    if site:
        report = dataclasses.replace(report, failed=site.relabel(report.failed))
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
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
