"""The answer stream beside `Assistant`: words for extractive answers, nothing for a crisis."""

from __future__ import annotations

from practice_assistant.models import Answer
from practice_assistant.service import AnswerStream


def test_answer_stream_yields_words_when_no_model_streams():
    """Extractive answers are shown word by word; crisis replies not at all."""
    def steps(route: str):
        return Answer(question="q", route=route, answer="one two three")
        yield  # pragma: no cover - makes this a generator

    stream = AnswerStream(steps("answer"))
    assert "".join(stream).split() == ["one", "two", "three"]
    assert stream.result().answer == "one two three"
    assert list(AnswerStream(steps("crisis"))) == []
