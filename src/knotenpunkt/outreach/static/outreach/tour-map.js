/* The map of a visit tour: the office, the numbered stops and the route between them.
 * Data comes from the JSON script element "tour-map-data"; tiles only when a tile server is
 * configured (data-tile-url), otherwise markers and route on a plain background. */
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("tour-map");
    var source = document.getElementById("tour-map-data");
    if (!element || !source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    var tileUrl = element.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 18,
        attribution: element.getAttribute("data-tile-attribution") || ""
      }).addTo(map);
    }
    var route = [];
    if (data.office) {
      route.push(data.office);
      L.circleMarker(data.office, { radius: 9, color: "#1d5c8f", fillOpacity: 0.9 })
        .bindTooltip(element.getAttribute("data-office-label") || "Office")
        .addTo(map);
    }
    data.stops.forEach(function (stop) {
      var point = [stop.lat, stop.lon];
      route.push(point);
      L.circleMarker(point, { radius: 7, color: "#b35900", fillOpacity: 0.8 })
        .bindTooltip(stop.position + ". " + stop.name + (stop.arrival ? " (" + stop.arrival + ")" : ""),
          { permanent: true, direction: "right", className: "tour-map__label" })
        .addTo(map);
    });
    if (data.office) {
      route.push(data.office);
    }
    if (route.length > 1) {
      L.polyline(route, { color: "#1d5c8f", weight: 3 }).addTo(map);
    }
    map.fitBounds(L.latLngBounds(route).pad(0.15));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
