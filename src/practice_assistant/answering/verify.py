"""Verify stage: keep only the sentences of a generated answer that its cited passages support.

A sentence is supported when one sentence of a passage it cites is close in meaning (cosine of
the same embeddings the index uses) and most of its content words occur in that passage. The
thresholds were set on ``tests/fixtures/verification_labelled.jsonl``; see docs/llm.md.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from practice_assistant.answering.compose import QUOTE_MAX_WORDS, Unit, split_units
from practice_assistant.models import Citation, Passage
from practice_assistant.retrieval.hybrid import tokenize
from practice_assistant.text import list_marker, sentence_spans

SUPPORT_COSINE = 0.62
SUPPORT_OVERLAP = 0.8
MIN_KEPT_FRACTION = 0.5
_CACHE_SIZE = 256
_MARKER = re.compile(r"\[\s*(?:sources?\s*)?(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\s*\]", re.IGNORECASE)
_STRAY_MARKER = re.compile(r"\[\s*(?:sources?\s*)?[\d\s,;n]*\]", re.IGNORECASE)
_NUMBER = re.compile(r"\b(\d+(?:[.,]\d+)?|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|"
                     r"percent)\b", re.IGNORECASE)
_THERAPIST_CLAIM = re.compile(
    r"\b(?:I\s*(?:'|’)?m|I am|as)\s+(?:a|an|your)\s+(?:licensed\s+|trained\s+|qualified\s+)?"
    r"(?:therapist|counsell?or|psychologist|psychiatrist|doctor|clinician)\b", re.IGNORECASE)
_CLINICAL = re.compile(
    r"\b(?:diagnos\w*|disorder|medication\w*|medicine|antidepressant\w*|SSRIs?|dose|dosage|"
    r"prescri\w+|stimulants?|mg|pills?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence (or list item) of a draft, its markers taken out."""

    text: str
    cited: tuple[int, ...]
    line: int
    is_item: bool


@dataclass(frozen=True)
class Support:
    """How well the best passage sentence backs a claim."""

    cosine: float
    overlap: float
    source: int | None
    evidence: Unit | None


@dataclass(frozen=True)
class Verdict:
    sentence: Sentence
    support: Support
    supported: bool
    reason: str


@dataclass(frozen=True)
class Verification:
    """A draft after checking: what survived, with citations renumbered from 1."""

    verdicts: tuple[Verdict, ...]
    answer: str
    citations: tuple[Citation, ...]
    markers: int
    invalid_markers: int

    @property
    def kept_fraction(self) -> float:
        """Share of the draft's words in sentences that survived."""
        total = sum(_words(v.sentence.text) for v in self.verdicts)
        kept = sum(_words(v.sentence.text) for v in self.verdicts if v.supported)
        return kept / total if total else 0.0

    @property
    def supported_fraction(self) -> float:
        if not self.verdicts:
            return 0.0
        return sum(v.supported for v in self.verdicts) / len(self.verdicts)

    @property
    def usable(self) -> bool:
        return bool(self.citations) and self.kept_fraction >= MIN_KEPT_FRACTION


