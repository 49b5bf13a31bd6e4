// The lesson text editor: Trix over the form's own textarea (which stays the field that is
// posted, and the editor without JavaScript). Pictures dropped or pasted in are uploaded to
// the course's picture endpoint and kept as links to the access-checked picture URL; other
// files are refused here, as the server would refuse them.
(function () {
  "use strict";
  // A picture's caption is what the author writes, not its file name and size.
  if (window.Trix) window.Trix.config.attachments.preview.caption = {name: false, size: false};
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  document.querySelectorAll("textarea[data-rich-text]").forEach(function (source) {
    if (!window.customElements || !window.Trix) return;
    var editor = document.createElement("trix-editor");
    // The label names the editor (a custom element is not labelable by for=, so it is
    // referenced); the hidden textarea keeps the name that is posted.
    var label = document.querySelector('label[for="' + source.id + '"]');
    if (label) {
      label.id = label.id || source.id + "_label";
      editor.setAttribute("aria-labelledby", label.id);
    }
    editor.id = source.id;
    source.id = source.id + "_source";
    editor.setAttribute("input", source.id);
    editor.className = "trix-content prose lesson-editor";
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (source.hasAttribute(name)) editor.setAttribute(name, source.getAttribute(name));
    });
    editor.dataset.uploadUrl = source.dataset.uploadUrl;
    editor.dataset.refusedText = source.dataset.refusedText;
    source.hidden = true;
    source.insertAdjacentElement("afterend", editor);
  });

  document.addEventListener("trix-file-accept", function (event) {
    if (!/^image\/(png|jpeg|webp|gif)$/.test(event.file.type)) {
      event.preventDefault();
      window.alert(event.target.dataset.refusedText);
    }
  });

  document.addEventListener("trix-attachment-add", function (event) {
    var attachment = event.attachment;
    if (!attachment.file) return;
    // Decorative unless the author captions it (the caption is read with the figure).
    attachment.setAttributes({alt: ""});
    var body = new FormData();
    body.append("file", attachment.file);
    var request = new XMLHttpRequest();
    request.open("POST", event.target.dataset.uploadUrl);
    request.setRequestHeader("X-CSRFToken", csrf);
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) attachment.setUploadProgress((e.loaded / e.total) * 100);
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (e) { /* not JSON */ }
      if (request.status === 200 && answer.url) {
        // No href: a linked picture without a caption would be a link without a name.
        attachment.setAttributes({url: answer.url});
      } else {
        attachment.remove();
        window.alert(answer.error || event.target.dataset.refusedText);
      }
    });
    request.send(body);
  });
})();
