"""The chat page: it only draws. Every decision is made by `practice_assistant.service`."""

from __future__ import annotations

import contextlib

import streamlit as st

from practice_assistant.app_service import build_assistant
from practice_assistant.models import Answer
from practice_assistant.privacy import configure_logging, record_feedback
from practice_assistant.service import IndexMissingError
from practice_assistant.settings import Settings
from practice_assistant.ui import STARTERS, crisis_line, escape_visitor_text


@st.cache_resource(show_spinner="Loading the practice's articles…")
def assistant_for_process():
    """Model and index load once per process, shared by every visitor session."""
    configure_logging()
    assistant = build_assistant(Settings())
    with contextlib.suppress(IndexMissingError):  # then the page says how to ingest
        assistant.retriever()  # load the index now, not on the first visitor's question
    return assistant


assistant = assistant_for_process()
settings = assistant.settings
st.set_page_config(page_title=f"{settings.practice_name} · Assistant", page_icon="💬")
st.title(f"{settings.practice_name}")
st.caption("I'm an automated assistant, not a therapist. I share the practice's articles and "
           "can help you book a consultation. In a crisis, call or text 988, or call 911.")
try:
    assistant.retriever()
except IndexMissingError as missing:
    st.error(f"The assistant is not ready yet: {missing}")
    st.stop()

state = st.session_state
state.setdefault("turns", [])
state.setdefault("crisis_seen", False)


def draw_answer(answer: Answer, index: int) -> None:
    if answer.route == "crisis":
        st.error(answer.answer, icon=":material/emergency:")
    else:
        st.markdown(answer.answer)
    if answer.notice:
        st.info(answer.notice)
    for citation in answer.citations:
        title = f"[{citation.title}]({citation.url})" if citation.url else citation.title
        section = f" — {citation.section}" if citation.section else ""
        st.markdown(f"**[{citation.n}]** {title}{section}")
        with st.expander(f"Quoted passage [{citation.n}]"):
            st.markdown(f"> {citation.quote}".replace("\n", "\n> "))
    if answer.consultation:
        st.link_button(answer.consultation["text"], answer.consultation["url"], type="primary")
    if state.crisis_seen and answer.route != "crisis":
        st.caption(crisis_line(settings))
    if answer.route in ("answer", "no_answer"):
        rating = st.feedback("thumbs", key=f"feedback-{index}")
        if rating is not None and not state.get(f"feedback-saved-{index}"):
            record_feedback(settings.feedback_path, answer, "up" if rating == 1 else "down",
                            settings.feedback_retention_days)
            state[f"feedback-saved-{index}"] = True
            st.toast("Thank you for the feedback.")


for i, (question, answer) in enumerate(state.turns):
    with st.chat_message("user"):
        st.markdown(escape_visitor_text(question))
    with st.chat_message("assistant"):
        draw_answer(answer, i)

pending = st.chat_input("Ask about relationships, therapy or the practice")
if not state.turns and not pending:
    st.markdown("**Try asking:**")
    for column, starter in zip(st.columns(len(STARTERS)), STARTERS, strict=True):
        if column.button(starter, width="stretch"):
            pending = starter
if pending:
    with st.chat_message("user"):
        st.markdown(escape_visitor_text(pending))
    with st.chat_message("assistant"):
        # Model text streams into the slot; the verified answer then replaces it.
        reply = assistant.ask_stream(pending, [q for q, _ in state.turns])
        slot = st.empty()
        with slot.container():
            st.write_stream(reply)
        answer = reply.result()
        state.crisis_seen = state.crisis_seen or answer.route == "crisis"
        with slot.container():
            draw_answer(answer, len(state.turns))
    state.turns.append((pending, answer))
