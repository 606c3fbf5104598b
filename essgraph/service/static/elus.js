// « Collectivités comme la mienne »: search as you type in /api/collectivites, pick one to compare.
(function () {
  const input = document.getElementById("collectivite-q");
  const list = document.getElementById("collectivite-list");
  if (!input || !list) return;
  let timer = null;
  let asked = 0;
  async function lookup() {
    const text = input.value.trim();
    const ticket = ++asked;
    if (text.length < 2) { list.replaceChildren(); return; }
    const response = await fetch("/api/collectivites?limit=8&q=" + encodeURIComponent(text));
    if (!response.ok || ticket !== asked) return;
    const found = await response.json();
    const items = found.map(function (hit) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = "/comme-la-mienne?collectivite=" + encodeURIComponent(hit.iri);
      link.textContent = hit.label;
      link.className = "pick";
      li.appendChild(link);
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Aucune collectivité de ce nom dans les publications.";
      items.push(li);
    }
    list.replaceChildren(...items);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  document.getElementById("pick-form").addEventListener("submit", function (event) {
    const first = list.querySelector("a.pick");
    event.preventDefault();
    if (first) window.location.href = first.href;
  });
})();
