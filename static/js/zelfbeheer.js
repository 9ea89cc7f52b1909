/* Zelfbeheer map: starts zoomed in where groenvakken are (groenlaag.js draws them); zoomed out
   it shows per wijk or dorp how many there are. What is in view is also a list of named
   buttons (plotlijst.js), nearest to the centre first; a plot (map or list) opens its panel by
   htmx, which blad.js shows as a bottom sheet on a phone. No framework, no CDN. */
(function () {
  "use strict";
  var el = document.querySelector("[data-zelfbeheer]");
  if (!el) { return; }
  var map = window[el.dataset.mapVar];
  var MIN_ZOOM = 15;
  var START_ZOOM = 16;
  var colours = JSON.parse(el.dataset.kleuren);
  var labels = JSON.parse(el.dataset.labels);
  var tellingen = JSON.parse(el.dataset.tellingen);
  var hint = document.getElementById("kaart-hint");
  var nl = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 0 });
  var CUE = { in_zelfbeheer: "arcering", aangevraagd: "streep" };

  function openPanel(id) {
    htmx.ajax("GET", "/zelfbeheer/groenvak/" + id, { target: "#paneel", swap: "innerHTML" });
  }

  /* "Plantsoen bij Akkerweg 12–18, beschikbaar, 145 m²" */
  function naam(p) {
    return (p.naam || p.plaatsnaam || p.soort) + ", " + labels[p.status].toLowerCase() + ", " +
      nl.format(p.oppervlakte_m2) + " m²";
  }

  /* Zoomed out: a count per wijk or dorp, a button that zooms in there. */
  function telling(t) {
    var node = document.createElement("span");
    node.className = "groen-telling";
    node.textContent = nl.format(t.aantal);
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = " groenvakken in " + t.naam;
    node.appendChild(label);
    return node;
  }
  var counts = L.layerGroup();
  tellingen.forEach(function (t) {
    var m = L.marker([t.lat, t.lon], {
      icon: L.divIcon({ html: telling(t), className: "groen-telling-icoon", iconSize: [44, 44] }),
      keyboard: false
    });
    m.on("click", function () { map.setView([t.lat, t.lon], START_ZOOM); });
    counts.addLayer(m);
  });

  var lijst = window.vkPlotLijst(document.getElementById("plotlijst"), {
    onFocus: function (item) { if (item.feature) { laag.highlight(item.feature); } },
    onBlur: function () { laag.highlight(null); }
  });

  var laag = window.vkGroenLaag(map, { gemeente: el.dataset.gemeente, kleuren: colours,
                                       minZoom: MIN_ZOOM });
  laag.on("kies", function (e) { openPanel(e.feature.id); });
  laag.on("uit", function () {
    counts.addTo(map);
    hint.textContent = "Zoom in om de groenvakken te zien, of kies een wijk of dorp.";
    el.dataset.geladen = "0";
    lijst.show(tellingen.map(function (t) {
      return { key: "wijk-" + t.code, label: t.naam + ": " + nl.format(t.aantal) + " groenvakken",
               activate: function () { map.setView([t.lat, t.lon], START_ZOOM); } };
    }));
  });
  laag.on("geladen", function (layers) {
    map.removeLayer(counts);
    if (layers === null) { hint.textContent = "Laden van de groenvakken mislukt."; return; }
    var c = map.getCenter();
    layers.sort(function (a, b) {
      return c.distanceTo(a.getCenter()) - c.distanceTo(b.getCenter());
    });
    hint.textContent = layers.length === 1 ? "1 groenvak in beeld." :
      nl.format(layers.length) + " groenvakken in beeld. Kies er een op de kaart of in de lijst.";
    el.dataset.geladen = String(layers.length);
    lijst.show(layers.map(function (l) {
      var p = l.feature.properties;
      return { key: String(l.feature.id), label: naam(p), colour: colours[p.status],
               cue: CUE[p.status], feature: l.feature,
               activate: function () { openPanel(l.feature.id); } };
    }));
  });
  document.addEventListener("kaart:naar-lijst", function (e) {
    if (lijst.focus()) { e.preventDefault(); }
  });

  /* The first view: a groenvak in the focus, or where most plots are free. */
  if (el.dataset.focus) {
    var f = JSON.parse(el.dataset.focus);
    map.fitBounds([[f[0], f[1]], [f[2], f[3]]], { maxZoom: 18 });
  } else if (tellingen.length) {
    map.setView([tellingen[0].lat, tellingen[0].lon], START_ZOOM);
  }
  laag.reload();
  document.addEventListener("kaart:weergave", function (e) {
    if (e.detail === "kaart") { map.invalidateSize(); }
  });

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
