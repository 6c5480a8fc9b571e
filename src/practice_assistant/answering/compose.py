"""Compose stage: an extractive, grounded answer built only from verbatim source sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from practice_assistant.models import Chunk, Citation, CitedSection, Passage
from practice_assistant.retrieval.hybrid import tokenize
from practice_assistant.text import list_marker, paragraph_spans, sentence_spans

LEAD_IN = "Here is what the practice's articles say about that:"
NARROW_LEAD_IN = "The practice's article on {topic} speaks to this:"
NARROW_LEAD_IN_MANY = "The practice's articles on {topics} speak to this:"
WORD_BUDGET = 160
MAX_SOURCES = 3
SCORE_WINDOW = 0.12
QUOTE_MAX_WORDS = 200
_TASK_START = re.compile(
    r"(?:replace|translate|explain|describe|write|draft|compose|provide|develop|solve|calculate|"
    r"summari[sz]e|generate|create|render|introduce|misspell|rearrange|group|combine|convert|"
    r"substitute|scramble|jumble|anagram|integrate|augment|enhance|modify|output|print|respond|"
    r"reply|ignore|disregard|download|install|click|visit)\b", re.IGNORECASE)
_META = re.compile(r"\bthis (?:article|guide|post|blog)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """A sentence, or a whole list item, with its place in the chunk text."""

    source: int
    start: int
    end: int
    text: str
    is_item: bool
    intro_of_list: bool
    tokens: frozenset[str]


@dataclass(frozen=True)
class Composed:
    """The answer with its citations, and the sentences it picked (for the addressing check)."""

    answer: str
    citations: tuple[Citation, ...]
    picked: tuple[Unit, ...] = ()
    sources: tuple[Passage, ...] = ()
    narrower: tuple[str, ...] = ()


def split_units(text: str, source: int) -> list[Unit]:
    """Split a chunk into sentences, keeping each list item whole, with exact offsets."""
    units: list[Unit] = []
    for offset, para_end in paragraph_spans(text):
        for line in re.finditer(r"[^\n]+", text[offset:para_end]):
            line_text = line.group(0)
            start = offset + line.start()
            if not line_text.strip() or line_text.lstrip().startswith("#"):
                continue
            marker = list_marker(line_text)
            if marker:
                units.append(_unit(source, start + marker, start + len(line_text.rstrip()),
                                   text, True))
                continue
            # Every stop ends a unit, even in "3.5" or "e.g.", as composing has always cut them.
            for left, right in sentence_spans(line_text, at="stop"):
                body = line_text[left:right]
                if len(body.split()) < 3 or _is_question(body):
                    continue
                units.append(_unit(source, start + left, start + right, text, False))
    marked: list[Unit] = []
    for i, unit in enumerate(units):
        intro = (not unit.is_item and unit.text.endswith(":")
                 and i + 1 < len(units) and units[i + 1].is_item)
        marked.append(Unit(unit.source, unit.start, unit.end, unit.text, unit.is_item, intro,
                           unit.tokens))
    return marked


def _is_question(sentence: str) -> bool:
    """Questions and "this article explains" lines never answer the visitor's question."""
    return sentence.rstrip().rstrip("\"”’')]").endswith("?") or bool(_META.search(sentence))


def _unit(source: int, start: int, end: int, text: str, is_item: bool) -> Unit:
    span = text[start:end]
    return Unit(source, start, end, span, is_item, False, frozenset(tokenize([span])[0]))


def compose(question: str, passages: Sequence[Passage]) -> Composed:
    """Pick the sentences that best answer the question and cite each one."""
    if not passages:
        return Composed("", ())
    best = passages[0].score
    sources = [p for p in passages if p.score >= best - SCORE_WINDOW][:MAX_SOURCES]
    query = frozenset(tokenize([question])[0])
    scored: list[tuple[float, Unit]] = []
    for s, passage in enumerate(sources):
        for position, unit in enumerate(split_units(passage.chunk.text, s)):
            overlap = len(query & unit.tokens) / len(query) if query else 0.0
            if not unit.is_item and overlap == 0 and _TASK_START.match(unit.text):
                continue  # an unrelated command in a post is never part of an answer
            bonus = 0.04 if position == 0 else 0.0
            bonus += 0.03 if unit.intro_of_list or unit.is_item else 0.0
            scored.append((passage.score + 0.2 * overlap + bonus - 0.002 * position, unit))
    scored.sort(key=lambda pair: -pair[0])
    units_by_source = {s: [u for _, u in scored if u.source == s] for s in range(len(sources))}
    picked: list[Unit] = []
    words = 0
    for _, unit in scored:
        group = _list_group(unit, units_by_source[unit.source]) if (
            unit.is_item or unit.intro_of_list) else [unit]
        for member in group:
            size = len(member.text.split())
            if member in picked or (picked and words + size > WORD_BUDGET):
                continue
            if any(_similar(member, other) for other in picked):
                continue
            picked.append(member)
            words += size
    return _render(picked, sources, query)


