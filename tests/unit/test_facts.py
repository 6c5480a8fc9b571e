"""The practice's facts file: the template, reading hand edits, the form, into and out of chunks."""

from __future__ import annotations

import pytest

from practice_assistant.practice.facts import (
    FACTS_SLUG,
    TOPIC_KEYS,
    ExtraAnswer,
    Fact,
    FactsError,
    PracticeFacts,
    facts_article,
    facts_chunks,
    facts_from_chunks,
    facts_from_form,
    parse_facts,
    render_facts,
    template,
)

FEES = "Sessions are $180. A sliding scale is available: ask in your consultation."


def test_template_reads_back_as_every_field_empty():
    facts = parse_facts(template())
    assert [f.key for f in facts.facts] == list(TOPIC_KEYS)
    assert facts.filled == 0 and facts.extra == ()


def test_rendered_file_keeps_the_staff_wording_exactly_through_quotes_and_newlines():
    wording = 'We take "Aetna" and Cigna.\nOthers: ask us — we\'ll send a superbill.'
    facts = PracticeFacts().with_fact(Fact("insurance", wording, "/insurance"))
    facts = PracticeFacts(facts.facts, (ExtraAnswer("Do you have a podcast?", "Not yet."),))
    back = parse_facts(render_facts(facts))
    assert back.get("insurance") == Fact("insurance", wording, "/insurance")
    assert back.extra == facts.extra


def test_hand_edit_with_a_bare_answer_is_accepted():
    facts = parse_facts(f'fees: "{FEES}"\n')
    assert facts.get("fees").answer == FEES and not facts.get("insurance").filled


@pytest.mark.parametrize(("text", "named"), [
    ("fee: 'x'\n", "unknown field 'fee'"),
    ("fees:\n  answer: x\n  link: /fees\n", "fees: unknown key 'link'"),
    ("fees:\n  answer: x\n  url: www.example.com\n", "fees: url"),
    ("fees: [1, 2]\n", "fees: expected"),
    ("extra:\n  - question: only a question\n", "extra item 1: needs both"),
    ("fees: 'unclosed\n", "not valid YAML"),
])
def test_a_broken_facts_file_is_refused_naming_the_field(text, named):
    with pytest.raises(FactsError, match=named.replace("(", r"\(")):
        parse_facts(text)


def test_comments_do_not_change_the_article_hash_but_a_value_does():
    from ingest.pipeline import article_hash

    plain = facts_article(parse_facts(template()))
    commented = facts_article(parse_facts(template().replace("# What", "# Changed: what")))
    filled = facts_article(parse_facts(f'fees: "{FEES}"\n'))
    assert article_hash(plain) == article_hash(commented) != article_hash(filled)
    assert plain.slug == FACTS_SLUG


def test_every_field_becomes_one_chunk_and_reads_back_from_chunks():
    facts = parse_facts(f'fees:\n  answer: "{FEES}"\n  url: /fees\nextra:\n'
                        '  - {question: "Is there parking?", answer: "Street parking only."}\n')
    chunks = facts_chunks(facts_article(facts))
    assert len(chunks) == len(TOPIC_KEYS) + 1
    assert {c.slug for c in chunks} == {FACTS_SLUG}
    fees = next(c for c in chunks if c.id.endswith(":fees"))
    assert fees.text == FEES and fees.url == "/fees" and fees.section == "Fees and sliding scale"
    assert facts_from_chunks(reversed(chunks)) == facts


def test_form_values_are_validated_before_anything_is_written():
    values = {key: ("", "") for key in TOPIC_KEYS}
    values["fees"] = (f"  {FEES}  ", "https://example.com/fees")
    facts = facts_from_form(values, [("", "", ""), ("Parking?", "Street only.", "")])
    assert facts.get("fees") == Fact("fees", FEES, "https://example.com/fees")
    assert facts.extra == (ExtraAnswer("Parking?", "Street only."),)
    with pytest.raises(FactsError, match="url"):
        facts_from_form({**values, "hours": ("9 to 5", "not a url")})
