// Recording a pitch in the browser: the recording goes to the server in pieces of two seconds while it
// runs (a crash loses at most the piece in flight), stops by itself at the limit the server gave, and a
// refusal or a missing microphone is reported so that the jury knows. No inline script: CSP holds.
(function () {
  "use strict";
  var PIECE_MS = 2000;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, body, contentType) {
    var headers = { "X-CSRFToken": csrfToken() };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
  }

  function form(fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (key) { data.append(key, fields[key]); });
    return data;
  }

  function replaceSlot(slot, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    slot.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  function refresh(slot) {
    return fetch(slot.dataset.slotUrl, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { replaceSlot(slot, html); });
  }

  function problemOf(error) {
    if (!error) return "other";
    if (error.name === "NotAllowedError" || error.name === "SecurityError") return "denied";
    if (error.name === "NotFoundError" || error.name === "OverconstrainedError") return "no_device";
    return "other";
  }

  function unavailable(slot, problem) {
    return post(slot.dataset.unavailableUrl, form({ problem: problem }))
      .then(function (r) { return r.text(); })
      .then(function (html) {
        replaceSlot(slot, html);
        if (problem === "denied") {
          var fresh = document.getElementById(slot.id);
          var status = fresh && fresh.querySelector("[data-record-status]");
          if (status) status.textContent = fresh.dataset.msgDenied;
        }
      });
  }

  function sendPiece(url, blob, type, attempt, slot) {
    return post(url, blob, type).then(function (response) {
      if (response.ok || response.status === 409) return response;
      throw new Error("status " + response.status);
    }).catch(function () {
      if (attempt >= 8) return null;
      slot.querySelector("[data-record-status]").textContent = slot.dataset.msgRetry;
      return new Promise(function (resolve) { setTimeout(resolve, 500 * Math.pow(2, attempt)); })
        .then(function () { return sendPiece(url, blob, type, attempt + 1, slot); });
    });
  }

  function clockText(seconds, limit) {
    function mmss(s) { s = Math.max(0, Math.floor(s)); return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2); }
    return mmss(seconds) + " / " + mmss(limit);
  }

  function chooseType(video) {
    var types = video ? ["video/webm;codecs=vp8,opus", "video/webm"] : ["audio/webm;codecs=opus", "audio/webm", "audio/ogg"];
    for (var i = 0; i < types.length; i += 1) {
      if (window.MediaRecorder.isTypeSupported(types[i])) return types[i];
    }
    return "";
  }

  function record(slot) {
    var startButton = slot.querySelector("[data-record-start]");
    var stopButton = slot.querySelector("[data-record-stop]");
    var status = slot.querySelector("[data-record-status]");
    var video = slot.dataset.video === "1";
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      unavailable(slot, "unsupported");
      return;
    }
    startButton.disabled = true;
    navigator.mediaDevices.getUserMedia({ audio: true, video: video }).then(function (stream) {
      var type = chooseType(video);
      return post(slot.dataset.startUrl, form({ media_type: type })).then(function (response) {
        return response.json().then(function (info) {
          if (!response.ok) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            status.textContent = info.error;
            startButton.disabled = false;
            return;
          }
          var recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
          var sequence = 0;
          var queue = Promise.resolve();
          var started = Date.now();
          var clock = slot.querySelector("[data-record-clock]");
          var ticking = setInterval(function () {
            clock.textContent = clockText((Date.now() - started) / 1000, info.limit_seconds);
          }, 250);
          var limitTimer = setTimeout(function () { if (recorder.state !== "inactive") recorder.stop(); },
                                      info.limit_seconds * 1000);
          recorder.ondataavailable = function (event) {
            if (!event.data || !event.data.size) return;
            var number = sequence;
            sequence += 1;
            queue = queue.then(function () {
              return sendPiece(info.pieces_url + number, event.data, type || "application/octet-stream", 0, slot);
            });
          };
          recorder.onstop = function () {
            clearInterval(ticking);
            clearTimeout(limitTimer);
            stream.getTracks().forEach(function (t) { t.stop(); });
            stopButton.disabled = true;
            status.textContent = slot.dataset.msgSending;
            var seconds = Math.min((Date.now() - started) / 1000, info.limit_seconds);
            queue.then(function () { return post(info.end_url, form({ seconds: seconds.toFixed(1) })); })
              .then(function (r) { return r.text(); })
              .then(function (html) { replaceSlot(slot, html); });
          };
          stopButton.disabled = false;
          stopButton.onclick = function () { if (recorder.state !== "inactive") recorder.stop(); };
          status.textContent = slot.dataset.msgRecording;
          recorder.start(PIECE_MS);
        });
      });
    }).catch(function (error) {
      unavailable(slot, problemOf(error));
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-record-start]");
    if (!button) return;
    var slot = button.closest("[data-recorder]");
    if (slot) record(slot);
  });
  window.simulatorRecorder = { refresh: refresh };
})();
