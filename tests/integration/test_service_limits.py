"""The assistant's rate limit: counted only after safety routing, never for a crisis."""

from __future__ import annotations

import pytest

from practice_assistant.app_service import build_assistant
from practice_assistant.limits_policy import RATE_LIMITED_REPLY, QuestionLimiter, Visitor
from practice_assistant.service import Assistant

pytestmark = pytest.mark.slow


@pytest.fixture
def limited(settings, embeddings) -> Assistant:
    return build_assistant(settings, embeddings,
                           limiter=QuestionLimiter("3/minute", "100/minute"))


def test_past_the_limit_questions_get_the_kind_message_but_a_crisis_gets_its_reply(limited):
    visitor = Visitor("one-tab", "203.0.113.7")
    routes = [limited.ask_stream("what is EMDR?", visitor=visitor).result().route
              for _ in range(4)]
    assert routes == ["answer", "answer", "answer", "rate_limited"]
    limited_answer = limited.ask_stream("what is EMDR?", visitor=visitor).result()
    assert limited_answer.answer == RATE_LIMITED_REPLY and not limited_answer.citations
    assert "988" in limited_answer.answer
    crisis = limited.ask_stream("I don't want to be alive anymore", visitor=visitor).result()
    assert crisis.route == "crisis" and "988" in crisis.answer


def test_crisis_messages_do_not_use_up_the_limit(limited):
    visitor = Visitor("another-tab", "203.0.113.8")
    for _ in range(5):
        assert limited.ask_stream("I want to kill myself", visitor=visitor).result().route == \
            "crisis"
    assert limited.ask_stream("what is EMDR?", visitor=visitor).result().route == "answer"


def test_without_a_visitor_the_cli_path_is_never_limited(limited):
    assert {limited.ask("what is EMDR?").route for _ in range(5)} == {"answer"}
