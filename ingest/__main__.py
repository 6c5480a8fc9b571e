"""`python -m ingest [PATH ...]`: the same command as `practice-assistant ingest`."""

import argparse
import sys

from ingest.command import EXIT_USAGE, add_arguments, run
from practice_assistant.privacy import configure_logging
from practice_assistant.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest",
                                     description="Load, chunk, embed and index articles.")
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and EXIT_USAGE
    configure_logging(False)
    return run(args, Settings())


if __name__ == "__main__":
    sys.exit(main())
