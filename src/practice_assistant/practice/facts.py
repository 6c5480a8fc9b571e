"""The practice's own facts (``corpus/practice.yaml``), kept by staff and quoted word for word.

The file ships as a template: every field present and empty, each with a one-line comment. The
project invents nothing; an empty field makes the assistant say the practice can tell you about
that topic in a free consultation. The file is ingested like an article (slug
``practice-facts``): :func:`facts_article` gives it a canonical body (so its hash changes only
when a value does) and :func:`facts_chunks` one chunk per field, which the assistant reads back
from the serving index version with :func:`facts_from_chunks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml

from practice_assistant.models import Article, Chunk

FACTS_FILENAME = "practice.yaml"
FACTS_SLUG = "practice-facts"
FACTS_TITLE = "The practice's facts"
EXTRA_KEY = "extra"
MAX_ANSWER_CHARS = 2000
_URL = re.compile(r"^(?:https?://[^\s<>\"]+|/[^\s<>\"]*)$")


class FactsError(ValueError):
    """The facts file cannot be read; the reason names the field and what to change."""


@dataclass(frozen=True)
class Topic:
    """One field of the facts file: its key, how a citation names it, and the template comment.

    ``about`` completes "The practice can tell you about …" when the field is empty.
    """

    key: str
    label: str
    about: str
    comment: str


TOPICS: tuple[Topic, ...] = (
    Topic("fees", "Fees and sliding scale", "fees and any sliding scale",
          "What a session costs; any sliding scale, reduced fees or payment methods."),
    Topic("insurance", "Insurance and out-of-network benefits",
          "insurance, out-of-network benefits and superbills",
          "Insurance plans accepted (in-network), out-of-network benefits, superbills."),
    Topic("states_served", "States served", "the states its therapists can see clients in",
          "Where the therapists are licensed to see clients (states, countries)."),
    Topic("format", "Online and in person", "online and in-person sessions",
          "Online, in person or both; the office address; the video platform."),
    Topic("booking", "How to book", "how to book a first appointment",
          "How to book or get started; with no url, the consultation link from settings."),
    Topic("wait_time", "Typical wait", "how soon you could start",
          "How soon a new client can usually start; any waitlist."),
    Topic("hours", "Hours", "the days and times it offers appointments",
          "Days and times appointments are offered (evenings, weekends) and the time zone."),
    Topic("session_length", "Session length", "how long sessions last and how often they are",
          "How long a session lasts and how often sessions usually are."),
    Topic("cancellation", "Cancellation policy", "its cancellation policy",
          "Notice needed to cancel or reschedule; any late-cancellation or no-show fee."),
    Topic("languages", "Languages", "the languages it offers sessions in",
          "Languages sessions are offered in; interpreters."),
    Topic("specialties", "Specialties", "its therapists and what they specialise in",
          "Who the therapists are and what they specialise in; link service pages in Markdown."),
    Topic("consultation", "The free consultation", "how the free consultation itself works",
          "What the free consultation costs, how long it is, by phone or video."),
    Topic("privacy_records", "Privacy and records", "confidentiality and how records are kept",
          "Confidentiality, the privacy notice, how records are kept and shared."),
)
TOPIC_KEYS = tuple(t.key for t in TOPICS)
_BY_KEY = {t.key: t for t in TOPICS}
EXTRA_COMMENT = "More questions and answers: - {question: \"...\", answer: \"...\", url: \"\"}"
HEADER = """\
# The practice's own facts, kept by staff. The assistant quotes a filled-in answer word for
# word and cites this file; for an empty one it says the practice can tell you about that topic
# in a free 15-minute consultation. It never makes these up, and neither does this project.
# Each field: `answer` (the wording visitors see) and `url` (optional: the practice's page that
# says it, a full address or a path on the site). Edit here or on the staff page, then re-ingest.
"""


def topic(key: str) -> Topic:
    """The field named ``key``; KeyError for anything else."""
    return _BY_KEY[key]


@dataclass(frozen=True)
class Fact:
    """One field's value: the staff's wording (empty = not filled in) and an optional URL."""

    key: str
    answer: str = ""
    url: str | None = None

    @property
    def filled(self) -> bool:
        return bool(self.answer.strip())


@dataclass(frozen=True)
class ExtraAnswer:
    """A question staff added themselves, with the answer to quote."""

    question: str
    answer: str
    url: str | None = None


@dataclass(frozen=True)
class PracticeFacts:
    """Every field (in template order) and the free-form questions and answers."""

    facts: tuple[Fact, ...] = tuple(Fact(t.key) for t in TOPICS)
    extra: tuple[ExtraAnswer, ...] = ()

    def get(self, key: str) -> Fact:
        return next((f for f in self.facts if f.key == key), Fact(key))

    def with_fact(self, fact: Fact) -> PracticeFacts:
        return replace(self, facts=tuple(fact if f.key == fact.key else f for f in self.facts))

    @property
    def filled(self) -> int:
        return sum(f.filled for f in self.facts) + len(self.extra)


# --- reading and writing the file ---------------------------------------------------------

def parse_facts(text: str) -> PracticeFacts:
    """Read the facts file; raises FactsError naming the field at fault."""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FactsError(f"not valid YAML{where}: {getattr(error, 'problem', error)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FactsError(f"expected fields such as 'fees:' at the top level, got a "
                         f"{type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in TOPIC_KEYS and k != EXTRA_KEY)
    if unknown:
        raise FactsError(f"unknown field {unknown[0]!r}: the fields are "
                         f"{', '.join(TOPIC_KEYS)} and {EXTRA_KEY}")
    facts = tuple(_fact(key, data.get(key)) for key in TOPIC_KEYS)
    return PracticeFacts(facts, _extras(data.get(EXTRA_KEY)))


def _fact(key: str, value: Any) -> Fact:
    if value is None or value == "":
        return Fact(key)
    if isinstance(value, str):  # a bare answer, for hand edits: `fees: "..."`
        return Fact(key, _answer(key, value))
    if not isinstance(value, dict):
        raise FactsError(f"{key}: expected 'answer:' and 'url:' under it, got a "
                         f"{type(value).__name__}")
    stray = sorted(str(k) for k in value if k not in ("answer", "url"))
    if stray:
        raise FactsError(f"{key}: unknown key {stray[0]!r} (use 'answer' and 'url')")
    return Fact(key, _answer(key, value.get("answer")), _url(key, value.get("url")))


def _answer(where: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FactsError(f"{where}: the answer must be text")
    text = str(value).strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise FactsError(f"{where}: the answer has {len(text)} characters; keep it under "
                         f"{MAX_ANSWER_CHARS} and link a page for the rest")
    return text


def _url(where: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or not _URL.match(value.strip()):
        raise FactsError(f"{where}: url {value!r} must start with https://, http:// or / "
                         "(a page on the practice's site)")
    return value.strip()


def _extras(value: Any) -> tuple[ExtraAnswer, ...]:
    if value is None or value == []:
        return ()
    if not isinstance(value, list):
        raise FactsError(f"{EXTRA_KEY}: expected a list of '- question: ... answer: ...'")
    found: list[ExtraAnswer] = []
    for number, item in enumerate(value, start=1):
        where = f"{EXTRA_KEY} item {number}"
        if not isinstance(item, dict):
            raise FactsError(f"{where}: expected 'question:' and 'answer:'")
        stray = sorted(str(k) for k in item if k not in ("question", "answer", "url"))
        if stray:
            raise FactsError(f"{where}: unknown key {stray[0]!r} (use question, answer, url)")
        question, answer = _answer(where, item.get("question")), _answer(where, item.get("answer"))
        if not question and not answer:
            continue  # an empty row left in the form
        if not question or not answer:
            raise FactsError(f"{where}: needs both a question and an answer")
        found.append(ExtraAnswer(question, answer, _url(where, item.get("url"))))
    return tuple(found)


def render_facts(facts: PracticeFacts) -> str:
    """The file as staff see it: the header, then every field with its one-line comment."""
    lines = [HEADER]
    for t in TOPICS:
        fact = facts.get(t.key)
        lines += [f"{t.key}:  # {t.comment}", f"  answer: {_scalar(fact.answer)}",
                  f"  url: {_scalar(fact.url or '')}"]
    if facts.extra:
        lines.append(f"{EXTRA_KEY}:  # {EXTRA_COMMENT}")
        for item in facts.extra:
            lines += [f"  - question: {_scalar(item.question)}",
                      f"    answer: {_scalar(item.answer)}",
                      f"    url: {_scalar(item.url or '')}"]
    else:
        lines.append(f"{EXTRA_KEY}: []  # {EXTRA_COMMENT}")
    return "\n".join(lines) + "\n"


def template() -> str:
    """The shipped file: every field empty."""
    return render_facts(PracticeFacts())


def _scalar(value: str) -> str:
    """One YAML scalar on one line (double-quoted; newlines kept as \\n)."""
    return yaml.safe_dump(value, default_style='"', width=10**6, allow_unicode=True).strip()


# --- into and out of the index ------------------------------------------------------------

def facts_article(facts: PracticeFacts, source_path: str | None = None) -> Article:
    """The facts as one article: its body is canonical, so comments never change its hash."""
    data: dict[str, Any] = {f.key: {"answer": f.answer, "url": f.url} for f in facts.facts}
    data[EXTRA_KEY] = [{"question": e.question, "answer": e.answer, "url": e.url}
                       for e in facts.extra]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6)
    return Article(slug=FACTS_SLUG, title=FACTS_TITLE, body=body, source_path=source_path)


def is_facts(article: Article) -> bool:
    return article.slug == FACTS_SLUG


def facts_chunks(article: Article) -> list[Chunk]:
    """One chunk per field, filled or not, then one per extra question (id names the field)."""
    facts = parse_facts(article.body)
    chunks = [Chunk(id=f"{FACTS_SLUG}:{i}:{f.key}", slug=FACTS_SLUG, title=FACTS_TITLE,
                    url=f.url, section=topic(f.key).label, text=f.answer, position=i)
              for i, f in enumerate(facts.facts)]
    start = len(chunks)
    chunks += [Chunk(id=f"{FACTS_SLUG}:{start + i}:{EXTRA_KEY}-{i}", slug=FACTS_SLUG,
                     title=FACTS_TITLE, url=e.url, section=e.question, text=e.answer,
                     position=start + i)
               for i, e in enumerate(facts.extra)]
    return chunks


def facts_from_chunks(chunks: Iterable[Chunk]) -> PracticeFacts:
    """Rebuild the facts from their chunks (as read back from an index version)."""
    found: dict[str, Fact] = {}
    extra: list[tuple[int, ExtraAnswer]] = []
    for chunk in chunks:
        key = chunk.id.rsplit(":", 1)[-1]
        if key in _BY_KEY:
            found[key] = Fact(key, chunk.text, chunk.url)
        elif key.startswith(f"{EXTRA_KEY}-") and chunk.section:
            extra.append((chunk.position, ExtraAnswer(chunk.section, chunk.text, chunk.url)))
    return PracticeFacts(tuple(found.get(k, Fact(k)) for k in TOPIC_KEYS),
                         tuple(e for _, e in sorted(extra, key=lambda pair: pair[0])))


def facts_from_form(values: Mapping[str, tuple[str, str]],
                    extra: Iterable[tuple[str, str, str]] = ()) -> PracticeFacts:
    """What the staff form submits ({key: (answer, url)} and extra rows), validated."""
    unknown = sorted(set(values) - set(TOPIC_KEYS))
    if unknown:
        raise FactsError(f"unknown field {unknown[0]!r}")
    facts = tuple(Fact(k, _answer(k, values.get(k, ("", ""))[0]),
                       _url(k, values.get(k, ("", ""))[1])) for k in TOPIC_KEYS)
    rows = [{"question": q, "answer": a, "url": u} for q, a, u in extra]
    return PracticeFacts(facts, _extras(rows))
