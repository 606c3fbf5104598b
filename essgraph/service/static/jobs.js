// Staff upload page: the token is checked by GET /api/staff/me before it is kept (a wrong one is said so),
// a document is sent to POST /api/documents (answered at once with its job), and the job list is polled
// while a job is queued or running. Text from the server is inserted with textContent, never innerHTML.
"use strict";
(() => {
  const KEY = "essgraph-token";
  const $ = (id) => document.getElementById(id);
  const box = $("jobs-box");
  const only = box.dataset.job || "";
  const stages = JSON.parse($("stage-labels").textContent || "{}");
  let timer = null;

  const token = () => sessionStorage.getItem(KEY) || "";
  const say = (id, text, isError) => {
    const node = $(id);
    node.textContent = text || "";
    node.className = (id === "message" ? "message" : "muted") + (isError ? " error" : "");
  };
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  const headers = () => ({ Accept: "application/json", Authorization: "Bearer " + token() });

  async function checkToken(value) {
    const response = await fetch("/api/staff/me", { headers: { Accept: "application/json", Authorization: "Bearer " + value } });
    const data = await response.json();
    if (!response.ok) throw new Error(data.message || "Jeton refusé (" + response.status + ")");
    return data;
  }

  function extracted(job) {
    if (job.status === "failed" && job.error) return job.error.message;
    if (!job.result) return "";
    const r = job.result;
    const parts = [r.passages + " passages", r.entities + " entités", r.statements + " triplets"];
    if (r.replaced) parts.push("remplace le dépôt précédent");
    return parts.join(" · ");
  }

  function row(job) {
    const tr = el("tr");
    tr.dataset.status = job.status;
    const file = el("td");
    const link = el("a", job.file);
    link.href = job.page;
    file.append(link);
    tr.append(file, el("td", job.uploaded_by), el("td", job.status_label, "status " + job.status));
    const stage = el("td", job.status === "running" ? stages[job.stage] || job.stage_label : job.stage_label);
    tr.append(stage, el("td", extracted(job), job.status === "failed" ? "error" : ""));
    return tr;
  }

  async function refresh() {
    clearTimeout(timer);
    if (!token()) return;
    const response = await fetch(only ? "/api/jobs/" + encodeURIComponent(only) : "/api/jobs", { headers: headers() });
    const data = await response.json();
    if (!response.ok) {
      say("jobs-empty", data.message || "Erreur " + response.status, true);
      return;
    }
    const jobs = Array.isArray(data) ? data : [data];
    $("jobs").replaceChildren(...jobs.map(row));
    say("jobs-empty", jobs.length ? "" : "Aucun dépôt pour l'instant.");
    if (jobs.some((j) => j.status === "queued" || j.status === "running")) timer = setTimeout(refresh, 1000);
  }

  async function showTokenState() {
    if (!token()) {
      say("token-state", "Aucun jeton : saisissez-le pour continuer.");
      return;
    }
    try {
      const me = await checkToken(token());
      say("token-state", "Jeton reconnu : " + me.name + " (portées : " + me.scopes.join(", ") + ").");
      refresh();
    } catch (error) {
      sessionStorage.removeItem(KEY);
      say("token-state", error.message, true);
    }
  }

  $("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = $("token").value.trim();
    try {
      await checkToken(value);
      sessionStorage.setItem(KEY, value);
      $("token").value = "";
      showTokenState();
    } catch (error) {
      say("token-state", error.message, true);
    }
  });
  $("forget").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    $("jobs").replaceChildren();
    showTokenState();
  });
  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file);
    say("message", "Envoi de « " + file.name + " »…");
    const response = await fetch("/api/documents", { method: "POST", headers: headers(), body });
    const data = await response.json();
    if (!response.ok) {
      say("message", data.message || "Erreur " + response.status, true);
      return;
    }
    say("message", "« " + data.file + " » reçu : ingestion en cours.");
    window.location.href = data.page;
  });
  showTokenState();
})();
