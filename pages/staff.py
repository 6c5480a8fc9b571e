"""Staff page at /staff: sign in, see the index, add posts, preview, re-ingest, edit the
practice's facts. It only draws.

Every decision lives in `practice_assistant.staff`; sign-in attempts are counted per client
address by the process's `limits_policy.SignInGuard` (so a new tab gives no fresh tries).
"""

from __future__ import annotations

import streamlit as st

from practice_assistant import serving, staff
from practice_assistant.practice.facts import TOPICS, FactsError
from practice_assistant.store import IngestLockedError
from practice_assistant.ui import client_address

services = serving.services()
settings = services.settings
st.set_page_config(page_title=f"{settings.practice_name} · Staff", page_icon="🔒")
st.title("Staff")
password = staff.configured_password(settings, st.secrets)
if password is None:
    st.info(staff.ENABLE_HINT)
    st.stop()

state = st.session_state
if not state.get("staff_signed_in"):
    with st.form("sign-in"):
        given = st.text_input("Staff password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        address = client_address(st.context.headers, st.context.ip_address)
        result = services.sign_in.attempt(address, given, password)
        if result.ok:
            state.staff_signed_in = True
            st.rerun()
        st.error(result.message)
    st.stop()

st.subheader("Index")
status = staff.index_status(settings)
if status is None:
    st.warning("Nothing has been ingested yet. Add posts below and press Re-ingest.")
else:
    columns = st.columns(4)
    columns[0].metric("Articles", status.articles)
    columns[1].metric("Chunks", status.chunks)
    columns[2].metric("Last ingest (UTC)", status.created[:16].replace("T", " "))
    columns[3].metric("Model", status.model)
st.caption(f"{len(staff.corpus_files(settings))} source files in `{settings.corpus_dir}`")

st.subheader("Add or replace posts")
uploads = st.file_uploader("Markdown, HTML or text files", accept_multiple_files=True,
                           type=[s.lstrip(".") for s in staff.UPLOAD_SUFFIXES])
for upload in uploads or []:
    try:
        path = staff.save_upload(settings.corpus_dir, upload.name, upload.getvalue())
    except staff.UploadError as error:
        st.error(str(error))
        continue
    preview = staff.preview_file(path)
    if preview.error:
        st.error(f"Saved `{path.name}`, but it will be skipped: {preview.error}")
        continue
    for article, chunks in zip(preview.articles, preview.chunks, strict=True):
        st.success(f"Saved `{path.name}`: “{article.title}” ({article.slug}), "
                   f"{len(chunks)} chunks")
        with st.expander(f"Preview: {article.title}"):
            st.caption(f"URL: {article.url or '—'} · author: {article.author or '—'} · "
                       f"date: {article.date or '—'}")
            for chunk in chunks:
                st.markdown(f"**Chunk {chunk.position + 1}** — {chunk.section or 'introduction'}"
                            f" ({len(chunk.text.split())} words)")
                st.text(chunk.text)

st.subheader("Re-ingest")
if st.button("Re-ingest the corpus", type="primary"):
    bar = st.progress(0.0, text="Checking what changed…")
    try:
        report = staff.reingest(settings, progress=lambda done, total: bar.progress(
            done / total, text=f"Embedding {done} of {total} chunks"))
    except IngestLockedError as error:
        st.warning(str(error))
    else:
        bar.progress(1.0, text="Done")
        st.success(report.summary())
        for path, reason in report.failed:
            st.error(f"Skipped {path}: {reason}")
st.subheader("Practice facts")
st.caption("The assistant quotes these word for word when a visitor asks something practical "
           "(fees, insurance, hours…). Leave a field empty and it says the practice can tell "
           "them in a free consultation. Saving writes `practice.yaml` and re-ingests.")
try:
    facts = staff.read_facts_file(settings)
except FactsError as error:
    st.error(f"`{staff.facts_path(settings).name}` cannot be read, so the form is hidden "
             f"rather than overwrite it: {error}. Fix the file by hand and reload.")
else:
    with st.form("practice-facts"):
        values: dict[str, tuple[str, str]] = {}
        for topic in TOPICS:
            fact = facts.get(topic.key)
            answer = st.text_area(topic.label, value=fact.answer, help=topic.comment,
                                  key=f"fact-{topic.key}")
            url = st.text_input(f"{topic.label}: page URL (optional)", value=fact.url or "",
                                key=f"fact-url-{topic.key}")
            values[topic.key] = (answer, url)
        rows = st.data_editor([{"question": e.question, "answer": e.answer, "url": e.url or ""}
                               for e in facts.extra] or [{"question": "", "answer": "",
                                                          "url": ""}],
                              num_rows="dynamic", key="fact-extra", width="stretch")
        saved = st.form_submit_button("Save facts and re-ingest")
    if saved:
        extra = [(str(r.get("question") or ""), str(r.get("answer") or ""),
                  str(r.get("url") or "")) for r in rows]
        bar = st.progress(0.0, text="Saving the facts…")
        try:
            result = staff.save_facts(settings, values, extra, progress=lambda done, total:
                                      bar.progress(done / total,
                                                   text=f"Embedding {done} of {total} chunks"))
        except FactsError as error:
            st.error(f"Not saved: {error}")
        except IngestLockedError as error:
            st.warning(f"Saved `{staff.facts_path(settings).name}`, but not re-ingested: {error}")
        else:
            bar.progress(1.0, text="Done")
            st.success(f"Saved `{result.path.name}`. {result.report.summary()}")

if st.button("Sign out"):
    state.staff_signed_in = False
    st.rerun()
