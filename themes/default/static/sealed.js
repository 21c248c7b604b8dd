// sealed.js: shows secrets sealed for this portal (secrets = "sealed").
// Each <span class="secret" data-field="F" data-sealed="v1.ITER.SALT.NONCE.CT">
// holds a value encrypted with AES-256-GCM under a key derived from the
// portal passphrase with PBKDF2-SHA256 (generator/seal). The passphrase is
// asked for once per page. The derived key is a non-extractable CryptoKey
// held in this script's closure only: never in sessionStorage,
// localStorage, IndexedDB, a cookie or a global, so no other document of
// the portal's origin (another page, an attachment, another tab) can read
// or use it, and it is gone when the page is left (docs/portals.md). A
// wrong passphrase shows a clear message and nothing else. Values are
// written with textContent only.
(function () {
  "use strict";
  if (!window.crypto || !window.crypto.subtle) {
    return;
  }
  var te = new TextEncoder();
  var td = new TextDecoder();
  var HIDE_AFTER_MS = 60000;

  function b64u(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function parse(v) {
    var p = (v || "").split(".");
    if (p.length !== 5 || p[0] !== "v1") return null;
    var iter = parseInt(p[1], 10);
    if (!(iter > 0)) return null;
    try {
      return { iter: iter, salt: b64u(p[2]), nonce: b64u(p[3]), ct: b64u(p[4]), id: "cairn-seal:" + p[1] + "." + p[2] };
    } catch (e) {
      return null;
    }
  }

  // deriveKey: PBKDF2-SHA256 to 32 bytes, then HMAC-SHA256(that,
  // "cairn-seal-v1 enc") as the AES key, exactly as generator/seal does.
  // It resolves to a non-extractable AES-GCM CryptoKey.
  function deriveKey(pass, s) {
    return crypto.subtle.importKey("raw", te.encode(pass), "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: s.salt, iterations: s.iter }, base, 256);
      })
      .then(function (bits) {
        return crypto.subtle.importKey("raw", bits, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      })
      .then(function (hk) {
        return crypto.subtle.sign("HMAC", hk, te.encode("cairn-seal-v1 enc"));
      })
      .then(function (raw) {
        return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
      });
  }

  function open(key, s, field) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: s.nonce, additionalData: te.encode("cairn-seal-v1\u0000" + field) }, key, s.ct)
      .then(function (pt) { return td.decode(pt); });
  }

  // keys holds this page's unlocked keys, by salt and iteration count.
  var keys = new Map();
  function cached(s) { return keys.get(s.id) || null; }
  function remember(s, key) { keys.set(s.id, key); }

  // forgetStored removes keys that earlier versions of this script kept
  // in sessionStorage, where any script of the origin could read them.
  function forgetStored() {
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var k = sessionStorage.key(i);
        if (k && k.lastIndexOf("cairn-seal:", 0) === 0) sessionStorage.removeItem(k);
      }
    } catch (e) { /* storage disabled: nothing was stored either */ }
  }

  // The passphrase dialog, made once per page.
  var dialog, input, errorBox, pending;
  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "seal-dialog";
    var form = document.createElement("form");
    var label = document.createElement("label");
    label.textContent = "Portal passphrase";
    input = document.createElement("input");
    input.type = "password";
    input.autocomplete = "current-password";
    input.required = true;
    input.className = "seal-passphrase";
    label.appendChild(input);
    errorBox = document.createElement("p");
    errorBox.className = "seal-error";
    errorBox.setAttribute("role", "alert");
    var ok = button("submit", "seal-unlock", "Unlock");
    var cancel = button("button", "", "Cancel");
    cancel.addEventListener("click", function () { finish(null); });
    form.append(label, errorBox, ok, cancel);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var p = pending;
      if (!p) return;
      errorBox.textContent = "Unlocking…";
      ok.disabled = true;
      deriveKey(input.value, p.s).then(function (key) {
        return open(key, p.s, p.field).then(function (plain) {
          remember(p.s, key);
          finish({ plain: plain });
        });
      }).catch(function () {
        errorBox.textContent = "Wrong passphrase: nothing was decrypted.";
        input.value = "";
        input.focus();
      }).then(function () { ok.disabled = false; });
    });
    dialog.addEventListener("cancel", function () { finish(null); });
  }
  function finish(result) {
    var p = pending;
    pending = null;
    input.value = "";
    errorBox.textContent = "";
    if (dialog.open) dialog.close();
    if (p) p.resolve(result);
  }
  function ask(s, field) {
    if (!dialog) makeDialog();
    return new Promise(function (resolve) {
      pending = { s: s, field: field, resolve: resolve };
      errorBox.textContent = "";
      if (typeof dialog.showModal === "function") dialog.showModal(); else dialog.setAttribute("open", "");
      input.focus();
    });
  }

  // reveal decrypts one span's value: with the remembered key, else after
  // asking for the passphrase. It resolves to the plaintext or null.
  function reveal(span) {
    var s = parse(span.getAttribute("data-sealed"));
    var field = span.getAttribute("data-field") || "";
    if (!s) return Promise.resolve(null);
    var key = cached(s);
    var first = key ? open(key, s, field).catch(function () { return null; }) : Promise.resolve(null);
    return first.then(function (plain) {
      if (plain !== null) return plain;
      return ask(s, field).then(function (r) { return r ? r.plain : null; });
    });
  }

  function status(el, text) {
    el.textContent = text;
    setTimeout(function () { if (el.textContent === text) el.textContent = ""; }, 2500);
  }

  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(ta);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  // button makes a <button> of type with a class (or none) and a label.
  function button(type, cls, label) {
    var b = document.createElement("button");
    b.type = type;
    if (cls) b.className = cls;
    b.textContent = label;
    return b;
  }

  function setup(span) {
    var placeholder = span.textContent;
    var show = button("button", "secret-show", "Show");
    var cp = button("button", "secret-copy", "Copy");
    var note = document.createElement("span");
    note.className = "secret-status";
    note.setAttribute("aria-live", "polite");
    var timer = null;
    function hide() {
      span.textContent = placeholder;
      span.classList.remove("secret-shown");
      show.textContent = "Show";
      clearTimeout(timer);
    }
    show.addEventListener("click", function () {
      if (span.classList.contains("secret-shown")) { hide(); return; }
      reveal(span).then(function (plain) {
        if (plain === null) return;
        span.textContent = plain;
        span.classList.add("secret-shown");
        show.textContent = "Hide";
        timer = setTimeout(hide, HIDE_AFTER_MS);
      });
    });
    cp.addEventListener("click", function () {
      reveal(span).then(function (plain) {
        if (plain === null) return;
        return copy(plain).then(function () { status(note, "Copied"); }, function () { status(note, "Copy failed"); });
      });
    });
    span.after(show, cp, note);
  }

  var CSS = ".secret-show,.secret-copy{font:inherit;font-size:12px;margin-left:6px;padding:1px 8px;border:1px solid currentColor;border-radius:6px;background:transparent;color:inherit;cursor:pointer}" +
    ".secret-status{margin-left:6px;font-size:12px}.secret-shown{font-family:ui-monospace,monospace;user-select:all}" +
    ".seal-dialog{border-radius:8px;padding:16px 20px}.seal-dialog label{display:block;margin-bottom:8px}" +
    ".seal-dialog input{display:block;margin-top:4px;width:20em;max-width:100%}.seal-error{color:#b42318;min-height:1.2em}.seal-dialog button{margin-right:8px}";

  function init() {
    forgetStored();
    var spans = document.querySelectorAll("span.secret[data-sealed]");
    if (spans.length) {
      var st = document.createElement("style");
      st.textContent = CSS;
      document.head.appendChild(st);
    }
    for (var i = 0; i < spans.length; i++) setup(spans[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
