// Search results on a phone: the other passages of a hit's section start folded, so the next hit is near.
(function () {
  if (!window.matchMedia("(max-width: 800px)").matches) return;
  document.querySelectorAll("details.same-section[open]").forEach(function (d) { d.open = false; });
})();
