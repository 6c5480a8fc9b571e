"""The staff page in a real Chromium: sign in, upload a post, re-ingest, see it cited in chat."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, app_server, chromium_missing_reason
from conftest import CORPUS, ROOT, SEED_SLUG

pytestmark = [pytest.mark.slow, pytest.mark.browser]
_skip = chromium_missing_reason()
if _skip:
    pytest.skip(_skip, allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

TIMEOUT = 90_000
NEW_POST = """---
title: "Gardening Together as a Couple"
slug: gardening-together-as-a-couple
url: /blog/gardening-together-as-a-couple
sample: true
---

## Why a shared garden helps

Tending a vegetable garden together gives couples a slow, shared project with visible progress.
Planting tomatoes side by side invites easy conversation without the pressure of eye contact, and
weeding together turns a chore into time spent as a team. Many couples find that a shared garden
becomes a calm place to talk about harder things, because their hands are busy and the pace is slow.
"""


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory, embeddings) -> Iterator[dict[str, object]]:
    from ingest.pipeline import run_ingest
    from practice_assistant.store import IndexStore

    root = tmp_path_factory.mktemp("staff-browser")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{SEED_SLUG}.md", corpus)
    run_ingest([corpus], IndexStore(root / "index"), embeddings)
    env = {"PA_INDEX_DIR": str(root / "index"), "PA_CORPUS_DIR": str(corpus),
           "PA_STAFF_PASSWORD": "correct horse battery staple", "HF_HUB_OFFLINE": "1",
           "PA_FEEDBACK_PATH": str(root / "feedback.jsonl"),
           "PA_QUESTIONS_PER_ADDRESS": "1000/minute"}
    upload = root / "gardening-together-as-a-couple.md"
    upload.write_text(NEW_POST, encoding="utf-8")
    log = ROOT / "artifacts" / "browser" / "streamlit-staff.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with app_server(ROOT, env, log) as url:
        yield {"url": url, "upload": upload, "corpus": corpus}


@pytest.fixture
def page(staff_server) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        yield page
        browser.close()


def sign_in(page: Page, url: str, password: str) -> None:
    page.goto(f"{url}/staff")
    box = page.get_by_label("Staff password")
    box.wait_for(timeout=TIMEOUT)
    box.fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_wrong_password_is_refused(page: Page, staff_server):
    sign_in(page, str(staff_server["url"]), "not the password")
    expect(page.get_by_text(re.compile("wrong password|incorrect|not right", re.I)).first
           ).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Re-ingest the corpus")).to_have_count(0)


def test_upload_and_reingest_make_the_post_citable_without_restart(page: Page, staff_server):
    url = str(staff_server["url"])
    sign_in(page, url, "correct horse battery staple")
    expect(page.get_by_role("button", name="Re-ingest the corpus")).to_be_visible(
        timeout=TIMEOUT)
    page.locator('input[type="file"]').set_input_files(str(staff_server["upload"]))
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text(
        "Gardening Together as a Couple", timeout=TIMEOUT)
    page.get_by_role("button", name="Re-ingest the corpus").click()
    expect(page.get_by_text(re.compile(r"ingested 2 articles")).first).to_be_visible(
        timeout=TIMEOUT)
    page.goto(url)
    box = page.get_by_role("textbox").first
    box.wait_for(timeout=TIMEOUT)
    box.fill("how can gardening together help a couple talk?")
    box.press("Enter")
    message = page.locator('[data-testid="stChatMessage"]').last
    expect(message.get_by_role("link", name="Gardening Together as a Couple").first
           ).to_be_visible(timeout=TIMEOUT)
