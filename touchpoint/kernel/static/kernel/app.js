// Touchpoint's own script: the phone menu sheet and small niceties.
// Everything works without it; it only improves keyboard and small-screen use.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  document.addEventListener("click", function (event) {
    // components/dialog.html: the browser's modal dialog keeps focus inside and closes on Escape.
    var opener = event.target.closest("[data-dialog-open]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog-open"));
      if (dialog && dialog.showModal) dialog.showModal();
      return;
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) { closer.closest("dialog").close(); return; }
    // components/toast.html: dismissed by its person, never on a timer.
    var dismiss = event.target.closest("[data-toast-close]");
    if (dismiss) {
      var toast = dismiss.closest(".toast");
      var main = document.getElementById("main");
      toast.remove();
      if (main) main.focus();
      return;
    }
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = document.querySelector("#sidenav a");
        if (first) first.focus();
      }
      return;
    }
    // The phone's menu sheet closes when the page behind it is tapped.
    if (document.body.classList.contains("nav-open") && !event.target.closest("#sidenav")) {
      closeNav(false);
    }
    // Close the user menu when clicking elsewhere.
    document.querySelectorAll("details.usermenu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.usermenu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
    if (document.body.classList.contains("nav-open")) closeNav(true);
  });

  function closeNav(focusToggle) {
    document.body.classList.remove("nav-open");
    var toggle = document.querySelector("[data-nav-toggle]");
    if (toggle) {
      toggle.setAttribute("aria-expanded", "false");
      if (focusToggle) toggle.focus();
    }
  }

  // Forms that ask for confirmation: <form data-confirm="Are you sure?">
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
