// The certificate export page: asks the server for the export's state every second and updates the
// progress bar, the status line (read out by screen readers) and, when finished, the download
// link or the error. Without JavaScript the page refreshes itself instead (see the <noscript>).
(function () {
  "use strict";

  var POLL_MS = 1000;
  var MAX_FAILURES = 5; // in a row, before giving up

  function bind(root) {
    var url = root.getAttribute("data-status-url");
    var bar = root.querySelector("progress");
    var message = root.querySelector("[data-export-message]");
    var error = root.querySelector("[data-export-error]");
    var download = root.querySelector("[data-export-download]");
    var failures = 0;

    function show(data) {
      root.setAttribute("data-state", data.state);
      if (data.state !== "queued") {
        bar.max = Math.max(data.total, 1);
        bar.value = data.total ? data.done : 1;
      }
      bar.setAttribute("aria-valuemax", data.total);
      bar.setAttribute("aria-valuenow", data.done);
      bar.setAttribute("aria-valuetext", data.message);
      if (message.textContent !== data.message) message.textContent = data.message;
      if (data.state === "failed") {
        error.textContent = data.error;
        error.hidden = false;
      }
      if (data.download_url) {
        download.querySelector("a").href = data.download_url;
        download.hidden = false;
      }
      return data.state === "done" || data.state === "failed";
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          if (!show(data)) window.setTimeout(poll, POLL_MS);
        })
        .catch(function () {
          failures += 1;
          if (failures < MAX_FAILURES) {
            window.setTimeout(poll, POLL_MS * 2);
          } else {
            message.textContent = "Lost touch with the server; reload the page to see the export's state.";
          }
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-export][data-status-url]");
    if (root && window.fetch) bind(root);
  });
})();
