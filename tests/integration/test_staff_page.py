"""The staff page through Streamlit's AppTest: off without a password, sign-in, lock-out, status."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from practice_assistant import serving
from practice_assistant.settings import Settings

PAGE = str(ROOT / "pages" / "staff.py")
PASSWORD = "correct horse battery staple"


class PageEnv:
    """Settings for one test, installed as the page's services when the page is opened."""

    def __init__(self, tmp_path, stack: ExitStack) -> None:
        self.values: dict[str, object] = {"index_dir": tmp_path / "index",
                                          "corpus_dir": tmp_path / "corpus"}
        self._stack = stack

    def use(self, name: str, value: str) -> None:
        key = name.removeprefix("PA_").lower()
        self.values[key] = SecretStr(value) if key == "staff_password" else value

    def page(self) -> AppTest:
        settings = Settings(_env_file=None, **self.values)
        self._stack.enter_context(serving.installed(serving.Services.from_settings(settings)))
        return AppTest.from_file(PAGE, default_timeout=60)


@pytest.fixture
def page_env(tmp_path) -> Iterator[PageEnv]:
    with ExitStack() as stack:
        yield PageEnv(tmp_path, stack)


def _sign_in(app: AppTest, password: str) -> AppTest:
    app.text_input[0].input(password)
    return app.button[0].click().run()


def test_page_is_off_without_a_password_and_says_how_to_turn_it_on(page_env):
    app = page_env.page().run()
    assert not app.exception
    assert "PA_STAFF_PASSWORD" in app.info[0].value
    assert not app.text_input


def test_password_from_streamlit_secrets_turns_the_page_on(page_env):
    app = page_env.page()
    app.secrets["staff_password"] = PASSWORD
    app.run()
    assert app.text_input[0].label == "Staff password" and not app.info


def test_wrong_password_is_refused(page_env):
    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    app = _sign_in(page_env.page().run(), "guess")
    assert app.error[0].value == "Wrong password. 9 tries left before sign-in is locked."
    assert [b.label for b in app.button] == ["Sign in"] and not app.metric


def test_ten_wrong_passwords_lock_the_right_one_out(page_env):
    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    app = page_env.page().run()
    for _ in range(10):
        app = _sign_in(app, "guess")
    assert "locked for about 15 minutes" in app.error[0].value
    app = _sign_in(app, PASSWORD)
    assert "locked" in app.error[0].value and not app.metric


def test_right_password_with_no_index_yet_says_so(page_env):
    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    app = _sign_in(page_env.page().run(), PASSWORD)
    assert not app.exception and not app.error
    assert "Nothing has been ingested yet" in app.warning[0].value
    assert [b.label for b in app.button] == ["Re-ingest the corpus", "Save facts and re-ingest",
                                             "Sign out"]


@pytest.mark.slow
def test_right_password_shows_the_index_status(page_env, settings):
    """Articles, chunks, last ingest time and model, read from the serving version."""
    from practice_assistant import staff
    from practice_assistant.store import IndexStore

    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    page_env.use("PA_INDEX_DIR", str(settings.index_dir))
    page_env.use("PA_CORPUS_DIR", str(settings.corpus_dir))
    app = _sign_in(page_env.page().run(), PASSWORD)
    assert not app.exception
    current = IndexStore(settings.index_dir).current()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Articles"] == str(current.articles)
    assert metrics["Chunks"] == str(current.chunks)
    assert metrics["Model"] == current.model
    assert metrics["Last ingest (UTC)"] == current.created[:16].replace("T", " ")
    files = len(staff.corpus_files(settings))
    assert app.caption[0].value.startswith(f"{files} source files")


def test_facts_form_shows_every_field_of_the_template(page_env):
    from practice_assistant.practice.facts import TOPICS

    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    app = _sign_in(page_env.page().run(), PASSWORD)
    assert [t.label for t in app.text_area] == [t.label for t in TOPICS]
    assert all(not t.value for t in app.text_area)


def test_a_broken_facts_file_is_reported_and_not_overwritten(page_env, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "practice.yaml").write_text("fees: [oops\n", encoding="utf-8")
    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    app = _sign_in(page_env.page().run(), PASSWORD)
    assert any("cannot be read" in e.value for e in app.error) and not app.text_area
    assert (corpus / "practice.yaml").read_text(encoding="utf-8") == "fees: [oops\n"


@pytest.mark.slow
def test_saving_the_facts_form_writes_the_file_and_reingests(page_env, tmp_path):
    """The form writes practice.yaml, then the ingest indexes it (slug practice-facts)."""
    from practice_assistant.practice.facts import parse_facts
    from practice_assistant.store import IndexStore, indexed_articles

    page_env.use("PA_STAFF_PASSWORD", PASSWORD)
    app = _sign_in(page_env.page().run(), PASSWORD)
    fees = next(t for t in app.text_area if t.label == "Fees and sliding scale")
    fees.input("Sessions are $180.")
    app.text_input(key="fact-url-fees").input("/fees")
    app = next(b for b in app.button if b.label == "Save facts and re-ingest").click().run()
    assert not app.exception and not app.error
    assert any("Saved `practice.yaml`" in s.value for s in app.success)
    fact = parse_facts((tmp_path / "corpus" / "practice.yaml").read_text()).get("fees")
    assert (fact.answer, fact.url) == ("Sessions are $180.", "/fees")
    store = IndexStore(tmp_path / "index")
    assert "practice-facts" in indexed_articles(store.open_collection(store.current().version))
