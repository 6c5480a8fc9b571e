"""Rate limits in a real browser against a real server with the default limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, app_server, chromium_missing_reason
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]
_skip = chromium_missing_reason()
if _skip:
    pytest.skip(_skip, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

ARTIFACTS = ROOT / "artifacts" / "browser"
PASSWORD = "correct horse battery staple"
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def server(settings, tmp_path_factory) -> Iterator[dict[str, str]]:
    """Default limits (10 questions a minute; 10 failed sign-ins lock for 15 minutes)."""
    env = {"PA_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1",
           "PA_FEEDBACK_PATH": str(tmp_path_factory.mktemp("limits") / "feedback.jsonl"),
           "PA_STAFF_PASSWORD": PASSWORD}
    log = ARTIFACTS / "server-limits.log"
    with app_server(ROOT, env, log) as url:
        yield {"url": url, "log": str(log)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def replies(page: Page):
    return page.get_by_role("log").locator('[data-testid="stChatMessage"]')


def ask_and_wait(page: Page, text: str, count: int) -> None:
    box = page.get_by_role("textbox").first
    box.fill(text)
    box.press("Enter")
    expect(replies(page)).to_have_count(2 * count, timeout=TIMEOUT)
    expect(page.get_by_role("log")).to_have_attribute("aria-busy", "false", timeout=TIMEOUT)


def test_the_eleventh_question_in_a_minute_is_asked_to_wait_but_a_crisis_still_gets_help(
        browser: Browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server["url"])
    page.get_by_role("textbox").first.wait_for(timeout=TIMEOUT)
    for n in range(1, 11):
        ask_and_wait(page, "what is EMDR?", n)
        expect(replies(page).last).to_contain_text("EMDR stands for")
    ask_and_wait(page, "how do I set boundaries?", 11)
    limited = replies(page).last
    expect(limited).to_contain_text("I need to pause for a moment")
    expect(limited.get_by_role("link", name="call 911")).to_have_attribute("href", "tel:911")
    expect(limited).not_to_contain_text("boundar")
    ask_and_wait(page, "I don't want to be alive anymore", 12)
    crisis = replies(page).last.get_by_role("alert").first
    expect(crisis).to_contain_text("988")
    expect(crisis.get_by_role("link", name="Text HOME to 741741")).to_have_attribute(
        "href", "sms:741741?body=HOME")
    page.screenshot(path=str(ARTIFACTS / "rate-limited-then-crisis.png"), full_page=True)
    page.close()


def test_twelve_wrong_passwords_from_fresh_browsers_then_the_right_one_is_refused(
        browser: Browser, server):
    messages = []
    for attempt in [*["not the password"] * 12, PASSWORD]:
        context = browser.new_context(viewport={"width": 1280, "height": 800})  # no shared state
        page = context.new_page()
        page.goto(f"{server['url']}/staff")
        box = page.get_by_label("Staff password")
        box.wait_for(timeout=TIMEOUT)
        box.fill(attempt)
        page.get_by_role("button", name="Sign in").click()
        alert = page.get_by_text(re.compile("Wrong password|locked")).first
        expect(alert).to_be_visible(timeout=TIMEOUT)
        messages.append(alert.inner_text())
        expect(page.get_by_role("button", name="Re-ingest the corpus")).to_have_count(0)
        context.close()
    assert messages[0] == "Wrong password. 9 tries left before sign-in is locked."
    assert all("locked for about 15 minutes" in m for m in messages[9:]), messages
    assert "even with the right password" in messages[-1]
    log = Path(server["log"]).read_text(encoding="utf-8")
    assert "staff sign-in locked: scope=address address=127.0.0.1" in log
    assert "not the password" not in log and PASSWORD not in log
