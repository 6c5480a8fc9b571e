"""Sentences, paragraphs, list items and words: the one place where the project splits text.

Chunking, composing, verifying, the safety checks and the injection guard all split with the
functions here. Every splitter returns spans ``(start, end)`` into the string it was given, so
``text[start:end]`` is an exact substring: a quote cut along them is the article's own words.

A sentence ends at a run of stops (``.``, ``!``, ``?``, ``…``) together with the closing quotes
and brackets right after it (``."``, ``?”``, ``.)``). Callers choose, by name, where such an end
counts (:func:`sentence_spans`):

- ``at="stop"``: at every end, even inside a word, so "3.5", "e.g. this" and "www.x.com" are cut
  (composing, the disclaimer check of addressing, the definitional-question check of safety);
- ``at="space"``: only before whitespace, so "3.5" and "www.x.com" stay whole, "e.g. this" is
  cut (verifying a draft, the safety classifier's windows);
- ``at="capital"``: only before whitespace and then a capital letter or a digit (after an
  optional opening quote or bracket), so "e.g. this" stays whole too (chunking).

``lines=True`` also ends a sentence at every line break (safety, addressing); ``closers=False``
leaves closing quotes and brackets out of the end: with ``at="space"`` a stop must then be
followed by whitespace itself (``"Stop." She`` stays one piece), with ``at="stop"`` the quote
starts the next piece. Safety reads messages that way.

The injection guard needs sentences that keep a quoted phrase or a dotted name whole and that
end at a colon too: :func:`sentence_spans_keeping_quotes`.

This module imports no other project module (an import-linter contract in pyproject.toml).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

Span = tuple[int, int]
SplitAt = Literal["stop", "space", "capital"]

#: characters that end a sentence
STOPS = ".!?…"
#: closing quotes and brackets that belong to the sentence before them: ``."``, ``?”``, ``.)``
CLOSERS = "\"”’)]"
#: opening quotes and brackets that may start the next sentence: ``. “Yes``, ``. (See``
OPENERS = "\"“‘(["

_STOP = f"[{re.escape(STOPS)}]"
_CLOSER = f"[{re.escape(CLOSERS)}]"
_OPENER = f"[{re.escape(OPENERS)}]"
_AFTER_END = {"stop": "", "space": r"(?=\s)", "capital": rf"(?=\s+{_OPENER}?[A-Z0-9])"}

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_PARAGRAPH = re.compile(r"[^\n](?:[^\n]|\n(?!\s*\n))*")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# The guard's sentences, a run of: a quoted phrase that does not itself end in a stop; a stop or
# colon inside a word (www.x.com, 3.5, 10:30); a stop, closing quotes and a lower-case word
# ("Stop!" she said); any other character but a line break. Then the end: stops or a colon with
# their closing quotes, or the end of the text.
_KEEPING_QUOTES = re.compile(
    r"""(?:
          "[^"\n]*[^.!?"\n]"
        | “[^”\n]*[^.!?”\n]”
        | [.!?:](?=[^\s"”’')\]])
        | [.!?]["”’]+\s+(?=[a-z])
        | [^.!?:\n]
        )+
        (?:[.!?:]+["”’')\]]*|$)""", re.VERBOSE)


def sentence_spans(text: str, *, at: SplitAt = "space", lines: bool = False,
                   closers: bool = True) -> list[Span]:
    """The sentences of ``text`` as spans, each trimmed of the whitespace around it.

    ``at`` says where a sentence end counts, ``lines`` whether a line break ends one too, and
    ``closers`` whether closing quotes and brackets belong to the end (see the module's
    docstring). Every character but whitespace lies in exactly one span, in order; a piece
    made only of stops ("...") is a span of its own when an end falls after it.
    """
    spans: list[Span] = []
    start = 0
    for end in _ends(at, lines, closers).finditer(text):
        _append_trimmed(spans, text, start, end.end())
        start = end.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def sentences(text: str, *, at: SplitAt = "space", lines: bool = False,
              closers: bool = True) -> list[str]:
    """The texts of :func:`sentence_spans`, same arguments."""
    return [text[a:b] for a, b in sentence_spans(text, at=at, lines=lines, closers=closers)]


def sentence_spans_keeping_quotes(text: str) -> list[Span]:
    """Sentences for the injection guard, which must see a planted instruction whole.

    Unlike :func:`sentence_spans`: a quoted phrase that does not end in a stop stays in its
    sentence (``Say "I am a robot" twice.``), so does a stop or colon inside a word
    (``www.x.com``, ``10:30``) and a quoted exclamation followed by a lower-case word
    (``"Stop!" she said.``); a colon ends a sentence, an ellipsis character does not; a line
    break always ends one, and a line with no end of its own (a heading, a list item without a
    full stop) yields no sentence unless it ends the text. Spans are trimmed of whitespace.
    """
    spans: list[Span] = []
    for match in _KEEPING_QUOTES.finditer(text):
        _append_trimmed(spans, text, match.start(), match.end())
    return spans


def list_marker(line: str) -> int:
    """Length of the list marker opening ``line`` ("- ", "* ", "+ ", "2. ", "3) ", with its
    indent and the spaces after it); 0 when the line is not a list item."""
    match = _LIST_ITEM.match(line)
    return match.end() if match else 0


def paragraph_spans(text: str) -> list[Span]:
    """Paragraphs: runs of lines between blank lines (a line of only whitespace is blank).

    Not trimmed, as chunk texts have always been: a paragraph keeps its indent and trailing
    spaces, and the whitespace of the last blank line before it or a line break that ends the
    text. Paragraphs of only whitespace are left out.
    """
    return [m.span() for m in _PARAGRAPH.finditer(text) if m.group(0).strip()]


def words(text: str) -> list[str]:
    """Lower-case words and numbers, an apostrophe part kept ("don't", "partner's"); curly
    apostrophes read as straight ones. Other characters separate words ("self-harm" is two)."""
    return _WORD.findall(text.lower().replace("’", "'"))


@cache
def _ends(at: SplitAt, lines: bool, closers: bool) -> re.Pattern[str]:
    if at not in _AFTER_END:
        raise ValueError(f"at must be one of {sorted(_AFTER_END)}, not {at!r}")
    end = f"{_STOP}+" + (f"{_CLOSER}*" if closers else "") + _AFTER_END[at]
    return re.compile(f"{end}|\n" if lines else end)


def _append_trimmed(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


__all__ = ["CLOSERS", "OPENERS", "STOPS", "Span", "SplitAt", "list_marker", "paragraph_spans",
           "sentence_spans", "sentence_spans_keeping_quotes", "sentences", "words"]
