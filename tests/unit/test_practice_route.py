"""Recognising practical questions: patterns, traps, the shipped examples, the detector."""

from __future__ import annotations

import pytest

from conftest import ROOT
from practice_assistant.practice.patterns import in_context, pattern_hits


def _live(text: str) -> list[str]:
    return [h.topic for h in pattern_hits(text) if not h.vetoed]


@pytest.mark.parametrize(("text", "topic"), [
    ("do you offer a sliding scale?", "fees"),
    ("my wife and I keep fighting about chores, do you guys take Cigna?", "insurance"),
    ("is there a fee if I cancel late?", "cancellation"),
    ("can I book the free consultation online?", "booking"),
    ("Spanish-speaking therapist for EMDR?", "languages"),
    ("my husband has ADHD, do you have someone who works with that?", "specialties"),
])
def test_a_practical_clause_is_matched_and_the_guide_tie_breaks_pick_the_topic(text, topic):
    assert _live(text)[0] == topic


@pytest.mark.parametrize("text", [
    "How much does couples therapy help?",
    "What is the cost of avoiding conflict?",
    "We have different love languages. How do we connect?",
    "Is online therapy as effective as in person?",
    "my partner keeps cancelling plans with me",
    "How do I book time with my partner to talk?",
])
def test_article_questions_that_share_the_words_are_vetoed(text):
    assert _live(text) == []


@pytest.mark.parametrize(("article", "practical", "topic"), [
    ("What kinds of problems does EMDR specialise in treating?",
     "do any of your therapists specialize in ADHD?", "specialties"),
    ("Does setting boundaries cost you friendships?",
     "what would a weekly session cost me with you?", "fees"),
    ("Do we have to be in a crisis before we book couples counseling?",
     "do we have to be in New York to work with you?", "states_served"),
])
def test_a_pattern_whose_subject_is_not_the_practice_leaves_the_question_to_the_articles(
        article, practical, topic):
    assert topic not in _live(article)
    assert topic in _live(practical)


def test_cancelling_something_other_than_a_session_is_not_the_cancellation_policy():
    from practice_assistant.practice.patterns import traps_for

    assert pattern_hits("how do I cancel my netflix subscription") == []
    assert traps_for("how do I cancel my netflix subscription", "cancellation")
    for text in ("can I cancel my next session", "what if we cancel the appointment",
                 "I need to cancel tomorrow's session", "how do I cancel"):
        assert [h.topic for h in pattern_hits(text)] == ["cancellation"], text
        assert not traps_for(text, "cancellation"), text


def test_a_trap_in_another_clause_does_not_veto_the_practical_one():
    hit = next(h for h in pattern_hits("Does therapy really help? How much do you charge?"))
    assert hit.topic == "fees" and not hit.vetoed


def test_out_of_domain_questions_are_not_in_the_practice_context():
    assert not in_context("what time does the stock market open")
    assert in_context("pricing?") and in_context("could we book a session next week")


def test_the_shipped_examples_were_built_from_the_training_files_as_they_are():
    """Editing training/ without `practice-assistant train-practice` fails here."""
    from practice_assistant.practice.examples import TRAINING_FILES, fingerprint, load_bank

    bank = load_bank()
    assert bank.fingerprint == fingerprint([ROOT / p for p in TRAINING_FILES])
    assert set(bank.topics) >= {"fees", "insurance", "states_served", "booking", "hours"}
    assert 0 < bank.veto_margin <= bank.free_margin < 0.3
