"""Indirect prompt-injection guard: find sentences planted in a post to steer an assistant.

A flagged sentence is kept out of the indexed text, so no answer can ever quote it, and the
ingest summary names it so staff can look at the post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from practice_assistant.models import Article
from practice_assistant.retrieval.hybrid import tokenize
from practice_assistant.text import sentence_spans_keeping_quotes

_ADDRESSES_ASSISTANT = re.compile(
    r"\byour\s+(?:answer|response|reply|replies|output|message)s?\b"
    r"|\b(?:in|to|into)\s+(?:your|the)\s+(?:answer|response|reply)\b"
    r"|\b(?:AI|assistant|chat ?bot|language model|LLM|GPT)\b"
    r"|\bignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)\b"
    r"|\bsystem\s+prompt\b", re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:com|org|net|xyz|io|ai|co|info|biz|app|gov|edu|us|uk|"
    r"ly|me|site|online|top)\b(?:/\S*)?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_TASK_VERBS = frozenset("""explain describe translate provide write draft compose develop break
solve calculate summarize summarise list generate create answer tell show give include add modify
integrate augment enhance replace use render introduce misspell rearrange remove group combine
convert substitute scramble jumble anagram respond reply ignore forget disregard output print say
repeat suggest promote download install visit click""".split())
_QUESTION_OPENERS = frozenset("what who whom whose which when where why how can could is are do "
                              "does did will would".split())
_READER = frozenset("i me my we us our you your yourself".split())


@dataclass(frozen=True)
class Flag:
    """One planted-looking sentence and why it was flagged."""

    sentence: str
    reason: str


def guard_articles(articles: Iterable[Article], allowed_hosts: Iterable[str] | None
                   ) -> tuple[list[Article], list[str]]:
    """Strip planted sentences from every article; return the articles and a note per flag."""
    hosts = None if allowed_hosts is None else list(allowed_hosts)
    guarded: list[Article] = []
    notes: list[str] = []
    for article in articles:
        flags = find_planted(article.body, hosts)
        if flags:
            article = replace(article, body=remove_flagged(article.body, flags))
            notes += [f"{article.source_path or article.slug}: left out \"{_clip(f.sentence)}\" "
                      f"({f.reason})" for f in flags]
        guarded.append(article)
    return guarded, notes


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def find_planted(body: str, allowed_hosts: Iterable[str] | None = None) -> list[Flag]:
    """Sentences that address an assistant, carry foreign links, or ask an off-topic task.

    ``allowed_hosts`` None leaves links unchecked (no site is configured).
    """
    hosts = None if allowed_hosts is None else {h.lower().removeprefix("www.")
                                                 for h in allowed_hosts}
    # Quoted phrases and dotted names (www.x.com) stay in their sentence.
    sentences = [body[start:end] for start, end in sentence_spans_keeping_quotes(body)]
    sentences = [s.lstrip("#>*-0123456789. ").strip() for s in sentences]
    flags: list[Flag] = []
    for sentence in (s for s in sentences if len(s.split()) >= 3):
        reason = _reason(sentence, body, hosts)
        if reason:
            flags.append(Flag(sentence, reason))
    return flags


def _reason(sentence: str, body: str, hosts: set[str] | None) -> str | None:
    match = _ADDRESSES_ASSISTANT.search(sentence)
    if match:
        return f"addresses an assistant ('{match.group(0)}')"
    for link in _LINK.finditer(sentence) if hosts is not None else ():
        host = re.sub(r"^https?://", "", link.group(0).lower()).split("/")[0]
        host = host.split("@")[-1].removeprefix("www.")
        if host not in hosts:
            return f"link or address outside the site ('{link.group(0)}')"
    words = re.findall(r"[a-z]+", sentence.lower())
    if not words:
        return None
    is_question = words[0] in _QUESTION_OPENERS and sentence.rstrip("\"”’')]").endswith("?")
    if words[0] not in _TASK_VERBS and not is_question:
        return None
    novelty = _novelty(sentence, body)
    addresses_reader = bool(_READER.intersection(words))
    if novelty >= 0.6 or (is_question and novelty >= 0.4 and not addresses_reader):
        return "an instruction or question unrelated to the rest of the post"
    return None


def _novelty(sentence: str, body: str) -> float:
    """Share of the sentence's content words that the rest of the post never uses."""
    own = set(tokenize([sentence])[0])
    if not own:
        return 0.0
    rest = set(tokenize([body.replace(sentence, " ")])[0])
    return len(own - rest) / len(own)


def remove_flagged(body: str, flags: Iterable[Flag]) -> str:
    """Drop flagged sentences from the body, leaving every other character as it was."""
    for flag in flags:
        body = body.replace(flag.sentence, "", 1)
    body = re.sub(r"[ \t]{2,}", " ", body)
    body = re.sub(r"[ \t]+\n", "\n", body)
    return re.sub(r"\n{3,}", "\n\n", body)
