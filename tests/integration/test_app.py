"""The chat page through Streamlit's AppTest: ask, read the sources, see the consultation button."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SEED_SLUG

pytestmark = pytest.mark.slow


@pytest.fixture
def app(page_services) -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def test_page_says_it_is_an_automated_assistant_not_for_under_18s_and_offers_starters(app):
    assert not app.exception
    notice, under_18 = app.markdown[0].value, app.markdown[1].value
    assert "automated assistant, not a therapist" in notice
    assert "[call 988](tel:988) or [text 988](sms:988)" in notice
    assert "not meant for anyone under 18" in under_18 and "(/safety)" in under_18
    assert 3 <= len(app.button) <= 5


def test_question_gets_an_answer_with_sources_and_consultation_button(app):
    app.chat_input[0].set_value("why won't my partner go to couples therapy").run()
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert "Some common reasons I hear" in text
    assert f"/blog/{SEED_SLUG}" in text
    assert app.expander and "Quoted passage [1]" in app.expander[0].label
    buttons = app.get("link_button")
    assert buttons and buttons[0].proto.label == "Book a free 15-minute consultation"


def test_practical_question_is_drawn_like_an_answer_with_the_consultation_button(app):
    """The shipped facts are empty, so the reply points to the consultation; no article text."""
    app.chat_input[0].set_value("How much does a session cost?").run()
    assert not app.exception and not app.error and not app.warning
    reply = app.chat_message[-1].markdown[0].value
    assert reply == ("The practice can tell you about fees and any sliding scale in a free "
                     "15-minute consultation.")
    buttons = app.get("link_button")
    assert buttons and buttons[0].proto.label == "Book a free 15-minute consultation"
    assert app.get("feedback")


def test_starter_question_button_asks_it(app):
    app.button[1].click().run()
    assert "EMDR stands for" in "\n".join(m.value for m in app.markdown)


def test_crisis_message_gets_resources_and_no_consultation_then_stays_on_screen(app):
    app.chat_input[0].set_value("I don't want to be alive anymore").run()
    assert not app.exception
    assert app.error and "988" in app.error[0].value
    assert "[Text HOME to 741741](sms:741741?body=HOME)" in app.error[0].value
    assert not app.get("link_button")
    app.chat_input[0].set_value("what is EMDR?").run()
    assert app.error and "988" in app.error[0].value
    later = app.chat_message[-1]
    assert any("(tel:988)" in m.value for m in later.markdown)


class Clock:
    """A clock the test moves by hand, handed to the page through its services."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_automated_notice_is_repeated_once_a_conversation_passes_three_hours(
        settings, assistant):
    from practice_assistant import serving
    from practice_assistant.answering.disclosure import REMINDER
    from practice_assistant.limits_policy import QuestionLimiter, SignInGuard

    clock = Clock()
    services = serving.Services(settings, serving.AssistantHolder(lambda: assistant),
                                QuestionLimiter("100/minute", "100/minute"), SignInGuard(), clock)

    def reminders(app: AppTest) -> list[int]:
        return [i for i, message in enumerate(app.chat_message)
                if any("A reminder: you are chatting with an automated assistant" in n.value
                       for n in message.info)]

    with serving.installed(services):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        app.chat_input[0].set_value("what is EMDR?").run()
        clock.now += 3 * 3600 - 1
        app.chat_input[0].set_value("how do I set boundaries?").run()
        assert reminders(app) == []
        clock.now += 2
        app.chat_input[0].set_value("what happens in a free consultation?").run()
        assert reminders(app) == [5]  # the third reply (messages alternate user, assistant)
        clock.now += 60
        app.chat_input[0].set_value("what is EMDR?").run()
        assert reminders(app) == [5]
    assert REMINDER.startswith("A reminder: you are chatting with an automated assistant")
