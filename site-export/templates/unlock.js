(() => {
  "use strict";
  const payload = JSON.parse(document.getElementById("cosos-payload").textContent);
  const form = document.getElementById("unlock-form");
  const input = document.getElementById("passphrase");
  const button = form.querySelector("button");
  const status = document.getElementById("unlock-status");
  // The derived key (never the passphrase) is kept for this tab only, so the other pages of the
  // same export open without typing it again; a new export has a new salt, hence a new entry.
  const memo = "cosos-export-key:" + payload.salt;
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const text = (raw) => btoa(String.fromCharCode(...raw));

  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "unlock-status error" : "unlock-status";
    status.hidden = false;
  }

  async function derive(passphrase) {
    const base = await crypto.subtle.importKey(
      "raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: bytes(payload.salt), iterations: payload.iterations },
      base, 256);
    return new Uint8Array(bits);
  }

  async function decrypt(raw) {
    const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(payload.iv) }, key, bytes(payload.ciphertext));
    return new TextDecoder().decode(plain);
  }

  // Replaces this document with the decrypted one, once this one has finished loading (writing
  // into a document that is still being parsed would insert rather than replace).
  function show(html) {
    const replace = () => {
      document.open();
      document.write(html);
      document.close();
    };
    if (document.readyState === "complete") replace();
    else window.addEventListener("load", replace, { once: true });
  }

  function remember(raw) {
    try { sessionStorage.setItem(memo, text(raw)); } catch (_) { /* storage off: ask again */ }
  }

  function recall() {
    try { const v = sessionStorage.getItem(memo); return v ? bytes(v) : null; } catch (_) { return null; }
  }

  if (!window.crypto || !crypto.subtle) {
    say("This browser cannot decrypt the page (it has no WebCrypto). Try a current Chrome, Firefox, Edge or Safari.", true);
    form.hidden = true;
    return;
  }

  const saved = recall();
  if (saved) {
    decrypt(saved).then(show, () => {
      try { sessionStorage.removeItem(memo); } catch (_) { /* nothing to forget */ }
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    say("Unlocking…", false);
    try {
      const raw = await derive(input.value);
      let html;
      try {
        html = await decrypt(raw);
      } catch (_) {
        say("Wrong passphrase: this page did not open with it. Check it and try again.", true);
        input.select();
        return;
      }
      remember(raw);
      show(html);
    } catch (e) {
      say("The page could not be decrypted: " + e.message, true);
    } finally {
      button.disabled = false;
    }
  });
})();
