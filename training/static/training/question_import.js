// Question import: while a (possibly large) file is uploaded and read, show that work is under
// way and keep the button from sending it twice. The form itself posts as usual.
(function () {
  "use strict";
  var form = document.querySelector("[data-import-form]");
  if (!form) return;
  var box = form.querySelector("[data-import-progress]");
  var status = form.querySelector("[data-import-status]");
  form.addEventListener("submit", function () {
    var file = form.querySelector("input[type=file]");
    var size = file && file.files && file.files[0] ? file.files[0].size : 0;
    status.textContent = size
      ? "Uploading and reading " + Math.max(1, Math.round(size / 1024)) + " KB of questions…"
      : "Reading the questions…";
    box.hidden = false;
    // Disabled after this tick, so the browser still sends the form.
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
