// The exam workspace: a local copy of every answer until the server acknowledges it,
// resent after a network cut; and a small Markdown toolbar. No inline script (CSP).
(function () {
  "use strict";
  var RETRY_MS = 5000;
  var areas = document.querySelectorAll("textarea[data-autosave]");
  var box = document.getElementById("workspace");
  var MSG = box ? box.dataset : {};

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  // The copy keeps the revision its text was typed on: sent again after a reload, a text typed on an older
  // revision than the server's meets the newer one as a conflict instead of replacing it.
  function store(key, text, synced) {
    var part = document.querySelector('textarea[data-key="' + key + '"]');
    var base = part && document.getElementById("base-" + part.getAttribute("data-part"));
    try {
      localStorage.setItem(key, JSON.stringify({ text: text, synced: synced, at: Date.now(),
                                                 base: base ? base.value : null }));
    } catch (e) { /* full or private mode */ }
  }
  function status(area, text, kind) {
    var el = document.getElementById("status-" + area.id.replace(/^content-/, ""));
    if (el) { el.textContent = text; el.className = "save-status " + (kind || ""); }
  }

  areas.forEach(function (area) {
    var key = area.getAttribute("data-key");
    var local = load(key);
    // A copy the server never acknowledged (network cut, closed tab): restore it and send it again.
    if (local && !local.synced && local.text !== area.value) {
      area.value = local.text;
      var base = document.getElementById("base-" + area.getAttribute("data-part"));
      if (base && local.base !== null && local.base !== undefined) { base.value = local.base; }
      status(area, MSG.msgRestored, "pending");
      setTimeout(function () { htmx.trigger(area, "retry"); }, 300);
    } else {
      store(key, area.value, true);
    }
    area.addEventListener("input", function () {
      store(key, area.value, false);
      status(area, MSG.msgPending, "pending");
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var area = event.detail.elt;
    if (!area.matches || !area.matches("textarea[data-autosave]")) { return; }
    var key = area.getAttribute("data-key");
    var xhr = event.detail.xhr;
    // (app.js lets 409 be swapped, which htmx then counts as successful: look at the status first.)
    if (xhr && xhr.status === 409) {
      // Refused for good (time over): the server kept it as evidence. In conflict with a newer text: kept
      // too, but the member has not chosen yet, so the box stays theirs (and is restored after a reload).
      store(key, area.value, xhr.responseText.indexOf("data-conflict") === -1);
    } else if (event.detail.successful) {
      // Acknowledged: the server committed what was sent. Newer typing stays pending.
      var sent = event.detail.requestConfig && event.detail.requestConfig.parameters &&
        event.detail.requestConfig.parameters.get ? event.detail.requestConfig.parameters.get("content") : null;
      var local = load(key);
      store(key, area.value, sent === null ? true : (local ? local.text === sent : true) && area.value === sent);
    } else {
      status(area, MSG.msgOffline, "error");
      if (!area.retryTimer) { // one retry loop per answer, however many saves failed
        area.retryTimer = setTimeout(function () { area.retryTimer = null; htmx.trigger(area, "retry"); }, RETRY_MS);
      }
    }
  });

  // Group work: which part this member has in hand, for the others' panel.
  var workingOn = document.getElementById("working-on");
  document.addEventListener("focusin", function (event) {
    var part = event.target.closest ? event.target.closest("[data-part]") : null;
    if (!workingOn || !part || workingOn.value === part.getAttribute("data-part")) { return; }
    workingOn.value = part.getAttribute("data-part");
    htmx.trigger(document.body, "part-changed");
  });

  function baseInput(area) { return document.getElementById("base-" + area.getAttribute("data-part")); }

  // Another member saved a part this browser shows unchanged: load their text, so that the next save starts
  // from it. A part with typing not yet saved is left alone; its next save shows both texts.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "group-members") { return; }
    event.detail.target.querySelectorAll("[data-head]").forEach(function (head) {
      var area = document.getElementById("content-" + head.getAttribute("data-deliverable"));
      var base = area && baseInput(area);
      if (!base || Number(head.getAttribute("data-revision")) <= Number(base.value)) { return; }
      var local = load(area.getAttribute("data-key"));
      var undecided = document.querySelector("#status-" + area.getAttribute("data-part") + " [data-conflict]");
      if ((local && !local.synced) || undecided || document.activeElement === area) { return; }
      fetch(area.getAttribute("data-answer-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          var now = load(area.getAttribute("data-key"));
          if (!answer || (now && !now.synced) || document.activeElement === area) { return; }
          area.value = answer.content;
          base.value = answer.revision;
          store(area.getAttribute("data-key"), area.value, true);
        });
    });
  });

  // A conflict: the member continues from the other text, or from theirs (which the next save sends).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-take-theirs], [data-keep-mine]") : null;
    if (!button) { return; }
    var box = button.closest("[data-conflict]");
    var form = button.closest("form");
    var area = form.querySelector("textarea[data-autosave]");
    baseInput(area).value = box.getAttribute("data-revision");
    if (button.hasAttribute("data-take-theirs")) {
      var theirs = box.querySelector(".theirs");
      area.value = theirs ? theirs.textContent : "";
      store(area.getAttribute("data-key"), area.value, true);
      box.parentElement.textContent = "";
    } else {
      htmx.trigger(area, "retry");
    }
    area.focus();
  });

  // What was typed in the two seconds before the candidate leaves the page, or hands in, is not lost waiting for
  // the next autosave. sendNow posts the answer as htmx does (JSON, the form's CSRF token); the server acknowledges
  // the same text twice without storing it twice.
  function unsynced() {
    return Array.prototype.filter.call(areas, function (area) {
      var local = load(area.getAttribute("data-key"));
      return local && !local.synced;
    });
  }
  function sendNow(area, keepalive) {
    var form = area.closest("form");
    var base = baseInput(area);
    return fetch(area.getAttribute("hx-post"), {
      method: "POST", credentials: "same-origin", keepalive: keepalive,
      headers: { "Content-Type": "application/json", "HX-Request": "true",
                 "X-CSRFToken": form.querySelector('input[name="csrf_token"]').value },
      body: JSON.stringify({ content: area.value, base: base ? base.value : null })
    }).then(function (response) {
      if (response.ok) { store(area.getAttribute("data-key"), area.value, true); }
      return response;
    });
  }
  // Leaving (a link, the tab closed): the request outlives the page (keepalive; a browser sends up to 64 KB so).
  // An answer it could not send stays in this browser's copy, sent again when the workspace is next opened.
  window.addEventListener("pagehide", function () {
    unsynced().forEach(function (area) { sendNow(area, true).catch(function () {}); });
  });
  // Back from the browser's page cache after that: the server's revision has moved on, this page has not.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { location.reload(); } });
  // Handing in: the answers go first, then the hand-in, so that its snapshot holds the last words typed.
  var handIn = document.getElementById("hand-in-form");
  if (handIn) {
    handIn.addEventListener("submit", function (event) {
      var pending = unsynced();
      if (!pending.length || handIn.dataset.flushed) { return; }
      event.preventDefault();
      handIn.dataset.flushed = "1";
      Promise.all(pending.map(function (area) { return sendNow(area, false).catch(function () {}); }))
        .then(function () { handIn.requestSubmit(); });
    });
  }

  var SNIPPETS = {
    heading: "\n## Titre\n",
    bold: "**texte important**",
    list: "\n- premier point\n- deuxième point\n",
    table: "\n| Colonne 1 | Colonne 2 |\n|---|---|\n|  |  |\n",
    swot: "\n| Forces | Faiblesses |\n|---|---|\n|  |  |\n\n| Opportunités | Menaces |\n|---|---|\n|  |  |\n"
  };
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".toolbar button[data-md]") : null;
    if (!button) { return; }
    var area = document.getElementById(button.parentElement.getAttribute("data-for"));
    var snippet = SNIPPETS[button.getAttribute("data-md")];
    var start = area.selectionStart, end = area.selectionEnd;
    area.value = area.value.slice(0, start) + snippet + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + snippet.length;
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
