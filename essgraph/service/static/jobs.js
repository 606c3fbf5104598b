// Staff upload page (the token box is static/token.js),
// a document is sent to POST /api/documents (answered at once with its job), and the job list is polled
// while a job is queued or running. Text from the server is inserted with textContent, never innerHTML.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const box = $("jobs-box");
  const only = box.dataset.job || "";
  const stages = JSON.parse($("stage-labels").textContent || "{}");
  let timer = null;

  const token = () => window.EssgraphToken.get();
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

  // a new token lists its jobs; a forgotten one empties the list
  window.EssgraphToken.onChange((value) => (value ? refresh() : $("jobs").replaceChildren()));
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
})();
