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
  // The language selector submits itself when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches("[data-autosubmit]")) {
      target.form.requestSubmit();
    }
  });
})();
