/*! Practice Assistant launcher.
 * One line on any page of the practice's site:
 *   <script src="https://ASSISTANT-HOST/embed.js" defer></script>
 * Optional attributes on that tag:
 *   data-label="Questions? Chat with us"   the button's text
 *   data-title="Chat with our assistant"   the panel's heading and the frame's title
 *   data-color="#2f5646"                   the button's colour (hex); its text colour follows
 *   data-position="right" | "left"         which bottom corner
 * It sets no cookies, loads nothing but the chat page from the assistant's own origin, and adds
 * one global: window.PracticeAssistant = { open, close, toggle }.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.PracticeAssistant) {
    return;
  }
  var origin = new URL(script.src, document.baseURI).origin;
  var data = script.dataset;
  var label = (data.label || "Chat with our assistant").trim();
  var title = (data.title || "Chat with our assistant").trim();
  var color = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(data.color || "") ? data.color : "#4f7363";
  var side = data.position === "left" ? "left" : "right";

  function luminance(hex) {
    var h = hex.length === 4 ? hex.replace(/([0-9a-f])/gi, "$1$1") : hex;
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
  // White or near-black text, whichever contrasts more with the chosen colour (WCAG 1.4.3).
  var ink = (1.05 / (luminance(color) + 0.05)) >= ((luminance(color) + 0.05) / 0.0556)
    ? "#ffffff" : "#111111";
  var named = /chat|assistant/i.test(label);

  var host = document.createElement("div");
  host.setAttribute("data-practice-assistant", "");
  var root = host.attachShadow({ mode: "open" });
  var css = [
    ":host { all: initial; }",
    ".launcher { position: fixed; bottom: 20px; " + side + ": 20px; z-index: 2147483000;",
    "  display: inline-flex; align-items: center; gap: 8px; min-height: 48px;",
    "  padding: 12px 18px; border: 0; border-radius: 999px; cursor: pointer;",
    "  font: 600 16px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;",
    "  background: " + color + "; color: " + ink + "; box-shadow: 0 4px 14px rgba(0,0,0,.25); }",
    ".launcher:focus-visible, .close:focus-visible { outline: 3px solid #1a1a1a;",
    "  outline-offset: 3px; box-shadow: 0 0 0 6px #ffffff; }",
    ".launcher svg { width: 22px; height: 22px; fill: currentColor; flex: none; }",
    ".sr { position: absolute; width: 1px; height: 1px; overflow: hidden;",
    "  clip: rect(0 0 0 0); white-space: nowrap; }",
    ".panel { position: fixed; bottom: 88px; " + side + ": 20px; z-index: 2147483001;",
    "  width: min(400px, calc(100vw - 40px)); height: min(640px, calc(100vh - 108px));",
    "  display: flex; flex-direction: column; background: #ffffff; color: #1f2a26;",
    "  border-radius: 14px; overflow: hidden; box-shadow: 0 10px 40px rgba(0,0,0,.3); }",
    ".panel[hidden] { display: none; }",
    ".bar { display: flex; align-items: center; justify-content: space-between; gap: 8px;",
    "  padding: 6px 6px 6px 16px; background: " + color + "; color: " + ink + "; }",
    ".bar h2 { margin: 0; font: 600 16px/1.3 system-ui, -apple-system, 'Segoe UI', sans-serif; }",
    ".close { min-width: 44px; min-height: 44px; border: 0; border-radius: 8px; cursor: pointer;",
    "  background: transparent; color: inherit; font: 400 28px/1 system-ui, sans-serif; }",
    "iframe { flex: 1; width: 100%; border: 0; background: #fbfaf7; }",
    "@media (max-width: 480px) {",
    "  .panel { top: var(--pa-top, 0px); left: 0; right: 0; bottom: auto; width: 100%;",
    "    height: var(--pa-height, 100dvh); border-radius: 0; }",
    "}",
  ].join("\n");
  root.innerHTML =
    "<style>" + css + "</style>" +
    '<button class="launcher" type="button" aria-expanded="false" aria-controls="pa-panel">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 ' +
    "2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z\"/></svg>" +
    '<span class="label"></span><span class="sr"></span></button>' +
    '<div class="panel" id="pa-panel" role="dialog" aria-modal="false" ' +
    'aria-labelledby="pa-title" hidden><div class="bar"><h2 id="pa-title"></h2>' +
    '<button class="close" type="button" aria-label="Close chat">\u00d7</button></div></div>';
  var launcher = root.querySelector(".launcher");
  var panel = root.querySelector(".panel");
  root.querySelector(".label").textContent = label;
  root.querySelector(".sr").textContent = named ? "" : " (chat assistant)";
  root.querySelector("h2").textContent = title;
  var frame = null;

  function fitToVisibleViewport() {
    // On a phone the on-screen keyboard shrinks the visual viewport: keep the panel (and so
    // the chat box at its bottom) inside what is still visible.
    var viewport = window.visualViewport;
    if (!viewport) {
      return;
    }
    panel.style.setProperty("--pa-height", viewport.height + "px");
    panel.style.setProperty("--pa-top", viewport.offsetTop + "px");
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = title;
      frame.src = origin + "/?embed=true";
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms " +
        "allow-popups allow-popups-to-escape-sandbox");
      panel.appendChild(frame);
    }
    fitToVisibleViewport();
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  function close() {
    if (panel.hidden) {
      return;
    }
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function toggle() {
    if (panel.hidden) {
      open();
    } else {
      close();
    }
  }

  launcher.addEventListener("click", toggle);
  root.querySelector(".close").addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close();
    }
  });
  // Esc pressed inside the chat frame arrives as a message from the assistant's origin.
  window.addEventListener("message", function (event) {
    var message = event.data;
    if (event.origin === origin && frame && event.source === frame.contentWindow &&
        message && message.source === "practice-assistant" && message.type === "close") {
      close();
    }
  });
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitToVisibleViewport);
    window.visualViewport.addEventListener("scroll", fitToVisibleViewport);
  }
  if (document.body) {
    document.body.appendChild(host);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      document.body.appendChild(host);
    });
  }
  window.PracticeAssistant = Object.freeze({ open: open, close: close, toggle: toggle });
})();
