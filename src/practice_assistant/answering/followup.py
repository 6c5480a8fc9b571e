"""Follow-up questions made standalone before retrieval, by a simple rule (no model needed).

"can i do it over video?" after "how does emdr actually work" retrieves nothing useful on its
own; with the previous question's key terms in front ("emdr actually work: can i do it over
video?") it finds the EMDR article. The rule fires only on messages that look like follow-ups:
a "what if"-style opener, no content word at all, or a pronoun ("it", "that", "she")
in a message with at most three content words (a longer one usually names its own topic).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PRONOUNS = frozenset({"it", "its", "that", "this", "they", "them", "their", "he", "him", "his",
                      "she", "her", "hers", "those", "these", "there"})
OPENERS = ("what if", "what about", "how about", "and ", "but ", "also ", "so ", "then ",
           "same ", "ok ", "okay ")
MIN_CONTENT_WORDS = 1
PRONOUN_MAX_CONTENT_WORDS = 3
MAX_KEY_TERMS = 6
_FILLER = frozenset("""
a about after again all also am an and any anything are as at be been being but by can could
did do does doing done for from get got had has have having how i i'd i'll i'm i've if in into
is just know let like me might more most much my myself need no not now of off on once only or
other our out over please really should so some still such than thank thanks that the then
there these thing things this those to too try up us very want was way we well were what when
where whether which while who why will with without would yes yet you your you're actually
someone something anyone ever even okay ok tell say says said happen happens going go get gets
keep keeps make makes doing
""".split()) | PRONOUNS
_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")


def content_words(text: str) -> list[str]:
    """Lowercase words that carry the topic, in order, without repeats."""
    words = [w.replace("’", "'").strip("'-") for w in _WORD.findall(text.lower())]
    return list(dict.fromkeys(w for w in words if w and w not in _FILLER and len(w) > 1))


def looks_like_followup(question: str) -> bool:
    """True for messages that lean on an earlier one for their topic."""
    lowered = question.lower().strip()
    words = {w.replace("’", "'") for w in _WORD.findall(lowered)}
    content = len(content_words(question))
    return (lowered.startswith(OPENERS) or content < MIN_CONTENT_WORDS
            or (bool(words & PRONOUNS) and content <= PRONOUN_MAX_CONTENT_WORDS))


def refers_back(question: str) -> bool:
    """Wider than `looks_like_followup`: any pronoun or opener (worth asking a model about)."""
    lowered = question.lower().strip()
    words = {w.replace("’", "'") for w in _WORD.findall(lowered)}
    return bool(words & PRONOUNS) or looks_like_followup(question)


def carry_topic(question: str, history: Sequence[str]) -> str:
    """The question with the previous question's key terms in front, when it is a follow-up.

    Earlier follow-ups are resolved first, so a chain of them keeps the original topic.
    """
    previous: str | None = None
    for earlier in history:
        if not earlier.strip():
            continue
        previous = _carry(earlier, previous) if previous else earlier
    return _carry(question, previous) if previous else question


def _carry(question: str, previous: str) -> str:
    if not looks_like_followup(question):
        return question
    own = set(content_words(question))
    terms = [w for w in content_words(previous) if w not in own][:MAX_KEY_TERMS]
    return f"{' '.join(terms)}: {question}" if terms else question
