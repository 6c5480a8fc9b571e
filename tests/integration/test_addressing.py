"""Answers that fit the question: near misses refused, narrower articles named, real corpus.

As in test_practice_info, the crisis classifier's threshold is out of reach here (the rules
still run): these tests are about what comes after crisis routing.
"""

from __future__ import annotations

import re

import pytest

from conftest import SEED_SLUG
from practice_assistant.answering.addressing import _LEFT_OUT, _claims, content_words

SIX_REASONS = ("negative meaning", "fear of being blamed", "Vulnerability is hard",
               "Shame runs deep", "Stigma about therapy", "negative experience before")


@pytest.fixture(scope="module")
def rules_only(settings, embeddings):
    from dataclasses import replace

    from practice_assistant.safety.model import load_default_model
    from practice_assistant.safety.router import SafetyRouter
    from practice_assistant.service import Assistant
    from practice_assistant.store import IndexStore

    router = SafetyRouter(embeddings, replace(load_default_model(), threshold=2.0))
    return Assistant(settings, embeddings, router, IndexStore(settings.index_dir))


def test_content_words_drop_function_and_request_words_and_read_husband_as_partner():
    assert [t for _, t in content_words("tips for my husband's counseling, how do I start?")] \
        == ["partner", "therapi", "start"]


def test_a_disclaimer_sentence_covers_nothing_and_names_what_is_left_out():
    text = ("Couples therapy can help. We don't cover medication in this article; questions about "
            "diagnosis or medication belong with a professional. Ask in the consultation.")
    assert "medication" not in _claims(text) and "Ask in the consultation." in _claims(text)
    assert [m.group(1) for m in _LEFT_OUT.finditer(text)] == ["medication"]
    assert next(t for _, t in content_words("are my meds working")) == "medic"


@pytest.mark.slow
def test_a_question_about_what_the_article_says_it_does_not_cover_gets_no_answer(rules_only):
    answer = rules_only.ask("which ADHD medicine works best for adults")
    assert answer.route == "no_answer" and answer.signal == "not_addressed"
    assert "does not cover" in answer.reason and "medicine" in answer.reason


@pytest.mark.slow
def test_uncovered_words_that_are_the_subject_together_get_no_answer(rules_only):
    """Each moves the question under the threshold alone; removed together they move it past."""
    answer = rules_only.ask("how long do I need to wait after a breakup before dating again")
    assert answer.route == "no_answer" and answer.signal == "not_addressed"
    assert "'wait' and 'dating'" in answer.reason and "together" in answer.reason


@pytest.mark.slow
@pytest.mark.parametrize(("question", "word"), [
    ("how do I set boundaries with my landlord", "landlord"),
    ("what should I eat before an EMDR session", "eat"),
])
def test_a_question_about_something_no_article_mentions_gets_no_answer(rules_only, question,
                                                                       word):
    answer = rules_only.ask(question)
    assert answer.route == "no_answer" and answer.signal == "not_addressed"
    assert f"about {word!r}" in answer.reason and answer.citations == ()


@pytest.mark.slow
def test_a_question_an_article_answers_in_other_words_is_still_answered(rules_only):
    answer = rules_only.ask("my husband refuses counseling, what do i do")
    assert answer.route == "answer" and answer.citations[0].slug == SEED_SLUG


@pytest.mark.slow
def test_the_design_card_question_cites_the_seed_article_first_with_its_reasons(rules_only):
    answer = rules_only.ask("why won't my partner go to couples therapy?")
    assert answer.route == "answer" and answer.citations[0].slug == SEED_SLUG
    assert sum(reason in answer.answer for reason in SIX_REASONS) >= 3
    assert answer.answer.startswith("Here is what the practice's articles say about that:")


@pytest.mark.slow
def test_an_answer_from_a_narrower_article_says_so_in_its_lead_in(rules_only):
    answer = rules_only.ask("my partner and I fight about chores constantly")
    assert answer.route == "answer" and answer.citations[0].slug == "adhd-in-relationships"
    assert answer.answer.startswith(
        "The practice's article on ADHD in relationships speaks to this:")


@pytest.mark.slow
def test_each_article_is_cited_once_and_every_marker_resolves(rules_only):
    from ingest.load import load_articles

    bodies = {a.slug: a.body for a in load_articles([rules_only.settings.corpus_dir]).articles}
    answer = rules_only.ask("we have the same fight over and over and i always end up chasing "
                            "him while he shuts down")
    slugs = [c.slug for c in answer.citations]
    assert len(slugs) == len(set(slugs))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} == {
        c.n for c in answer.citations}
    assert any(len(c.sections) > 1 for c in answer.citations)
    for citation in answer.citations:
        assert all(part.quote in bodies[citation.slug] for part in citation.sections)


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "can the butterfly hug stop a panic attack when I'm at the office",
    "how do I get tested for ADHD as a grown-up",
    "what made Francine Shapiro think EMDR would work",
])
def test_a_near_miss_worded_like_an_article_is_refused_by_the_answerability_model(rules_only,
                                                                                question):
    """Rewordings of near misses in its training rows: the rules let them through (every
    uncovered word is incidental), the model, reading how near each is to a known near miss,
    refuses it and names the nearest of each kind. (Not every rewording is caught: "how did
    Francine Shapiro come up with EMDR" is still answered, docs/evaluation.md.)"""
    answer = rules_only.ask(question)
    assert answer.route == "no_answer" and answer.signal == "not_addressed"
    assert answer.reason.startswith("answerability") and "nearest unanswered" in answer.reason


@pytest.mark.slow
def test_a_question_the_rules_already_refuse_keeps_their_reason(rules_only):
    answer = rules_only.ask("how do I set boundaries with my landlord")
    assert answer.signal == "not_addressed" and "landlord" in answer.reason
