/* Map picker for the voorziening forms: a click on the map sets a marker and fills the lat/lon
   fields (and clears RD x/y, as one pair is enough); typed lat/lon move the marker. Keyboard:
   pan the map with the arrow keys, then "Midden van de kaart als plek gebruiken". Without this
   script the fields alone do the job. */
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
  var marker = null;

  function toon(latlng) {
    if (!marker) {
      marker = L.circleMarker(latlng, { radius: 9, color: "#1d5c8c", weight: 3,
                                        fillColor: "#ffffff", fillOpacity: 0.9,
                                        interactive: false }).addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
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
