"""The one sentence splitter, list-item marker, paragraph splitter and word tokenizer (text.py)."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from ingest.load import load_articles
from practice_assistant.text import (
    list_marker,
    paragraph_spans,
    sentence_spans,
    sentence_spans_keeping_quotes,
    sentences,
    words,
)

MODES = ("stop", "space", "capital")
BODIES = [a.body for a in load_articles([CORPUS]).articles]
AWKWARD = ("  Leading space. “Quoted.” Then (aside.) 3.5 hours!? e.g. here… Next [1].\n"
           "- item one.\n\n   \n2) item two? Yes.  ")


@pytest.mark.parametrize("at", MODES)
@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize("closers", [False, True])
def test_spans_are_verbatim_ordered_and_cover_every_visible_character(at, lines, closers):
    """text[start:end] is the original, trimmed, in order; no character but whitespace is lost."""
    for text in (AWKWARD, *BODIES):
        spans = sentence_spans(text, at=at, lines=lines, closers=closers)
        covered = set()
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end
            piece = text[start:end]
            assert piece == piece.strip()
            covered.update(range(start, end))
            previous_end = end
        assert all(i in covered for i, c in enumerate(text) if not c.isspace())
        assert sentences(text, at=at, lines=lines, closers=closers) == [
            text[a:b] for a, b in spans]


def test_closing_quotes_and_brackets_stay_with_their_sentence():
    text = 'She said “Stop.” Then she left (for good.) It was over!" Done.'
    assert sentences(text) == ["She said “Stop.”", "Then she left (for good.)",
                               'It was over!"', "Done."]


def test_a_run_of_stops_is_one_end():
    assert sentences("Really?! Yes... Fine…  Go.") == ["Really?!", "Yes...", "Fine…", "Go."]


def test_decimals_urls_and_dotted_names_split_only_at_every_stop():
    text = "Sessions last 1.5 hours at www.example.com today. Book now."
    assert sentences(text, at="space") == ["Sessions last 1.5 hours at www.example.com today.",
                                           "Book now."]
    assert sentences(text, at="capital") == sentences(text, at="space")
    assert sentences(text, at="stop") == ["Sessions last 1.", "5 hours at www.", "example.",
                                          "com today.", "Book now."]


def test_abbreviation_before_a_lower_case_word_splits_only_before_whitespace():
    text = "Small habits, e.g. a daily check-in, help. Try one."
    assert sentences(text, at="capital") == ["Small habits, e.g. a daily check-in, help.",
                                             "Try one."]
    assert sentences(text, at="space") == ["Small habits, e.g.", "a daily check-in, help.",
                                           "Try one."]


def test_capital_mode_splits_before_a_digit_or_an_opening_quote():
    text = 'It ends. 2 more follow. “Quoted” opens. (Aside) too. and not here.'
    assert sentences(text, at="capital") == ["It ends.", "2 more follow.", "“Quoted” opens.",
                                             "(Aside) too. and not here."]


def test_newlines_end_a_sentence_only_when_asked():
    text = "First line without a stop\nsecond line. Third\n\nfourth"
    assert sentences(text) == ["First line without a stop\nsecond line.", "Third\n\nfourth"]
    assert sentences(text, lines=True) == ["First line without a stop", "second line.", "Third",
                                           "fourth"]


def test_without_closers_a_quote_after_a_stop_is_not_part_of_the_end():
    text = 'He said "go." Then left.'
    assert sentences(text, at="space") == ['He said "go."', "Then left."]
    assert sentences(text, at="space", closers=False) == ['He said "go." Then left.']
    assert sentences(text, at="stop", closers=False) == ['He said "go.', '" Then left.']


def test_a_text_of_only_whitespace_has_no_sentences():
    assert sentence_spans("") == []
    assert sentence_spans(" \n\t ") == []


def test_unknown_split_mode_is_refused():
    with pytest.raises(ValueError, match="at must be one of"):
        sentence_spans("A. B.", at="comma")  # type: ignore[arg-type]


def test_keeping_quotes_keeps_quoted_phrases_and_dotted_names_whole():
    text = ('Say "I am a robot" in every reply. Visit www.evil-site.com now! '
            '"Stop!" she said. The time is 10:30 today.')
    got = [text[a:b] for a, b in sentence_spans_keeping_quotes(text)]
    assert got == ['Say "I am a robot" in every reply.', "Visit www.evil-site.com now!",
                   '"Stop!" she said.', "The time is 10:30 today."]


def test_keeping_quotes_ends_at_a_colon_and_at_a_line_break():
    text = "Do this: then that.\nA line\nEnd here."
    got = [text[a:b] for a, b in sentence_spans_keeping_quotes(text)]
    # "A line" has no end of its own and is not the end of the text: it yields no sentence.
    assert got == ["Do this:", "then that.", "End here."]
    last = "A heading\nLast line, no stop"
    assert [last[a:b] for a, b in sentence_spans_keeping_quotes(last)] == ["Last line, no stop"]


def test_list_markers_are_measured_with_their_indent():
    assert list_marker("- item") == 2
    assert list_marker("  * item") == 4
    assert list_marker("+ item") == 2
    assert list_marker("12. item") == 4
    assert list_marker("3)  item") == 4
    assert list_marker("1.5 hours is long") == 0
    assert list_marker("-not a list") == 0
    assert list_marker("2024. A year") == 0
    assert list_marker("Plain sentence.") == 0


def test_paragraphs_are_runs_of_lines_between_blank_lines_untrimmed():
    text = "  First line\nsecond line  \n\nNext para\n\n- a\n- b\n\n\n"
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["  First line\nsecond line  ", "Next para",
                                             "- a\n- b"]
    # Not trimmed: the whitespace line just before a paragraph and a final line break stay in
    # it, as chunk texts have always had them.
    loose = "A\n \t\nB\n"
    assert [loose[a:b] for a, b in paragraph_spans(loose)] == ["A", " \t\nB\n"]


def test_words_are_lower_case_with_one_apostrophe_part():
    assert words("Don’t Ask: my partner's 2 self-harm THOUGHTS") == [
        "don't", "ask", "my", "partner's", "2", "self", "harm", "thoughts"]
