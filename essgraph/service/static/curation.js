// Staff curation page (the token box is static/token.js): entity picker, lever suggestions, accept/reject,
// corrections of the entity, its split (« Scinder »), history with withdraw/undo.
// Every piece of text from the server is inserted with textContent (never innerHTML).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  let current = null;

  const say = (text, isError) => {
    const box = $("message");
    box.textContent = text || "";
    box.className = "message" + (isError ? " error" : "");
  };
  const token = () => window.EssgraphToken.get(); // the token box is static/token.js
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

  const kindNames = { label: "Libellé", type: "Type", legal_form: "Forme juridique", departement: "Département", same_as: "Même entité que" };
  const hints = () => JSON.parse($("correction-hints").textContent || "{}");

  let lookup = 0; // only the latest lookup may fill the list (answers can arrive out of order)

  async function findInitiatives(q) {
    const list = $("initiative-list");
    const kind = $("entity-kind").value;
    const url = "/api/entities?q=" + encodeURIComponent(q) + (kind ? "&type=" + encodeURIComponent(kind) : "");
    const mine = ++lookup;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const items = response.ok ? await response.json() : [];
    if (mine !== lookup) return;
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
    $("levers").hidden = item.kind !== "initiative";
    say("");
    await Promise.all([item.kind === "initiative" ? loadSuggestions() : null, loadHistory(), loadSplitPassages()]);
  }

  // --- split (« Scinder »): the passages the entity is involved in, grouped by document -----------------
  async function loadSplitPassages() {
    const box = $("split-passages");
    box.replaceChildren(el("p", "Chargement des passages…", "muted"));
    try {
      const rows = await api("GET", "/api/splits/passages?entity=" + encodeURIComponent(current.iri));
      box.replaceChildren();
      const byDocument = new Map();
      for (const row of rows) {
        if (!byDocument.has(row.document)) byDocument.set(row.document, []);
        byDocument.get(row.document).push(row);
      }
      for (const [document, passages] of byDocument) {
        const set = el("fieldset");
        const whole = el("input");
        whole.type = "checkbox";
        whole.className = "split-document";
        whole.value = document;
        const legend = el("label", null, "document");
        legend.append(whole, " Tout le document : " + (passages[0].document_title || document));
        set.append(legend);
        for (const row of passages) {
          const box = el("input");
          box.type = "checkbox";
          box.className = "split-passage";
          box.value = row.passage;
          const label = el("label", null, "passage");
          label.append(box, " " + (row.citation || row.passage) + " — " + row.text.slice(0, 160));
          set.append(label);
        }
        box.append(set);
      }
      if (!rows.length) box.append(el("p", "Aucun passage ne mentionne cette entité.", "muted"));
    } catch (error) { box.replaceChildren(); say(error.message, true); }
  }

  async function split(event) {
    event.preventDefault();
    const checked = (cls) => Array.from(document.querySelectorAll("#split-passages input." + cls + ":checked")).map((x) => x.value);
    const body = {
      entity: current.iri,
      label: $("split-label").value.trim(),
      type: $("split-type").value,
      passages: checked("split-passage"),
      documents: checked("split-document"),
      reason: $("split-reason").value.trim(),
    };
    try {
      const done = await api("POST", "/api/splits", body);
      say("Entité scindée : " + body.label + " (" + done.new_entity + ")");
      $("split-label").value = "";
      $("split-reason").value = "";
      await Promise.all([loadHistory(), loadSplitPassages()]);
    } catch (error) { say(error.message, true); }
  }

  async function undoSplit(s) {
    try {
      await api("DELETE", "/api/splits/" + encodeURIComponent(s.id));
      say("Scission annulée.");
      await Promise.all([loadHistory(), loadSplitPassages()]);
    } catch (error) { say(error.message, true); }
  }

  function splitItem(s) {
    const li = el("li", null, (s.active ? "active" : "withdrawn") + " split");
    li.append(el("strong", s.summary + " — " + s.passages.length + " passage(s)"));
    li.append(el("span", " par " + s.curated_by + " le " + s.created + " — « " + s.reason + " »"));
    if (s.active) {
      const button = el("button", "Annuler", "undo");
      button.type = "button";
      button.addEventListener("click", () => undoSplit(s));
      li.append(" ", button);
    } else {
      li.append(el("span", " (annulée le " + s.withdrawn + ")", "muted"));
    }
    return li;
  }

  async function correct(event) {
    event.preventDefault();
    const kind = $("correction-kind").value;
    const body = { entity: current.iri, kind, value: $("correction-value").value.trim(), reason: $("correction-reason").value.trim() };
    try {
      const done = await api("POST", "/api/corrections", body);
      say("Correction enregistrée : " + kindNames[kind] + " → " + (done.value_label || done.value));
      $("correction-value").value = "";
      $("correction-reason").value = "";
      if (kind === "label") { current.label = done.value; $("initiative-title").textContent = done.value; }
      await loadHistory();
    } catch (error) { say(error.message, true); }
  }

  async function undo(correction) {
    try {
      await api("DELETE", "/api/corrections/" + encodeURIComponent(correction.id));
      say("Correction annulée.");
      await loadHistory();
    } catch (error) { say(error.message, true); }
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
      const isInitiative = current.kind === "initiative";
      const [links, corrections, splits] = await Promise.all([
        isInitiative ? api("GET", "/api/links?initiative=" + encodeURIComponent(current.iri)) : [],
        api("GET", "/api/corrections?entity=" + encodeURIComponent(current.iri)),
        api("GET", "/api/splits?entity=" + encodeURIComponent(current.iri)),
      ]);
      list.replaceChildren();
      const statusFr = { added: "ajouté", confirmed: "confirmé", rejected: "rejeté" };
      const entries = links.map((l) => ({ when: l.created, link: l })).concat(corrections.map((c) => ({ when: c.created, correction: c })), splits.map((s) => ({ when: s.created, split: s })));
      entries.sort((a, b) => (a.when < b.when ? 1 : a.when > b.when ? -1 : 0));
      for (const entry of entries) {
        if (entry.correction) { list.append(correctionItem(entry.correction)); continue; }
        if (entry.split) { list.append(splitItem(entry.split)); continue; }
        const link = entry.link;
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
      if (!entries.length) list.append(el("li", "Aucune décision pour cette entité.", "muted"));
    } catch (error) { say(error.message, true); }
  }

  function correctionItem(c) {
    const li = el("li", null, (c.active ? "active" : "withdrawn") + " correction");
    const replaced = c.replaced.length ? " (remplace : " + c.replaced.join(", ") + ")" : "";
    li.append(el("strong", "Correction — " + kindNames[c.kind] + " : " + (c.value_label || c.value) + replaced));
    li.append(el("span", " par " + c.curated_by + " le " + c.created + " — « " + c.reason + " »"));
    if (c.active) {
      const button = el("button", "Annuler", "undo");
      button.type = "button";
      button.addEventListener("click", () => undo(c));
      li.append(" ", button);
    } else {
      li.append(el("span", " (annulée le " + c.withdrawn + ")", "muted"));
    }
    return li;
  }

  async function loadDuplicates() {
    const list = $("duplicates");
    list.replaceChildren(el("li", "Recherche des doublons…", "muted"));
    try {
      const pairs = await api("GET", "/api/entities/duplicates?limit=50");
      list.replaceChildren();
      if (!pairs.length) list.append(el("li", "Aucun doublon probable.", "muted"));
      for (const pair of pairs) {
        const li = el("li", null, "suggestion duplicate");
        const head = el("p");
        head.append(el("strong", pair.merge.label), el("span", " → ", "muted"), el("strong", pair.keep.label));
        head.append(el("span", " — score " + pair.score.toFixed(2).replace(".", ","), "muted"));
        const reasons = el("ul", null, "reasons");
        for (const r of pair.reasons) reasons.append(el("li", r));
        const merge = el("button", "Fusionner", "accept");
        merge.type = "button";
        merge.addEventListener("click", async () => {
          try {
            await api("POST", "/api/corrections", { entity: pair.merge.iri, kind: "same_as", value: pair.keep.iri, reason: pair.reasons.join(" ; ") });
            say("Fusionné : " + pair.merge.label + " → " + pair.keep.label + " (annulable depuis l'historique de l'entité).");
            await loadDuplicates();
          } catch (error) { say(error.message, true); }
        });
        li.append(head, reasons, merge);
        list.append(li);
      }
    } catch (error) { list.replaceChildren(); say(error.message, true); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("duplicates-load").addEventListener("click", loadDuplicates);
    let timer = null;
    $("initiative-q").addEventListener("input", (event) => {
      clearTimeout(timer);
      timer = setTimeout(() => findInitiatives(event.target.value), 200);
    });
    $("initiative-form").addEventListener("submit", (event) => { event.preventDefault(); findInitiatives($("initiative-q").value); });
    $("entity-kind").addEventListener("change", () => findInitiatives($("initiative-q").value));
    $("correction-form").addEventListener("submit", correct);
    $("split-form").addEventListener("submit", split);
    const showHint = () => { $("correction-help").textContent = hints()[$("correction-kind").value] || ""; };
    $("correction-kind").addEventListener("change", showHint);
    showHint();
    findInitiatives("");
    // opened from an entity page (« corriger, fusionner ou scinder »): that entity's panel at once
    const asked = new URLSearchParams(window.location.search);
    if (asked.get("entity")) {
      const item = { iri: asked.get("entity"), label: asked.get("label") || asked.get("entity"), kind: asked.get("kind") || "", path: asked.get("path") || "#" };
      if (token()) open(item); else say("Saisissez votre jeton d'équipe, puis rouvrez cette fiche.", true);
    }
  });
})();
