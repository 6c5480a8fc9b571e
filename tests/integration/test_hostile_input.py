"""Hostile and broken input never crashes the service, the CLI or the page."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from practice_assistant.ui import escape_visitor_text

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("message", ["", "   ", "\n\t\n"])
def test_empty_message_gets_a_gentle_prompt(assistant, message):
    answer = assistant.ask(message)
    assert answer.route == "out_of_scope" and "type a question" in answer.answer


def test_very_long_message_is_truncated_with_a_notice(assistant):
    answer = assistant.ask("how do I set boundaries with my mother? " * 2500)
    assert len("how do I set boundaries with my mother? " * 2500) == 100_000
    assert answer.notice and "first 2000 characters" in answer.notice
    assert answer.route == "answer"


@pytest.mark.parametrize("message", [
    "what is EMDR\x00\x07\x1b[31m?", "🙂🙂 what is EMDR? 💬", "ما هو العلاج الزوجي؟ what is EMDR",
    "\u202ewhat is EMDR?\u202c", "<script>alert(1)</script>", "[click](javascript:alert(1))",
    "\ud83d", "a" * 5000,
])
def test_odd_characters_never_crash(assistant, message):
    answer = assistant.ask(message)
    assert answer.route in ("answer", "no_answer", "out_of_scope")
    json.dumps(answer.to_json(), ensure_ascii=False).encode("utf-8", "surrogatepass")


def test_cli_survives_a_control_character_flood(cli_env):
    done = subprocess.run([sys.executable, "-m", "practice_assistant.cli", "ask", "-", "--json"],
                          input="\x00\x01\x02\n" + "é" * 3000 + "\n", capture_output=True,
                          text=True, env=cli_env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2


def test_page_shows_html_as_text_and_survives_a_huge_message(settings, monkeypatch):
    monkeypatch.setenv("PA_INDEX_DIR", str(settings.index_dir))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.chat_input[0].set_value("<script>alert('x')</script>").run()
    assert not app.exception
    shown = [m.value for m in app.markdown]
    assert escape_visitor_text("<script>alert('x')</script>") in shown
    assert all("<script>" not in v for v in shown)
    app.chat_input[0].set_value("x " * 60_000).run()
    assert not app.exception
    assert any("first 2000 characters" in i.value for i in app.info)
