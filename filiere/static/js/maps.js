// Maps without any tile server: the territory's own boundaries are the background.
(function () {
  "use strict";
  var BLUES = ["#eef3fa", "#c6d7ee", "#8fb2dc", "#5287c4", "#2a5ea3", "#123f6d"];

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); });
  }

  function baseMap(element) {
    var map = L.map(element, { zoomSnap: 0.25, minZoom: 5, maxZoom: 18, attributionControl: true });
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("Contours : IGN Admin Express (Licence Ouverte)");
    return map;
  }

  function fit(map, layer) {
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds);
    else map.setView([46.6, 2.4], 5);
  }

  // Points (GeoJSON, each with a name and a url) over the départements, clustered.
  function pointsMap(element) {
    var map = baseMap(element);
    var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
    fetchJson(element.dataset.background).then(function (shapes) {
      var layer = L.geoJSON(shapes, { style: { color: "#123f6d", weight: 1, fillColor: "#eef3fa", fillOpacity: 0.6 } }).addTo(map);
      fit(map, layer);
    });
    function load() {
      var url = element.dataset.points + window.location.search;
      fetchJson(url).then(function (points) {
        clusters.clearLayers();
        L.geoJSON(points, {
          pointToLayer: function (feature, latlng) {
            var marker = L.marker(latlng, { title: feature.properties.name, alt: feature.properties.name });
            var link = document.createElement("a");
            link.href = feature.properties.url;
            link.textContent = feature.properties.name;
            marker.bindPopup(link);
            return marker;
          },
        }).eachLayer(function (layer) { clusters.addLayer(layer); });
        map.addLayer(clusters);
        element.dataset.ready = "1";
      });
    }
    load();
    document.body.addEventListener("htmx:afterSettle", load);
  }

  // The colour classes over the data's own range: the values above zero cut into quantiles,
  // one per colour after the first (which is for zero), each class from its lowest value to
  // its highest. A scale from 0 to the maximum put every small area in one colour.
  function classes(values, count) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    var found = [];
    for (var i = 1; i <= count && sorted.length; i++) {
      var high = sorted[Math.ceil((i * sorted.length) / count) - 1];
      var last = found[found.length - 1];
      if (last && high <= last.high) continue;
      var low = last ? sorted.filter(function (v) { return v > last.high; })[0] : sorted[0];
      found.push({ low: low, high: high });
    }
    found.forEach(function (c, index) {
      var step = found.length > 1 ? (index * (BLUES.length - 2)) / (found.length - 1) : BLUES.length - 2;
      c.colour = BLUES[1 + Math.round(step)];
    });
    return found;
  }

  function figure(v) { return Number(v).toLocaleString("fr-FR"); }

  function choropleth(element) {
    var map = baseMap(element);
    fetchJson(element.dataset.geojson).then(function (shapes) {
      var values = shapes.features.map(function (f) { return f.properties.value || 0; });
      var scale = classes(values, BLUES.length - 1);
      function colour(v) {
        if (!v) return BLUES[0];
        return scale.filter(function (c) { return v <= c.high; })[0].colour;
      }
      var layer = L.geoJSON(shapes, {
        style: function (f) {
          return { color: "#4d4d4d", weight: 0.6, fillColor: colour(f.properties.value), fillOpacity: 0.85 };
        },
        onEachFeature: function (f, l) { l.bindTooltip(f.properties.name + " : " + (f.properties.value || 0)); },
      }).addTo(map);
      fit(map, layer);
      element.dataset.ready = "1";
      var legend = L.control({ position: "bottomright" });
      legend.onAdd = function () {
        // Built node by node: the CSP refuses style attributes written as HTML.
        var box = L.DomUtil.create("ul", "map-legend");
        var rows = scale.map(function (c) {
          return { colour: c.colour, text: c.low === c.high ? figure(c.low) : figure(c.low) + " – " + figure(c.high) };
        });
        if (values.some(function (v) { return !v; })) rows.unshift({ colour: BLUES[0], text: "0" });
        rows.forEach(function (row) {
          var item = L.DomUtil.create("li", "", box);
          L.DomUtil.create("span", "", item).style.background = row.colour;
          item.appendChild(document.createTextNode(" " + row.text));
        });
        return box;
      };
      legend.addTo(map);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-points]").forEach(pointsMap);
    document.querySelectorAll("[data-choropleth]").forEach(choropleth);
  });
})();
