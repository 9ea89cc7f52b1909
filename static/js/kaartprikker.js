/* Map picker for the voorziening forms: a click on the map sets a pin (which can be dragged)
   and fills the lat/lon fields (and clears RD x/y, as one pair is enough); where the pin lands,
   the nearest address within 50 m (our own /adres-bij) fills the address fields. Typed lat/lon
   move the pin. Keyboard: pan the map with the arrow keys, then "Midden van de kaart als plek
   gebruiken". Without this script the fields (under "Coördinaten invoeren") do the job. */
(function () {
  "use strict";
  var el = document.querySelector("[data-kaartprikker]");
  if (!el) { return; }
  var map = window[el.dataset.mapVar];
  var lat = document.getElementById("veld-lat");
  var lon = document.getElementById("veld-lon");
  var x = document.getElementById("veld-x");
  var y = document.getElementById("veld-y");
  var status = document.getElementById("kaartprikker-status");
  var midden = document.getElementById("kaartprikker-midden");
  var adresVeld = document.getElementById("veld-adres");
  var postcodeVeld = document.getElementById("veld-postcode");
  var plaatsVeld = document.getElementById("veld-plaats");
  var marker = null;
  var vraag = null;

  function toon(latlng) {
    if (!marker) {
      marker = L.marker(latlng, {
        draggable: true, autoPan: true, keyboard: false, title: "Sleep de speld naar de plek",
        icon: L.divIcon({ className: "kaartprikker-speld", iconSize: [26, 26],
                          iconAnchor: [13, 13] })
      }).addTo(map);
      marker.on("dragend", function () { kies(marker.getLatLng()); });
    } else {
      marker.setLatLng(latlng);
    }
  }

  /* The nearest address fills the address fields; far from houses they stay as they are. */
  function zoekAdres(latlng) {
    if (!adresVeld || !window.fetch) { return; }
    if (vraag) { vraag.abort(); }
    vraag = new AbortController();
    var url = "/adres-bij?lat=" + latlng.lat.toFixed(7) + "&lon=" + latlng.lng.toFixed(7);
    fetch(url, { signal: vraag.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (a) {
        if (a) {
          adresVeld.value = a.adres;
          if (postcodeVeld) { postcodeVeld.value = a.postcode; }
          if (plaatsVeld) { plaatsVeld.value = a.plaats; }
          status.textContent = "Plek gekozen bij " + a.tekst + ". Het adres is ingevuld.";
        } else {
          status.textContent = "Plek gekozen. Er is geen adres binnen 50 meter; " +
            "vul het adres zelf in als er een is.";
        }
        el.dataset.adres = a ? "gevonden" : "geen";
      })
      .catch(function () { /* aborted by a newer pin, or offline: the fields stay as typed */ });
  }

  function kies(latlng) {
    toon(latlng);
    lat.value = latlng.lat.toFixed(7);
    lon.value = latlng.lng.toFixed(7);
    if (x) { x.value = ""; }
    if (y) { y.value = ""; }
    status.textContent = "Plek gekozen: breedtegraad " + lat.value + ", lengtegraad " +
      lon.value + ".";
    el.dataset.gekozen = "ja";
    el.dataset.adres = "zoeken";
    zoekAdres(latlng);
  }

  function getal(input) {
    return parseFloat((input.value || "").replace(",", "."));
  }

  function uitVelden(centreer) {
    var a = getal(lat), b = getal(lon);
    if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
      toon(L.latLng(a, b));
      if (centreer) { map.setView([a, b], Math.max(map.getZoom(), 16)); }
    }
  }

  map.on("click", function (e) { kies(e.latlng); });
  lat.addEventListener("change", function () { uitVelden(true); });
  lon.addEventListener("change", function () { uitVelden(true); });
  if (midden) {
    midden.hidden = false;
    midden.addEventListener("click", function () { kies(map.getCenter()); });
  }
  uitVelden(true);
  el.dataset.klaar = "ja";
}());
