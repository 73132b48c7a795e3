// The attempt's countdown on the attempt and review pages (templates/assessments/includes/attempt_timer.html).
// The employee may hide it (WCAG 2.2.1: a countdown can distract); the choice is remembered in this browser.
// Hidden or not, a polite live region says when 5 minutes and 1 minute are left, and at zero the
// page's [data-timeout-form] is submitted (the server closes the attempt at the deadline anyway).
(function () {
  "use strict";
  var box = document.querySelector("[data-timer]");
  if (!box) return;
  var KEY = "academy.timerHidden";
  var deadline = new Date(box.dataset.deadline).getTime();
  var clock = box.querySelector("[data-timer-clock]");
  var out = box.querySelector("[data-time-left]");
  var toggle = box.querySelector("[data-timer-toggle]");
  var announce = box.querySelector("[data-timer-announce]");
  var WARNINGS = [[300, "5 minutes left."], [60, "1 minute left."]];

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function setHidden(hidden) {
    clock.hidden = hidden;
    toggle.textContent = hidden ? "Show timer" : "Hide timer";
    try {
      if (hidden) window.localStorage.setItem(KEY, "1"); else window.localStorage.removeItem(KEY);
    } catch (e) { /* storage refused: the choice lasts for this page */ }
  }
  toggle.hidden = false;
  setHidden(remembered());
  toggle.addEventListener("click", function () { setHidden(!clock.hidden); });

  var previous = null; // seconds left at the last tick: a warning is said once, when its moment passes
  var submitted = false;
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    clock.classList.toggle("text-danger", left <= 60);
    WARNINGS.forEach(function (warning) {
      if (previous !== null && previous > warning[0] && left <= warning[0]) announce.textContent = warning[1];
    });
    previous = left;
    if (left === 0 && !submitted) {
      submitted = true;
      announce.textContent = "Time is up: submitting your answers.";
      var form = document.querySelector("[data-timeout-form]");
      if (!form) return;
      var go = document.createElement("button");
      go.type = "submit";
      go.name = "action";
      go.value = "submit";
      go.hidden = true;
      form.appendChild(go);
      form.requestSubmit(go);
    }
  }
  tick();
  setInterval(tick, 1000);
})();
