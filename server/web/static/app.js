/* Mái Ấm pages: select-all checkboxes and the maps (Leaflet, vendored).
   A map: a base layer from the configured tile URL when the browser is online, over a coordinate grid that
   shows where tiles cannot be loaded (offline); unit boundaries; points (a house, its photos, neighbours),
   or (the dashboard) every house of the unit asked from the server view by view: points grouped by
   Leaflet.markercluster, or the server's own clusters when the view holds many houses. */
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
  var KINDS = {
    house: { radius: 9, weight: 3, color: "#fff", fillColor: "#d81b60", fillOpacity: 1 },
    photo: { radius: 6, weight: 2, color: "#6a1b9a", fillColor: "#ce93d8", fillOpacity: 0.95 },
    duplicate: { radius: 8, weight: 3, color: "#c62828", fillOpacity: 0.9 },
    neighbour: { radius: 5, weight: 1, color: "#fff", fillOpacity: 0.8 }
  };
  if (typeof L === "undefined") { return; }

  function style(p) {
    var s = L.extend({ radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9 }, KINDS[p.kind] || {});
    if (!s.fillColor) { s.fillColor = COLOURS[p.status] || "#333"; }
    return s;
  }

  function popup(marker, text, url) {
    var a = document.createElement(url ? "a" : "span");
    a.textContent = text || "";
    if (url) { a.href = url; }
    marker.bindPopup(a);
  }

  function gridStep(span) {
    return span > 8 ? 2 : span > 2 ? 0.5 : span > 0.5 ? 0.1 : span > 0.1 ? 0.02 : span > 0.02 ? 0.005 : 0.001;
  }

  function drawGrid(map, layer) {  // lines in a pane under the tiles: seen only where no tile is drawn
    layer.clearLayers();
    var b = map.getBounds().pad(0.5), s = Math.max(-85, b.getSouth()), n = Math.min(85, b.getNorth());
    var w = Math.max(-180, b.getWest()), e = Math.min(180, b.getEast());
    var step = gridStep(Math.max(n - s, e - w)), opts = { color: "#c5d0d8", weight: 1, interactive: false, pane: "grid" };
    for (var la = Math.floor(s / step) * step; la <= n; la += step) { L.polyline([[la, w], [la, e]], opts).addTo(layer); }
    for (var lo = Math.floor(w / step) * step; lo <= e; lo += step) { L.polyline([[s, lo], [n, lo]], opts).addTo(layer); }
  }

  function baseLayer(map, tiles, note) {
    if (!tiles || !tiles.url) { return; }
    var shown = false;
    function offline() { if (note) { note.hidden = false; } }
    function add() {
      if (shown) { return; }
      shown = true;
      var layer = L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom || 19 });
      layer.on("tileerror", offline);
      layer.on("tileload", function () { if (note) { note.hidden = true; } });
      layer.addTo(map);
    }
    if (navigator.onLine === false) { offline(); window.addEventListener("online", add); } else { add(); }
  }

  function boundaries(map, shapes) {
    if (!shapes || !shapes.length) { return null; }
    var layer = L.geoJSON({ type: "FeatureCollection", features: shapes.map(function (b) {
      return { type: "Feature", properties: { name: b.name }, geometry: b.geometry };
    }) }, { style: { color: "#37474f", weight: 2, fill: true, fillOpacity: 0.03, dashArray: "6 4" },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name, { sticky: true }); } });
    layer.addTo(map);
    return layer.getBounds();
  }

  function staticPoints(map, cfg) {
    (cfg.lines || []).forEach(function (ln) {
      L.polyline(ln, { color: "#6a1b9a", weight: 2, dashArray: "4 4", interactive: false }).addTo(map);
    });
    var order = { neighbour: 0, duplicate: 1, photo: 2, house: 3 };  // the house drawn last, on top
    cfg.points.slice().sort(function (a, b) { return (order[a.kind] || 0) - (order[b.kind] || 0); }).forEach(function (p) {
      popup(L.circleMarker([p.lat, p.lon], style(p)).addTo(map), p.label, p.url);
    });
  }

  function clusterIcon(n) {
    var size = n < 100 ? "small" : n < 1000 ? "medium" : "large";
    var text = n >= 10000 ? Math.round(n / 1000) + "k" : String(n);
    return L.divIcon({ html: "<div><span>" + text + "</span></div>", className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40) });
  }

  function live(map, cfg, done) {  // every house of the unit, one view at a time
    var group = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true }) : L.layerGroup();
    var serverClusters = L.layerGroup();
    group.addTo(map);
    serverClusters.addTo(map);
    var seq = 0, first = true, asked = "";
    function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }
    function load() {
      var b = map.getBounds();
      var box = [clamp(b.getSouth(), -90, 90), clamp(b.getWest(), -180, 180), clamp(b.getNorth(), -90, 90),
        clamp(b.getEast(), -180, 180)].map(function (v) { return v.toFixed(5); }).join(",");
      var url = cfg.src + "&bbox=" + box + "&zoom=" + Math.round(map.getZoom());
      if (url === asked) { return; }  // the same view again (a move that ended where it began)
      asked = url;
      var mine = ++seq;
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { points: [] }; })
        .then(function (data) {
          if (mine !== seq) { return; }  // a newer view was asked meanwhile
          group.clearLayers();
          serverClusters.clearLayers();
          if (data.clusters) {
            data.clusters.forEach(function (c) {
              var m = L.marker([c[0], c[1]], { icon: clusterIcon(c[2]) }).addTo(serverClusters);
              m.on("click", function () { map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom())); });
            });
          } else {
            group.addLayers((data.points || []).map(function (p) {
              var m = L.circleMarker([p[1], p[2]], style({ status: p[3] }));
              popup(m, p[4], cfg.house_url.replace(/0$/, String(p[0])));
              return m;
            }));
          }
          map.getContainer().dataset.total = String(data.total || 0);
          map.getContainer().dataset.mode = data.clusters ? "server" : "points";
          if (first) { first = false; if (done) { done(); } }
        });
    }
    map.on("moveend", load);
    load();
  }

  function bounds(cfg, shapeBounds) {
    if (cfg.extent) { return L.latLngBounds([cfg.extent[0], cfg.extent[1]], [cfg.extent[2], cfg.extent[3]]).pad(0.05); }
    if (cfg.points && cfg.points.length) {
      var b = L.latLngBounds(cfg.points.map(function (p) { return [p.lat, p.lon]; }));
      return b.getNorth() - b.getSouth() < 0.004 && b.getEast() - b.getWest() < 0.004 ? b.getCenter().toBounds(600) : b.pad(0.15);
    }
    return shapeBounds;
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    var data = el.parentNode.querySelector("script.map-data");
    var cfg = data ? JSON.parse(data.textContent) : {};
    var map = L.map(el, { zoomSnap: 0.25, maxZoom: (cfg.tiles && cfg.tiles.max_zoom) || 19,
      attributionControl: !!(cfg.tiles && cfg.tiles.url) });
    if (map.attributionControl) { map.attributionControl.setPrefix(false); }
    map.createPane("grid").style.zIndex = 150;  // under the tiles (200)
    var grid = L.layerGroup().addTo(map);
    map.on("moveend", function () { drawGrid(map, grid); });
    var shapeBounds = boundaries(map, cfg.boundaries);
    var b = bounds(cfg, shapeBounds);
    if (!b) { el.hidden = true; el.dataset.ready = "empty"; return; }  // nothing to show
    map.fitBounds(b, { maxZoom: 17 });
    drawGrid(map, grid);
    baseLayer(map, cfg.tiles, el.parentNode.querySelector("[data-map-offline]"));
    if (cfg.src) {
      live(map, cfg, function () { el.dataset.ready = "1"; });
    } else {
      staticPoints(map, cfg);
      el.dataset.ready = "1";
    }
  });
}());
