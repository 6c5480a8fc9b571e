"""Load stage: turn source files into `Article` records, naming every file that cannot be read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.clean import clean_body
from ingest.errors import ArticleError
from practice_assistant.facts import FACTS_FILENAME
from practice_assistant.models import Article

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".xml")
MAX_FILE_BYTES = 5 * 1024 * 1024
_SLUG_OK = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")


@dataclass(frozen=True)
class LoadResult:
    """Articles that loaded, and (path, reason) for each file that did not."""

    articles: tuple[Article, ...]
    failures: tuple[ArticleError, ...] = field(default_factory=tuple)


def slugify(text: str) -> str:
    """A URL-safe slug: lowercase ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


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
        from ingest.formats import load_markup

        return load_markup(path, text)
    if suffix == ".txt":
        return [_article_from_txt(path, text)]
    return [article_from_markdown(path, text)]


def _facts_from_file(path: Path, max_bytes: int) -> Article:
    """The practice's facts file (`practice_assistant.facts`); an empty file is all empty."""
    from practice_assistant.facts import FactsError, facts_article, parse_facts

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


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """Separate YAML front matter from the Markdown body."""
    name = str(path)
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ArticleError(name, f"front matter is not valid YAML{where}: "
                           f"{getattr(error, 'problem', error)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError(name, "front matter must be a mapping of keys to values "
                           f"(got a {type(meta).__name__})")
    return meta, text[match.end():]


def article_from_markdown(path: Path, text: str) -> Article:
    meta, body = split_front_matter(path, text)
    if not meta.get("title"):
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        if heading:
            meta["title"] = heading.group(1).strip()
            body = body[:heading.start()] + body[heading.end():]
    return build_article(path, meta, body)


def _article_from_txt(path: Path, text: str) -> Article:
    lines = text.replace("\r\n", "\n").lstrip().split("\n", 1)
    title = lines[0].strip()
    body = lines[1] if len(lines) > 1 else ""
    return build_article(path, {"title": title}, body)


def build_article(path: Path, meta: dict[str, Any], body: str) -> Article:
    """Validate front-matter fields and assemble the article."""
    name = str(path)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ArticleError(name, "missing title: add 'title: ...' to the front matter")
    slug = meta.get("slug") or slugify(path.stem)
    if not isinstance(slug, str) or not _SLUG_OK.match(slug):
        raise ArticleError(name, f"slug {slug!r} must be lowercase letters, digits and hyphens")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if not isinstance(tags, list):
        raise ArticleError(name, "tags must be a list, e.g. tags: [couples therapy, EMDR]")
    sample = meta.get("sample", False)
    if not isinstance(sample, bool):
        raise ArticleError(name, "sample must be true or false")
    url = meta.get("url")
    if url is not None and not isinstance(url, str):
        raise ArticleError(name, "url must be text, e.g. url: /blog/my-post")
    cleaned = clean_body(body)
    if len(cleaned.split()) < 20:
        raise ArticleError(name, "the article has no body text (fewer than 20 words after "
                           "cleaning)")
    extra = tuple((str(k), str(v)) for k, v in meta.items()
                  if k not in {"title", "slug", "url", "date", "author", "tags", "sample"}
                  and v is not None)
    return Article(
        slug=slug, title=title.strip(), body=cleaned, url=url,
        date=str(meta["date"]) if meta.get("date") is not None else None,
        author=str(meta["author"]) if meta.get("author") else None,
        tags=tuple(str(t) for t in tags), sample=sample, source_path=name, extra=extra,
    )
