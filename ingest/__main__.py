"""`python -m ingest [PATH ...]`: the same command as `practice-assistant ingest`."""

import sys

from practice_assistant.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
