"""The composer's citations (one per article, sections under it) and its narrower-topic lead-in."""

from __future__ import annotations

import re

from practice_assistant.answering.compose import LEAD_IN, compose, focus_groups
from practice_assistant.models import Chunk, Passage

ADHD = dict(slug="adhd", title="How ADHD Can Show Up in Relationships", url="/blog/adhd",
            topic="ADHD in relationships", focus="ADHD; relationship, partner, couple")
CYCLE = dict(slug="cycle", title="Breaking the Pursue-Withdraw Cycle", url="/blog/cycle",
             topic="the pursue-withdraw cycle", focus="pursue, withdraw, cycle")


def _passage(position: int, section: str, text: str, score: float, **article: str) -> Passage:
    return Passage(Chunk(id=f"{article['slug']}:{position}", section=section, text=text,
                         position=position, **article), score, score)


PASSAGES = [
    _passage(3, "Practical Ways", "Divide chores by strengths and interests rather than by what "
             "seems fair on paper. Agree on what done means for each chore.", 0.62, **ADHD),
    _passage(1, "Why the Same Fight", "The same fight about chores can keep coming back between "
             "partners. Naming the pattern helps both people slow it down.", 0.60, **CYCLE),
    _passage(0, "How ADHD Shows Up", "Half-finished chores can slowly turn into resentment "
             "between partners. Missed plans feel personal even when they are not.", 0.58, **ADHD),
]


def test_one_citation_per_article_numbered_by_first_use_with_its_sections_in_order():
    composed = compose("we fight about chores constantly", PASSAGES)
    assert [(c.n, c.slug) for c in composed.citations] == [(1, "adhd"), (2, "cycle")]
    adhd = composed.citations[0]
    assert [s.section for s in adhd.sections] == ["How ADHD Shows Up", "Practical Ways"]
    assert (adhd.section, adhd.quote) == (adhd.sections[0].section, adhd.sections[0].quote)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", composed.answer)]
    assert sorted(set(markers)) == [1, 2] and markers.index(1) < markers.index(2)


def test_every_section_quote_is_verbatim_from_its_chunk():
    composed = compose("we fight about chores constantly", PASSAGES)
    texts = [p.chunk.text for p in PASSAGES]
    for citation in composed.citations:
        for part in citation.sections:
            assert any(part.quote in text for text in texts)


def test_lead_in_says_so_when_every_cited_article_is_on_a_narrower_topic():
    composed = compose("we fight about chores constantly", PASSAGES[:1])
    assert composed.answer.startswith(
        "The practice's article on ADHD in relationships speaks to this:")
    both = compose("we fight about chores constantly", PASSAGES)
    assert both.answer.startswith("The practice's articles on ADHD in relationships and the "
                                  "pursue-withdraw cycle speak to this:")


def test_an_on_topic_question_keeps_the_plain_lead_in():
    composed = compose("my partner has ADHD and leaves chores half-finished", PASSAGES[:1])
    assert composed.answer.startswith(LEAD_IN) and composed.narrower == ()


def test_focus_groups_are_alternatives_within_groups_all_of_which_must_be_named():
    groups = focus_groups("ADHD; relationship, couples therapy")
    assert groups == [[frozenset({"adhd"})], [frozenset({"relationship"}),
                                              frozenset({"coupl", "therapi"})]]
    assert focus_groups(None) == [] and focus_groups(" ; ") == []
