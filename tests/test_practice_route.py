"""Recognising practical questions: patterns, traps, the shipped examples, the detector."""

from __future__ import annotations

import pytest

from conftest import ROOT
from practice_assistant.practice_patterns import in_context, pattern_hits


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


def test_cancelling_something_other_than_a_session_is_not_the_cancellation_policy():
    from practice_assistant.practice_patterns import traps_for

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
    from practice_assistant.practice_examples import TRAINING_FILES, fingerprint, load_bank

    bank = load_bank()
    assert bank.fingerprint == fingerprint([ROOT / p for p in TRAINING_FILES])
    assert set(bank.topics) >= {"fees", "insurance", "states_served", "booking", "hours"}
    assert 0 < bank.veto_margin <= bank.free_margin < 0.3


@pytest.fixture(scope="module")
def detector():
    from practice_assistant.practice_route import PracticeDetector

    return PracticeDetector()


def _detect(detector, embeddings, text: str, extras=()):
    return detector.detect(text, embeddings.embed_query(text), extras)


@pytest.mark.slow
def test_a_pattern_match_explains_itself_in_signal_and_reason(detector, embeddings):
    match = _detect(detector, embeddings, "How much does a session cost?")
    assert match.topic == "fees" and match.signal == "practice_pattern:fees"
    assert "matched 'how much does a session'" in match.reason
    assert "fees examples" in match.reason and "article examples" in match.reason


@pytest.mark.slow
def test_a_paraphrase_without_a_pattern_is_caught_by_similarity_alone(detector, embeddings):
    text = "Could I get in before the end of the month?"
    assert pattern_hits(text) == []
    match = _detect(detector, embeddings, text)
    assert match is not None and match.signal == "practice_similarity:wait_time"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "What happens in a free consultation?",  # close to the consultation examples, but a trap
    "what time does the stock market open",  # close to the hours examples, but not about therapy
    "why won't my partner go to couples therapy?",
])
def test_article_and_unrelated_questions_are_left_to_retrieval(detector, embeddings, text):
    assert _detect(detector, embeddings, text) is None


@pytest.mark.slow
def test_a_question_staff_added_is_matched_by_its_wording(detector, embeddings):
    question = "Is there parking near the office?"
    extras = [(question, embeddings.embed_query(question))]
    match = _detect(detector, embeddings, "is there somewhere to park near your office", extras)
    assert match.signal == "practice_extra" and match.extra == 0


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "what is EFT couples therapy",  # a definition: no similarity overrides it
    "could you recommend a good book about attachment",  # the assistant's advice, not an offer
    "when does the city council session begin",  # "session", but nobody asks the practice
    "does the practice have a newsletter",  # a margin over the article examples, but far (0.43)
    "how do I cancel my netflix subscription",  # close to cancellation, but a trap
    "can couples therapy be done over the phone",  # whether it can be done: article
])
def test_definitions_requests_for_advice_and_unaddressed_questions_are_not_practical(
        detector, embeddings, text):
    assert _detect(detector, embeddings, text) is None


@pytest.mark.slow
def test_asking_for_the_phone_instead_of_video_is_practical(detector, embeddings):
    match = _detect(detector, embeddings, "Can I do my sessions over the phone instead?")
    assert match is not None and match.topic == "format"
