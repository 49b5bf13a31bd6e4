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

  // --- long choices (kernel.forms): the <select> stays in the form, hidden, and is what is
  // sent; these only make it easier to fill. Suggestions are the browser's own <datalist>,
  // so the keyboard and screen readers work as in any combobox.
  function suggestions(select, id, skipSelected) {
    var list = document.createElement("datalist");
    var byText = {};
    list.id = id;
    Array.prototype.forEach.call(select.options, function (option) {
      var text = option.textContent.trim();
      if (!option.value || byText[text.toLowerCase()] !== undefined) return;
      byText[text.toLowerCase()] = option;
      if (skipSelected && option.selected) return;
      var suggestion = document.createElement("option");
      suggestion.value = text;
      list.appendChild(suggestion);
    });
    return { list: list, byText: byText };
  }

  function textBoxFor(select, listId) {
    var input = document.createElement("input");
    input.type = "text";
    input.setAttribute("list", listId);
    input.setAttribute("autocomplete", "off");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    // The field's <label for> now names the text box; the select hides from everyone.
    input.id = select.id;
    select.id = select.id + "-select";
    select.hidden = true;
    select.tabIndex = -1;
    return input;
  }

  // SearchableSelect: one choice, typed and picked from the suggestions.
  function enhanceSearchable(select) {
    var found = suggestions(select, select.id + "-suggestions", false);
    var input = textBoxFor(select, found.list.id);
    var current = select.options[select.selectedIndex];
    input.className = "searchable-input";
    input.value = current ? current.textContent.trim() : "";
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("input", function () {
      var option = found.byText[input.value.trim().toLowerCase()];
      input.setCustomValidity(option || !input.value ? "" : select.getAttribute("data-searchable"));
      if (option) select.value = option.value;
    });
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(found.list, select);
  }

  // ChipsSelectMultiple: each chosen option a chip with a remove button, a text box to add.
  function enhanceChips(select) {
    var listId = select.id + "-suggestions";
    var help = document.getElementById(select.id + "_helptext");
    var chips = document.createElement("ul");
    var input = textBoxFor(select, listId);
    var found;
    chips.className = "chips";
    input.className = "chips-input";
    if (help) {
      var hint = help.textContent.replace(select.getAttribute("data-chips-replaces"), "").trim();
      help.textContent = (hint ? hint + " " : "") + select.getAttribute("data-chips");
    }

    function changed() {
      render();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function render() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var chip = document.createElement("li");
        var remove = document.createElement("button");
        var name = option.textContent.trim();
        chip.className = "chip";
        chip.appendChild(document.createTextNode(name));
        remove.type = "button";
        remove.className = "chip-remove";
        remove.setAttribute("aria-label", select.getAttribute("data-chips-remove").replace("%(choice)s", name));
        remove.innerHTML = '<svg class="icon" aria-hidden="true" focusable="false" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"><path d="M18 6 6 18"/><path d="m6 6 12 12"/></svg>';
        remove.addEventListener("click", function () {
          option.selected = false;
          changed();
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      chips.hidden = select.selectedOptions.length === 0;
      var fresh = suggestions(select, listId, true);
      if (found) found.list.replaceWith(fresh.list);
      found = fresh;
    }
    function add() {
      var option = found.byText[input.value.trim().toLowerCase()];
      if (!option) return false;
      option.selected = true;
      input.value = "";
      changed();
      return true;
    }
    input.addEventListener("input", add);
    input.addEventListener("keydown", function (event) {
      // Enter adds the typed choice and never sends the half-made form (a suggestion picked
      // or typed in full is added at once, leaving the box empty for the next).
      if (event.key === "Enter") {
        event.preventDefault();
        add();
      }
    });
    render();
    select.parentNode.insertBefore(chips, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(found.list, select);
  }

  function enhanceWithin(root) {
    [["select[data-searchable]", enhanceSearchable], ["select[data-chips]", enhanceChips]].forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (select) {
        if (select.hasAttribute("data-enhanced")) return;
        select.setAttribute("data-enhanced", "");
        pair[1](select);
      });
    });
  }
  enhanceWithin(document);
  // Forms htmx brings in later get the same.
  document.addEventListener("htmx:load", function (event) { enhanceWithin(event.detail.elt); });

  // Forms that ask for confirmation: <form data-confirm="Are you sure?">
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
