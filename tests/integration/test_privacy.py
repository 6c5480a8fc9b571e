"""Privacy: nothing is stored but feedback, which is redacted; logs never carry message text."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from practice_assistant.models import Answer, Citation
from practice_assistant.privacy import RedactingFilter, record_feedback, redact


@pytest.mark.parametrize(("text", "expected"), [
    ("mail me at jane.doe+x@example.org please", "mail me at [email] please"),
    ("call (212) 555-0147 or 212.555.0147", "call [phone] or [phone]"),
    ("I live at 42 West 23rd Street, apt 4", "I live at [address], apt 4"),
    ("+1 646-555-0199 after six", "[phone] after six"),
])
def test_emails_phones_and_addresses_are_redacted(text, expected):
    assert redact(text) == expected


def _answer(question: str) -> Answer:
    return Answer(question=question, route="answer", answer="An answer. [1]",
                  citations=(Citation(1, "s", "T", "https://x/s", None, "q"),))


def test_feedback_is_written_redacted_with_rating_and_citations(tmp_path):
    path = tmp_path / "feedback.jsonl"
    record_feedback(path, _answer("email me: a@b.com, 917-555-0123"), "up", 90)
    record = json.loads(path.read_text())
    assert record["question"] == "email me: [email], [phone]"
    assert record["rating"] == "up" and record["citations"][0]["slug"] == "s"
    assert set(record) == {"timestamp", "rating", "route", "question", "answer", "citations"}


def test_feedback_older_than_retention_is_dropped(tmp_path):
    path = tmp_path / "feedback.jsonl"
    now = datetime.now(UTC)
    record_feedback(path, _answer("old"), "down", 30, now=now - timedelta(days=31))
    record_feedback(path, _answer("new"), "up", 30, now=now)
    questions = [json.loads(line)["question"] for line in path.read_text().splitlines()]
    assert questions == ["new"]


def test_log_filter_redacts_even_careless_messages():
    record = logging.LogRecord("x", logging.INFO, "f", 1, "user %s wrote from %s", ("a@b.co",
                               "555-123-4567"), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "user [email] wrote from [phone]"


@pytest.mark.slow
def test_asking_writes_no_transcript_and_logs_no_message_text(assistant, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="practice_assistant")
    secret = "my neighbour Rosalind keeps shouting about boundaries"
    assistant.ask(secret)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Rosalind" not in logged and "route=" in logged
    assert not assistant.settings.feedback_path.exists()
