/*! Touchpoint help widget. One tag in another system's page:
 *  <script src="https://portal.example/static/contextual/widget.js" data-touchpoint-token="tpw_…"
 *          data-app="pos" data-screen="extended-warranty" data-product="model-x200" data-topic=""
 *          async></script>
 * adds a "Help & training for this screen" button that opens a panel with the portal's items
 * for that context; each opens the portal in a new tab (where the person signs in if needed).
 * Optional: data-label (the button's words), data-lang (en, es…; default: the page's lang),
 * data-container (a CSS selector to put the button in, instead of the page's corner).
 * No framework, no cookies: one GET with the token when the panel first opens. Styles live
 * in a shadow root, so the host page's CSS neither breaks nor is broken by the widget. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-touchpoint-token]");
  if (!script || script.getAttribute("data-touchpoint-ready")) return;
  script.setAttribute("data-touchpoint-ready", "1");
  var data = script.dataset;
  var base = new URL(script.src, location.href).origin;
  var words = {
    heading: data.label || "Help & training for this screen",
    close: "Close",
    loading: "Loading…",
    error: "Help is not available right now.",
    empty: "Nothing is linked to this screen yet. Search the portal instead.",
    search: "Search the portal",
    more: "Open in the portal",
    new_tab: "opens in a new tab",
    sign_in: "The portal may ask you to sign in."
  };

  var CSS =
    ":host{all:initial}" +
    "*{box-sizing:border-box}" +
    ".tp{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#111827}" +
    ".open{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;" +
    "min-height:44px;padding:10px 16px;border:0;border-radius:999px;background:#1f5f8b;color:#fff;" +
    "font-family:inherit;font-weight:600;font-size:15px;line-height:1.2;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".inline .open{position:static;box-shadow:none}" +
    ".open:hover{background:#174a6c}" +
    "button:focus-visible,a:focus-visible,h2:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    "h2:focus{outline:none}" +
    "dialog{width:min(28rem,calc(100vw - 16px));max-height:min(36rem,calc(100vh - 32px));margin:auto 16px 16px auto;" +
    "padding:0;border:1px solid #d9dee5;border-radius:12px;background:#fff;color:#111827;" +
    "box-shadow:0 12px 40px rgba(0,0,0,.3);font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}" +
    "dialog::backdrop{background:rgba(17,24,39,.35)}" +
    ".head{display:flex;align-items:flex-start;justify-content:space-between;gap:8px;padding:14px 16px 8px;" +
    "border-bottom:1px solid #d9dee5}" +
    "h2{margin:0;font-size:18px;line-height:1.3}" +
    ".ctx{margin:2px 0 0;color:#5b6472;font-size:13px;overflow-wrap:anywhere}" +
    ".close{flex:0 0 auto;min-width:44px;min-height:44px;border:1px solid #9aa3af;border-radius:8px;" +
    "background:#fff;color:#111827;font-size:22px;line-height:1;cursor:pointer}" +
    ".body{padding:8px 16px 4px}" +
    "ul{list-style:none;margin:0;padding:0}" +
    "li+li{border-top:1px solid #e5e7eb}" +
    ".item{display:block;padding:10px 4px;color:#1d4ed8;text-decoration:none;border-radius:6px}" +
    ".item:hover .title{text-decoration:underline}" +
    ".title{display:block;font-weight:600}" +
    ".kind{display:block;color:#5b6472;font-size:13px}" +
    ".note{color:#374151;margin:8px 0}" +
    ".foot{display:flex;flex-wrap:wrap;gap:8px 16px;padding:8px 16px 14px}" +
    ".foot a{color:#1d4ed8;min-height:44px;display:inline-flex;align-items:center}" +
    ".hint{width:100%;margin:0;color:#5b6472;font-size:13px}" +
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    "@media (max-width:30rem){dialog{width:100vw;max-width:100vw;margin:auto 0 0;border-radius:12px 12px 0 0;" +
    "max-height:85vh}.open{right:8px;bottom:8px}}";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text) node.textContent = text;
    return node;
  }

  // Only addresses on the portal itself are followed (the answer's links always are).
  function portalUrl(value) {
    try {
      var url = new URL(value, base);
      return url.origin === base ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function start() {
    var host = el("div", { "data-touchpoint-widget": "" });
    var container = data.container && document.querySelector(data.container);
    (container || document.body).appendChild(host);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    // A constructed style sheet rather than a <style> element: CSSOM is not inline style, so
    // the widget works under a host page's Content-Security-Policy (ours has no
    // 'unsafe-inline'). Browsers without constructed sheets get the element.
    var style = null;
    if (root !== host && "adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      style = el("style");
      style.textContent = CSS;
    }
    var wrap = el("div", { "class": "tp" + (container ? " inline" : "") });
    var open = el("button", { type: "button", "class": "open", "aria-haspopup": "dialog" });
    open.innerHTML = '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" ' +
      'stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="12" r="9"/>' +
      '<path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17h.01"/></svg>';
    var openLabel = el("span", null, words.heading);
    open.appendChild(openLabel);
    var dialog = el("dialog", { "aria-labelledby": "tp-heading", "aria-describedby": "tp-context" });
    var head = el("div", { "class": "head" });
    var titles = el("div");
    var heading = el("h2", { id: "tp-heading", tabindex: "-1" }, words.heading);
    // Words until the portal answers with the mapping's title (the slugs are the other
    // system's names, not what a person reads; the same rule as models.humanise).
    var named = [data.screen, data.product, data.topic].filter(Boolean);
    var context = (named.length ? named : [data.app].filter(Boolean)).map(function (slug) {
      var words = slug.replace(/[-_]+/g, " ").replace(/\s+/g, " ").trim();
      return words.charAt(0).toUpperCase() + words.slice(1);
    }).join(" · ");
    titles.appendChild(heading);
    var ctx = el("p", { id: "tp-context", "class": "ctx" }, context);
    titles.appendChild(ctx);
    var close = el("button", { type: "button", "class": "close", "aria-label": words.close }, "×");
    head.appendChild(titles);
    head.appendChild(close);
    var body = el("div", { "class": "body", "aria-live": "polite" });
    var foot = el("div", { "class": "foot" });
    dialog.appendChild(head);
    dialog.appendChild(body);
    dialog.appendChild(foot);
    wrap.appendChild(open);
    wrap.appendChild(dialog);
    if (style) root.appendChild(style);
    root.appendChild(wrap);

    var loaded = false;

    function show() {
      if (dialog.showModal) dialog.showModal();
      else dialog.setAttribute("open", "");
      heading.focus();
      if (!loaded) load();
    }

    function hide() {
      if (dialog.close) dialog.close();
      else {
        dialog.removeAttribute("open");
        open.focus();
      }
    }

    function link(href, text, cls) {
      var a = el("a", { href: href, target: "_blank", rel: "noopener", "class": cls || "" });
      a.appendChild(el("span", { "class": "title" }, text));
      return a;
    }

    function render(answer) {
      var labels = answer.labels || {};
      for (var key in labels) if (typeof labels[key] === "string") words[key] = labels[key];
      if (!data.label && labels.heading) {
        heading.textContent = openLabel.textContent = labels.heading;
      }
      close.setAttribute("aria-label", words.close);
      if (typeof answer.context_label === "string") ctx.textContent = answer.context_label;
      body.textContent = "";
      var items = (answer.items || []).filter(function (item) { return portalUrl(item.url); });
      if (items.length) {
        var list = el("ul");
        items.forEach(function (item) {
          var a = link(portalUrl(item.url), item.title, "item");
          a.appendChild(el("span", { "class": "kind" }, item.kind_label || ""));
          a.appendChild(el("span", { "class": "vh" }, " (" + words.new_tab + ")"));
          var li = el("li");
          li.appendChild(a);
          list.appendChild(li);
        });
        body.appendChild(list);
      } else {
        body.appendChild(el("p", { "class": "note" }, words.empty));
      }
      foot.textContent = "";
      [[answer.search_url, words.search], [answer.more_url, words.more]].forEach(function (pair) {
        var href = portalUrl(pair[0]);
        if (!href) return;
        var a = el("a", { href: href, target: "_blank", rel: "noopener" }, pair[1]);
        a.appendChild(el("span", { "class": "vh" }, " (" + words.new_tab + ")"));
        foot.appendChild(a);
      });
      foot.appendChild(el("p", { "class": "hint" }, words.sign_in));
    }

    function fail() {
      body.textContent = "";
      body.appendChild(el("p", { "class": "note" }, words.error));
      loaded = false; // try again next time the panel opens
    }

    function load() {
      loaded = true;
      body.textContent = "";
      body.appendChild(el("p", { "class": "note" }, words.loading));
      var query = new URLSearchParams();
      ["app", "screen", "product", "topic"].forEach(function (name) {
        if (data[name]) query.set(name, data[name]);
      });
      query.set("lang", data.lang || document.documentElement.lang || navigator.language || "");
      fetch(base + "/widget/v1/items/?" + query.toString(), {
        headers: { "X-Touchpoint-Token": data.touchpointToken || "" },
        credentials: "omit",
        mode: "cors"
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(render, fail);
    }

    open.addEventListener("click", show);
    close.addEventListener("click", hide);
    dialog.addEventListener("close", function () { open.focus(); });
    // A click on the dimmed page around the panel closes it (the click lands on <dialog>).
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) hide();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !dialog.showModal) hide();
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
