"""Builds the assistant from settings: the one place that wires model, index and safety."""

from __future__ import annotations

from practice_assistant.embedding import load_embeddings
from practice_assistant.safety import SafetyRouter
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings


def build_assistant(settings: Settings) -> Assistant:
    """Load the model once and hand it to the router and the retriever."""
    embeddings = load_embeddings()
    return Assistant(settings, embeddings, safety=SafetyRouter(embeddings))
