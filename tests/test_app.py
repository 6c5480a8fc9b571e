"""The chat page through Streamlit's AppTest: ask, read the sources, see the consultation button."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SEED_SLUG

pytestmark = pytest.mark.slow


@pytest.fixture
def app(settings, monkeypatch) -> AppTest:
    monkeypatch.setenv("PA_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("PA_FEEDBACK_PATH", str(settings.feedback_path))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def test_page_says_it_is_an_automated_assistant_and_offers_starters(app):
    assert not app.exception
    assert "automated assistant, not a therapist" in app.caption[0].value
    assert "988" in app.caption[0].value
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


def test_starter_question_button_asks_it(app):
    app.button[1].click().run()
    assert "EMDR stands for" in "\n".join(m.value for m in app.markdown)


def test_crisis_message_gets_resources_and_no_consultation_then_stays_on_screen(app):
    app.chat_input[0].set_value("I don't want to be alive anymore").run()
    assert not app.exception
    assert app.error and "988" in app.error[0].value
    assert "741741" in app.error[0].value
    assert not app.get("link_button")
    app.chat_input[0].set_value("what is EMDR?").run()
    assert app.error and "988" in app.error[0].value
    assert any("988" in c.value for c in app.caption[1:])