def split_sentences(draft: str) -> tuple[list[Sentence], int]:
    """Split a draft into sentences with the [n] markers each carries; count the markers."""
    sentences: list[Sentence] = []
    markers = 0
    for line_no, line in enumerate(draft.splitlines()):
        item = list_marker(line)
        body = line[item:]
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        # A marker after the full stop belongs to the sentence before it.
        body = re.sub(r"([.!?…])((?:\s*" + _MARKER.pattern + r")+)",
                      lambda m: m.group(2) + m.group(1), body, flags=re.IGNORECASE)
        for left, right in sentence_spans(body, at="space"):  # "3.5" and URLs stay whole
            piece = body[left:right]
            found = [int(n) for group in _MARKER.findall(piece) for n in re.split(r"[,;]", group)]
            markers += len(found)
            text = _STRAY_MARKER.sub("", _MARKER.sub("", piece))
            text = re.sub(r"\s+([.,;:!?…])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
            if re.search(r"\w", text):
                sentences.append(Sentence(text, tuple(dict.fromkeys(found)), line_no,
                                          bool(item)))
    return sentences, markers


def evidence_units(text: str, source: int) -> list[Unit]:
    """A passage's sentences and list items, plus each sentence inside a long list item."""
    units = split_units(text, source)
    extra: list[Unit] = []
    for unit in units:
        if not unit.is_item:
            continue
        pieces = sentence_spans(unit.text, at="space")
        if len(pieces) < 2:
            continue
        for left, right in pieces:
            piece = unit.text[left:right]
            extra.append(Unit(source, unit.start + left, unit.start + right, piece, True,
                              False, frozenset(tokenize([piece])[0])))
    return units + extra


class Verifier:
    """Checks sentences against passages; caches passage-sentence embeddings by text."""

    def __init__(self, embeddings: Embeddings, cosine: float = SUPPORT_COSINE,
                 overlap: float = SUPPORT_OVERLAP) -> None:
        self.embeddings = embeddings
        self.cosine = cosine
        self.overlap = overlap
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def support(self, sentence: str, passages: Sequence[str],
                vector: np.ndarray | None = None) -> Support:
        """The best backing for ``sentence`` among ``passages`` (indexes into that list)."""
        if vector is None:
            vector = np.asarray(self.embeddings.embed_query(sentence), dtype=np.float32)
        words = frozenset(tokenize([sentence])[0])
        best = Support(0.0, 0.0, None, None)
        for source, text in enumerate(passages):
            units = evidence_units(text, source)
            if not units:
                continue
            cosines = self._unit_vectors(units) @ vector
            at = int(np.argmax(cosines))
            passage_words = frozenset().union(*(u.tokens for u in units))
            overlap = len(words & passage_words) / len(words) if words else 0.0
            candidate = Support(float(cosines[at]), overlap, source, units[at])
            if _rank(candidate) > _rank(best):
                best = candidate
        return best

    def judge(self, sentence: str, support: Support, passage: str | None) -> tuple[bool, str]:
        """Apply the thresholds and the content rules to one sentence's best support."""
        if _THERAPIST_CLAIM.search(sentence):
            return False, "claims to be a therapist"
        if passage is None or support.source is None:
            return False, "no passage"
        lowered = passage.lower()
        for term in _CLINICAL.findall(sentence):
            if term.lower() not in lowered:
                return False, f"clinical term not in source: {term}"
        for number in _NUMBER.findall(sentence):
            if not re.search(rf"\b{re.escape(number.lower())}\b", lowered):
                return False, f"number not in source: {number}"
        if support.cosine < self.cosine:
            return False, f"meaning too far (cosine {support.cosine:.2f})"
        if support.overlap < self.overlap:
            return False, f"words not in source (overlap {support.overlap:.2f})"
        return True, "supported"

    def verify(self, draft: str, passages: Sequence[Passage]) -> Verification:
        """Drop unsupported sentences and bad markers; renumber citations from 1."""
        sentences, markers = split_sentences(draft)
        texts = [p.chunk.text for p in passages]
        vectors = (np.asarray(self.embeddings.embed_documents([s.text for s in sentences]),
                              dtype=np.float32) if sentences else np.zeros((0, 1)))
        verdicts: list[Verdict] = []
        invalid = 0
        for sentence, vector in zip(sentences, vectors, strict=True):
            valid = tuple(n for n in sentence.cited if 1 <= n <= len(passages))
            invalid += len(sentence.cited) - len(valid)
            # Uncited sentences are checked against every source and given the best one.
            pool = [n - 1 for n in valid] or list(range(len(passages)))
            support = self.support(sentence.text, [texts[i] for i in pool], vector)
            if support.source is not None:
                support = Support(support.cosine, support.overlap, pool[support.source],
                                  support.evidence)
            passage = texts[support.source] if support.source is not None else None
            ok, reason = self.judge(sentence.text, support, passage)
            cited = valid if valid else ((support.source + 1,) if support.source is not None
                                         else ())
            verdicts.append(Verdict(Sentence(sentence.text, cited, sentence.line,
                                             sentence.is_item), support, ok, reason))
        answer, citations = _render(verdicts, passages)
        return Verification(tuple(verdicts), answer, citations, markers, invalid)

    def _unit_vectors(self, units: list[Unit]) -> np.ndarray:
        missing = [u.text for u in units if u.text not in self._cache]
        if missing:
            for text, vec in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._cache[text] = np.asarray(vec, dtype=np.float32)
                while len(self._cache) > _CACHE_SIZE * 16:
                    self._cache.popitem(last=False)
        for u in units:
            self._cache.move_to_end(u.text)
        return np.stack([self._cache[u.text] for u in units])


def _rank(support: Support) -> float:
    return support.cosine + 0.5 * support.overlap


def _render(verdicts: Sequence[Verdict],
            passages: Sequence[Passage]) -> tuple[str, tuple[Citation, ...]]:
    kept = [v for v in verdicts if v.supported]
    order: list[int] = []
    for verdict in kept:
        for n in verdict.sentence.cited:
            if n not in order:
                order.append(n)
    numbers = {old: new for new, old in enumerate(order, start=1)}
    lines: list[str] = []
    last_line: int | None = None
    for verdict in kept:
        s = verdict.sentence
        text = s.text + " " + "".join(f"[{numbers[n]}]" for n in s.cited)
        if s.is_item:
            lines.append(f"- {text}")
        elif lines and last_line == s.line and not lines[-1].startswith("- "):
            lines[-1] += " " + text
        else:
            if lines and last_line is not None and s.line > last_line + 1:
                lines.append("")
            lines.append(text)
        last_line = s.line
    citations = []
    for old in order:
        chunk = passages[old - 1].chunk
        evidence = [v.support.evidence for v in kept
                    if v.support.source == old - 1 and v.support.evidence is not None]
        citations.append(Citation(n=numbers[old], slug=chunk.slug, title=chunk.title,
                                  url=chunk.url, section=chunk.section,
                                  quote=_quote(chunk.text, evidence)))
    return "\n".join(lines).strip(), tuple(citations)


def _quote(text: str, evidence: list[Unit]) -> str:
    """The verbatim span the supporting sentences came from, or the first one if that is long."""
    if not evidence:
        return text
    start = min(u.start for u in evidence)
    end = max(u.end for u in evidence)
    span = text[start:end]
    return span if len(span.split()) <= QUOTE_MAX_WORDS else min(
        evidence, key=lambda u: u.start).text


def _words(text: str) -> int:
    return len(text.split())
