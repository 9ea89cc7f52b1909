/* "Hoe ver is het?" on the page of a wijk or dorp: what lies within 5, 10 and 15 minutes over
   the street network, from a voorziening (a button added to its panel) or from a point clicked
   on the map when the checkbox is on. The server answers GeoJSON (/bereik.geojson); problems
   come back as problem+json whose detail is shown as text. No framework, no CDN. */
(function () {
  "use strict";
  var el = document.querySelector("[data-gebied]");
  var veld = document.querySelector("[data-testid=bereik]");
  if (!el || !veld) { return; }
  var map = window[el.dataset.mapVar];
  var profiel = document.getElementById("bereik-profiel");
  var klik = document.getElementById("bereik-klik");
  var wis = document.getElementById("bereik-wis");
  var status = document.getElementById("bereik-status");
  var paneel = document.getElementById("paneel");
  /* one hue, darker for nearer: readable for every kind of colour vision */
  var KLEUR = { 5: "#3f007d", 10: "#6a51a3", 15: "#9e9ac8" };
  var laag = L.geoJSON(null, {
    interactive: false,
    style: function (f) {
      var k = KLEUR[f.properties.minuten] || "#6a51a3";
      return { color: k, weight: 1, fillColor: k, fillOpacity: 0.25 };
    }
  });
  var pending = null;
  var laatste = null;

  function laad(query, vanaf) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    laatste = { query: query, vanaf: vanaf };
    status.textContent = "Berekenen…";
    var url = "/bereik.geojson?profiel=" + encodeURIComponent(profiel.value) + "&" + query;
    fetch(url, { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        if (!res.ok) {
          status.textContent = res.data.detail || "Berekenen is niet gelukt.";
          return;
        }
        laag.clearLayers();
        laag.addData(res.data);
        laag.addTo(map);
        wis.hidden = false;
        var hoe = profiel.value === "lopen" ? "lopend" : "op de fiets";
        status.textContent = "Op de kaart: wat je vanaf " + vanaf + " " + hoe +
          " bereikt in 5 minuten (donker), 10 en 15 minuten (licht).";
        el.dataset.bereik = String(res.data.features.length);
      })
      .catch(function (e) {
        if (e.name !== "AbortError") { status.textContent = "Berekenen is niet gelukt."; }
      });
  }

  map.on("click", function (e) {
    if (!klik.checked) { return; }
    laad("lon=" + e.latlng.lng.toFixed(6) + "&lat=" + e.latlng.lat.toFixed(6), "het gekozen punt");
  });
  profiel.addEventListener("change", function () {
    if (laatste) { laad(laatste.query, laatste.vanaf); }
  });
  wis.addEventListener("click", function () {
    if (pending) { pending.abort(); }
    laatste = null;
    map.removeLayer(laag);
    laag.clearLayers();
    wis.hidden = true;
    status.textContent = "";
    delete el.dataset.bereik;
  });

  /* The panel of a voorziening gets a button for its isochrone. */
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target !== paneel) { return; }
    var artikel = paneel.querySelector("[data-voorziening-id]");
    if (!artikel) { return; }
    var titel = paneel.querySelector("#paneel-titel");
    var naam = titel ? titel.textContent : "deze voorziening";
    var knop = document.createElement("button");
    knop.type = "button";
    knop.className = "utrecht-button utrecht-button--secondary-action";
    knop.setAttribute("data-testid", "bereik-knop");
    knop.textContent = "Wat ligt binnen 15 minuten?";
    knop.addEventListener("click", function () {
      laad("voorziening=" + encodeURIComponent(artikel.dataset.voorzieningId), naam);
    });
    artikel.appendChild(knop);
  });
})();
