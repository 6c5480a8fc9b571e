"""Builds the assistant from settings: the one place that wires model, index and safety."""

from __future__ import annotations

from practice_assistant.embedding import load_embeddings
from practice_assistant.limits_policy import QuestionLimiter
from practice_assistant.safety import SafetyRouter
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings


def build_assistant(settings: Settings, limiter: QuestionLimiter | None = None) -> Assistant:
    """Load the model once and hand it to the router and the retriever.

    ``limiter`` rate-limits visitors' questions (the web server passes one; the CLI does not).
    """
    embeddings = load_embeddings()
    return Assistant(settings, embeddings, safety=SafetyRouter(embeddings), limiter=limiter)
