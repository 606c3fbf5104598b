// The staff token box shared by the staff pages (curation, dépôt): the token is checked by
// GET /api/staff/me before it is kept in sessionStorage (a wrong one is said so at once), and the state
// line names the staff member and the French labels of the token's scopes. Pages read the token with
// EssgraphToken.get() and hear of a new or forgotten token through EssgraphToken.onChange(callback).
"use strict";
window.EssgraphToken = (() => {
  const KEY = "essgraph-token";
  const $ = (id) => document.getElementById(id);
  const listeners = [];
  const get = () => sessionStorage.getItem(KEY) || "";
  const whoIs = async (value) => {
    const response = await fetch("/api/staff/me", { headers: { Accept: "application/json", Authorization: "Bearer " + value } });
    const data = await response.json();
    if (!response.ok) throw new Error(data.message || "Jeton refusé (" + response.status + ")");
    return data;
  };
  const say = (text, isError) => {
    const state = $("token-state");
    state.textContent = text || "";
    state.className = "muted" + (isError ? " error" : "");
  };
  const showState = async () => {
    if (!get()) {
      say("Aucun jeton : saisissez-le pour continuer.");
      listeners.forEach((callback) => callback(""));
      return;
    }
    try {
      const me = await whoIs(get());
      const labels = me.scopes.map((scope) => (me.scope_labels || {})[scope] || scope);
      say("Jeton reconnu : " + me.name + " (portées : " + labels.join(", ") + ").");
      listeners.forEach((callback) => callback(get()));
    } catch (error) {
      sessionStorage.removeItem(KEY);
      say(error.message, true);
    }
  };
  const start = () => {
    $("token-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = $("token").value.trim();
      if (!value) return;
      try {
        await whoIs(value);
        sessionStorage.setItem(KEY, value);
        $("token").value = "";
        showState();
      } catch (error) {
        say(error.message, true);
      }
    });
    $("forget").addEventListener("click", () => { sessionStorage.removeItem(KEY); showState(); });
    showState();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  return { get, onChange: (callback) => listeners.push(callback) };
})();
