// Progressive enhancement for lesson blocks. Every block reads fully without this script.
(function () {
  "use strict";

  // Connection-point walkthrough: one stop at a time with Previous/Next.
  document.querySelectorAll("[data-walkthrough]").forEach(function (walk) {
    var stops = Array.prototype.slice.call(walk.querySelectorAll(".walk-stop"));
    var controls = walk.querySelector(".walk-controls");
    var status = walk.querySelector(".walk-status");
    var prev = walk.querySelector('[data-walk="prev"]');
    var next = walk.querySelector('[data-walk="next"]');
    var current = 0;
    if (stops.length < 2) return;
    controls.hidden = false;
    status.hidden = false;
    function show(index, focus) {
      current = index;
      stops.forEach(function (stop, i) { stop.hidden = i !== index; });
      status.textContent = "Stop " + (index + 1) + " of " + stops.length;
      prev.disabled = index === 0;
      next.textContent = index === stops.length - 1 ? "Walk again" : "Next stop";
      if (focus) stops[index].focus();
    }
    prev.addEventListener("click", function () { show(Math.max(current - 1, 0), true); });
    next.addEventListener("click", function () { show(current === stops.length - 1 ? 0 : current + 1, true); });
    show(0, false);
  });

  // Problem scenario: play from the first step; each choice reveals its result and the way on.
  document.querySelectorAll("[data-scenario]").forEach(function (scenario) {
    var steps = Array.prototype.slice.call(scenario.querySelectorAll(".scenario-step"));
    var summary = scenario.querySelector(".scenario-summary");
    var best = parseInt(scenario.dataset.best, 10) || 0;
    var total = 0;
    function stepById(id) { return steps.filter(function (s) { return s.dataset.step === id; })[0]; }
    function reset() {
      total = 0;
      summary.hidden = true;
      summary.textContent = "";
      steps.forEach(function (step, i) {
        step.hidden = i !== 0;
        step.querySelectorAll(".scenario-choice").forEach(function (choice) {
          choice.open = false;
          choice.classList.remove("chosen", "not-chosen");
        });
      });
    }
    function finish() {
      summary.hidden = false;
      summary.innerHTML = "";
      var text = document.createElement("p");
      text.className = "mb-2";
      text.textContent = "Scenario complete. Your choices earned " + total + " of the best possible " + best + " loyalty points.";
      var again = document.createElement("button");
      again.type = "button";
      again.className = "btn btn-outline-dark btn-sm";
      again.textContent = "Play again";
      again.addEventListener("click", function () { reset(); steps[0].focus(); });
      summary.appendChild(text);
      summary.appendChild(again);
      summary.focus();
    }
    steps.forEach(function (step) {
      step.querySelectorAll(".scenario-choice").forEach(function (choice) {
        choice.querySelector("summary").addEventListener("click", function (event) {
          event.preventDefault();
          if (step.querySelector(".scenario-choice.chosen")) return; // already answered
          choice.open = true;
          choice.classList.add("chosen");
          step.querySelectorAll(".scenario-choice").forEach(function (other) {
            if (other !== choice) other.classList.add("not-chosen");
          });
          total += parseInt(choice.dataset.effect, 10) || 0;
          if (!choice.dataset.next) { finish(); return; }
          // Without this script "Continue" is a link to the next step; here it is a real button
          // (Enter and Space both work), used once.
          var link = choice.querySelector(".scenario-next");
          var next = document.createElement("button");
          next.type = "button";
          next.className = "scenario-next btn btn-primary btn-sm";
          next.textContent = link.textContent;
          next.addEventListener("click", function () {
            next.hidden = true;
            var nextStep = stepById(choice.dataset.next);
            nextStep.hidden = false;
            nextStep.focus();
          });
          link.replaceWith(next);
          next.focus();
        });
      });
    });
    summary.tabIndex = -1;
    reset();
  });

  // Lifetime-value calculator: recompute as the employee types.
  document.querySelectorAll("[data-calculator]").forEach(function (calc) {
    var currency = calc.dataset.currency || "";
    var money = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
    function read(name) {
      var n = parseFloat(calc.querySelector('[name="' + name + '"]').value);
      return isFinite(n) && n >= 0 ? n : 0;
    }
    var summary = calc.querySelector("[data-calc-summary]");
    var announceTimer = null;
    function put(name, value) { calc.querySelector('[data-out="' + name + '"]').textContent = currency + money.format(value); }
    // The table changes silently; screen readers hear one short summary once typing pauses.
    function announce(years, satisfied, loyal) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        summary.textContent = "Over " + years + " years: satisfied customer " + currency + money.format(satisfied * years) +
          ", loyal customer " + currency + money.format(loyal * years) + ".";
      }, 600);
    }
    function update() {
      var years = read("years");
      var satisfied = read("satisfied_visits") * read("satisfied_spend");
      var loyal = read("loyal_visits") * read("loyal_spend");
      put("satisfied_yearly", satisfied);
      put("loyal_yearly", loyal);
      put("satisfied_lifetime", satisfied * years);
      put("loyal_lifetime", loyal * years);
      calc.querySelector('[data-out="years"]').textContent = years;
      var biggest = Math.max(satisfied, loyal) || 1;
      calc.querySelector('[data-bar="satisfied"]').style.width = (satisfied * 100 / biggest) + "%";
      calc.querySelector('[data-bar="loyal"]').style.width = (loyal * 100 / biggest) + "%";
      announce(years, satisfied, loyal);
    }
    calc.addEventListener("input", update);
    // The inputs only feed the figures: Enter in one of them must not submit (reload) the page.
    calc.querySelectorAll("[data-calculator-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    });
  });
})();
