"""`python -m benchmarks ingest|query|load` (docs/benchmarks.md)."""

import sys

from benchmarks.cli import main

if __name__ == "__main__":
    sys.exit(main())
