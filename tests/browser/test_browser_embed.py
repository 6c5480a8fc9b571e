"""The launcher on the practice's own site: a host page on another loopback origin pastes the
one-line snippet, and a visitor opens the panel and asks, at desktop and at phone size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_server,
    axe_violations,
    chromium_missing_reason,
    static_site,
)
from conftest import ROOT, SEED_SLUG

pytestmark = [pytest.mark.slow, pytest.mark.browser]
_skip = chromium_missing_reason()
if _skip:
    pytest.skip(_skip, allow_module_level=True)

from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect, sync_playwright  # noqa: E402

ARTIFACTS = ROOT / "artifacts" / "browser"
QUESTION = "why won't my partner go to couples therapy"
TIMEOUT = 60_000
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connected Healing Therapy: couples therapy (sample host page)</title>
<style>
  body {{ margin: 0; font-family: Georgia, serif; color: #222; background: #fff; }}
  header {{ background: #e9efe9; padding: 20px 24px; }}
  header p {{ margin: 0; font-size: 1.4rem; }}
  main {{ padding: 8px 24px 160px; max-width: 40rem; line-height: 1.6; }}
</style>
<script>
  window.hostGlobalsBefore = Object.keys(window);
  window.hostEscapes = 0;
  document.addEventListener("keydown", (e) => {{ if (e.key === "Escape") window.hostEscapes++; }});
</script>
</head><body>
<header><p>Connected Healing Therapy</p></header>
<main><h1>Couples therapy</h1>
<p>A sample page standing in for the practice's website. The chat button below comes from one
line pasted into this page.</p>
<p>When one partner is hesitant about therapy, it often helps to understand why.</p></main>
{snippet}
<script>window.hostReady = true;</script>
</body></html>
"""


@pytest.fixture(scope="module")
def site() -> Iterator[dict[str, str]]:
    """The practice's site on 127.0.0.2 (allowed to frame the chat) and a stranger's on
    127.0.0.3 (not allowed); pages get the assistant's address once it is known."""
    pages: dict[str, str] = {"/book": "<!DOCTYPE html><title>Book</title><p>Booking page</p>"}
    stranger: dict[str, str] = {}
    with static_site("127.0.0.2", pages) as practice, static_site("127.0.0.3", stranger) as other:
        yield {"practice": practice, "stranger": other, "pages": pages,  # type: ignore[dict-item]
               "stranger_pages": stranger}


@pytest.fixture(scope="module")
def assistant_url(settings, site) -> Iterator[str]:
    env = {"PA_INDEX_DIR": str(settings.index_dir), "HF_HUB_OFFLINE": "1",
           "PA_EMBED_ORIGINS": site["practice"],
           "PA_CONSULTATION_URL": f"{site['practice']}/book",
           "PA_QUESTIONS_PER_ADDRESS": "1000/minute", "PA_QUESTIONS_PER_SESSION": "1000/minute"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(ROOT, env, ARTIFACTS / "server-embed.log") as url:
        snippet = f'<script src="{url}/embed.js" defer></script>'
        site["pages"]["/"] = HOST_PAGE.format(snippet=snippet)  # type: ignore[index]
        site["pages"]["/bare"] = HOST_PAGE.format(snippet="")  # type: ignore[index]
        frame = f'<!DOCTYPE html><title>Framing</title><iframe src="{url}/?embed=true" ' \
                'title="Chat" width="400" height="600"></iframe>'
        site["pages"]["/frame"] = frame  # type: ignore[index]
        site["stranger_pages"]["/frame"] = frame  # type: ignore[index]
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=["desktop", "phone"])
def visit(request, browser: Browser, site, assistant_url) -> Iterator[tuple[str, Page]]:
    context = browser.new_context(**(DESKTOP if request.param == "desktop" else PHONE))
    page = context.new_page()
    page.requested_hosts = set()  # type: ignore[attr-defined]
    context.on("request", lambda r: page.requested_hosts.add(network_host(r.url)))
    page.goto(site["practice"] + "/")
    yield request.param, page
    context.close()


