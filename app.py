"""The Streamlit entry: visitors get the chat page; staff open /staff, which no page links.

The navigation menu is hidden, so a visitor sees no page list. Serve it with `make run`
(`practice_assistant.web`, the way production does); `streamlit run app.py` also works.
"""

from __future__ import annotations

import streamlit as st

pages = [st.Page("pages/chat.py", title="Assistant", icon="💬", default=True),
         st.Page("pages/staff.py", title="Staff", icon="🔒", url_path="staff")]
st.navigation(pages, position="hidden").run()
