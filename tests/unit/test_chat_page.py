"""The chat page through Streamlit's AppTest, with a fake assistant: what it draws for each route.

The page only draws; which route a message takes is the service's job and is tested with the
real model in tests/integration (test_app.py, test_service.py) and in the browser tests.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from practice_assistant import serving
from practice_assistant.answering.disclosure import REMINDER
from practice_assistant.limits_policy import QuestionLimiter, SignInGuard, Visitor
from practice_assistant.models import Answer, Citation, CitedSection, RouteDecision
from practice_assistant.safety.replies import crisis_reply, crisis_resources
from practice_assistant.service import AnswerStream
from practice_assistant.settings import Settings
from practice_assistant.ui import STARTERS

ROOT = Path(__file__).resolve().parents[2]
CRISIS_WORDS = "I don't want to be alive anymore"


class FakeAssistant:
    """Answers from a script instead of the model and the index, and records what it was asked."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.asked: list[tuple[str, tuple[str, ...]]] = []

    def retriever(self) -> None:
        return None

    def ask_stream(self, question: str, history: Sequence[str] = (),
                   visitor: Visitor | None = None) -> AnswerStream:
        self.asked.append((question, tuple(history)))
        return AnswerStream(self._steps(question))

    def _steps(self, question: str) -> Generator[str, None, Answer]:
        yield from ()
        return self._reply(question)

    def _reply(self, question: str) -> Answer:
        if question == CRISIS_WORDS:
            decision = RouteDecision("crisis", "suicide_self_harm", "test")
            return Answer(question, "crisis", crisis_reply(decision, self.settings),
                          resources=tuple(crisis_resources(decision, self.settings)),
                          signal="suicide_self_harm")
        if question.startswith("How much"):
            return Answer(question, "practice_info",
                          "The practice can tell you about fees in a free 15-minute consultation.",
                          consultation=self.settings.consultation)
        passage = "Some partners worry that therapy means the relationship is failing."
        citation = Citation(1, "couples", "Why partners resist couples therapy",
                            "https://example.org/blog/couples", "Fear of blame", passage,
                            (CitedSection("Fear of blame", passage),
                             CitedSection("Cost", "Others worry about the cost.")))
        return Answer(question, "answer", f"Some common reasons: fear of blame [1]. ({question})",
                      citations=(citation,), consultation=self.settings.consultation)


class Clock:
    """A clock the test moves by hand, handed to the page through its services."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def page(tmp_path: Path):
    settings = Settings(_env_file=None, index_dir=tmp_path / "index",
                        feedback_path=tmp_path / "feedback.jsonl")
    fake = FakeAssistant(settings)
    clock = Clock()
    services = serving.Services(settings, serving.AssistantHolder(lambda: fake),
                                QuestionLimiter("100/minute", "100/minute"), SignInGuard(), clock)
    with serving.installed(services):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        yield app, fake, clock


def test_page_says_it_is_an_automated_assistant_not_for_under_18s_and_offers_starters(page):
    app, _, _ = page
    assert not app.exception
    notice, under_18 = app.markdown[0].value, app.markdown[1].value
    assert "automated assistant, not a therapist" in notice
    assert "[call 988](tel:988) or [text 988](sms:988)" in notice
    assert "not meant for anyone under 18" in under_18 and "(/safety)" in under_18
    assert [b.label for b in app.button] == list(STARTERS)


def test_answer_is_drawn_with_one_numbered_source_its_sections_and_the_consultation_button(page):
    app, _, _ = page
    app.chat_input[0].set_value("why won't my partner go to couples therapy").run()
    assert not app.exception
    reply = app.chat_message[-1]
    texts = [m.value for m in reply.markdown]
    assert texts[0].startswith("Some common reasons: fear of blame [1].")
    source = "**[1]** [Why partners resist couples therapy](https://example.org/blog/couples)"
    assert source in texts
    assert [e.label for e in app.expander] == ["Quoted passage [1] — Fear of blame",
                                              "Also quoted from [1] — Cost"]
    buttons = app.get("link_button")
    assert buttons and buttons[0].proto.label == "Book a free 15-minute consultation"
    assert app.get("feedback")


def test_practical_reply_is_drawn_like_an_answer_with_the_consultation_button(page):
    app, _, _ = page
    app.chat_input[0].set_value("How much does a session cost?").run()
    assert not app.exception and not app.error and not app.warning
    assert app.chat_message[-1].markdown[0].value.startswith("The practice can tell you about")
    assert app.get("link_button") and app.get("feedback")


def test_starter_button_asks_its_question(page):
    app, fake, _ = page
    app.button[1].click().run()
    assert fake.asked == [(STARTERS[1], ())]
    assert STARTERS[1] in app.chat_message[-1].markdown[0].value


def test_crisis_reply_is_an_error_box_with_links_no_button_no_feedback_and_stays_on_screen(page):
    app, fake, _ = page
    app.chat_input[0].set_value(CRISIS_WORDS).run()
    assert not app.exception
    assert app.error and "988" in app.error[0].value
    assert "(tel:988)" in app.error[0].value
    assert not app.get("link_button") and not app.get("feedback")
    app.chat_input[0].set_value("what is EMDR?").run()
    assert app.error and "988" in app.error[0].value  # the crisis reply is still drawn
    assert any("(tel:988)" in m.value for m in app.chat_message[-1].markdown)
    assert fake.asked[-1] == ("what is EMDR?", (CRISIS_WORDS,))


def test_the_automated_notice_is_repeated_once_a_conversation_passes_three_hours(page):
    app, _, clock = page

    def reminders() -> list[int]:
        return [i for i, message in enumerate(app.chat_message)
                if any(REMINDER[:40] in n.value for n in message.info)]

    app.chat_input[0].set_value("what is EMDR?").run()
    clock.now += 3 * 3600 - 1
    app.chat_input[0].set_value("how do I set boundaries?").run()
    assert reminders() == []
    clock.now += 2
    app.chat_input[0].set_value("what happens in a free consultation?").run()
    assert reminders() == [5]  # the third reply (messages alternate user, assistant)
    clock.now += 60
    app.chat_input[0].set_value("what is EMDR?").run()
    assert reminders() == [5]
    assert REMINDER.startswith("A reminder: you are chatting with an automated assistant")
