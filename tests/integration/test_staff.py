"""The staff page's services, without Streamlit: sign-in, uploads, preview, re-ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import SecretStr

from conftest import FIXTURES
from practice_assistant import staff
from practice_assistant.settings import Settings

WORDPRESS = FIXTURES / "html" / "wordpress-holiday-boundaries.html"


@pytest.mark.parametrize(("name", "saved"), [
    ("post.md", "post.md"),
    ("../../etc/passwd.md", "passwd.md"),
    ("..\\..\\Windows\\evil.html", "evil.html"),
    ("/abs/path/Notes.TXT", "Notes.txt"),
    ("My Post (final) v2.md", "My-Post-final-v2.md"),
    (".hidden.md", "hidden.md"),
    ("café au lait.markdown", "cafe-au-lait.markdown"),
    ("a\x00b.md", "ab.md"),
])
def test_upload_names_are_sanitised(name, saved):
    assert staff.safe_filename(name) == saved


@pytest.mark.parametrize(("name", "reason"), [
    ("run.sh", "not a supported file"),
    ("post.md.exe", "not a supported file"),
    ("noextension", "not a supported file"),
    ("...md", "no usable file name"),
    ("../.md", "no usable file name"),
])
def test_unsafe_or_unsupported_upload_names_are_refused(name, reason):
    with pytest.raises(staff.UploadError, match=reason):
        staff.safe_filename(name)


def test_upload_is_saved_inside_the_corpus_folder_only(tmp_path: Path):
    corpus = tmp_path / "corpus"
    saved = staff.save_upload(corpus, "../../outside.md", b"# Title\n\nSome words.")
    assert saved == (corpus / "outside.md").resolve() and saved.read_bytes().startswith(b"# T")
    assert not (tmp_path / "outside.md").exists()
    assert [p.name for p in corpus.iterdir()] == ["outside.md"]  # no temporary file left


def test_oversized_and_empty_uploads_are_refused(tmp_path: Path):
    with pytest.raises(staff.UploadError, match="the limit is 1 MB"):
        staff.save_upload(tmp_path, "big.md", b"x" * (1024 * 1024 + 1), max_bytes=1024 * 1024)
    with pytest.raises(staff.UploadError, match="is empty"):
        staff.save_upload(tmp_path, "blank.md", b" \n ")
    assert list(tmp_path.iterdir()) == []


def test_preview_shows_the_cleaned_article_and_its_chunks(tmp_path: Path):
    path = staff.save_upload(tmp_path, "holiday.html", WORDPRESS.read_bytes())
    preview = staff.preview_file(path)
    assert preview.error is None
    [article] = preview.articles
    assert article.title == "Holiday Boundaries With Family"
    assert preview.chunks[0] and "Share this" not in article.body
    bad = staff.save_upload(tmp_path, "bad.txt", b"Only a title")
    assert "no body text" in (staff.preview_file(bad).error or "")


def test_password_comes_from_settings_then_secrets_else_the_page_is_off(tmp_path: Path):
    with_setting = Settings(_env_file=None, staff_password=SecretStr("from-env"))
    assert staff.configured_password(with_setting, {"staff_password": "x"}) == "from-env"
    plain = Settings(_env_file=None)
    assert staff.configured_password(plain, {"staff_password": "from-secrets"}) == "from-secrets"
    assert staff.configured_password(plain, {}) is None
    assert staff.password_matches("é-pass", "é-pass") and not staff.password_matches("a", "b")


@pytest.mark.slow
def test_reingest_from_the_staff_service_makes_a_new_post_citable_without_restart(
        tmp_path: Path, corpus_copy: Path, embeddings):
    """Upload a post, re-ingest through the page's service, ask the running assistant."""
    from practice_assistant.app_service import build_assistant

    settings = Settings(_env_file=None, index_dir=tmp_path / "index", corpus_dir=corpus_copy,
                        feedback_path=tmp_path / "feedback.jsonl")
    assert staff.index_status(settings) is None
    staff.reingest(settings, embeddings)
    assistant = build_assistant(settings, embeddings)
    question = "how do I hold a boundary with family over the holidays"
    before = assistant.ask(question)
    assert all(c.slug != "holiday-boundaries-with-family" for c in before.citations)
    staff.save_upload(corpus_copy, "holiday-boundaries.html", WORDPRESS.read_bytes())
    calls: list[tuple[int, int]] = []
    report = staff.reingest(settings, embeddings, progress=lambda d, t: calls.append((d, t)))
    assert report.plan.added == ("holiday-boundaries-with-family",) and not report.failed
    assert calls and calls[-1][0] == calls[-1][1] == report.chunks_embedded
    after = assistant.ask(question)
    assert after.citations[0].slug == "holiday-boundaries-with-family"
    status = staff.index_status(settings)
    assert status is not None and status.articles == 4
    shutil.rmtree(settings.index_dir)
