"""The ``practice_info`` reply: the staff's own wording from the facts file, or an honest pointer.

A filled-in field is quoted verbatim and cited to the facts source (slug ``practice-facts``,
with the field's URL when staff gave one). An empty field gets one sentence saying the
practice can tell you about that topic in a free consultation. Article text is never used, and
nothing is made up. Every reply carries the consultation prompt.
"""

from __future__ import annotations

from practice_assistant.models import Answer, Citation
from practice_assistant.practice.facts import FACTS_SLUG, FACTS_TITLE, PracticeFacts, topic
from practice_assistant.practice.route import PracticeMatch
from practice_assistant.settings import Settings

EMPTY_FIELD = "The practice can tell you about {about} in a free 15-minute consultation."


def practice_reply(question: str, match: PracticeMatch, facts: PracticeFacts,
                   settings: Settings) -> Answer:
    """The reply for a practical question (its facts' URLs already joined on the site's)."""
    if match.extra is not None and match.extra < len(facts.extra):
        item = facts.extra[match.extra]
        return _quoted(question, match, item.answer, item.question, item.url, settings)
    fact = facts.get(match.topic)
    field = topic(match.topic)
    if not fact.filled:
        return Answer(question=question, route="practice_info",
                      answer=EMPTY_FIELD.format(about=field.about),
                      consultation=settings.consultation, signal=match.signal,
                      reason=f"{match.reason}; the facts file's '{field.key}' field is empty")
    url = fact.url or (settings.consultation_url if field.key == "booking" else None)
    return _quoted(question, match, fact.answer, field.label, url, settings)


def _quoted(question: str, match: PracticeMatch, wording: str, section: str, url: str | None,
            settings: Settings) -> Answer:
    citation = Citation(n=1, slug=FACTS_SLUG, title=FACTS_TITLE, url=url, section=section,
                        quote=wording)
    return Answer(question=question, route="practice_info", answer=f"{wording} [1]",
                  citations=(citation,), consultation=settings.consultation,
                  signal=match.signal, reason=match.reason)
