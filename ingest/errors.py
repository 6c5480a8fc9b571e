"""Named ingest errors, turned into clear messages and exit codes at the CLI."""

from __future__ import annotations


class ArticleError(Exception):
    """One source file could not become an article; the others still ingest."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
