// Attempt page: autosave as the employee answers, progress, keyboard-friendly ordering (countdown: timer.js).
// Everything also works without this script through the form's own buttons.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var statusEl = document.querySelector("[data-save-status]");
  var answeredEl = document.querySelector("[data-answered]");
  var bar = document.querySelector("[data-progress-bar]");
  var csrfInput = form.querySelector("[name=csrfmiddlewaretoken]");
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
  var retries = 0; // failed autosaves in a row: the next try waits 2, 4, 8 ... 60 s
  // The last save met the login page (session over): a form post now would lose the answers it
  // carries on the way to that page, so the buttons save first and go on once a save goes through.
  var signedOut = false;
  var resume = null; // {button}: the button pressed while signed out, pressed again after a save

  // Signing in again in another tab changes the CSRF cookie: read it at each post, so neither the
  // autosave nor the form's own buttons fail with a stale token.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) csrfInput.value = decodeURIComponent(match[1]);
    return csrfInput.value;
  }

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

  // The question's link at the top: bold and "(answered)" while it has an answer (the server says
  // which saved answers were empty: its rule, not one repeated here).
  function markLink(id, answered) {
    var link = fieldsets[id] && document.querySelector('[data-question-link="' + fieldsets[id].dataset.number + '"]');
    if (!link) return;
    link.classList.toggle("fw-bold", answered);
    link.querySelector(".visually-hidden").textContent = answered ? " (answered)" : " (not answered)";
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
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ answers: answers, revisions: sent }),
      credentials: "same-origin",
      keepalive: true, // a save sent as the page closes still arrives
    })
      .then(function (response) {
        // A redirect (to the login page) or anything but our JSON is not a save, whatever its status.
        var json = !response.redirected && /json/.test(response.headers.get("Content-Type") || "");
        return (json ? response.json() : Promise.reject()).then(
          function (data) { return { status: response.status, data: data, json: true }; },
          function () { return { status: response.status, data: {}, json: false, redirected: response.redirected }; }
        );
      })
      .then(function (r) {
        inFlight = false;
        if (r.status === 200 && r.json && Array.isArray(r.data.saved)) {
          problem = "";
          retries = 0;
          signedOut = false;
          settle(sent, r.data);
          r.data.saved.forEach(function (id) { markLink(id, r.data.unanswered.indexOf(id) < 0); });
          answeredEl.textContent = r.data.answered + " of " + r.data.total + " answered";
          bar.style.width = (r.data.answered * 100 / (r.data.total || 1)) + "%";
          bar.parentElement.setAttribute("aria-valuenow", r.data.answered);
          if (resume) { // signed in again: what the button was pressed for happens now
            var button = resume.button;
            resume = null;
            if (button) form.requestSubmit(button); else form.requestSubmit();
            return;
          }
        } else if (r.status === 409 && r.data.result_url) {
          window.location = r.data.result_url;
          return;
        } else if (r.status === 400 && r.data.question in sent) {
          // One answer is refused (say, "twelve" for a number): it waits until it is changed;
          // the others go again at once.
          invalid[r.data.question] = r.data.error;
          delete sent[r.data.question];
          requeue(sent);
        } else {
          failed(sent, r);
          return;
        }
        if (!timer && !submitting && Object.keys(pending).length) save();
        else refresh();
      }, function () {
        inFlight = false;
        failed(sent, { status: 0, data: {} });
      });
  }

  // A save that did not go through: say why; try again later only when waiting can help (no
  // connection, server busy or failing), never in a loop. The form's buttons still send everything.
  function failed(sent, r) {
    var later = r.status === 0 || r.status === 429 || r.status >= 500;
    signedOut = !!r.redirected || r.status === 401 || r.status === 403;
    resume = null;
    if (r.redirected || r.status === 401) {
      problem = "Not saved: you are signed out. Sign in again in another tab, then use a button here again; your answers stay on this page.";
    } else if (r.status === 403) {
      problem = "Not saved: this page's session has ended. Sign in again in another tab, then use a button here again.";
    } else if (r.status === 0) {
      problem = "Not saved: connection lost. Your answers stay on this page; they are sent again when the connection is back.";
    } else {
      problem = r.data.error || "Not saved (error " + r.status + "). Your answers stay on this page; use Save answers.";
    }
    requeue(sent);
    if (later && !submitting) {
      retries += 1;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, Math.min(60000, 1000 * Math.pow(2, retries)));
    }
    refresh();
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
    // Typed answers and an ordering's typed positions count as they are typed, not when the box is left.
    if (fieldset && (e.target.type === "text" || e.target.type === "number" || e.target.tagName === "TEXTAREA")) queue(fieldset, 700);
  });
  // The form posts every answer on the page with its revision (what waits goes as an autosave too).
  form.addEventListener("submit", function (e) {
    // A change no event told us about (a browser that submits on Enter before "change") gets
    // its revision now, before the form's data is gathered.
    Object.keys(fieldsets).forEach(function (id) {
      if (JSON.stringify(answerOf(fieldsets[id])) !== seen[id]) { touch(id); pending[id] = true; }
    });
    if (signedOut && Object.keys(pending).length) {
      // Posting now would land on the login page and drop these answers: save them first (it
      // works once the person has signed in again elsewhere), then press the button again.
      e.preventDefault();
      resume = { button: e.submitter || null };
      if (timer) clearTimeout(timer);
      if (!inFlight) save();
      return;
    }
    submitting = true;
    csrfToken();
    if (timer) clearTimeout(timer);
    timer = null;
    // The post carries every answer, but a post that never reaches the server (the connection
    // drops) would lose a change made just before it: what waits goes as an autosave too, as
    // when the page closes (same revisions, so whichever arrives second changes nothing).
    if (Object.keys(pending).length) save(true);
  });
  Object.keys(fieldsets).forEach(function (id) {
    seen[id] = JSON.stringify(answerOf(fieldsets[id]));
    // data-unsaved: shown again as a refused post sent it, never stored.
    if (fieldsets[id].hasAttribute("data-unsaved") || changedBeforeScript(fieldsets[id])) queue(fieldsets[id], 0);
  });
  // Back online: what waits goes now instead of at the next retry.
  window.addEventListener("online", function () {
    if (submitting || inFlight || !Object.keys(pending).length) return;
    if (timer) clearTimeout(timer);
    save();
  });
  // The question list's links become form posts (goto-<n>), so the answers on this page go with
  // them instead of depending on an autosave that may still be on its way.
  document.querySelectorAll("[data-question-link]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      var go = document.createElement("button");
      go.type = "submit";
      go.name = "action";
      go.value = "goto-" + link.dataset.questionLink;
      go.hidden = true;
      form.appendChild(go);
      form.requestSubmit(go);
    });
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
    // Screen readers hear each move: "Moved “X” to position 2 of 5".
    var announce = document.createElement("p");
    announce.className = "visually-hidden";
    announce.setAttribute("aria-live", "polite");
    announce.dataset.orderingStatus = "";
    list.parentNode.insertBefore(announce, list.nextSibling);
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
          if (!sibling) {
            announce.textContent = "“" + text + "” is already " + (spec[0] === "up" ? "first" : "last") + ".";
            return;
          }
          if (spec[0] === "up") list.insertBefore(item, sibling); else list.insertBefore(sibling, item);
          renumber();
          announce.textContent = "Moved “" + text + "” to position " +
            (Array.prototype.indexOf.call(list.children, item) + 1) + " of " + list.children.length + ".";
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

  // The sticky status bar must never cover the focused control (WCAG 2.4.11): scrolling to focus
  // stops below it (academy.css reads --quiz-status-height into scroll-padding-top).
  var statusBar = document.querySelector(".quiz-status");
  if (statusBar && window.ResizeObserver) {
    var padBelowBar = function () {
      var sticky = getComputedStyle(statusBar).position === "sticky";
      var height = sticky ? statusBar.getBoundingClientRect().height + 16 : 0; // the bar, its offset and a gap
      document.documentElement.style.setProperty("--quiz-status-height", height + "px");
    };
    new ResizeObserver(padBelowBar).observe(statusBar);
    window.addEventListener("resize", padBelowBar);
    padBelowBar();
  }

  // The countdown is timer.js (also on the review page).
})();
