/* Our own basemap: the vector tiles of /v1/tiles/basiskaart drawn on a canvas by the vendored
   protomaps-leaflet, with the browser's own fonts. This file is the map style: colours per
   layer (water, terrein by soort, pand, straat by soort) and labels (street names along the
   lines from zoom 16, house numbers from zoom 18). kaartbasis.js calls
   window.vkBasiskaart(options) for a map whose description says basemap.vector. */
(function () {
  "use strict";

  var KLEUR = {
    achtergrond: "#f4f1ea",
    water: "#aad3df",
    pand: "#d9d0c9",
    pandRand: "#c4b8ad",
    tekst: "#333333",
    halo: "#ffffff",
    huisnummer: "#6b5e52"
  };
  var TERREIN = {
    park: "#cdebb0", bos: "#add19e", sport: "#d5f0c9", begraafplaats: "#c8dcb9",
    volkstuin: "#e3efcf", speelterrein: "#dff2d0", agrarisch: "#eef0d5", plein: "#e9e4dc",
    bedrijventerrein: "#e8dfe6", overig: "#ebe8df"
  };
  /* [colour, width at zoom 16 in px]; the width scales with the zoom */
  var STRAAT = {
    hoofdweg: ["#f7c873", 9], laan: ["#fde9a9", 8], straat: ["#ffffff", 7],
    landweg: ["#ffffff", 5], erf: ["#ffffff", 5], fietspad: ["#f2b8a5", 2],
    voetpad: ["#d8c8b8", 1.5], overig: ["#ffffff", 3]
  };

  function straat(feature) {
    return STRAAT[feature.props.soort] || STRAAT.overig;
  }

  function width(feature, z) {
    return Math.max(0.5, straat(feature)[1] * Math.pow(2, z - 16));
  }

  function rules(P) {
    var paint = [
      { dataLayer: "terrein", symbolizer: new P.PolygonSymbolizer({
          fill: function (z, f) { return TERREIN[f.props.soort] || TERREIN.overig; } }) },
      { dataLayer: "water", symbolizer: new P.PolygonSymbolizer({ fill: KLEUR.water }) },
      { dataLayer: "pand", minzoom: 15, symbolizer: new P.PolygonSymbolizer({
          fill: KLEUR.pand, stroke: KLEUR.pandRand, width: 0.5 }) },
      { dataLayer: "straat", symbolizer: new P.LineSymbolizer({
          color: "#bfb5a8", width: function (z, f) { return width(f, z) + 1.5; } }) },
      { dataLayer: "straat", symbolizer: new P.LineSymbolizer({
          color: function (z, f) { return straat(f)[0]; },
          width: function (z, f) { return width(f, z); } }) }
    ];
    var labels = [
      { dataLayer: "straat", minzoom: 16, symbolizer: new P.LineLabelSymbolizer({
          labelProps: ["naam"], fill: KLEUR.tekst, stroke: KLEUR.halo, width: 3,
          fontFamily: "sans-serif", fontSize: 13, fontWeight: 500,
          position: P.LineLabelPlacement ? P.LineLabelPlacement.Center : undefined }) },
      { dataLayer: "labels", minzoom: 18, symbolizer: new P.CenteredTextSymbolizer({
          labelProps: ["huisnummer"], fill: KLEUR.huisnummer, stroke: KLEUR.halo, width: 2,
          fontFamily: "sans-serif", fontSize: 11 }) }
    ];
    return { paint: paint, labels: labels };
  }

  window.vkBasiskaart = function (options) {
    var P = window.protomapsL;
    if (!P) { return null; }  /* the script did not load: the page works without a basemap */
    var style = rules(P);
    return P.leafletLayer({
      url: options.vector, attribution: options.attribution, maxZoom: options.maxZoom,
      maxDataZoom: options.maxDataZoom, levelDiff: 0,  /* our tiles are made for 256 px */
      paintRules: style.paint, labelRules: style.labels,
      backgroundColor: KLEUR.achtergrond
    });
  };
}());
