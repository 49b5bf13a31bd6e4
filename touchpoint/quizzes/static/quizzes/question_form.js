// The question form shows only the parts that the chosen kind of question uses. Without this
// file every part shows, each with its help text.
(function () {
  "use strict";
  var form = document.querySelector("[data-question-form]");
  if (!form) return;
  var kind = document.getElementById(form.getAttribute("data-kind-field"));
  if (!kind) return;
  function show() {
    form.querySelectorAll("[data-for-kinds]").forEach(function (part) {
      var wanted = part.getAttribute("data-for-kinds").split(" ").indexOf(kind.value) !== -1;
      part.hidden = !wanted && !part.querySelector(".error");
    });
  }
  kind.addEventListener("change", show);
  show();
})();
