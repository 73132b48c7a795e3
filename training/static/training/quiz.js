// Attempt page: autosave as the employee answers, progress, countdown, keyboard-friendly ordering.
// Everything also works without this script through the form's own buttons.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var statusEl = document.querySelector("[data-save-status]");
  var answeredEl = document.querySelector("[data-answered]");
  var bar = document.querySelector("[data-progress-bar]");
  var total = parseInt(form.dataset.total, 10) || 0;
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  // Every answer carries a revision: when the employee last changed it (ms), made monotonic per
  // question and numbered above what the server had when the page was shown. The server keeps the
  // highest, so a late request never overwrites a newer answer, whatever order requests arrive in.
  var fieldsets = {}; // question id -> its fieldset
  var revision = {}; // question id -> revision of the answer now on the page
  var confirmed = {}; // question id -> highest revision the server has answered for
  var stale = {}; // question id -> newer revision the server kept (changed in another tab)
  var invalid = {}; // question id -> why its answer cannot be sent yet
  var pending = {}; // question ids changed since the last autosave was sent
  var timer = null;
  var inFlight = false; // at most one autosave on its way; changes meanwhile go in the next one
  var problem = ""; // the last failure, until a save goes through
  var submitting = false; // the form itself is posting (with every answer and revision on the page)

  // The form's buttons post r-<id> too: the newest answers, which a late autosave cannot beat.
  // Unchanged answers go with the revision they were shown with, so they never overwrite an
  // answer changed elsewhere since.
  form.querySelectorAll("[data-question]").forEach(function (fieldset) {
    var id = fieldset.dataset.question;
    fieldsets[id] = fieldset;
    revision[id] = confirmed[id] = Number(fieldset.dataset.revision) || 0;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "r-" + id;
    input.value = revision[id];
    input.dataset.revisionOf = id;
    fieldset.appendChild(input);
  });

  // A control whose state differs from the page as the server rendered it was changed before
  // this script ran (slow connection): that change is newer than the stored answer.
  function changedBeforeScript(fieldset) {
    return Array.prototype.some.call(fieldset.querySelectorAll("input, select, textarea"), function (el) {
      if (el.type === "hidden") return false;
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {
        var shown = Array.prototype.findIndex.call(el.options, function (o) { return o.defaultSelected; });
        return el.selectedIndex !== Math.max(shown, 0);
      }
      return el.value !== el.defaultValue;
    });
  }

  var seen = {}; // question id -> its answer (as JSON) when its revision was last set

  function touch(id) {
    seen[id] = JSON.stringify(answerOf(fieldsets[id]));
    revision[id] = Math.max(Date.now(), revision[id] + 1);
    fieldsets[id].querySelector("[data-revision-of]").value = revision[id];
    delete stale[id]; // this newer change will be sent and win
  }

  function setStatus(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("text-danger", !!isError);
  }

  function orderingValue(fieldset) {
    var inputs = Array.prototype.slice.call(fieldset.querySelectorAll(".ordering-position"));
    if (inputs.every(function (i) { return i.value.trim() === ""; })) return null;
    var positions = inputs.map(function (i) { return parseInt(i.value, 10); });
    var sorted = positions.slice().sort(function (a, b) { return a - b; });
    for (var n = 0; n < sorted.length; n++) if (sorted[n] !== n + 1) return undefined; // not a full order yet
    return inputs
      .map(function (i, index) { return { id: i.closest("[data-item]").dataset.item, pos: positions[index] }; })
      .sort(function (a, b) { return a.pos - b.pos; })
      .map(function (x) { return x.id; });
  }

  function answerOf(fieldset) {
    var name = "q-" + fieldset.dataset.question;
    switch (fieldset.dataset.kind) {
      case "multiple_choice":
        return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; });
      case "single_choice": case "scenario": case "true_false":
        var checked = fieldset.querySelector("input:checked");
        return checked ? checked.value : null;
      case "ordering":
        return orderingValue(fieldset);
      case "matching":
        var pairs = {};
        fieldset.querySelectorAll("select").forEach(function (s) { pairs[s.name.slice(name.length + 1)] = s.value; });
        return pairs;
      default:
        return fieldset.querySelector("[name='" + name + "']").value;
    }
  }

  function numbers(ids) {
    return ids.map(function (id) { return fieldsets[id].dataset.number; }).join(", ");
  }

  // "All answers saved" only when every change on the page is confirmed and none is waiting.
  function refresh() {
    var ids = Object.keys(revision);
    var staleIds = ids.filter(function (id) { return id in stale; });
    var invalidIds = ids.filter(function (id) { return id in invalid; });
    if (staleIds.length) {
      setStatus((staleIds.length === 1 ? "Question " + numbers(staleIds) + " was" : "Questions " + numbers(staleIds) + " were") +
        " changed in another tab or window; the answer saved there was kept. Reload to see it.", true);
    } else if (invalidIds.length) {
      setStatus(invalid[invalidIds[0]], true);
    } else if (problem) {
      setStatus(problem, true);
    } else if (timer || inFlight || ids.some(function (id) { return revision[id] > confirmed[id]; })) {
      setStatus("Saving…");
    } else {
      setStatus("All answers saved");
    }
  }

  function settle(sent, data) {
    Object.keys(sent).forEach(function (id) {
      var newer = data.stale && data.stale[id];
      if (newer && revision[id] === sent[id]) {
        // No later change here: the newer answer from elsewhere stands, and a change made here
        // next is numbered above it. (A later change here is on its way and settles itself.)
        stale[id] = newer;
        revision[id] = confirmed[id] = Math.max(revision[id], newer);
      } else {
        confirmed[id] = Math.max(confirmed[id], sent[id]);
      }
    });
  }

  function requeue(sent) {
    Object.keys(sent).forEach(function (id) { if (revision[id] > confirmed[id]) pending[id] = true; });
  }

  // `closing`: the page is going away; send what waits even while a save is on its way (the
  // revisions keep the order right), with keepalive so it still arrives.
  function save(closing) {
    timer = null;
    if (inFlight && !closing) return; // the save on its way sends these when it is answered
    var answers = {};
    var sent = {};
    Object.keys(pending).forEach(function (id) {
      var value = answerOf(fieldsets[id]);
      if (value === undefined) return; // an unfinished order: sent once it is complete
      answers[id] = value;
      sent[id] = revision[id];
    });
    pending = {};
    if (!Object.keys(sent).length) { refresh(); return; }
    inFlight = true;
    refresh();
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answers: answers, revisions: sent }),
      credentials: "same-origin",
      keepalive: true, // a save sent as the page closes still arrives
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { status: response.status, data: data }; },
          function () { return { status: response.status, data: {} }; }
        );
      })
      .then(function (r) {
        inFlight = false;
        if (r.status === 200) {
          problem = "";
          settle(sent, r.data);
          answeredEl.textContent = r.data.answered + " of " + r.data.total + " answered";
          bar.style.width = (r.data.answered * 100 / (r.data.total || 1)) + "%";
          bar.parentElement.setAttribute("aria-valuenow", r.data.answered);
        } else if (r.status === 409 && r.data.result_url) {
          window.location = r.data.result_url;
          return;
        } else {
          problem = r.data.error || "Not saved (error " + r.status + ").";
          requeue(sent); // sent again with the next change, or by the form's buttons
        }
        if (!timer && !submitting && Object.keys(pending).length) save();
        else refresh();
      }, function () {
        inFlight = false;
        problem = "Not saved: connection lost. Your answers stay on this page; use Save answers.";
        requeue(sent);
        refresh();
      });
  }

  function queue(fieldset, delay) {
    var id = fieldset.dataset.question;
    touch(id);
    if (answerOf(fieldset) === undefined) {
      invalid[id] = "Give each item a different position to save the order.";
      refresh();
      return;
    }
    delete invalid[id];
    pending[id] = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
    refresh();
  }

  form.addEventListener("change", function (e) {
    var fieldset = e.target.closest("[data-question]");
    if (fieldset) queue(fieldset, 150);
  });
  form.addEventListener("input", function (e) {
    var fieldset = e.target.closest("[data-question]");
    if (fieldset && (e.target.type === "text" || e.target.tagName === "TEXTAREA")) queue(fieldset, 700);
  });
  // The form posts every answer on the page with its revision: nothing is left for an autosave.
  form.addEventListener("submit", function () {
    // A change no event told us about (a browser that submits on Enter before "change") gets
    // its revision now, before the form's data is gathered.
    Object.keys(fieldsets).forEach(function (id) {
      if (JSON.stringify(answerOf(fieldsets[id])) !== seen[id]) touch(id);
    });
    submitting = true;
    if (timer) clearTimeout(timer);
    timer = null;
    pending = {};
  });
  Object.keys(fieldsets).forEach(function (id) {
    seen[id] = JSON.stringify(answerOf(fieldsets[id]));
    if (changedBeforeScript(fieldsets[id])) queue(fieldsets[id], 0);
  });
  // Back to this page from the browser's cache after a post: it autosaves again.
  window.addEventListener("pageshow", function (e) { if (e.persisted) submitting = false; });
  window.addEventListener("beforeunload", function () {
    if (submitting) return;
    if (timer) clearTimeout(timer);
    if (Object.keys(pending).length) save(true);
  });

  // Ordering: move items with buttons (keyboard and pointer alike); positions follow the list.
  form.querySelectorAll("[data-ordering]").forEach(function (list) {
    var fieldset = list.closest("[data-question]");
    function renumber() {
      list.querySelectorAll(".ordering-position").forEach(function (input, index) { input.value = index + 1; });
    }
    list.querySelectorAll(".ordering-item").forEach(function (item) {
      var text = item.querySelector("span").textContent;
      [["up", "↑", "Move “" + text + "” up"], ["down", "↓", "Move “" + text + "” down"]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-outline-secondary";
        button.dataset.move = spec[0];
        button.textContent = spec[1];
        button.setAttribute("aria-label", spec[2]);
        button.addEventListener("click", function () {
          var sibling = spec[0] === "up" ? item.previousElementSibling : item.nextElementSibling;
          if (!sibling) return;
          if (spec[0] === "up") list.insertBefore(item, sibling); else list.insertBefore(sibling, item);
          renumber();
          button.focus();
          queue(fieldset, 150);
        });
        item.appendChild(button);
      });
    });
    // Show a saved order as the list order.
    var items = Array.prototype.slice.call(list.children);
    if (items.every(function (li) { return li.querySelector(".ordering-position").value; })) {
      items.sort(function (a, b) {
        return a.querySelector(".ordering-position").value - b.querySelector(".ordering-position").value;
      }).forEach(function (li) { list.appendChild(li); });
    }
  });

  // Countdown; at zero the attempt is submitted (the server enforces the limit either way).
  var clock = document.querySelector("[data-deadline]");
  if (clock) {
    var deadline = new Date(clock.dataset.deadline).getTime();
    var out = clock.querySelector("[data-time-left]");
    var submitted = false;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      clock.classList.toggle("text-danger", left <= 60);
      if (left === 0 && !submitted) {
        submitted = true;
        setStatus("Time is up: submitting your answers…");
        form.requestSubmit(form.querySelector("[data-submit]"));
      }
    };
    tick();
    setInterval(tick, 1000);
  }
})();
