"""Article stage: front matter, slugs and the checks every source format's article passes.

`ingest.load` (files) and `ingest.formats` (HTML, WordPress exports, feeds) both build their
articles here, so neither imports the other for it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from ingest.clean import clean_body
from ingest.errors import ArticleError
from practice_assistant.models import Article

_SLUG_OK = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")


def slugify(text: str) -> str:
    """A URL-safe slug: lowercase ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


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
