"""The page's own text helpers: tappable crisis numbers, the client address the pages use."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from practice_assistant.settings import Settings
from practice_assistant.ui import CLIENT_ADDRESS_HEADER, client_address, crisis_line, link_contacts


@pytest.mark.parametrize(("text", "linked"), [
    ("Call or text 988", "[Call 988](tel:988) or [text 988](sms:988)"),
    ("Call 911 if you are in danger", "[Call 911](tel:911) if you are in danger"),
    ("Text HOME to 741741", "[Text HOME to 741741](sms:741741?body=HOME)"),
    ("Call 1-800-799-7233 or text START to 88788",
     "[Call 1-800-799-7233](tel:18007997233) or [text START to 88788](sms:88788?body=START)"),
    ("**988 Suicide & Crisis Lifeline**: Call or text 988",
     "**988 Suicide & Crisis Lifeline**: [Call 988](tel:988) or [text 988](sms:988)"),
    ("Nothing to dial here, not even 988 alone.", "Nothing to dial here, not even 988 alone."),
])
def test_crisis_numbers_become_tel_and_sms_links(text, linked):
    assert link_contacts(text) == linked


def test_every_default_resource_gets_a_link():
    line = link_contacts(crisis_line(Settings(_env_file=None)))
    for href in ("tel:988", "sms:988", "tel:911", "sms:741741?body=HOME", "tel:18007997233"):
        assert f"({href})" in line


def test_client_address_prefers_the_servers_header_and_ignores_non_strings():
    assert client_address({CLIENT_ADDRESS_HEADER: "203.0.113.7"}, "10.0.0.1") == "203.0.113.7"
    assert client_address({}, "10.0.0.1") == "10.0.0.1"
    assert client_address({}, MagicMock()) == "unknown"  # what AppTest hands the page
