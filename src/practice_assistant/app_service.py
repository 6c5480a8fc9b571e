"""Builds the assistant from settings: the one place that wires model, index, safety and LLM."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from practice_assistant.answering.compose import compose
from practice_assistant.answering.generate import LLMAnswerer, build_chat_model
from practice_assistant.answering.verify import Verifier
from practice_assistant.embedding import load_embeddings
from practice_assistant.limits_policy import QuestionLimiter
from practice_assistant.retrieval.hybrid import StageHook, open_retriever
from practice_assistant.safety.model import load_default_model
from practice_assistant.safety.router import SafetyRouter
from practice_assistant.service import Assistant
from practice_assistant.settings import Settings
from practice_assistant.store import IndexStore


def build_assistant(settings: Settings, embeddings: Embeddings | None = None,
                    limiter: QuestionLimiter | None = None,
                    on_stage: StageHook | None = None) -> Assistant:
    """Load the model once and hand it to the router, the retriever and the LLM check.

    ``limiter`` rate-limits visitors' questions (the web server passes one; the CLI does not);
    ``on_stage`` is the benchmarks' timing hook.
    """
    embeddings = embeddings if embeddings is not None else load_embeddings()
    return Assistant(settings, embeddings, build_router(embeddings),
                     IndexStore(settings.index_dir, settings.collection, settings.chroma_url),
                     build_answerer(settings, embeddings), limiter=limiter,
                     open_index=open_retriever, composer=compose, on_stage=on_stage)


def build_router(embeddings: Embeddings) -> SafetyRouter:
    """The crisis router every entry point uses: rules plus the shipped classifier."""
    return SafetyRouter(embeddings, load_default_model())


def build_answerer(settings: Settings, embeddings: Embeddings) -> LLMAnswerer | None:
    """The LLM answerer when ``settings.llm`` names one; None keeps the extractive composer."""
    chat_model = build_chat_model(settings)
    if chat_model is None:
        return None
    return LLMAnswerer(chat_model, Verifier(embeddings), settings.llm_timeout_s,
                       settings.practice_name)
