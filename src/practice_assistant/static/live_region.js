// The chat page's live region and Esc-to-close, as a Streamlit v2 component (our own, trusted code).
// It only sets ARIA attributes on the conversation container and tells the launcher's host page
// that Esc was pressed; it never reads, copies or sends a visitor's or an article's text.
const CONVERSATION = ".st-key-conversation";
const CHAT_BOX = '[data-testid="stChatInputTextArea"]';
const ASK_BUTTONS = '[data-testid="stChatInputSubmitButton"], .st-key-starters button';

function region() {
  return document.querySelector(CONVERSATION);
}

function markBusy() {
  region()?.setAttribute("aria-busy", "true");
}

export default function ({ data }) {
  const log = region();
  if (log) {
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation");
    log.setAttribute("aria-busy", "false"); // this run drew the whole reply: announce it now
  }
  const root = document.documentElement;
  if (root.dataset.paLiveRegion) {
    return;
  }
  root.dataset.paLiveRegion = "on";
  const parents = [...new Set([window.location.origin, ...(data?.parents ?? [])])];
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Enter" && !event.shiftKey && target?.matches?.(CHAT_BOX)
        && target.value.trim()) {
      markBusy(); // the reply is on its way: hold announcements until it is complete
    }
    if (event.key === "Escape" && window.parent !== window) {
      for (const origin of parents) {
        window.parent.postMessage({ source: "practice-assistant", type: "close" }, origin);
      }
    }
  }, true);
  document.addEventListener("click", (event) => {
    if (event.target?.closest?.(ASK_BUTTONS)) {
      markBusy();
    }
  }, true);
}
