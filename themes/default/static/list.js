// cairn: sortable, filterable item lists. Without JavaScript the table is
// complete and in title order; this adds header sorting and the filter box.
(function () {
  "use strict";
  function key(td, kind) {
    var s = td ? (td.getAttribute("data-sort") || td.textContent || "") : "";
    if (kind === "number" || kind === "percent") {
      var n = parseFloat(s);
      return isNaN(n) ? -Infinity : n;
    }
    return s.toLowerCase();
  }
  function sortable(table) {
    var ths = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    Array.prototype.forEach.call(ths, function (th, col) {
      th.classList.add("sortable-th");
      th.tabIndex = 0;
      function sort() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var kind = th.getAttribute("data-kind");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], kind), y = key(b.cells[col], kind);
          var c = x < y ? -1 : x > y ? 1 : 0;
          if (c === 0) c = key(a.cells[0]) < key(b.cells[0]) ? -1 : 1;
          return dir === "ascending" ? c : -c;
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }
  function filterable(input) {
    var table = document.getElementById(input.getAttribute("data-filter-for"));
    if (!table) return;
    var count = document.querySelector('[data-count-for="' + table.id + '"]');
    var empty = document.querySelector(".list-empty");
    var rows = table.tBodies[0].rows;
    var total = rows.length;
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var text = rows[i].textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        rows[i].hidden = !ok;
        if (ok) shown++;
      }
      if (count) count.textContent = words.length ? shown + " of " + total : total + (total === 1 ? " item" : " items");
      if (empty) empty.hidden = shown !== 0;
    });
  }
  function run() {
    document.querySelectorAll("table.sortable").forEach(sortable);
    document.querySelectorAll("input.list-filter[data-filter-for]").forEach(filterable);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
