// The lesson outline starts closed on a phone, so the lesson itself comes first; the
// summary opens it. Without this script it stays open everywhere.
(function () {
  "use strict";
  var outline = document.querySelector("details.lesson-outline");
  if (outline && window.matchMedia("(max-width: 63.99rem)").matches) outline.open = false;
})();

// The lesson video player: resume where the learner stopped, remember the position every
// few seconds, and mark the lesson done once 90% has been watched. Works without it too.
(function () {
  "use strict";
  var video = document.querySelector("video.lesson-video");
  if (!video) return;
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var lastSaved = 0;
  var completed = !video.dataset.completeUrl;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: {"X-CSRFToken": csrf, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"},
      body: body || "",
      credentials: "same-origin"
    });
  }

  video.addEventListener("loadedmetadata", function () {
    var start = parseInt(video.dataset.position || "0", 10);
    if (start > 5 && start < video.duration - 5) video.currentTime = start;
  });
  video.addEventListener("timeupdate", function () {
    var now = Math.floor(video.currentTime);
    if (video.dataset.positionUrl && Math.abs(now - lastSaved) >= 10) {
      lastSaved = now;
      post(video.dataset.positionUrl, "seconds=" + now);
    }
    if (!completed && video.duration && video.currentTime / video.duration >= 0.9) {
      completed = true;
      post(video.dataset.completeUrl).then(function () {
        var status = document.createElement("p");
        status.className = "message message-success";
        status.setAttribute("role", "status");
        status.textContent = video.dataset.doneText || "✓";
        video.insertAdjacentElement("afterend", status);
      });
    }
  });
})();
