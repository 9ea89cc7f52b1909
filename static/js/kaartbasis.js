/* Draws the maps the server describes in data-kaart (app/geo/maps.py): the basemap, GeoJSON
   layers with their style, hover and tooltip, and the view. Page scripts find a map and its
   layers as window[name]. Tooltips are DOM nodes filled with textContent: data never becomes
   HTML. Load after leaflet.js and before the page's own script. No framework, no CDN. */
(function () {
  "use strict";

  function tooltip(fields) {
    return function (source) {  /* the feature's own layer, under the mouse */
      var props = source.feature.properties || {};
      var table = document.createElement("table");
      fields.forEach(function (field) {
        var row = table.insertRow();
        var th = document.createElement("th");
        th.textContent = field[1];
        row.appendChild(th);
        var value = props[field[0]];
        row.insertCell().textContent = value === null || value === undefined ? "" : String(value);
      });
      return table;
    };
  }

  function styler(spec) {
    return function (feature) {
      var style = Object.assign({}, spec.style);
      if (spec.colourBy) {
        var colour = spec.colours[feature.properties[spec.colourBy]];
        if (colour) { style.color = colour; }
        var dash = (spec.dashes || {})[feature.properties[spec.colourBy]];
        if (dash) { style.dashArray = dash; }
      }
      return style;
    };
  }

  function makeLayer(spec) {
    var layer;
    var options = { style: styler(spec), interactive: spec.interactive !== false };
    if (spec.points) {
      options.pointToLayer = function (feature, latlng) {
        return L.circleMarker(latlng, Object.assign({ interactive: options.interactive },
                                                    spec.points));
      };
    }
    if (spec.hover) {
      options.onEachFeature = function (feature, child) {
        child.on("mouseover", function () { child.setStyle(spec.hover); });
        child.on("mouseout", function () { layer.resetStyle(child); });
      };
    }
    layer = L.geoJSON(spec.data, options);
    if (spec.tooltip) {
      layer.bindTooltip(tooltip(spec.tooltip), { sticky: true, className: "kaart-tooltip" });
    }
    return layer;
  }

  document.querySelectorAll("[data-kaart]").forEach(function (el) {
    var config = JSON.parse(el.dataset.kaart);
    var options = { center: [0, 0], zoom: 1, zoomControl: true };
    if (config.maxZoom !== undefined) { options.maxZoom = config.maxZoom; }
    var map = L.map(el, options);
    if (config.basemap && config.basemap.vector) {  /* our own basemap, static/js/basiskaart.js */
      var basiskaart = window.vkBasiskaart ? window.vkBasiskaart(config.basemap) : null;
      if (basiskaart) { basiskaart.addTo(map); }
    } else if (config.basemap) {
      L.tileLayer(config.basemap.url, {
        attribution: config.basemap.attribution, maxZoom: config.basemap.maxZoom,
        maxNativeZoom: config.basemap.maxNativeZoom
      }).addTo(map);
    }
    config.layers.forEach(function (spec) {
      window[spec.name] = makeLayer(spec).addTo(map);
    });
    if (config.bounds) { map.fitBounds(config.bounds, config.fit || {}); }
    L.control.scale({ imperial: false }).addTo(map);
    window[config.name] = map;
    /* the town search (zoeken.js) asks the map to go somewhere: a street or area by its bbox
       (west, south, east, north), a point close up; the centre is readable in data-centrum */
    map.on("moveend", function () {
      var c = map.getCenter();
      el.dataset.centrum = c.lat.toFixed(6) + "," + c.lng.toFixed(6);
    });
    document.addEventListener("kaart:ga-naar", function (e) {
      var d = e.detail;
      if (d.bbox) {
        map.fitBounds([[d.bbox[1], d.bbox[0]], [d.bbox[3], d.bbox[2]]], { maxZoom: 18 });
      } else {  /* close enough to see some 100 m around, with a mark on the spot */
        map.setView([d.lat, d.lon], 17);
        if (!map.zoekpunt) {
          map.zoekpunt = L.circleMarker([d.lat, d.lon], {
            radius: 8, color: "#1a5ea8", weight: 3, fillOpacity: 0.4, interactive: false
          }).addTo(map);
        }
        map.zoekpunt.setLatLng([d.lat, d.lon]);
      }
      e.preventDefault();
    });
  });
}());
