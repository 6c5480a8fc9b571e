"""Never half-written: a killed ingest, a held lock, a running assistant that follows the marker."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from ingest.pipeline import run_ingest
from practice_assistant.app_service import build_assistant
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings
from practice_assistant.store import MARKER, IndexStore

QUESTIONS = ("why won't my partner go to couples therapy", "what is EMDR therapy",
             "how do I set healthy boundaries")


def _settings(index: Path, corpus: Path, tmp_path: Path) -> Settings:
    return Settings(_env_file=None, index_dir=index, corpus_dir=corpus,
                    feedback_path=tmp_path / "feedback.jsonl")


def _top(assistant: Assistant) -> list[list[tuple[str, str]]]:
    return [[(c.slug, c.quote) for c in assistant.ask(q).citations] for q in QUESTIONS]


def _write_big_corpus(folder: Path, n: int = 150) -> None:
    """``n`` articles from the MedQuAD passages, or generated text when the data is absent."""
    source = SHARED_DATA / "medquad" / "medquad_mental_health_subset.jsonl"
    if source.exists():
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
        passages = [(r["question"], r["answer"]) for r in rows if len(r["answer"].split()) >= 60]
    else:
        rng = random.Random(7)
        words = ("sleep worry grief partner family stress anxiety mood habit calm breath "
                 "routine support change therapy feeling body memory trust").split()
        passages = [(f"Generated note {i}", ". ".join(
            " ".join(rng.choice(words) for _ in range(12)) for _ in range(20)) + ".")
            for i in range(40)]
    for i in range(n):
        title, body = passages[i % len(passages)]
        (folder / f"medquad-{i:03d}.md").write_text(
            f"---\ntitle: \"{title.replace(chr(34), '')} ({i})\"\n---\n\n{body}\n",
            encoding="utf-8")


def _read_until_progress(fd: int, proc: subprocess.Popen, timeout: float) -> tuple[int, int]:
    """Read the progress bar from the pty until some, but not all, chunks are embedded."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if select.select([fd], [], [], 0.2)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            for done, total in re.findall(rb"embedding:[^\r\n]*?(\d+)/(\d+)", seen):
                if 0 < int(done) < int(total):
                    return int(done), int(total)
    raise AssertionError(f"no progress seen before the ingest ended: {seen[-800:]!r}")


@pytest.mark.slow
def test_killed_ingest_leaves_the_serving_index_answering_as_before(
        tmp_path: Path, corpus_copy: Path, embeddings):
    """SIGKILL mid-embedding: same CURRENT.json, same answers, and the next ingest works."""
    index = tmp_path / "index"
    first = run_ingest([corpus_copy], IndexStore(index), embeddings)
    settings = _settings(index, corpus_copy, tmp_path)
    running = build_assistant(settings, embeddings)
    marker = (index / MARKER).read_text()
    before = _top(running)

    big = tmp_path / "big"
    shutil.copytree(corpus_copy, big)
    _write_big_corpus(big)
    env = {**os.environ, "PA_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}
    parent, child = pty.openpty()  # a terminal on stderr turns the progress bar on
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 0 cols: no bar
    proc = subprocess.Popen([sys.executable, "-m", "ingest", str(big)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=child, env=env)
    os.close(child)
    try:
        done, total = _read_until_progress(parent, proc, timeout=240)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(parent)
    assert 0 < done < total
    assert (index / MARKER).read_text() == marker
    assert _top(running) == before
    assert _top(build_assistant(settings, embeddings)) == before

    # A kill during the Chroma write would leave a version folder that was never committed.
    partial = index / "versions" / "v20000101T000000-dead00"
    partial.mkdir(parents=True)
    (partial / "chroma.sqlite3").write_bytes(b"half a database")
    emdr = corpus_copy / "what-is-emdr-therapy.md"
    emdr.write_text(emdr.read_text() + "\nOur EMDR room has a lantern shaped like a heron.\n")
    again = run_ingest([corpus_copy], IndexStore(index), embeddings)
    assert again.plan.updated == ("what-is-emdr-therapy",) and again.version != first.version
    assert json.loads((index / MARKER).read_text())["version"] == again.version
    heron = running.ask("the lantern shaped like a heron in the EMDR room")
    assert "heron" in heron.citations[0].quote


def test_second_ingest_exits_3_while_another_holds_the_lock(tmp_path: Path, corpus_copy: Path):
    env = {**os.environ, "PA_INDEX_DIR": str(tmp_path / "index"), "HF_HUB_OFFLINE": "1"}
    with IndexStore(tmp_path / "index").lock():
        done = subprocess.run([sys.executable, "-m", "ingest", str(corpus_copy)],
                              capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 3
    assert f"another ingest is running on {tmp_path / 'index'}" in done.stderr
    assert "wait for it to finish" in done.stderr
    assert not (tmp_path / "index" / MARKER).exists()


@pytest.mark.slow
def test_running_assistant_serves_a_newer_index(tmp_path: Path, corpus_copy: Path, embeddings):
    """Ask, ingest a changed corpus, ask the same Assistant: the new article is cited."""
    index = tmp_path / "index"
    run_ingest([corpus_copy], IndexStore(index), embeddings)
    assistant = build_assistant(_settings(index, corpus_copy, tmp_path), embeddings)
    question = "what should I know about grief and loss at work"
    assert all(c.slug != "grief-at-work" for c in assistant.ask(question).citations)
    (corpus_copy / "grief-at-work.md").write_text(
        "---\ntitle: Grief at Work\n---\n\n"
        + "Grief and loss follow us to work: a colleague may find meetings hard for months "
          "after a loss, and small kindnesses matter more than the right words. " * 4,
        encoding="utf-8")
    run_ingest([corpus_copy], IndexStore(index), embeddings)
    answer = assistant.ask(question)
    assert answer.route == "answer" and answer.citations[0].slug == "grief-at-work"
