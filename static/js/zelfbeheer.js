/* Zelfbeheer map: groenvakken from the open API (/v1), loaded per view (bbox) when zoomed in,
   coloured by status; a click opens the groenvak's panel by htmx. No framework, no CDN. */
(function () {
  "use strict";
  var el = document.querySelector("[data-zelfbeheer]");
  if (!el) { return; }
  var map = window[el.dataset.mapVar];
  var gemeente = el.dataset.gemeente;
  var minZoom = 15;
  var colours = JSON.parse(el.dataset.kleuren);
  var labels = JSON.parse(el.dataset.labels);
  var hint = document.getElementById("kaart-hint");
  var layer = L.geoJSON(null, {
    style: function (f) {
      return { color: colours[f.properties.status], weight: 1.5, fillOpacity: 0.55 };
    },
    onEachFeature: function (f, l) {
      l.on("click", function () { openPanel(f.id); });
      l.bindTooltip(function () {  /* a text node: a name never becomes HTML */
        return document.createTextNode((f.properties.naam || f.properties.plaatsnaam ||
                                        f.properties.soort) + " – " +
                                       labels[f.properties.status]);
      });
    }
  }).addTo(map);
  var pending = null;

  function openPanel(id) {
    htmx.ajax("GET", "/zelfbeheer/groenvak/" + id, { target: "#paneel", swap: "innerHTML" });
  }

  function load() {
    if (map.getZoom() < minZoom) {
      layer.clearLayers();
      hint.textContent = "Zoom in om de groenvakken te zien.";
      return;
    }
    var b = map.getBounds();
    var url = "/v1/collections/groenvakken/items?limit=5000&gemeente=" +
      encodeURIComponent(gemeente) + "&bbox=" +
      [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return v.toFixed(6);
      }).join(",");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    hint.textContent = "Groenvakken laden…";
    fetch(url, { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        layer.clearLayers();
        layer.addData(data);
        hint.textContent = data.numberReturned + " groenvakken in beeld.";
        el.dataset.geladen = String(data.numberReturned);
      })
      .catch(function (e) {
        if (e.name !== "AbortError") { hint.textContent = "Laden mislukt."; }
      });
  }

  map.on("moveend", load);
  if (el.dataset.focus) {
    var f = JSON.parse(el.dataset.focus);
    map.fitBounds([[f[0], f[1]], [f[2], f[3]]], { maxZoom: 18 });
  }
  load();

  var near = document.getElementById("bij-mij");
  if (near && navigator.geolocation) {
    near.hidden = false;
    near.addEventListener("click", function () {
      hint.textContent = "Uw locatie opvragen…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        map.setView([pos.coords.latitude, pos.coords.longitude], 17);
      }, function () { hint.textContent = "Uw locatie is niet beschikbaar."; });
    });
  }
  /* an address chosen in the search box: its nearest groenvakken beside the map */
  document.addEventListener("kaart:ga-naar", function (e) {
    if (!e.detail.adres) { return; }
    htmx.ajax("GET", "/zelfbeheer/in-de-buurt?adres=" + encodeURIComponent(e.detail.adres),
              { target: "#dichtbij", swap: "innerHTML" });
  });
  document.body.addEventListener("click", function (e) {
    var a = e.target.closest("[data-zoom]");
    if (!a) { return; }
    e.preventDefault();
    var z = JSON.parse(a.dataset.zoom);
    map.fitBounds([[z[0], z[1]], [z[2], z[3]]], { maxZoom: 18 });
    if (a.dataset.groenvak) { openPanel(a.dataset.groenvak); }
  });
})();
