// The scenario editor: a copy of the text in this browser until the server has saved it (a network cut or an
// expired session loses nothing), and the problems' line numbers take the caret to their line.
(function () {
  "use strict";
  var area = document.getElementById("draft-text");
  if (!area) { return; }
  var key = area.getAttribute("data-draft-key");
  var box = document.getElementById("draft-editor").dataset;
  var status = document.getElementById("draft-status");

  function load() { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } }
  function store(synced) {
    try { localStorage.setItem(key, JSON.stringify({ text: area.value, synced: synced })); } catch (e) { /* full */ }
  }
  function say(text, kind) { status.textContent = text || ""; status.className = "save-status " + (kind || ""); }

  var local = load();
  if (local && !local.synced && local.text !== area.value) {
    area.value = local.text;
    say(box.msgRestored, "pending");
    setTimeout(function () { htmx.trigger(area, "retry"); }, 300);
  } else {
    store(true);
  }
  area.addEventListener("input", function () { store(false); say(box.msgPending, "pending"); });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== area) { return; }
    var xhr = event.detail.xhr;
    // Saved only if the answer is the check fragment (an expired session answers with the sign-in page).
    if (xhr && xhr.status === 200 && xhr.responseText.indexOf("data-draft-saved") !== -1) {
      var sent = event.detail.requestConfig.parameters.get ? event.detail.requestConfig.parameters.get("text") : null;
      store(sent === area.value);
      say("");
    } else if (xhr && xhr.status === 422) {
      say("");  // refused for a reason the check now shows (too large): sending it again would not help
    } else {
      say(box.msgOffline, "error");
      if (!area.retryTimer) {
        area.retryTimer = setTimeout(function () { area.retryTimer = null; htmx.trigger(area, "retry"); }, 5000);
      }
    }
  });
  // An expired session must not replace the check with the sign-in page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.elt === area && event.detail.xhr.responseText.indexOf("data-draft-check") === -1) {
      event.detail.shouldSwap = false;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-line]") : null;
    if (!button) { return; }
    var line = Number(button.getAttribute("data-line"));
    var lines = area.value.split("\n");
    var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    area.scrollTop = Math.max(0, (line - 5) * parseFloat(getComputedStyle(area).lineHeight || "18"));
  });
})();
