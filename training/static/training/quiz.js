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
  var pending = {};
  var timer = null;
  var inFlight = 0; // autosaves sent and not yet answered

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

  function save() {
    timer = null;
    var answers = pending;
    pending = {};
    if (!Object.keys(answers).length) return Promise.resolve();
    setStatus("Saving…");
    inFlight += 1;
    return fetch(form.dataset.autosaveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answers: answers }),
      credentials: "same-origin",
      keepalive: true, // a save sent as the page closes still arrives
    })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (r) {
        inFlight -= 1;
        if (r.status === 200) {
          // Only "all" when no later answer waits to be sent or is on its way.
          setStatus(timer || inFlight ? "Saving…" : "All answers saved");
          answeredEl.textContent = r.data.answered + " of " + r.data.total + " answered";
          bar.style.width = (r.data.answered * 100 / (r.data.total || 1)) + "%";
          bar.parentElement.setAttribute("aria-valuenow", r.data.answered);
        } else if (r.status === 409 && r.data.result_url) {
          window.location = r.data.result_url;
        } else {
          setStatus(r.data.error || "Not saved", true);
        }
      }, function (problem) { inFlight -= 1; throw problem; })
      .catch(function () { setStatus("Not saved: connection lost. Your answers stay on this page; use Save answers.", true); });
  }

  function queue(fieldset, delay) {
    var value = answerOf(fieldset);
    if (value === undefined) { setStatus("Give each item a different position to save the order.", true); return; }
    pending[fieldset.dataset.question] = value;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  form.addEventListener("change", function (e) {
    var fieldset = e.target.closest("[data-question]");
    if (fieldset) queue(fieldset, 150);
  });
  form.addEventListener("input", function (e) {
    var fieldset = e.target.closest("[data-question]");
    if (fieldset && (e.target.type === "text" || e.target.tagName === "TEXTAREA")) queue(fieldset, 700);
  });
  window.addEventListener("beforeunload", function () { if (timer) { clearTimeout(timer); save(); } });

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
