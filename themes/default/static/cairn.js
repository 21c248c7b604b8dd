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
