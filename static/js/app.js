// Glue for htmx and small behaviours; no inline script, so a strict CSP holds.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // Every htmx request carries the CSRF token, like every form does.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  // htmx does not swap error responses by default: show the refusal text the server sent
  // (409: stale or late save, 422: a value the server refused, with the reason).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409 || event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // A form whose request never reached the server (network cut) says so; what was typed stays in place.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt.closest("form");
    var message = form && form.querySelector("[data-send-failed]");
    if (message) message.hidden = false;
  });
  // Refused by the server (database down, disk full, a file cut in the middle): the server's own sentence,
  // read as text from its error page, in place of the network message.
  document.addEventListener("htmx:responseError", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    var message = form && form.querySelector("[data-send-failed]");
    if (!message) { return; }
    var page = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    var said = page.getElementById("error-message");
    if (said) {
      if (!message.hasAttribute("data-network")) { message.setAttribute("data-network", message.textContent); }
      message.textContent = said.textContent.replace(/\s+/g, " ").trim();
    }
    message.hidden = false;
  });
  // A session that ended answers with the sign-in page (a redirect the browser follows): not saved, and said.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.responseURL || new URL(xhr.responseURL).pathname !== "/login") { return; }
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    var message = form && form.querySelector("[data-send-failed][data-msg-signed-out]");
    if (!message) { return; }
    if (!message.hasAttribute("data-network")) { message.setAttribute("data-network", message.textContent); }
    message.textContent = message.getAttribute("data-msg-signed-out");
    message.hidden = false;
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    var message = form && form.querySelector("[data-send-failed]");
    if (!message) { return; }
    message.hidden = true;
    if (message.hasAttribute("data-network")) { message.textContent = message.getAttribute("data-network"); }
  });
  // A refreshing panel (the trainer's live view) waits while someone is filling one of its forms.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var panel = event.detail.elt;
    if (!panel.matches || !panel.matches("[hx-trigger^='every']")) { return; }
    var typing = Array.prototype.some.call(panel.querySelectorAll("form input:not([type=hidden])"), function (input) {
      return input === document.activeElement || (input.value && input.type !== "submit");
    });
    if (typing) { event.preventDefault(); }
  });
  // The language selector submits itself when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches("[data-autosubmit]")) {
      target.form.requestSubmit();
    }
  });
})();
