"""The practice_info route end to end: real ingest of a facts file, real model, real Chroma.

The crisis classifier's threshold is set out of reach in these tests: they are about what
comes after crisis routing, and the shipped classifier is being retrained elsewhere (its
false positives are measured in docs/safety.md). The crisis rules still run, and
`test_crisis_routing_still_comes_first` goes through them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from practice_assistant.practice.facts import (
    FACTS_SLUG,
    PracticeFacts,
    facts_from_form,
    render_facts,
)

pytestmark = pytest.mark.slow
FEES = "A 50-minute session is $180. Ask about the sliding scale in your consultation."
EMPTY_INSURANCE = ("The practice can tell you about insurance, out-of-network benefits and "
                   "superbills in a free 15-minute consultation.")


def _assistant(settings, embeddings):
    from dataclasses import replace

    from practice_assistant.safety.model import load_default_model
    from practice_assistant.safety.router import SafetyRouter
    from practice_assistant.service import Assistant
    from practice_assistant.store import IndexStore

    rules_only = replace(load_default_model(), threshold=2.0)
    return Assistant(settings, embeddings, SafetyRouter(embeddings, rules_only),
                     IndexStore(settings.index_dir))


def _write_facts(corpus: Path, **fields: tuple[str, str]) -> None:
    values = {key: fields.get(key, ("", "")) for key in (f.key for f in PracticeFacts().facts)}
    extra = [("Is there parking near the office?", "Street parking only, on Elm Street.", "")]
    (corpus / "practice.yaml").write_text(render_facts(facts_from_form(values, extra)),
                                          encoding="utf-8")


@pytest.fixture
def practice(tmp_path: Path, corpus_copy: Path, embeddings):
    """A three-article corpus with a facts file (fees filled in), ingested, and its assistant."""
    from ingest.pipeline import run_ingest
    from practice_assistant.settings import Settings
    from practice_assistant.store import IndexStore

    _write_facts(corpus_copy, fees=(FEES, "/fees"))
    store = IndexStore(tmp_path / "index")
    assert not run_ingest([corpus_copy], store, embeddings).failed
    settings = Settings(_env_file=None, index_dir=tmp_path / "index", corpus_dir=corpus_copy)
    return _assistant(settings, embeddings), store, corpus_copy


def test_a_filled_field_is_quoted_verbatim_citing_the_facts_and_its_page(practice):
    assistant, _, _ = practice
    answer = assistant.ask("What do you charge for a session?")
    assert answer.route == "practice_info" and answer.signal.endswith(":fees")
    assert answer.answer == f"{FEES} [1]"
    (citation,) = answer.citations
    assert (citation.slug, citation.quote, citation.section) == (
        FACTS_SLUG, FEES, "Fees and sliding scale")
    assert citation.url == "https://www.connectedhealingtherapy.com/fees"
    assert answer.consultation == assistant.settings.consultation


def test_an_empty_field_points_to_the_consultation_and_never_quotes_an_article(practice):
    assistant, _, _ = practice
    answer = assistant.ask("Do you take insurance?")
    assert answer.route == "practice_info" and answer.signal.endswith(":insurance")
    assert answer.answer == EMPTY_INSURANCE
    assert answer.citations == () and answer.consultation == assistant.settings.consultation
    assert "field is empty" in answer.reason


def test_booking_without_a_url_cites_the_consultation_link_from_settings(
        tmp_path, corpus_copy, embeddings):
    from ingest.pipeline import run_ingest
    from practice_assistant.settings import Settings
    from practice_assistant.store import IndexStore

    _write_facts(corpus_copy, booking=("Book the free consultation online.", ""))
    run_ingest([corpus_copy], IndexStore(tmp_path / "i"), embeddings)
    settings = Settings(_env_file=None, index_dir=tmp_path / "i",
                        consultation_url="https://example.org/book")
    answer = _assistant(settings, embeddings).ask("How do I make an appointment?")
    assert answer.route == "practice_info"
    assert answer.citations[0].url == "https://example.org/book"


def test_a_question_staff_added_gets_the_staff_answer(practice):
    assistant, _, _ = practice
    answer = assistant.ask("is there somewhere to park near your office?")
    assert answer.route == "practice_info" and answer.signal == "practice_extra"
    assert answer.answer == "Street parking only, on Elm Street. [1]"


def test_crisis_routing_still_comes_first(practice):
    assistant, _, _ = practice
    answer = assistant.ask("I can't afford therapy and I want to kill myself")
    assert answer.route == "crisis"


def test_article_retrieval_never_sees_the_facts(practice):
    assistant, _, _ = practice
    assert all(c.slug != FACTS_SLUG for c in assistant.retriever().chunks)
    answer = assistant.ask("what is EMDR?")
    assert answer.route == "answer" and all(c.slug != FACTS_SLUG for c in answer.citations)


def test_editing_the_facts_reingests_only_them_and_is_served_without_a_restart(
        practice, embeddings):
    from ingest.pipeline import run_ingest

    assistant, store, corpus = practice
    before = store.current().version
    _write_facts(corpus, fees=(FEES, "/fees"), insurance=("We are out of network.", ""))
    report = run_ingest([corpus], store, embeddings)
    assert report.plan.updated == (FACTS_SLUG,) and report.plan.added == ()
    assert store.current().version != before
    answer = assistant.ask("Do you take insurance?")
    assert answer.answer == "We are out of network. [1]"
    again = run_ingest([corpus], store, embeddings)
    assert not again.plan.changes and again.chunks_embedded == 0


def test_a_broken_facts_file_keeps_the_indexed_facts_serving(practice, embeddings):
    from ingest.pipeline import run_ingest

    assistant, store, corpus = practice
    (corpus / "practice.yaml").write_text("fees: [oops\n", encoding="utf-8")
    report = run_ingest([corpus], store, embeddings)
    assert [Path(p).name for p, _ in report.failed] == ["practice.yaml"]
    assert FACTS_SLUG not in report.plan.removed
    assert assistant.ask("What do you charge for a session?").answer == f"{FEES} [1]"
