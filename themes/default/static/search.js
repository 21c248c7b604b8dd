// cairn portal search. Loads search/index.js (written by generator/search)
// on first use, by a <script> tag so that it also works from file://, and
// answers queries in the browser: every word must match the start of a
// term (AND); titles rank above field values, field values above text.
// The index format is documented in generator/search/search.go; the
// tokenising rules here mirror its Tokens function.
(function () {
  "use strict";

  var input = document.getElementById("search");
  var box = document.getElementById("search-results");
  if (!input || !box) return;

  // The portal root is where this script lives, minus static/search.js.
  var self = document.currentScript || document.querySelector('script[src$="static/search.js"]');
  var root = self ? self.src.replace(/static\/search\.js(\?.*)?$/, "") : "";

  var MAX = 20;
  // A word's weight in a document: by where it matched (body, field,
  // title), doubled when it matched a whole term exactly.
  var WEIGHT = [1, 16, 256];
  var LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
  var MORE = "ghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = {};
  for (var i = 0; i < 32; i++) {
    DIGIT[LAST.charCodeAt(i)] = i;
    DIGIT[MORE.charCodeAt(i)] = 32 + i;
  }

  var index = null; // {docs, types, orgs, terms[], posts[], cache{}}
  var loading = false;
  var pending = false;
  var results = [];
  var selected = -1;
  var word = /[\p{L}\p{N}]/u;
  var slash = false;

  function load() {
    if (index || loading) return;
    loading = true;
    var t0 = performance.now();
    var s = document.createElement("script");
    s.src = root + "search/index.js";
    s.async = true;
    s.onload = function () {
      var raw = window.cairnSearchIndex;
      if (!raw || raw.v !== 1) {
        fail("The search index has an unknown format.");
        return;
      }
      index = {
        docs: raw.docs,
        types: raw.types,
        orgs: raw.orgs,
        terms: raw.terms === "" ? [] : raw.terms.split(" "),
        posts: raw.post === "" ? [] : raw.post.split(" "),
        cache: {}
      };
      box.dataset.loadMs = (performance.now() - t0).toFixed(1);
      if (pending) run();
    };
    s.onerror = function () { fail("The search index could not be loaded."); };
    document.head.appendChild(s);
  }

  function fail(msg) {
    loading = false;
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "search-empty";
    p.textContent = msg;
    box.appendChild(p);
    box.hidden = false;
  }

  function normalize(s) {
    return s.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase();
  }

  // tokens splits one query word as generator/search.Tokens splits text:
  // the alphanumeric runs, then the whole word when it has punctuation
  // inside.
  function tokens(chunk) {
    var chars = Array.from(chunk);
    var a = 0, b = chars.length;
    while (a < b && !word.test(chars[a])) a++;
    while (b > a && !word.test(chars[b - 1])) b--;
    chars = chars.slice(a, b);
    if (!chars.length) return [];
    var runs = [], cur = "";
    for (var i = 0; i < chars.length; i++) {
      if (word.test(chars[i])) {
        cur += chars[i];
      } else if (cur) {
        runs.push(cur);
        cur = "";
      }
    }
    if (cur) runs.push(cur);
    if (runs.length > 1) runs.push(chars.join(""));
    return runs;
  }

  function postings(i) {
    var c = index.cache[i];
    if (c) return c;
    var s = index.posts[i], docs = [], classes = [], n = 0, prev = 0;
    for (var k = 0; k < s.length; k++) {
      var d = DIGIT[s.charCodeAt(k)];
      if (d >= 32) {
        n = n * 32 + d - 32;
        continue;
      }
      n = n * 32 + d;
      prev += n >> 2;
      docs.push(prev);
      classes.push(n & 3);
      n = 0;
    }
    c = index.cache[i] = { docs: docs, classes: classes };
    return c;
  }

  // prefix returns Map doc -> {w: best weight, t: matched terms} for every
  // term starting with w.
  function prefix(w) {
    var terms = index.terms, lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < w) lo = mid + 1; else hi = mid;
    }
    var out = new Map();
    for (var i = lo; i < terms.length && terms[i].lastIndexOf(w, 0) === 0; i++) {
      var p = postings(i), exact = terms[i] === w ? 2 : 1;
      for (var k = 0; k < p.docs.length; k++) {
        var d = p.docs[k], m = out.get(d), wt = WEIGHT[p.classes[k]] * exact;
        if (!m) out.set(d, m = { w: wt, t: [] });
        else if (wt > m.w) m.w = wt;
        if (m.t.length < 3) m.t.push(terms[i]);
      }
    }
    return out;
  }

  // matchWord returns the documents one query word matches: its whole
  // form by prefix or, for a word with punctuation that matches nothing
  // whole ("fw01.northwind" inside "nw-fw01.northwind.example"), the
  // documents that have all of its parts.
  function matchWord(w) {
    var parts = tokens(w);
    if (!parts.length) return null;
    var got = prefix(parts[parts.length - 1]);
    if (parts.length > 1 && got.size === 0) {
      var all = null;
      for (var i = 0; i < parts.length - 1; i++) {
        var m = prefix(parts[i]);
        if (!all) { all = m; continue; }
        all.forEach(function (v, d) {
          var v2 = m.get(d);
          if (!v2) all.delete(d);
          else { if (v2.w < v.w) v.w = v2.w; v.t = v.t.concat(v2.t); }
        });
      }
      got = all;
    }
    return got;
  }

  function search(q) {
    var words = normalize(q).split(/\s+/).filter(Boolean);
    var score = null;
    for (var i = 0; i < words.length; i++) {
      var got = matchWord(words[i]);
      if (!got) continue;
      if (!score) {
        score = new Map();
        got.forEach(function (v, d) { score.set(d, { s: v.w, t: v.t.slice() }); });
        continue;
      }
      score.forEach(function (v, d) {
        var g = got.get(d);
        if (!g) score.delete(d);
        else { v.s += g.w; v.t = v.t.concat(g.t); }
      });
    }
    if (!score) return { words: words, list: [], total: 0 };
    var out = [];
    score.forEach(function (v, d) { out.push({ d: d, s: v.s, t: v.t }); });
    out.sort(function (a, b) {
      if (a.s !== b.s) return b.s - a.s;
      var ta = index.docs[a.d][1], tb = index.docs[b.d][1];
      return ta < tb ? -1 : ta > tb ? 1 : a.d - b.d;
    });
    return { words: words, list: out.slice(0, MAX), total: out.length };
  }

  // highlight appends text to el with every query word's matches marked.
  function highlight(el, text, words) {
    var norm = normalize(text);
    if (norm.length !== text.length) { // folding changed lengths: no marks
      el.appendChild(document.createTextNode(text));
      return;
    }
    var marks = [];
    function find(t) {
      var n = 0;
      for (var at = 0; (at = norm.indexOf(t, at)) >= 0; at += t.length) {
        if (at === 0 || !word.test(norm[at - 1])) { marks.push([at, at + t.length]); n++; }
      }
      return n;
    }
    words.forEach(function (w) {
      var parts = tokens(w);
      if (!parts.length || find(parts[parts.length - 1]) > 0 || parts.length === 1) return;
      parts.slice(0, -1).forEach(find);
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      if (m[0] > pos) el.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      el.appendChild(mark);
      pos = m[1];
    });
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function render(res, ms) {
    box.textContent = "";
    results = res.list || [];
    selected = results.length ? 0 : -1;
    box.dataset.queryMs = ms.toFixed(1);
    if (!results.length) {
      var p = document.createElement("p");
      p.className = "search-empty";
      p.textContent = "No results.";
      box.appendChild(p);
    } else {
      var ul = document.createElement("ul");
      ul.className = "search-list";
      ul.setAttribute("role", "listbox");
      ul.id = "search-listbox";
      results.forEach(function (r, i) {
        var doc = index.docs[r.d];
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = "search-result-" + i;
        li.className = "search-result";
        var a = document.createElement("a");
        a.href = root + doc[0];
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "search-result-title";
        highlight(title, doc[1], res.words);
        var meta = document.createElement("span");
        meta.className = "search-result-meta";
        meta.textContent = index.types[doc[2]] + " · " + index.orgs[doc[3]];
        a.appendChild(title);
        a.appendChild(meta);
        var snip = snippet(doc, r.t);
        if (snip) {
          var sn = document.createElement("span");
          sn.className = "search-result-snippet";
          highlight(sn, snip, res.words);
          a.appendChild(sn);
        }
        li.appendChild(a);
        li.addEventListener("mousemove", function () { select(i); });
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (res.total > results.length) {
        var more = document.createElement("p");
        more.className = "search-more";
        more.textContent = (res.total - results.length) + " more: type more to narrow.";
        box.appendChild(more);
      }
      input.setAttribute("aria-controls", "search-listbox");
    }
    box.hidden = false;
    input.setAttribute("aria-expanded", "true");
    select(selected);
  }

  // snippet is the summary, preceded by matched terms found in neither
  // the title nor the summary (an IP address, a serial number).
  function snippet(doc, terms) {
    var seen = normalize(doc[1] + " " + doc[4]);
    var extra = [];
    terms.forEach(function (t) {
      if (t.length > 2 && seen.indexOf(t) < 0 && extra.indexOf(t) < 0) extra.push(t);
    });
    var s = doc[4] || "";
    if (extra.length) s = extra.slice(0, 3).join(", ") + (s ? " — " + s : "");
    return s;
  }

  function select(i) {
    var items = box.querySelectorAll(".search-result");
    items.forEach(function (el, k) { el.setAttribute("aria-selected", k === i ? "true" : "false"); });
    selected = i;
    if (i >= 0 && items[i]) {
      input.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    box.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function run() {
    var q = input.value.trim();
    if (!q) { close(); return; }
    if (!index) { pending = true; load(); return; }
    pending = false;
    var t0 = performance.now();
    var res = search(q);
    render(res, performance.now() - t0);
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.addEventListener("focus", function () {
    load();
    if (input.value.trim() && index) run();
  });
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (box.hidden) { run(); return; }
      if (!results.length) return;
      e.preventDefault();
      var n = results.length;
      select(e.key === "ArrowDown" ? (selected + 1) % n : (selected - 1 + n) % n);
    } else if (e.key === "Enter") {
      if (box.hidden || selected < 0) return;
      e.preventDefault();
      window.location.href = root + index.docs[results[selected].d][0];
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (box.hidden) input.blur(); else close();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    slash = true; // the "/" itself must not land in the box
    input.focus();
    input.select();
  });
  document.addEventListener("keyup", function (e) { if (e.key === "/") slash = false; });
  input.addEventListener("beforeinput", function (e) {
    if (slash && e.data === "/") e.preventDefault();
    slash = false;
  });
  document.addEventListener("click", function (e) {
    if (!box.hidden && !box.contains(e.target) && e.target !== input) close();
  });
})();
