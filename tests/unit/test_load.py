"""Loading names every bad file with a reason and never stops the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import load_articles

GOOD = "---\ntitle: Good Post\nslug: good-post\n---\n\n" + "Some real words here. " * 10


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(("content", "reason"), [
    ("", "file is empty"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"---\ntitle: Caf\xe9\n---\nbody", "not UTF-8"),
    ("---\ntitle: [unclosed\n---\n\nBody words. " * 3, "front matter is not valid YAML"),
    ("---\n- a\n- b\n---\n\nBody words here.", "front matter must be a mapping"),
    ("---\nslug: no-title\n---\n\n" + "Words. " * 30, "missing title"),
    ("---\ntitle: Empty\n---\n\nToo short.", "no body text"),
    ("---\ntitle: T\nslug: Bad Slug!\n---\n\n" + "Words here. " * 30, "slug 'Bad Slug!'"),
])
def test_bad_file_is_named_with_its_reason(tmp_path: Path, content, reason):
    _write(tmp_path, "good.md", GOOD)
    bad = _write(tmp_path, "bad.md", content)
    result = load_articles([tmp_path])
    assert [a.slug for a in result.articles] == ["good-post"]
    assert len(result.failures) == 1
    assert result.failures[0].path == str(bad)
    assert reason in result.failures[0].reason


def test_second_article_with_the_same_slug_is_refused(tmp_path: Path):
    _write(tmp_path, "a.md", GOOD)
    _write(tmp_path, "b.md", GOOD)
    result = load_articles([tmp_path])
    assert len(result.articles) == 1
    assert "already used by" in result.failures[0].reason


def test_oversized_file_is_refused(tmp_path: Path):
    _write(tmp_path, "huge.md", GOOD + "word " * 5_000_000)
    result = load_articles([tmp_path])
    assert "limit is 5 MB" in result.failures[0].reason


def test_plain_text_file_takes_its_first_line_as_title(tmp_path: Path):
    _write(tmp_path, "notes.txt", "A Plain Title\n\n" + "Body sentence here. " * 10)
    article = load_articles([tmp_path]).articles[0]
    assert (article.title, article.slug) == ("A Plain Title", "notes")
