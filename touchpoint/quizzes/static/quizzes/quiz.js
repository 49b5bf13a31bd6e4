// The countdown is a courtesy: the server keeps the real deadline. At zero the page sends
// what has been answered so far, and a second click never sends the form twice.
(function () {
  "use strict";
  var form = document.querySelector("[data-quiz-form]");
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) { event.preventDefault(); return; }
    sent = true;
  });
  // Coming back to this page with the Back button must allow sending it again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) sent = false; });
  var timer = document.querySelector("[data-quiz-timer]");
  if (!timer) return;
  var clock = timer.querySelector("[role=timer]");
  var announce = document.querySelector("[data-quiz-announce]");
  var end = Date.now() + parseInt(timer.getAttribute("data-seconds-left"), 10) * 1000;
  var warned = false;
  timer.hidden = false;
  function tick() {
    var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (!warned && left <= 60 && left > 0) {
      warned = true;
      announce.textContent = announce.getAttribute("data-one-minute");
    }
    if (left === 0) {
      announce.textContent = announce.getAttribute("data-time-up");
      if (!sent) { sent = true; form.submit(); }
      return;
    }
    window.setTimeout(tick, 250);
  }
  tick();
})();
