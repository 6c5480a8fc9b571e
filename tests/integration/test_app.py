"""The chat page through Streamlit's AppTest with the real assistant: a question, a practical
question and a crisis message, end to end. What the page draws for each route, and the notices,
are tested with a fake assistant in tests/unit/test_chat_page.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SEED_SLUG

pytestmark = pytest.mark.slow


@pytest.fixture
def app(page_services) -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


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
