"""Recognising practical questions: patterns, traps, the shipped examples, the detector."""

from __future__ import annotations

import pytest

from practice_assistant.practice.patterns import pattern_hits


@pytest.fixture(scope="module")
def detector():
    from practice_assistant.practice.route import PracticeDetector

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
