"""Load stage: turn source files into `Article` records, naming every file that cannot be read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.article import article_from_markdown, build_article
from ingest.errors import ArticleError
from ingest.formats import load_markup
from practice_assistant.models import Article
from practice_assistant.practice.facts import (
    FACTS_FILENAME,
    FactsError,
    facts_article,
    parse_facts,
)

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".xml")
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LoadResult:
    """Articles that loaded, and (path, reason) for each file that did not."""

    articles: tuple[Article, ...]
    failures: tuple[ArticleError, ...] = field(default_factory=tuple)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their supported files, sorted so runs are repeatable."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and (p.suffix.lower() in SUPPORTED_SUFFIXES
                                                    or p.name == FACTS_FILENAME)
                                and not p.name.startswith(".") and p.name.lower() != "readme.md"))
        else:
            found.append(path)
    return found


def load_articles(paths: Iterable[Path], max_bytes: int = MAX_FILE_BYTES) -> LoadResult:
    """Load every file; a bad file becomes a failure with its reason, never an exception."""
    articles: list[Article] = []
    failures: list[ArticleError] = []
    seen: dict[str, str] = {}
    for path in discover(paths):
        try:
            loaded = load_file(path, max_bytes=max_bytes)
        except ArticleError as error:
            failures.append(error)
            continue
        for article in loaded:
            if article.slug in seen:
                reason = (f"slug '{article.slug}' is already used by {seen[article.slug]}; "
                          "give one of them another slug")
                failures.append(ArticleError(str(path), reason))
                continue
            seen[article.slug] = str(path)
            articles.append(article)
    return LoadResult(tuple(articles), tuple(failures))


def load_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> list[Article]:
    """Read one file of any supported kind into one or more articles."""
    name = str(path)
    if not path.exists():
        raise ArticleError(name, "no such file")
    if path.name == FACTS_FILENAME:
        return [_facts_from_file(path, max_bytes)]
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleError(name, f"unsupported file type '{suffix}' (use one of "
                           f"{', '.join(SUPPORTED_SUFFIXES)})")
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(name, f"file is {size / 1_048_576:.1f} MB; the limit is "
                           f"{max_bytes / 1_048_576:.0f} MB (is this really one blog post?)")
    text = read_text(path)
    if suffix in (".html", ".htm", ".xml"):
        return load_markup(path, text)
    if suffix == ".txt":
        return [_article_from_txt(path, text)]
    return [article_from_markdown(path, text)]


def _facts_from_file(path: Path, max_bytes: int) -> Article:
    """The practice's facts file (`practice_assistant.practice.facts`); empty is all empty."""
    if path.stat().st_size > max_bytes:
        raise ArticleError(str(path), "the facts file is too large")
    data = path.read_bytes()
    try:
        return facts_article(parse_facts(data.decode("utf-8-sig")), str(path))
    except UnicodeDecodeError as error:
        raise ArticleError(str(path), f"not UTF-8 text (byte {error.start}); re-save the file "
                           "as UTF-8") from None
    except FactsError as error:
        raise ArticleError(str(path), str(error)) from None


def read_text(path: Path) -> str:
    """Decode a file as UTF-8 text, refusing empty and binary files with a clear reason."""
    data = path.read_bytes()
    name = str(path)
    if not data.strip():
        raise ArticleError(name, "file is empty")
    if b"\x00" in data[:8192]:
        raise ArticleError(name, "binary file, not text (export the post as Markdown, HTML "
                           "or text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(name, f"not UTF-8 text (byte {error.start}); re-save the file as "
                           "UTF-8") from None


def _article_from_txt(path: Path, text: str) -> Article:
    lines = text.replace("\r\n", "\n").lstrip().split("\n", 1)
    title = lines[0].strip()
    body = lines[1] if len(lines) > 1 else ""
    return build_article(path, {"title": title}, body)
