/* Map of voorzieningen (/kaart): the markers of each category, switched by the checkboxes
   beside the map, clustered together where dense; a marker (mouse, or Tab + Enter) or a link
   in the list opens the panel by htmx. The data is embedded in the page as GeoJSON (data-*).
   No framework, no CDN. */
(function () {
  "use strict";
  var el = document.querySelector("[data-vzkaart]");
  if (!el) { return; }
  var map = window[el.dataset.mapVar];
  /* Clustering needs a maximum zoom; without a basemap no tile layer sets one. */
  if (map.options.maxZoom === undefined) { map.setMaxZoom(19); }
  var data = JSON.parse(el.dataset.voorzieningen);
  var categorieen = JSON.parse(el.dataset.categorieen);
  var hint = document.getElementById("kaart-hint");
  var paneel = document.getElementById("paneel");
  var nl = new Intl.NumberFormat("nl-NL");
  var perCode = {};
  var groepen = {};
  var markers = {};

  function badge(c, className) {
    var span = document.createElement("span");
    span.className = className;
    span.style.background = c.kleur;
    span.dataset.categorie = c.code;
    if (c.symbool) {
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
      use.setAttribute("href", "#icoon-" + c.symbool);
      svg.appendChild(use);
      span.appendChild(svg);
    } else {
      span.textContent = c.letter;
    }
    return span;
  }

  /* One cluster group for all categories keeps a dense map readable; a cluster shows how many
     voorzieningen it holds, in a neutral colour. */
  function telling(n) {
    var span = document.createElement("span");
    span.className = "vz-cluster";
    span.dataset.aantal = String(n);
    span.textContent = nl.format(n);
    return span;
  }

  function clusterIcon(groep) {
    var n = groep.getChildCount();
    var size = n < 10 ? 34 : n < 100 ? 40 : 46;
    return L.divIcon({ html: telling(n), className: "vz-cluster-icoon", iconSize: [size, size] });
  }

  function activeert(e) {
    var key = e.originalEvent.key;
    if (key === "Enter" || key === " ") { e.originalEvent.preventDefault(); return true; }
    return false;
  }

  function openPanel(id) {
    htmx.ajax("GET", "/voorzieningen/" + id + "/paneel", { target: "#paneel", swap: "innerHTML" });
  }

  var cluster = L.markerClusterGroup({
    maxClusterRadius: 40, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    disableClusteringAtZoom: 18, iconCreateFunction: clusterIcon
  }).addTo(map);
  cluster.on("clusterkeypress", function (e) {  /* Enter on a cluster zooms in, like a click */
    if (activeert(e)) {
      if (map.getZoom() >= map.getMaxZoom()) { e.layer.spiderfy(); } else { e.layer.zoomToBounds(); }
    }
  });
  categorieen.forEach(function (c) {
    perCode[c.code] = c;
    groepen[c.code] = [];
  });

  data.features.forEach(function (f) {
    var c = perCode[f.properties.categorie];
    if (!c) { return; }
    var coords = f.geometry.coordinates;
    var marker = L.marker([coords[1], coords[0]], {
      icon: L.divIcon({ html: badge(c, "vz-icoon vz-icoon--marker"), className: "vz-marker",
                        iconSize: [30, 30] }),
      title: f.properties.naam + " (" + c.naam + ")",
      alt: f.properties.naam, keyboard: true, riseOnHover: true
    });
    marker.on("click", function () { openPanel(f.id); });
    marker.on("keypress", function (e) {  /* Leaflet itself only opens popups on Enter */
      if (activeert(e)) { openPanel(f.id); }
    });
    marker.on("add", function () {
      var icon = marker.getElement();
      if (icon) { icon.dataset.voorziening = String(f.id); icon.dataset.categorie = c.code; }
    });
    groepen[c.code].push(marker);
    markers[f.id] = { marker: marker, categorie: c.code };
  });

  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=categorie]"));

  function zichtbaar() {
    var aan = {};
    boxes.forEach(function (b) { aan[b.value] = b.checked; });
    return aan;
  }

  var getoond = {};

  function bijwerken() {
    var aan = zichtbaar();
    var totaal = 0;
    Object.keys(groepen).forEach(function (code) {
      if (aan[code] && !getoond[code]) {
        cluster.addLayers(groepen[code]);
      } else if (!aan[code] && getoond[code]) {
        cluster.removeLayers(groepen[code]);
      }
      getoond[code] = !!aan[code];
      if (aan[code]) { totaal += groepen[code].length; }
    });
    document.querySelectorAll(".vz-groep[data-categorie]").forEach(function (g) {
      g.hidden = !aan[g.dataset.categorie];
    });
    hint.textContent = nl.format(totaal) + (totaal === 1 ? " voorziening" : " voorzieningen") +
      " op de kaart.";
    el.dataset.opKaart = String(totaal);
  }

  /* Keep the address bar in step with the toggles, so a link or reload shows the same. */
  function adres() {
    var params = new URLSearchParams(window.location.search);
    params.delete("categorie");
    var gekozen = boxes.filter(function (b) { return b.checked; });
    if (gekozen.length !== boxes.length) {
      gekozen.forEach(function (b) { params.append("categorie", b.value); });
    }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  boxes.forEach(function (b) {
    b.addEventListener("change", function () { bijwerken(); adres(); });
  });
  bijwerken();

  if (el.dataset.zoom === "ja" && data.features.length) {
    var bounds = L.latLngBounds(data.features.map(function (f) {
      return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    }));
    map.fitBounds(bounds, { maxZoom: 16, padding: [30, 30] });
  }

  /* A link in the list also shows its voorziening on the map. */
  document.querySelectorAll("[data-voorziening][hx-get]").forEach(function (a) {
    a.addEventListener("click", function () {
      var m = markers[a.dataset.voorziening];
      if (m && getoond[m.categorie]) {
        cluster.zoomToShowLayer(m.marker);
      }
    });
  });

  /* blad.js opens the panel (a bottom sheet on a phone) and moves focus to its heading. */
  document.body.addEventListener("htmx:responseError", function (e) {
    if (e.detail.target === paneel) {
      paneel.replaceChildren();
      var p = document.createElement("p");
      p.className = "utrecht-paragraph";
      p.textContent = e.detail.xhr.status === 404 ?
        "Deze voorziening bestaat niet (meer)." : "Laden van de gegevens mislukt.";
      paneel.appendChild(p);
    }
  });
})();
