"""Text the chat page shows; kept out of app.py so the page only draws."""

from __future__ import annotations

import re

from practice_assistant.settings import Settings

STARTERS = (
    "Why won't my partner go to couples therapy?",
    "What is EMDR?",
    "What happens in a free consultation?",
    "How do I set boundaries?",
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&])")


def escape_visitor_text(text: str) -> str:
    """Show a visitor's message exactly as typed: no Markdown, links or HTML take effect."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def crisis_line(settings: Settings) -> str:
    """The one-line reminder every later message carries once a crisis was raised."""
    return " · ".join(f"{r.name}: {r.contact}" for r in settings.crisis_resources)
