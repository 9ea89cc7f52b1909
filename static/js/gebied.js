/* Page of a wijk or dorp: a checkbox per category shows or hides its layer; a click on a
   voorziening opens its panel by htmx; the witte-vlekken layer is fetched on demand; the
   groenvakken come from the open API (/v1) through groenlaag.js. No framework, no CDN. */
(function () {
  "use strict";
  var el = document.querySelector("[data-gebied]");
  if (!el) { return; }
  var map = window[el.dataset.mapVar];
  var lagen = JSON.parse(el.dataset.lagen);
  var kleuren = JSON.parse(el.dataset.kleuren);
  var code = el.dataset.code;
  var hint = document.getElementById("kaart-hint");
  var nl = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 0 });

  function openPanel(id) {
    htmx.ajax("GET", "/voorzieningen/" + id + "/paneel", { target: "#paneel", swap: "innerHTML" });
  }

  function walk(layer, fn) {
    if (layer.feature) { fn(layer); }
    if (layer.eachLayer) { layer.eachLayer(function (child) { walk(child, fn); }); }
  }

  /* Categories: the checkbox decides whether the layer is on the map. */
  Object.keys(lagen).forEach(function (cat) {
    var layer = window[lagen[cat]];
    var box = document.getElementById("laag-" + cat);
    if (!layer || !box) { return; }
    walk(layer, function (marker) {
      marker.on("click", function () { openPanel(marker.feature.properties.id); });
    });
    box.addEventListener("change", function () {
      if (box.checked) { layer.addTo(map); } else { map.removeLayer(layer); }
      el.dataset["zichtbaar_" + cat] = String(box.checked);
    });
  });

  /* A link in the list opens the panel (htmx); blad.js shows it and moves focus there. */

  /* Witte vlekken: parts of the gebied farther than the chosen distance from the category, or,
     with a street network (data-param="minuten"), the woonadressen and streets beyond the
     chosen walking time. */
  var wvTonen = document.getElementById("wv-tonen");
  var wvCategorie = document.getElementById("wv-categorie");
  var wvDrempel = document.getElementById("wv-drempel");
  var wvStatus = document.getElementById("wv-status");
  var vlekken = L.geoJSON(null, {
    interactive: false,
    style: function () {
      return { color: "#000000", weight: 1, dashArray: "4 3", fillColor: "#000000",
               fillOpacity: 0.35 };
    },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, { radius: 3, color: "#000000", weight: 1,
                                      fillColor: "#000000", fillOpacity: 0.8 });
    }
  });
  var wvPending = null;

  function witteVlekken() {
    if (wvPending) { wvPending.abort(); wvPending = null; }
    if (!wvTonen.checked) {
      map.removeLayer(vlekken);
      wvStatus.textContent = "";
      return;
    }
    var naam = wvCategorie.options[wvCategorie.selectedIndex].text;
    var param = wvDrempel.dataset.param || "drempel";
    var url = "/" + el.dataset.pad + "/" + encodeURIComponent(code) + "/witte-vlekken?categorie=" +
      encodeURIComponent(wvCategorie.value) + "&" + param + "=" + encodeURIComponent(wvDrempel.value);
    wvPending = new AbortController();
    wvStatus.textContent = "Witte vlekken laden…";
    fetch(url, { signal: wvPending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        vlekken.clearLayers();
        vlekken.addData(data);
        vlekken.addTo(map);
        var f = data.features[0];
        if (param === "minuten") {
          var ver = data.features.filter(function (x) { return x.properties.soort === "adressen"; });
          var n = ver.length ? ver[0].properties.aantal : 0;
          wvStatus.textContent = nl.format(n) + " van de " +
            nl.format(parseInt(wvDrempel.dataset.woonadressen, 10) || 0) +
            " woonadressen liggen meer dan " + wvDrempel.value + " minuten lopen van " +
            naam.toLowerCase() + " (zwarte punten en stippellijnen op de kaart).";
        } else {
          var pct = f ? nl.format(f.properties.aandeel * 100) : "0";
          wvStatus.textContent = pct + " % van het gebied ligt hemelsbreed verder dan " +
            wvDrempel.value + " m van " + naam.toLowerCase() + " (gearceerd op de kaart).";
        }
        el.dataset.witteVlekken = String(data.features.length);
      })
      .catch(function (e) {
        if (e.name !== "AbortError") { wvStatus.textContent = "Laden van de witte vlekken mislukt."; }
      });
  }
  [wvTonen, wvCategorie, wvDrempel].forEach(function (c) {
    c.addEventListener("change", witteVlekken);
  });

  /* Groenvakken of this gebied (groenlaag.js): all at once when there are few, otherwise per
     view when zoomed in; a plot opens its panel. */
  var aantal = parseInt(el.dataset.groenvakken, 10) || 0;
  if (aantal > 0) {
    var groen = window.vkGroenLaag(map, { gemeente: el.dataset.gemeente, wijk: code,
                                          kleuren: kleuren, minZoom: 15, alles: aantal <= 1500 });
    groen.on("kies", function (e) {
      htmx.ajax("GET", "/zelfbeheer/groenvak/" + e.feature.id, { target: "#paneel", swap: "innerHTML" });
    });
    groen.on("uit", function () { hint.textContent = "Zoom in om de groenvakken te zien."; });
    groen.on("geladen", function (layers) {
      if (layers === null) { hint.textContent = "Laden van de groenvakken mislukt."; return; }
      hint.textContent = nl.format(layers.length) + " groenvakken op de kaart.";
      el.dataset.groenGeladen = String(layers.length);
    });
    groen.reload();
  }
})();
