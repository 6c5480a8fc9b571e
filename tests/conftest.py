"""Shared fixtures: one real model and one ingested practice index for the whole session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_SLUG = "why-one-partner-often-avoids-therapy"
FIXTURES = ROOT / "tests" / "fixtures"


def shared_data_or_skip(*parts: str) -> Path:
    """Tests on public data skip, saying why, on a clone without ../shared/data."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the public evaluation data lives beside the repo in "
                    "../shared/data (CI has it; a plain clone does not)")
    return path


@pytest.fixture(scope="session")
def embeddings():
    from practice_assistant.embedding import load_embeddings

    return load_embeddings()


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Path:
    """The practice corpus ingested once, for every test that only reads it."""
    from ingest.pipeline import run_ingest
    from practice_assistant.store import IndexStore

    root = tmp_path_factory.mktemp("index")
    report = run_ingest([CORPUS], IndexStore(root), embeddings)
    assert not report.failed, report.failed
    return root


@pytest.fixture(scope="session")
def settings(index_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from practice_assistant.settings import Settings

    feedback = tmp_path_factory.mktemp("feedback") / "feedback.jsonl"
    return Settings(_env_file=None, index_dir=index_dir, corpus_dir=CORPUS,
                    feedback_path=feedback)


@pytest.fixture(scope="session")
def assistant(settings, embeddings):
    from practice_assistant.app_service import build_assistant

    return build_assistant(settings)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of three articles, for tests that change the corpus."""
    target = tmp_path / "corpus"
    target.mkdir()
    for name in (f"{SEED_SLUG}.md", "what-is-emdr-therapy.md", "setting-healthy-boundaries.md"):
        shutil.copy(CORPUS / name, target / name)
    yield target


@pytest.fixture
def cli_env(index_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"PA_INDEX_DIR": str(index_dir), "PA_CORPUS_DIR": str(CORPUS),
                "HF_HUB_OFFLINE": "1"})
    return env


@pytest.fixture
def page_services(settings, assistant):
    """The services the Streamlit pages use, installed for one test (the shared assistant)."""
    from practice_assistant import serving

    services = serving.Services.from_settings(settings)
    services = serving.Services(settings, serving.AssistantHolder(lambda: assistant),
                                services.questions, services.sign_in, services.clock)
    with serving.installed(services):
        yield services


class BrokenEmbeddings:
    """A model that fails on every call, as a crashed or missing model would."""

    def embed_query(self, text: str) -> list[float]:
        raise RuntimeError("model is down")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("model is down")
