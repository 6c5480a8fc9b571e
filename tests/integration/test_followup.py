"""Follow-up questions: the carry-forward rule, and the history the service reads."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from practice_assistant.answering.followup import carry_topic, content_words, looks_like_followup

GOLDEN = [json.loads(line) for line in (ROOT / "eval" / "golden.jsonl").read_text().splitlines()
          if line.strip()]
BY_ID = {row["id"]: row for row in GOLDEN}
FOLLOWUPS = [row for row in GOLDEN if row.get("followup_of")]


def test_golden_followups_exist():
    """The measurement below needs the golden follow-up rows."""
    assert len(FOLLOWUPS) >= 5


@pytest.mark.parametrize("row", FOLLOWUPS, ids=[r["id"] for r in FOLLOWUPS])
def test_rule_fires_on_every_golden_followup(row):
    """Each golden follow-up looks like one and gets its parent's key terms in front."""
    parent = BY_ID[row["followup_of"]]["question"]
    assert looks_like_followup(row["question"])
    rewritten = carry_topic(row["question"], [parent])
    assert rewritten.endswith(row["question"])
    assert set(content_words(parent)) & set(content_words(rewritten.split(":")[0]))


@pytest.mark.parametrize("question", [
    "what is EMDR?", "how do I set boundaries with my mother",
    "what happens in a free consultation", "is online therapy as good as in person",
])
def test_rule_leaves_standalone_questions_alone(question):
    """A question that names its own topic is not rewritten."""
    assert carry_topic(question, ["why won't my partner go to couples therapy"]) == question


def test_no_history_means_no_rewrite():
    """Without earlier questions there is nothing to carry."""
    assert carry_topic("can i do it over video?", []) == "can i do it over video?"


def test_chained_followups_keep_the_first_topic():
    """A follow-up of a follow-up still carries the original subject."""
    history = ["how does emdr actually work", "can i do it over video?"]
    assert "emdr" in carry_topic("how long does it take?", history)


@pytest.mark.slow
def test_rule_does_not_lower_followup_hit_at_3(assistant):
    """hit@3 of the golden follow-ups with the rule is at least as good as without it."""
    from practice_assistant.evaluation.answers import followup_hit_rates
    from practice_assistant.evaluation.datasets import load_golden

    rates = followup_hit_rates(assistant, load_golden(ROOT / "eval" / "golden.jsonl"))
    followups = rates["followups"]
    print(f"follow-up hit@3: without rule {followups['hit_without_rule']}, "
          f"with rule {followups['hit_with_rule']}; "
          f"standalone {rates['standalone_after_previous']}")
    assert followups["hit_with_rule"] >= followups["hit_without_rule"]
    assert followups["hit_with_rule"] >= 0.8
    standalone = rates["standalone_after_previous"]
    assert standalone["hit_with_rule"] >= standalone["hit_without_rule"] - 0.05


@pytest.mark.slow
def test_service_uses_history_for_a_followup(assistant):
    """The same follow-up finds the EMDR article only when the earlier question is given."""
    question = "can i do it over video or does it have to be in person?"
    with_history = assistant.ask(question, ["how does emdr actually work"])
    assert with_history.route == "answer"
    assert with_history.citations[0].slug == "what-is-emdr-therapy"
    assert with_history.question == question


@pytest.mark.slow
def test_crisis_routing_reads_the_raw_message_not_the_rewrite(assistant):
    """A crisis message is routed as a crisis whatever the history was."""
    if assistant.safety is None:
        pytest.skip("no safety router in this build")
    answer = assistant.ask("i want to end it all tonight", ["how does emdr actually work"])
    assert answer.route == "crisis"


@pytest.mark.slow
def test_chat_page_passes_earlier_questions_as_history(settings, monkeypatch):
    """On the page, a follow-up after an EMDR question is answered from the EMDR article."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PA_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("PA_FEEDBACK_PATH", str(settings.feedback_path))
    monkeypatch.setenv("PA_LLM", "none")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.chat_input[0].set_value("how does emdr actually work").run()
    app.chat_input[0].set_value("can i do it over video or does it have to be in person?").run()
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert text.count("/blog/what-is-emdr-therapy") >= 2
    assert "Yes, EMDR can be done online" in text
