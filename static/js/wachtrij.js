/* Beheer › Aanvragen: a point on the queue map opens its request. The map and its layer are
   made by static/js/kaartbasis.js from data-kaart; every point carries the path of its
   adoptie page (a path on this site, checked before use). The list below the map is the
   keyboard route to the same requests. */
(function () {
  "use strict";
  var layer = window.vkKaartWachtrij;
  if (!layer) { return; }
  layer.eachLayer(function (point) {
    var href = point.feature && point.feature.properties && point.feature.properties.href;
    if (typeof href === "string" && /^\/beheer\/adopties\/\d+$/.test(href)) {
      point.on("click", function () { window.location.assign(href); });
    }
  });
}());
