"""The chat page in a real Chromium against a real Streamlit server, as a visitor uses it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, app_server, chromium_missing_reason
from conftest import ROOT, SEED_SLUG

pytestmark = [pytest.mark.slow, pytest.mark.browser]
_skip = chromium_missing_reason()
if _skip:
    pytest.skip(_skip, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

ARTIFACTS = ROOT / "artifacts" / "browser"
QUESTION = "why won't my partner go to couples therapy"
ANSWER_TIMEOUT = 60_000


@pytest.fixture(scope="module")
def server(settings, tmp_path_factory) -> Iterator[dict[str, object]]:
    feedback = tmp_path_factory.mktemp("browser") / "feedback.jsonl"
    env = {"PA_INDEX_DIR": str(settings.index_dir), "PA_FEEDBACK_PATH": str(feedback),
           "PA_CONSULTATION_URL": "https://example.test/book", "HF_HUB_OFFLINE": "1",
           # every test here asks from 127.0.0.1: the rate limit has its own tests
           "PA_QUESTIONS_PER_ADDRESS": "1000/minute", "PA_QUESTIONS_PER_SESSION": "1000/minute"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(ROOT, env, ARTIFACTS / "server.log") as url:
        yield {"url": url, "feedback": feedback}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.goto(str(server["url"]))
    page.get_by_role("textbox").first.wait_for(timeout=ANSWER_TIMEOUT)
    yield page
    context.close()


def ask(page: Page, text: str) -> None:
    box = page.get_by_role("textbox").first
    box.fill(text)
    box.press("Enter")


def last_assistant(page: Page):
    return page.locator('[data-testid="stChatMessage"]').last


def test_question_gets_streamed_cited_answer_with_consultation(page: Page):
    ask(page, QUESTION)
    message = last_assistant(page)
    expect(message).to_contain_text("Some common reasons I hear", timeout=ANSWER_TIMEOUT)
    link = message.get_by_role("link", name=re.compile("Why One Partner Often Avoids Therapy"))
    expect(link.first).to_have_attribute("href", re.compile(f"/blog/{SEED_SLUG}$"))
    button = message.get_by_role("link", name="Book a free 15-minute consultation")
    expect(button).to_have_attribute("href", "https://example.test/book")
    page.screenshot(path=str(ARTIFACTS / "answer-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "answer-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    message.get_by_text("Quoted passage [1]").click()
    quote = message.get_by_test_id("stExpanderDetails").first
    expect(quote).to_contain_text("Some common reasons I hear")
    expect(quote).to_contain_text("Vulnerability is hard")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_thumbs_up_is_written_to_the_feedback_file(page: Page, server):
    ask(page, "what is EMDR?")
    message = last_assistant(page)
    expect(message).to_contain_text("EMDR stands for", timeout=ANSWER_TIMEOUT)
    message.get_by_role("radio", name="Thumbs up").click()
    feedback: Path = server["feedback"]  # type: ignore[assignment]
    expect(page.get_by_text("Thank you for the feedback.")).to_be_visible(timeout=20_000)
    records = [json.loads(line) for line in feedback.read_text().splitlines()]
    assert records[-1]["rating"] == "up" and records[-1]["question"] == "what is EMDR?"


def test_crisis_message_shows_resources_without_consultation(page: Page):
    ask(page, "I don't want to be alive anymore")
    message = last_assistant(page)
    expect(message).to_contain_text("988", timeout=ANSWER_TIMEOUT)
    expect(message).to_contain_text("741741")
    expect(message.get_by_role("link", name="Book a free 15-minute consultation")).to_have_count(0)
    expect(message.get_by_role("alert").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "crisis-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "crisis-phone.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_script_tag_is_shown_as_text(page: Page):
    ask(page, "<script>window.pwned = 1</script> hello")
    expect(page.locator('[data-testid="stChatMessage"]').first).to_contain_text(
        "<script>window.pwned = 1</script> hello", timeout=ANSWER_TIMEOUT)
    assert page.evaluate("window.pwned") is None


def test_starter_question_and_reload_gives_fresh_conversation(page: Page):
    page.get_by_role("button", name="What is EMDR?").click()
    expect(last_assistant(page)).to_contain_text("EMDR stands for", timeout=ANSWER_TIMEOUT)
    page.reload()
    page.get_by_role("textbox").first.wait_for(timeout=ANSWER_TIMEOUT)
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(0)
    expect(page.get_by_role("button", name="What is EMDR?")).to_be_visible()


def test_chat_input_and_buttons_have_accessible_names(page: Page):
    box = page.get_by_role("textbox").first
    assert box.get_attribute("aria-label")
    buttons = page.get_by_role("button").all() + page.get_by_role("link").all()
    assert len(buttons) >= 4
    for button in buttons:
        if button.is_visible():
            name = (button.get_attribute("aria-label") or button.inner_text()).strip()
            assert name, button.evaluate("b => b.outerHTML")
