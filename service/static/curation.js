// Staff curation page: token in sessionStorage, initiative picker, suggestions, accept/reject, history.
// Every piece of text from the server is inserted with textContent (never innerHTML).
"use strict";
(() => {
  const KEY = "essgraph-token";
  const $ = (id) => document.getElementById(id);
  let current = null;

  const say = (text, isError) => {
    const box = $("message");
    box.textContent = text || "";
    box.className = "message" + (isError ? " error" : "");
  };
  const token = () => sessionStorage.getItem(KEY) || "";
  const showTokenState = () => {
    $("token-state").textContent = token() ? "Jeton enregistré pour cet onglet." : "Aucun jeton : saisissez-le pour continuer.";
  };
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  async function api(method, url, body) {
    const headers = { Accept: "application/json", Authorization: "Bearer " + token() };
    if (body) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Error((data && data.message) || "Erreur " + response.status);
    return data;
  }

  async function findInitiatives(q) {
    const list = $("initiative-list");
    const response = await fetch("/api/entities?type=initiative&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
    const items = response.ok ? await response.json() : [];
    list.replaceChildren();
    for (const item of items) {
      const li = el("li");
      const button = el("button", item.label, "pick");
      button.type = "button";
      button.addEventListener("click", () => open(item));
      li.append(button);
      list.append(li);
    }
    if (!items.length) list.append(el("li", "Aucune initiative trouvée.", "muted"));
  }

  async function open(item) {
    if (!token()) { say("Saisissez d'abord votre jeton d'équipe.", true); return; }
    current = item;
    $("work").hidden = false;
    $("initiative-title").textContent = item.label;
    $("initiative-link").href = item.path || "#";
    say("");
    await Promise.all([loadSuggestions(), loadHistory()]);
  }

  async function decide(suggestion, decision, reasonInput) {
    const reason = reasonInput.value.trim() || suggestion.reasons[0] || "Décision de l'équipe";
    try {
      await api("POST", "/api/links", { initiative: current.iri, lever: suggestion.lever, reason, decision });
      say(decision === "accept" ? "Lien ajouté : " + current.label + " → " + suggestion.label : "Suggestion rejetée : " + suggestion.label);
      await Promise.all([loadSuggestions(), loadHistory()]);
    } catch (error) { say(error.message, true); }
  }

  async function loadSuggestions() {
    const list = $("suggestions");
    list.replaceChildren(el("li", "Calcul des suggestions…", "muted"));
    try {
      const data = await api("GET", "/api/links/suggestions?initiative=" + encodeURIComponent(current.iri));
      list.replaceChildren();
      for (const s of data.suggestions) {
        const li = el("li", null, "suggestion");
        const head = el("p");
        head.append(el("strong", s.label), el("span", " — score " + s.score.toFixed(2).replace(".", ","), "muted"));
        if (s.decided) head.append(el("span", s.decided === "rejected" ? "rejeté" : "validé", "chip curated"));
        li.append(head);
        const reasons = el("ul", null, "reasons");
        for (const r of s.reasons) reasons.append(el("li", r));
        if (!s.reasons.length) reasons.append(el("li", "Aucun indice fort.", "muted"));
        li.append(reasons);
        const reason = el("input");
        reason.type = "text";
        reason.placeholder = "Motif (facultatif : sinon la première raison ci-dessus)";
        reason.className = "reason";
        const accept = el("button", "Accepter", "accept");
        accept.type = "button";
        accept.addEventListener("click", () => decide(s, "accept", reason));
        const reject = el("button", "Rejeter", "reject");
        reject.type = "button";
        reject.addEventListener("click", () => decide(s, "reject", reason));
        const actions = el("p", null, "actions");
        actions.append(reason, accept, reject);
        li.append(actions);
        list.append(li);
      }
      if (!data.suggestions.length) list.append(el("li", "Aucun levier à suggérer (thésaurus vide ?).", "muted"));
    } catch (error) { list.replaceChildren(); say(error.message, true); }
  }

  async function withdraw(link) {
    try {
      await api("DELETE", "/api/links/" + encodeURIComponent(link.id));
      say("Décision retirée.");
      await Promise.all([loadSuggestions(), loadHistory()]);
    } catch (error) { say(error.message, true); }
  }

  async function loadHistory() {
    const list = $("history");
    try {
      const links = await api("GET", "/api/links?initiative=" + encodeURIComponent(current.iri));
      list.replaceChildren();
      const statusFr = { added: "ajouté", confirmed: "confirmé", rejected: "rejeté" };
      for (const link of links) {
        const li = el("li", null, link.active ? "active" : "withdrawn");
        li.append(el("strong", (link.lever_label || link.lever) + " : " + (statusFr[link.status] || link.status)));
        li.append(el("span", " par " + link.curated_by + " le " + link.created + " — « " + link.reason + " »"));
        if (link.active) {
          const button = el("button", "Retirer", "withdraw");
          button.type = "button";
          button.addEventListener("click", () => withdraw(link));
          li.append(" ", button);
        } else {
          li.append(el("span", " (retiré le " + link.withdrawn + ")", "muted"));
        }
        list.append(li);
      }
      if (!links.length) list.append(el("li", "Aucune décision pour cette initiative.", "muted"));
    } catch (error) { say(error.message, true); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    showTokenState();
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("token").value.trim();
      if (value) sessionStorage.setItem(KEY, value);
      $("token").value = "";
      showTokenState();
    });
    $("forget").addEventListener("click", () => { sessionStorage.removeItem(KEY); showTokenState(); });
    let timer = null;
    $("initiative-q").addEventListener("input", (event) => {
      clearTimeout(timer);
      timer = setTimeout(() => findInitiatives(event.target.value), 200);
    });
    $("initiative-form").addEventListener("submit", (event) => { event.preventDefault(); findInitiatives($("initiative-q").value); });
    findInitiatives("");
  });
})();