def network_host(url: str) -> str:
    """The host a request goes to; ``blob:`` URLs belong to the origin inside them, and
    ``data:`` URLs go nowhere."""
    if url.startswith("blob:"):
        url = url.removeprefix("blob:")
    return "(none: data URL)" if url.startswith("data:") else urlparse(url).netloc


def launcher(page: Page):
    """The launcher: a button whose accessible name says chat or assistant (not "Close chat")."""
    return page.get_by_role("button", name=re.compile(r"^(?!close\b).*(chat|assistant)", re.I))


def open_panel(page: Page) -> Frame:
    launcher(page).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    chat = page.frame_locator("iframe[title]")
    chat.get_by_role("textbox").first.wait_for(timeout=TIMEOUT)
    return next(f for f in page.frames if "embed=true" in f.url)


def ask(frame: Frame, text: str) -> None:
    box = frame.get_by_role("textbox").first
    box.fill(text)
    box.press("Enter")


def focused_on_launcher(page: Page) -> bool:
    return page.evaluate("""() => {
        const host = document.activeElement;
        return !!host && host.hasAttribute('data-practice-assistant')
            && host.shadowRoot.activeElement?.classList.contains('launcher') === true;
    }""")


def test_design_card_question_gets_a_cited_answer_with_the_consultation_link_in_the_panel(
        visit, site, assistant_url):
    size, page = visit
    frame = open_panel(page)
    iframe = page.locator("iframe[title]")
    expect(iframe).to_have_attribute("src", f"{assistant_url}/?embed=true")
    expect(iframe).to_have_attribute("title", re.compile("assistant", re.I))
    box = iframe.bounding_box()
    assert box is not None
    if size == "phone":
        assert (box["x"], box["width"]) == (0, 390)  # full width; the bar sits above the frame
        panel = page.get_by_role("dialog").bounding_box()
        assert panel is not None and (panel["y"], panel["height"]) == (0, 844)
    else:  # a corner panel, bottom right
        assert box["width"] <= 400 and 1240 <= box["x"] + box["width"] <= 1262
        assert box["y"] > 0 and box["y"] + box["height"] <= 800 - 80
    ask(frame, QUESTION)
    message = frame.locator('[data-testid="stChatMessage"]').last
    expect(message).to_contain_text("Some common reasons I hear", timeout=TIMEOUT)
    source = message.get_by_role("link", name=re.compile("Why One Partner Often Avoids Therapy"))
    expect(source.first).to_have_attribute("href", re.compile(f"/blog/{SEED_SLUG}$"))
    consultation = message.get_by_role("link", name="Book a free 15-minute consultation")
    expect(consultation).to_have_attribute("href", f"{site['practice']}/book")
    chat_box = frame.get_by_role("textbox").first.bounding_box()
    viewport = page.viewport_size
    assert chat_box is not None and viewport is not None
    assert chat_box["y"] + chat_box["height"] <= viewport["height"]  # the input stays in view
    page.screenshot(path=str(ARTIFACTS / f"launcher-{size}.png"))
    hosts = page.requested_hosts - {"(none: data URL)"}  # type: ignore[attr-defined]
    assert hosts == {urlparse(site["practice"]).netloc, urlparse(assistant_url).netloc}


def test_links_in_the_panel_open_a_new_tab_that_cannot_reach_back(visit, site):
    _, page = visit
    frame = open_panel(page)
    ask(frame, QUESTION)
    message = frame.locator('[data-testid="stChatMessage"]').last
    consultation = message.get_by_role("link", name="Book a free 15-minute consultation")
    expect(consultation).to_be_visible(timeout=TIMEOUT)
    links = frame.locator("a[href]:not([href^='#'])")  # sources, booking, /safety, tel:, sms:
    assert links.count() >= 5
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("target") == "_blank", link.evaluate("a => a.outerHTML")
        assert re.search(r"\bno(opener|referrer)\b", link.get_attribute("rel") or ""), \
            link.evaluate("a => a.outerHTML")
    with page.context.expect_page() as opened:
        consultation.click()
    booking = opened.value
    booking.wait_for_load_state()
    assert booking.url == f"{site['practice']}/book"
    assert booking.evaluate("window.opener") is None
    assert page.url == f"{site['practice']}/"  # the visitor's page is still there


