/* Mái Ấm pages: select-all checkboxes and the offline map (Leaflet, no tiles: a plain background and a grid). */
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (b) { b.checked = box.checked; });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var COLOURS = { assessed: "#7a8791", commune_reviewed: "#7a8791", approved: "#1f6fd1", funded: "#1f6fd1",
    started: "#e08a00", stage_checked: "#e08a00", completed: "#1f9d4a", handed_over: "#0d5c2b",
    rejected: "#c62828", withdrawn: "#555" };
  if (typeof L === "undefined") { return; }
  document.querySelectorAll("[data-map]").forEach(function (el) {
    var data = el.parentNode.querySelector("script.map-data");
    var points = data ? JSON.parse(data.textContent) : [];
    if (!points.length) { return; }
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var lats = points.map(function (p) { return p.lat; }), lons = points.map(function (p) { return p.lon; });
    var pad = 0.01;
    var s = Math.min.apply(null, lats) - pad, n = Math.max.apply(null, lats) + pad;
    var w = Math.min.apply(null, lons) - pad, e = Math.max.apply(null, lons) + pad;
    // a coordinate grid in place of map tiles
    var span = Math.max(n - s, e - w), step = span > 2 ? 0.5 : span > 0.5 ? 0.1 : span > 0.1 ? 0.02 : 0.005;
    var grid = { color: "#c5d0d8", weight: 1, interactive: false };
    for (var la = Math.floor((s - 5 * span) / step) * step; la <= n + 5 * span; la += step) { L.polyline([[la, w - 10 * span], [la, e + 10 * span]], grid).addTo(map); }
    for (var lo = Math.floor((w - 5 * span) / step) * step; lo <= e + 5 * span; lo += step) { L.polyline([[s - 10 * span, lo], [n + 10 * span, lo]], grid).addTo(map); }
    points.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], { radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9,
        fillColor: COLOURS[p.status] || "#333" }).addTo(map);
      var label = document.createElement("a");
      label.textContent = p.label || "";
      if (p.url) { label.href = p.url; }
      m.bindPopup(label);
    });
    map.fitBounds([[s, w], [n, e]]);
  });
}());
