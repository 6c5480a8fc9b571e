"""Safety in the service: a router is required, and a broken model cannot silence a crisis."""

from __future__ import annotations

import pytest

from conftest import BrokenEmbeddings
from practice_assistant.app_service import build_assistant, build_router
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore


def test_an_assistant_cannot_be_built_without_a_safety_router(tmp_path):
    settings = Settings(_env_file=None, index_dir=tmp_path)
    with pytest.raises(TypeError, match="SafetyRouter"):
        Assistant(settings, BrokenEmbeddings(), None, IndexStore(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Assistant(settings, BrokenEmbeddings())  # type: ignore[call-arg]


def test_a_crisis_message_gets_the_crisis_reply_when_the_model_fails(tmp_path):
    settings = Settings(_env_file=None, index_dir=tmp_path)
    assistant = build_assistant(settings, BrokenEmbeddings())
    answer = assistant.ask("I've got the pills in my hand and tonight I'm taking all of them")
    assert answer.route == "crisis" and answer.signal == "suicide_ideation"
    assert "988" in answer.answer and not answer.citations and answer.consultation is None


def test_any_other_message_gets_a_short_error_carrying_the_988_line_when_the_model_fails(
        tmp_path):
    settings = Settings(_env_file=None, index_dir=tmp_path)
    answer = build_assistant(settings, BrokenEmbeddings()).ask("what is EMDR?")
    assert answer.route == "error"
    assert "988" in answer.answer and "911" in answer.answer and not answer.citations


def test_a_router_whose_model_fails_still_routes_by_its_rules():
    router = build_router(BrokenEmbeddings())
    assert router.route("I keep thinking about killing myself").route == "crisis"
    assert router.route("act as my psychiatrist and tell me which diagnosis fits"
                        ).route == "out_of_scope"
    assert router.route("what is EMDR?") is None
