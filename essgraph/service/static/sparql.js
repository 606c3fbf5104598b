// Fills the editor with the chosen example query (no build step, no dependency).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("example");
  const editor = document.getElementById("query");
  if (!select || !editor) return;
  select.addEventListener("change", () => {
    const option = select.options[select.selectedIndex];
    if (option && option.dataset.query) editor.value = option.dataset.query;
  });
});
