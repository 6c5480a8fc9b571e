"""Chunk stage: split an article by its headings into passages of roughly 120 to 300 words.

Chunks are exact slices of the article body, so any span of a chunk is a verbatim quote.
A list stays in one chunk with the sentence that introduces it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from practice_assistant.models import Article, Chunk
from practice_assistant.text import list_marker, paragraph_spans, sentence_spans

MIN_WORDS = 120
MAX_WORDS = 300
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    words: int
    is_list: bool


@dataclass(frozen=True)
class _Section:
    heading: str | None
    blocks: tuple[_Block, ...]


def chunk_article(article: Article) -> list[Chunk]:
    """Split by headings, then pack paragraphs (lists with their intro) up to MAX_WORDS."""
    body = article.body
    spans: list[tuple[int, int]] = []
    for section in _sections(body):
        spans.extend(_pack(section.blocks, body))
    chunks: list[Chunk] = []
    headings = _heading_at(body)
    topic, focus = article_topic(article)
    for position, (start, end) in enumerate(spans):
        text = body[start:end]
        digest = hashlib.sha256(f"{article.slug}\n{text}".encode()).hexdigest()[:16]
        chunks.append(Chunk(id=f"{article.slug}:{position}:{digest}", slug=article.slug,
                            title=article.title, url=article.url, section=headings(start),
                            text=text, position=position, topic=topic, focus=focus))
    return chunks


def article_topic(article: Article) -> tuple[str | None, str | None]:
    """The front matter's ``topic`` (the lead-in names it) and ``focus`` (the words a question
    needs to be on that topic), when the article gives them."""
    extra = dict(article.extra)
    return (extra.get("topic") or None), (extra.get("focus") or None)


def _heading_at(body: str) -> Callable[[int], str | None]:
    """Return a lookup from an offset to the heading of the section it falls in."""
    marks = [(m.start(), _HEADING.match(m.group(0)).group(2).strip())  # type: ignore[union-attr]
             for m in re.finditer(r"^#{1,6}\s+.+$", body, re.MULTILINE)]

    def lookup(offset: int) -> str | None:
        current = None
        for start, heading in marks:
            if start <= offset:
                current = heading
        return current

    return lookup


def _sections(body: str) -> list[_Section]:
    sections: list[_Section] = []
    heading: str | None = None
    blocks: list[_Block] = []
    for start, end in paragraph_spans(body):
        text = body[start:end]
        match = _HEADING.match(text) if "\n" not in text else None
        if match:
            if blocks:
                sections.append(_Section(heading, tuple(blocks)))
            heading, blocks = match.group(2).strip(), []
            continue
        is_list = all(list_marker(line) or line.startswith(("  ", "\t"))
                      for line in text.split("\n") if line.strip())
        block = _Block(start, end, len(text.split()), is_list)
        if is_list and blocks:
            previous = blocks[-1]
            blocks[-1] = _Block(previous.start, end, previous.words + block.words, True)
        else:
            blocks.append(block)
    if blocks:
        sections.append(_Section(heading, tuple(blocks)))
    return sections


def _pack(blocks: tuple[_Block, ...], body: str) -> list[tuple[int, int]]:
    """Greedy packing: flush before MAX_WORDS, split a long paragraph at sentence ends."""
    pieces: list[_Block] = []
    for block in blocks:
        if block.words > MAX_WORDS and not block.is_list:
            pieces.extend(_split_sentences(block, body))
        else:
            pieces.append(block)
    spans: list[tuple[int, int, int]] = []
    for piece in pieces:
        if spans:
            start, _, words = spans[-1]
            if words + piece.words <= MAX_WORDS or words < MIN_WORDS // 2:
                spans[-1] = (start, piece.end, words + piece.words)
                continue
        spans.append((piece.start, piece.end, piece.words))
    if len(spans) > 1 and spans[-1][2] < MIN_WORDS // 2:
        start, _, words = spans[-2]
        spans[-2:] = [(start, spans[-1][1], words + spans[-1][2])]
    return [(start, end) for start, end, _ in spans]


def _split_sentences(block: _Block, body: str) -> list[_Block]:
    """Cut where a sentence ends before a capital or a digit, so "e.g. this" stays whole."""
    text = body[block.start:block.end]
    starts = [start for start, _ in sentence_spans(text, at="capital")[1:]]
    cuts = [0, *starts, len(text)]
    out: list[_Block] = []
    run_start, run_words = cuts[0], 0
    for left, right in pairwise(cuts):
        words = len(text[left:right].split())
        if run_words and run_words + words > MAX_WORDS * 2 // 3:
            end = block.start + len(text[:left].rstrip())
            out.append(_Block(block.start + run_start, end, run_words, False))
            run_start, run_words = left, 0
        run_words += words
    out.append(_Block(block.start + run_start, block.end, run_words, False))
    return [b for b in out if b.words]
