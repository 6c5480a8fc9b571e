"""The chat page: it only draws. Every decision is made by `practice_assistant.service`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st

from practice_assistant import serving
from practice_assistant.answering.disclosure import (
    AUTOMATED_NOTICE,
    REMINDER,
    SAFETY_LINK,
    UNDER_18_NOTICE,
    DisclosureSchedule,
)
from practice_assistant.limits_policy import Visitor
from practice_assistant.live_region import CONVERSATION_KEY, live_region
from practice_assistant.models import Answer
from practice_assistant.privacy import record_feedback
from practice_assistant.service import IndexMissingError
from practice_assistant.ui import (
    STARTERS,
    client_address,
    crisis_line,
    escape_visitor_text,
    link_contacts,
)


@dataclass(frozen=True)
class Turn:
    question: str
    answer: Answer
    reminder: bool = False


services = serving.services()
settings = services.settings
schedule = DisclosureSchedule(settings.disclosure_interval_s)
st.set_page_config(page_title=f"{settings.practice_name} · Assistant", page_icon="💬")
with st.spinner("Loading the practice's articles…"):
    assistant = services.assistant.get()
st.title(f"{settings.practice_name}")
# The conversation (a live region, role="log") opens with the disclosure, so it exists before
# the first reply arrives: screen readers announce additions only to a region they already know.
conversation = st.container(key=CONVERSATION_KEY)
with conversation:
    st.markdown(link_contacts(AUTOMATED_NOTICE))
    st.markdown(f"{link_contacts(UNDER_18_NOTICE)} {SAFETY_LINK}")
try:
    assistant.retriever()
except IndexMissingError as missing:
    st.error(f"The assistant is not ready yet: {missing}")
    st.stop()

state = st.session_state
state.setdefault("turns", [])
state.setdefault("crisis_seen", False)
state.setdefault("visitor_id", secrets.token_hex(16))
state.setdefault("disclosed_at", services.clock())
visitor = Visitor(state.visitor_id, client_address(st.context.headers, st.context.ip_address))


def draw_answer(answer: Answer, index: int) -> None:
    if answer.route == "crisis":
        st.error(link_contacts(answer.answer), icon=":material/emergency:")
    elif answer.route in ("rate_limited", "error"):
        st.warning(link_contacts(answer.answer), icon=":material/hourglass_top:")
    else:
        st.markdown(answer.answer)
    if answer.notice:
        st.info(answer.notice)
    for citation in answer.citations:  # one per article; the sections it used under it
        title = f"[{citation.title}]({citation.url})" if citation.url else citation.title
        st.markdown(f"**[{citation.n}]** {title}")
        for i, part in enumerate(citation.sections):
            where = f" — {part.section}" if part.section else ""
            label = "Quoted passage" if i == 0 else "Also quoted from"
            with st.expander(f"{label} [{citation.n}]{where}"):
                st.markdown(part.quote)  # not a blockquote: its faded grey fails WCAG contrast
    if answer.consultation:
        st.link_button(answer.consultation["text"], answer.consultation["url"], type="primary")
    if state.crisis_seen and answer.route != "crisis":
        st.markdown(link_contacts(crisis_line(settings)))
    if answer.route in ("answer", "practice_info", "no_answer"):
        rating = st.feedback("thumbs", key=f"feedback-{index}")
        if rating is not None and not state.get(f"feedback-saved-{index}"):
            record_feedback(settings.feedback_path, answer, "up" if rating == 1 else "down",
                            settings.feedback_retention_days)
            state[f"feedback-saved-{index}"] = True
            st.toast("Thank you for the feedback.")


with conversation:
    for i, turn in enumerate(state.turns):
        with st.chat_message("user"):
            st.markdown(escape_visitor_text(turn.question))
        with st.chat_message("assistant"):
            if turn.reminder:
                st.info(link_contacts(REMINDER))
            draw_answer(turn.answer, i)

pending = st.chat_input("Ask about relationships, therapy or the practice")
if not state.turns and not pending:
    with st.container(key="starters"):
        st.markdown("**Try asking:**")
        for column, starter in zip(st.columns(len(STARTERS)), STARTERS, strict=True):
            if column.button(starter, width="stretch"):
                pending = starter
if pending:
    now = services.clock()
    reminder = schedule.reminder_due(state.disclosed_at, now)
    if reminder:
        state.disclosed_at = now
    with conversation:
        with st.chat_message("user"):
            st.markdown(escape_visitor_text(pending))
        with st.chat_message("assistant"):
            if reminder:
                st.info(link_contacts(REMINDER))
            # Model text streams into the slot; the verified answer then replaces it.
            reply = assistant.ask_stream(pending, [t.question for t in state.turns], visitor)
            slot = st.empty()
            with slot.container():
                st.write_stream(reply)
            answer = reply.result()
            state.crisis_seen = state.crisis_seen or answer.route == "crisis"
            with slot.container():
                draw_answer(answer, len(state.turns))
    state.turns.append(Turn(pending, answer, reminder))
live_region(len(state.turns), settings.embed_origins)
