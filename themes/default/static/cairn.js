// cairn: small page behaviour, no dependencies, no build step.
// Expiry badges are rendered as of the build's date; this recomputes them
// against the viewer's today, from each badge's data-date and data-window.
(function () {
  "use strict";
  function today() {
    var d = new Date();
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  }
  function parse(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }
  function update(el, now) {
    var t = parse(el.getAttribute("data-date"));
    var w = parseInt(el.getAttribute("data-window"), 10);
    if (isNaN(t) || isNaN(w)) return;
    var days = Math.round((t - now) / 86400000);
    var cls = "ok", text = "";
    if (days < -1) { cls = "expired"; text = "Expired " + (-days) + " days ago"; }
    else if (days === -1) { cls = "expired"; text = "Expired yesterday"; }
    else if (days === 0) { cls = "soon"; text = "Expires today"; }
    else if (days === 1) { cls = "soon"; text = "Expires tomorrow"; }
    else if (days <= w) { cls = "soon"; text = "Expires in " + days + " days"; }
    el.className = "badge badge-" + cls;
    el.textContent = text;
    el.hidden = text === "";
  }
  function run() {
    var now = today();
    var els = document.querySelectorAll(".badge[data-date][data-window]");
    for (var i = 0; i < els.length; i++) update(els[i], now);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();

// The sidebar's organization switcher. Pages other than the home page link
// to the home page's list of organizations (what works without scripts);
// with scripts, the link opens the list in place, read once from the
// portal's orgs.js (window.cairnOrgs, written by the build). If that file
// cannot be read, the link is followed.
(function () {
  "use strict";
  function init() {
    var a = document.querySelector(".sidebar-switch a[data-orgs]");
    if (!a) return;
    var list = null, loading = false;
    var root = document.documentElement.getAttribute("data-root") || "";
    function show(open) {
      list.hidden = !open;
      a.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function build() {
      var data = window.cairnOrgs;
      if (!data || data.v !== 1 || !data.orgs) return false;
      var here = location.pathname;
      list = document.createElement("ul");
      for (var i = 0; i < data.orgs.length; i++) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + data.orgs[i].h;
        link.textContent = data.orgs[i].n;
        if (here.indexOf(link.pathname.replace(/index\.html$/, "")) === 0) link.className = "active";
        li.appendChild(link);
        list.appendChild(li);
      }
      a.parentNode.appendChild(list);
      return true;
    }
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      if (list) { show(list.hidden); return; }
      if (loading) return;
      loading = true;
      var s = document.createElement("script");
      s.src = a.getAttribute("data-orgs");
      s.async = true;
      s.onload = function () {
        if (build()) show(true);
        else location.href = a.href;
      };
      s.onerror = function () { location.href = a.href; };
      document.head.appendChild(s);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
