"""`python -m ingest`: exit codes, the JSON summary, --dry-run and --full, as real subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.cli import main as bench_main
from conftest import FIXTURES, SEED_SLUG
from ingest.pipeline import IngestOptions, run_ingest
from practice_assistant.cli import main as cli_main
from practice_assistant.store import IndexStore

JSON_KEYS = {"added", "updated", "removed", "unchanged", "failed", "chunks_embedded", "seconds"}


def _ingest(args: list[str], index: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PA_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "ingest", *args], capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.mark.parametrize("args", [
    ["--no-such-flag"],
    ["does/not/exist"],
    ["--max-pages", "many"],
    ["--site", "ftp://example.com"],
])
def test_usage_errors_exit_2(tmp_path: Path, args):
    done = _ingest(args, tmp_path / "index")
    assert done.returncode == 2, done.stderr
    assert "error" in done.stderr


def test_bench_usage_errors_exit_2(tmp_path: Path):
    assert bench_main([]) == 2
    assert bench_main(["ingest"]) == 2
    assert bench_main(["ingest", "--corpus", str(tmp_path / "missing")]) == 2
    assert cli_main(["bench"]) == 2  # the product's CLI has no benchmarks


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path: Path, corpus_copy: Path):
    done = _ingest([str(corpus_copy), "--dry-run", "--json"], tmp_path / "index")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sorted(line for line in lines if line.startswith("would add")) == [
        "would add setting-healthy-boundaries", "would add what-is-emdr-therapy",
        f"would add {SEED_SLUG}"]
    assert "would ingest 3 articles" in done.stdout
    report = json.loads(lines[-1])
    assert set(report) == JSON_KEYS and report["added"] == 3 and report["chunks_embedded"] == 0
    assert IndexStore(tmp_path / "index").current() is None


@pytest.mark.slow
def test_bad_inputs_are_each_named_the_rest_ingest_and_the_exit_is_1(tmp_path: Path,
                                                                     corpus_copy: Path):
    """Empty, binary, non-UTF-8, no-body HTML, untitled, duplicate slug, 20 MB, bad front matter."""
    good = corpus_copy
    shutil.copy(FIXTURES / "html" / "wordpress-holiday-boundaries.html", good / "holiday.html")
    bad = {
        "empty.md": (b"", "file is empty"),
        "binary.html": (b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "binary file"),
        "latin1.md": (b"---\ntitle: Caf\xe9\n---\n\nBody", "not UTF-8"),
        "contact.html": ((FIXTURES / "html" / "squarespace-contact-page.html").read_bytes(),
                         "no article body found in the HTML"),
        "untitled.md": (b"---\nslug: untitled\n---\n\n" + b"Words here. " * 30, "missing title"),
        "zz-duplicate.md": ((good / "what-is-emdr-therapy.md").read_bytes(),
                            "slug 'what-is-emdr-therapy' is already used"),
        "list-front-matter.md": (b"---\n- a\n- b\n---\n\nBody words.",
                                 "front matter must be a mapping"),
    }
    for name, (content, _) in bad.items():
        (good / name).write_bytes(content)
    with (good / "huge.html").open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    bad["huge.html"] = (b"", "file is 20.0 MB; the limit is 5 MB")

    done = _ingest([str(good), "--json"], tmp_path / "index")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert set(report) == JSON_KEYS
    assert report["added"] == 4 and report["chunks_embedded"] > 0
    assert "embedding:" not in done.stderr  # no progress bar when stderr is not a terminal
    reasons = {Path(f["path"]).name: f["reason"] for f in report["failed"]}
    assert set(reasons) == set(bad)
    for name, (_, reason) in bad.items():
        assert reason in reasons[name], name
        assert f"skipped {good / name}: " in done.stderr


@pytest.mark.slow
def test_full_reembeds_every_article(tmp_path: Path, corpus_copy: Path, embeddings):
    store = IndexStore(tmp_path / "index")
    first = run_ingest([corpus_copy], store, embeddings)
    full = run_ingest([corpus_copy], store, embeddings, IngestOptions(full=True))
    assert len(full.plan.updated) == 3 and not full.plan.added and not full.plan.unchanged
    assert full.chunks_embedded == first.chunks_embedded == full.chunks
    assert full.version != first.version
    done = _ingest([str(corpus_copy), "--full", "--dry-run"], tmp_path / "index")
    assert done.returncode == 0 and done.stdout.count("would update") == 3


@pytest.mark.slow
def test_unchanged_cli_reingest_embeds_nothing_and_keeps_the_version(tmp_path: Path,
                                                                    corpus_copy: Path,
                                                                    embeddings):
    store = IndexStore(tmp_path / "index")
    first = run_ingest([corpus_copy], store, embeddings)
    done = _ingest([str(corpus_copy), "--json"], tmp_path / "index")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert (report["unchanged"], report["chunks_embedded"]) == (3, 0)
    assert "ingested 3 articles" in done.stdout
    assert store.current().version == first.version
