// Roster upload with a progress bar. Without JavaScript the form posts normally; with it the file
// goes through XMLHttpRequest so the upload's progress can be shown, then the server's answer
// (problems or counts) replaces the form area. Anything unexpected falls back to a normal post.
// A deactivation preview's "Confirm" is sent the same way (bindConfirm).
(function () {
  "use strict";

  // The answer's [data-roster-root] replaces `root`, and gets the same behaviour.
  function swapIn(root, fresh) {
    root.replaceWith(fresh);
    bind(fresh);
    var result = fresh.querySelector("[data-roster-result]");
    if (result) result.focus();
  }

  // "Confirm" after a deactivation preview: a small post with no file, sent the same way so the
  // answer appears in place; anything unexpected falls back to a normal post.
  function bindConfirm(root) {
    var confirm = root.querySelector("form[data-roster-confirm]");
    if (!confirm) return;
    confirm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = confirm.querySelector("button[type=submit]");
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", confirm.action || window.location.href);
      xhr.addEventListener("load", function () {
        var fresh = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector("[data-roster-root]");
        if ((xhr.status === 200 || xhr.status === 400) && fresh) swapIn(root, fresh); // 400: refused, the page says why
        else confirm.submit();
      });
      xhr.addEventListener("error", function () { confirm.submit(); });
      xhr.send(new FormData(confirm));
    });
  }

  function bind(root) {
    if (window.FormData && window.XMLHttpRequest && window.DOMParser) bindConfirm(root);
    var form = root.querySelector("form[data-roster-form]");
    if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
    var box = form.querySelector("[data-roster-progress]");
    var bar = box.querySelector("progress");
    var status = box.querySelector("[data-roster-status]");
    var button = form.querySelector("[data-roster-submit]");
    var file = form.querySelector("input[type=file]");

    form.addEventListener("submit", function (event) {
      if (!file || !file.files.length) return; // let the server say the file is missing
      event.preventDefault();
      box.hidden = false;
      button.disabled = true;
      bar.max = 100;
      bar.value = 0;
      status.textContent = "Uploading…";

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        status.textContent = "Uploading… " + Math.round((100 * e.loaded) / e.total) + "%";
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value"); // indeterminate: the server is checking every row
        status.textContent = "Processing… checking every row before anything is imported";
      });
      xhr.addEventListener("load", function () {
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var fresh = doc.querySelector("[data-roster-root]");
        if ((xhr.status === 200 || xhr.status === 400) && fresh) { // 400: refused, the page says why
          root.replaceWith(fresh);
          bind(fresh);
          var result = fresh.querySelector("[data-roster-result]");
          if (result) result.focus();
        } else if (xhr.responseURL && xhr.responseURL.split("?")[0] !== form.action.split("?")[0]) {
          window.location.assign(xhr.responseURL); // e.g. the session ended: go to the login page
        } else {
          form.submit(); // show the server's own answer the ordinary way
        }
      });
      xhr.addEventListener("error", function () {
        status.textContent = "The upload failed; trying again without the progress bar…";
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-roster-root]");
    if (root) bind(root);
  });
})();
