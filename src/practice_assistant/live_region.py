"""The conversation as a live region, for the chat page (UI layer: this module imports Streamlit).

Streamlit has no way to give a container an ARIA role, so a tiny v2 component with our own
script (`static/live_region.js`) marks the ``conversation`` container ``role="log"``, sets
``aria-busy`` from the moment a question is sent until the run that drew the reply has finished,
and forwards Esc to the launcher's host page so the panel can close from inside the frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

CONVERSATION_KEY = "conversation"
_JS = (Path(__file__).parent / "static" / "live_region.js").read_text(encoding="utf-8")
_mount = st.components.v2.component("pa_live_region", js=_JS)


def live_region(turns: int, parent_origins: Sequence[str]) -> None:
    """Mount once per run, last on the page, so it runs after the reply has been drawn."""
    _mount(key="live-region", data={"turns": turns, "parents": list(parent_origins)})
