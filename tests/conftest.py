"""Shared fixtures: one real model and one ingested practice index for the whole session.

Tests live in three folders: `unit` (no model, no Chroma server, no browser: `make test-fast`),
`integration` (the real model and real Chroma) and `browser` (a real server and Chromium, nginx).
A unit test that reaches for the model fails, saying so (`pytest_runtest_setup`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_SLUG = "why-one-partner-often-avoids-therapy"
FIXTURES = ROOT / "tests" / "fixtures"
UNIT = ROOT / "tests" / "unit"
INTEGRATION = ROOT / "tests" / "integration"
BROWSER = ROOT / "tests" / "browser"


def shared_data_or_skip(*parts: str) -> Path:
    """Tests on public data skip, saying why, on a clone without ../shared/data."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the public evaluation data lives beside the repo in "
                    "../shared/data (CI has it; a plain clone does not)")
    return path


class ModelInUnitTestError(RuntimeError):
    """A test in tests/unit tried to load or use the embedding model."""


# The fixtures below that load the real model, or need what it built.
MODEL_FIXTURES = frozenset({"embeddings", "index_dir", "settings", "assistant", "cli_env",
                            "page_services"})
_GUARD = pytest.StashKey[pytest.MonkeyPatch]()


def _uses_model_fixture(item: pytest.Item) -> list[str]:
    defs = getattr(item, "_fixtureinfo", None)
    if defs is None:
        return []
    return sorted(name for name in MODEL_FIXTURES.intersection(item.fixturenames)
                  if (found := defs.name2fixturedefs.get(name))
                  and Path(found[-1].func.__code__.co_filename) == Path(__file__))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The folder is the truth: integration and browser tests are slow, browser ones browser."""
    for item in items:
        if item.path.is_relative_to(INTEGRATION) or item.path.is_relative_to(BROWSER):
            item.add_marker(pytest.mark.slow)
        if item.path.is_relative_to(BROWSER):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """In tests/unit: no shared model fixture, and loading the sentence-transformers model, or
    using one an earlier test loaded, raises. Such a test belongs in tests/integration."""
    if not item.path.is_relative_to(UNIT):
        return
    used = _uses_model_fixture(item)
    if used:
        pytest.fail(f"{item.nodeid} uses {', '.join(used)} (the real model): move it to "
                    "tests/integration, or give it fake embeddings", pytrace=False)
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        pytest.fail(f"{item.nodeid} is marked slow or browser: it is not a unit test",
                    pytrace=False)
    from practice_assistant import embedding

    def refuse(*_: object, **__: object) -> None:
        raise ModelInUnitTestError(f"{item.nodeid} needs the embedding model: move it to "
                                   "tests/integration, or give it fake embeddings")

    guard = item.stash[_GUARD] = pytest.MonkeyPatch()
    guard.setattr(embedding, "model_path", refuse)
    loaded = sys.modules.get("langchain_huggingface")
    if loaded is not None:
        for method in ("embed_documents", "embed_query"):
            guard.setattr(loaded.HuggingFaceEmbeddings, method, refuse)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    guard = item.stash.get(_GUARD, None)
    if guard is not None:
        guard.undo()


@pytest.fixture(scope="session")
def embeddings():
    """The real model, loaded once. Its vectors are remembered by text for the session: many
    tests embed the same articles' sentences and golden questions, and a text's vector does
    not change (the cache is in memory only, so every run starts from the model)."""
    from practice_assistant.embedding import CachingEmbeddings, load_embeddings

    return CachingEmbeddings(load_embeddings())


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

    return build_assistant(settings, embeddings)  # the session's model, not a second copy


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
