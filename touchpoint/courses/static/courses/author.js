// Authoring helpers: show only the lesson fields that fit the chosen kind, and reorder
// lessons by dragging (the ↑ ↓ buttons do the same without a mouse or without script).
(function () {
  "use strict";
  var form = document.querySelector("[data-lesson-form]");
  if (form) {
    var kind = form.querySelector("select[name=kind]");
    var sync = function () {
      form.querySelectorAll("[data-kinds]").forEach(function (block) {
        block.hidden = block.dataset.kinds.split(" ").indexOf(kind.value) === -1;
      });
    };
    kind.addEventListener("change", sync);
    sync();
  }

  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var dragged = null;
  document.querySelectorAll("[data-sortable]").forEach(function (list) {
    list.addEventListener("dragstart", function (e) {
      dragged = e.target.closest("li[data-lesson]");
      if (dragged) dragged.classList.add("dragging");
    });
    list.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
    });
    list.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      var over = e.target.closest("li[data-lesson]");
      if (over && over !== dragged) {
        var box = over.getBoundingClientRect();
        over.parentNode.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? over.nextSibling : over);
      } else if (!over) {
        list.appendChild(dragged);
      }
    });
    list.addEventListener("drop", function (e) {
      e.preventDefault();
      var body = new URLSearchParams();
      body.append("section", list.dataset.section);
      list.querySelectorAll("li[data-lesson]").forEach(function (item) { body.append("lesson", item.dataset.lesson); });
      fetch(list.dataset.orderUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: {"X-CSRFToken": csrf}
      }).then(function (response) { if (!response.ok) window.location.reload(); });
    });
  });
})();
