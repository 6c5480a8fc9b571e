"""Every visitor: axe-core (WCAG 2.0/2.1/2.2 A and AA) in each state, the live region, the
keyboard alone, tappable crisis numbers, and no way from the chat to the staff page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_server,
    axe_violations,
    chromium_missing_reason,
)
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]
_skip = chromium_missing_reason()
if _skip:
    pytest.skip(_skip, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

ARTIFACTS = ROOT / "artifacts" / "browser"
QUESTION = "why won't my partner go to couples therapy"
CRISIS = "I don't want to be alive anymore"
TIMEOUT = 60_000
RECORD_BUSY = """() => {
    window.busyStates = [];
    new MutationObserver((records) => {
        for (const r of records) window.busyStates.push(r.target.getAttribute('aria-busy'));
    }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['aria-busy']});
}"""


@pytest.fixture(scope="module")
def server(settings, tmp_path_factory) -> Iterator[str]:
    env = {"PA_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1",
           "PA_FEEDBACK_PATH": str(tmp_path_factory.mktemp("a11y") / "feedback.jsonl"),
           "PA_STAFF_PASSWORD": "correct horse battery staple",
           "PA_QUESTIONS_PER_ADDRESS": "1000/minute", "PA_QUESTIONS_PER_SESSION": "1000/minute"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(ROOT, env, ARTIFACTS / "server-a11y.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server)
    page.get_by_role("textbox").first.wait_for(timeout=TIMEOUT)
    expect(page.get_by_role("log", name="Conversation")).to_be_attached(timeout=TIMEOUT)
    yield page
    context.close()


def ask(page: Page, text: str) -> None:
    box = page.get_by_role("textbox").first
    box.fill(text)
    box.press("Enter")


def last_reply(page: Page):
    return page.get_by_role("log").locator('[data-testid="stChatMessage"]').last


def settled(page: Page) -> None:
    expect(page.get_by_role("log")).to_have_attribute("aria-busy", "false", timeout=TIMEOUT)


def test_empty_chat_page_has_no_serious_accessibility_violations(page: Page):
    expect(page.get_by_text("automated assistant, not a therapist")).to_be_visible()
    assert axe_violations(page) == []


def test_after_a_cited_answer_there_are_no_serious_accessibility_violations(page: Page):
    ask(page, QUESTION)
    expect(last_reply(page).get_by_role("link", name="Book a free 15-minute consultation")
           ).to_be_visible(timeout=TIMEOUT)
    settled(page)
    last_reply(page).get_by_text("Quoted passage [1]").click()
    assert axe_violations(page) == []


def test_after_a_crisis_reply_there_are_no_serious_accessibility_violations(page: Page):
    ask(page, CRISIS)
    expect(last_reply(page).get_by_role("alert").first).to_contain_text("988", timeout=TIMEOUT)
    settled(page)
    assert axe_violations(page) == []


def test_staff_sign_in_has_no_serious_accessibility_violations_and_suits_password_managers(
        browser: Browser, server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/staff")
    field = page.get_by_label("Staff password")
    field.wait_for(timeout=TIMEOUT)
    assert field.get_attribute("type") == "password"
    assert field.get_attribute("autocomplete") == "current-password"
    assert axe_violations(page) == []
    context.close()


def test_safety_page_has_no_serious_accessibility_violations(page: Page, server: str):
    page.goto(f"{server}/safety")
    expect(page.get_by_role("heading", level=1)).to_contain_text("safety and privacy")
    assert axe_violations(page) == []


def test_the_conversation_is_a_log_busy_until_the_whole_reply_is_drawn(page: Page):
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    page.evaluate(RECORD_BUSY)
    ask(page, QUESTION)
    expect(log.get_by_role("link", name="Book a free 15-minute consultation")).to_be_visible(
        timeout=TIMEOUT)
    settled(page)
    states = page.evaluate("window.busyStates")
    assert "true" in states and states[-1] == "false", states
    assert states.index("true") < len(states) - 1
    expect(log.locator('[data-testid="stChatMessage"]')).to_have_count(2)


def test_the_crisis_reply_is_an_alert_whose_numbers_can_be_called_or_texted(page: Page):
    ask(page, CRISIS)
    alert = last_reply(page).get_by_role("alert").first
    expect(alert).to_contain_text("988", timeout=TIMEOUT)
    hrefs = {alert.get_by_role("link", name=name).first.get_attribute("href")
             for name in ("Call 988", "text 988", "Call 911", "Text HOME to 741741")}
    assert hrefs == {"tel:988", "sms:988", "tel:911", "sms:741741?body=HOME"}


def test_the_whole_ask_flow_works_with_the_keyboard_alone(page: Page):
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement?.getAttribute('data-testid')") == \
                "stChatInputTextArea":
            break
    else:
        pytest.fail("Tab never reached the chat box")
    page.keyboard.type("what is EMDR?")
    page.keyboard.press("Enter")
    expect(last_reply(page)).to_contain_text("EMDR stands for", timeout=TIMEOUT)
    settled(page)
    reached: list[tuple[str, str]] = []
    for _ in range(60):  # on from the chat box, round to the top and into the reply
        page.keyboard.press("Tab")
        reached.append(tuple(page.evaluate(
            "[document.activeElement?.tagName, document.activeElement?.textContent?.trim()]")))
        if reached[-1][0] == "SUMMARY" and "Quoted passage [1]" in reached[-1][1]:
            page.keyboard.press("Enter")  # the expander opens from the keyboard
            break
    else:
        pytest.fail(f"Tab never reached the quoted passage: {[t for t, _ in reached]}")
    expect(last_reply(page).get_by_test_id("stExpanderDetails").first).to_be_visible()
    assert ("A", "What Is EMDR Therapy? A Plain-Language Guide") in reached  # the source link


def test_the_visitor_page_has_no_staff_link_or_page_list(page: Page, server: str):
    for url in (server, f"{server}/?embed=true"):
        page.goto(url)
        page.get_by_role("textbox").first.wait_for(timeout=TIMEOUT)
        expect(page.get_by_text("Try asking:")).to_be_visible()
        assert page.locator("a[href*='staff' i]").count() == 0
        assert page.get_by_role("link", name=re.compile("staff", re.I)).count() == 0
        assert page.get_by_role("button", name=re.compile("staff", re.I)).count() == 0
        assert page.get_by_test_id("stSidebarNav").count() == 0
        assert "Staff" not in page.locator("body").inner_text()
