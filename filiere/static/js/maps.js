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

  function choropleth(element) {
    var map = baseMap(element);
    fetchJson(element.dataset.geojson).then(function (shapes) {
      var values = shapes.features.map(function (f) { return f.properties.value || 0; });
      var max = Math.max.apply(null, values.concat([1]));
      function colour(v) {
        if (!v) return BLUES[0];
        return BLUES[Math.min(BLUES.length - 1, 1 + Math.floor((v / max) * (BLUES.length - 1)))];
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
        var box = L.DomUtil.create("div", "map-legend");
        box.appendChild(document.createTextNode("0 "));
        [1, 3, 5].forEach(function (step) {
          L.DomUtil.create("span", "", box).style.background = BLUES[step];
        });
        box.appendChild(document.createTextNode(" " + max));
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
