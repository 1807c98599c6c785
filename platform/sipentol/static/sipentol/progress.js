/* A progress bar that follows a JSON status endpoint (no CDN, no framework).
   Markup: an element with data-status-url holding a <progress> and <li data-step> items; the
   endpoint answers {percent, status_label, finished, steps: [{name, state}]}. When the work ends
   the page reloads to show its outcome and buttons. Without JavaScript a <noscript> meta refresh
   reloads the page instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || box.getAttribute("data-finished") === "1") return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var label = document.getElementById("run-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
        if (label) { label.textContent = data.status_label; }
        (data.steps || []).forEach(function (step) {
          var item = box.querySelector('[data-step="' + step.name + '"]');
          if (item) { item.setAttribute("data-state", step.state); }
        });
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