def test_esc_and_the_close_button_close_the_panel_and_return_focus_to_the_launcher(visit):
    _, page = visit
    launcher(page).focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(launcher(page)).to_have_attribute("aria-expanded", "true")
    frame = page.frame_locator("iframe[title]")
    frame_box = frame.get_by_role("textbox").first
    frame_box.wait_for(timeout=TIMEOUT)
    # the Esc listener is a component that mounts a moment after the chat box appears
    frame.locator('html[data-pa-live-region="on"]').wait_for(state="attached", timeout=TIMEOUT)
    frame_box.focus()
    page.keyboard.press("Escape")  # pressed inside the chat frame
    expect(dialog).to_be_hidden()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")
    assert focused_on_launcher(page)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Close chat").click()
    expect(dialog).to_be_hidden()
    assert focused_on_launcher(page)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Close chat").focus()
    page.keyboard.press("Escape")  # pressed on the panel's own bar
    expect(dialog).to_be_hidden()
    assert focused_on_launcher(page)
    assert page.evaluate("window.hostEscapes") >= 1  # the host page's own listener still hears


def test_the_snippet_adds_one_global_sets_no_cookie_and_leaves_host_scripts_working(
        browser: Browser, site, assistant_url):
    context: BrowserContext = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(site["practice"] + "/bare")
    bare = set(page.evaluate("Object.keys(window)"))
    page.goto(site["practice"] + "/")
    launcher(page).wait_for()
    frame = open_panel(page)
    ask(frame, "what is EMDR?")
    expect(frame.locator('[data-testid="stChatMessage"]').last).to_contain_text(
        "EMDR stands for", timeout=TIMEOUT)
    added = set(page.evaluate("Object.keys(window)")) - bare
    assert added == {"PracticeAssistant"}
    assert sorted(page.evaluate("Object.keys(window.PracticeAssistant)")) == [
        "close", "open", "toggle"]
    assert page.evaluate("window.hostReady") is True
    assert page.evaluate("document.cookie") == ""
    assert context.cookies(site["practice"]) == []
    context.close()


def test_a_site_not_in_embed_origins_cannot_frame_the_chat(browser: Browser, site, assistant_url):
    context = browser.new_context(**DESKTOP)
    allowed = context.new_page()
    allowed.goto(site["practice"] + "/frame")
    allowed.frame_locator("iframe").get_by_role("textbox").first.wait_for(timeout=TIMEOUT)
    stranger = context.new_page()
    stranger.goto(site["stranger"] + "/frame")
    frame = stranger.frames[1]
    frame.wait_for_url(re.compile(r"^chrome-error://"), timeout=TIMEOUT)  # frame-ancestors
    assert frame.locator("textarea").count() == 0
    context.close()


def test_launcher_panel_on_a_host_page_has_no_serious_accessibility_violations(visit):
    size, page = visit
    assert axe_violations(page) == []  # closed: the button on the host page
    frame = open_panel(page)
    expect(frame.get_by_text("automated assistant, not a therapist").first).to_be_visible()
    assert axe_violations(page) == [], size  # open: the panel's bar and the frame element
    assert axe_violations(frame) == [], size  # inside the frame: the embedded chat page


def test_on_a_phone_the_chat_box_stays_in_view_when_the_keyboard_takes_half_the_screen(
        browser: Browser, site, assistant_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site["practice"] + "/")
    frame = open_panel(page)
    frame.get_by_role("textbox").first.focus()
    page.set_viewport_size({"width": 390, "height": 420})  # what an on-screen keyboard leaves
    expect(page.get_by_role("dialog")).to_have_css("height", "420px")
    box = frame.get_by_role("textbox").first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 420
    context.close()