def _list_group(unit: Unit, units: list[Unit]) -> list[Unit]:
    """A list item reads best after its intro, and with its neighbours in source order."""
    ordered = sorted(units, key=lambda u: u.start)
    at = ordered.index(unit)
    start = at
    while start > 0 and ordered[start].is_item:
        start -= 1
    if not ordered[start].intro_of_list:
        start += 1
    end = max(at, start)
    while end + 1 < len(ordered) and ordered[end + 1].is_item:
        end += 1
    return ordered[start:end + 1]


def _similar(a: Unit, b: Unit) -> bool:
    if not a.tokens or not b.tokens:
        return False
    return len(a.tokens & b.tokens) / len(a.tokens | b.tokens) > 0.6


def _render(picked: list[Unit], sources: Sequence[Passage],
            question: frozenset[str] = frozenset()) -> Composed:
    """One citation per article, numbered by first use; its sections listed in article order.

    Articles come in the order of their best-ranked source; within one, chunks in article
    order, so the sentences read as the article has them.
    """
    slugs: list[str] = []
    for unit in sorted(picked, key=lambda u: u.source):
        slug = sources[unit.source].chunk.slug
        if slug not in slugs:
            slugs.append(slug)
    narrower = tuple(s for s in slugs if _narrower(question, _first(sources, s)))
    lead = LEAD_IN
    if slugs and len(narrower) == len(slugs):
        topics = [_first(sources, s).topic or _first(sources, s).title for s in slugs]
        lead = (NARROW_LEAD_IN.format(topic=topics[0]) if len(topics) == 1 else
                NARROW_LEAD_IN_MANY.format(topics=", ".join(topics[:-1]) + " and " + topics[-1]))
    lines: list[str] = [lead, ""]
    citations: list[Citation] = []
    for n, slug in enumerate(slugs, start=1):
        chosen = sorted({u.source for u in picked if sources[u.source].chunk.slug == slug},
                        key=lambda s: sources[s].chunk.position)
        sections: list[CitedSection] = []
        for source in chosen:
            chunk = sources[source].chunk
            units = sorted((u for u in picked if u.source == source), key=lambda u: u.start)
            _lines(lines, units, n)
            sections.append(CitedSection(chunk.section, _quote(chunk.text, units)))
        lines.append("")
        chunk = sources[chosen[0]].chunk
        citations.append(Citation(n=n, slug=slug, title=chunk.title, url=chunk.url,
                                  section=sections[0].section, quote=sections[0].quote,
                                  sections=tuple(sections)))
    return Composed("\n".join(lines).strip(), tuple(citations), tuple(picked), tuple(sources),
                    narrower)


def _lines(lines: list[str], units: list[Unit], n: int) -> None:
    paragraph: list[str] = []
    for unit in units:
        if unit.is_item:
            if paragraph:
                lines.append(" ".join(paragraph))
                paragraph = []
            lines.append(f"- {unit.text} [{n}]")
        else:
            if paragraph == [] and lines[-1].startswith("- "):
                lines.append("")
            paragraph.append(f"{unit.text} [{n}]")
    if paragraph:
        lines.append(" ".join(paragraph))


def _first(sources: Sequence[Passage], slug: str) -> Chunk:
    return next(p.chunk for p in sources if p.chunk.slug == slug)


def focus_groups(focus: str | None) -> list[list[frozenset[str]]]:
    """``"ADHD; relationship, partner"`` → groups of alternatives, each as stemmed terms."""
    groups = []
    for group in (focus or "").split(";"):
        alternatives = [frozenset(tokenize([alt])[0]) for alt in group.split(",")]
        alternatives = [a for a in alternatives if a]
        if alternatives:
            groups.append(alternatives)
    return groups


def _narrower(question: frozenset[str], chunk: Chunk) -> bool:
    """The article is on a narrower topic than the question: a focus group the question does
    not mention ("ADHD" for "we fight about chores"). An article without a focus never is."""
    groups = focus_groups(chunk.focus)
    return bool(groups) and any(not any(alt <= question for alt in group) for group in groups)


def _quote(text: str, units: list[Unit]) -> str:
    """The contiguous source span the picks came from, or the first pick if that is long."""
    span = text[units[0].start:units[-1].end]
    if len(span.split()) <= QUOTE_MAX_WORDS:
        return span
    return units[0].text
