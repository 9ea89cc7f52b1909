/* The groenvakken of a map (zelfbeheer and wijk pages), from the open API (/v1), coloured by
   status with a second cue: hatched when in zelfbeheer, dashed when aangevraagd, thin and
   pale when niet beschikbaar. They are drawn on a canvas in a pane below the area lines: a
   canvas puts no shape in the Tab order (the plot list is the keyboard path), and its click
   tolerance gives every plot, however small, a hit area of at least 24 px. Below zoom 17 a
   plot also gets a dot, so small plots stay visible.
   window.vkGroenLaag(map, options) -> {shown(), highlight(id), on(name, fn)}; events "geladen"
   (features in view), "uit" (zoomed out too far), "kies" (a plot clicked). No framework. */
(function () {
  "use strict";
  var DOT_BELOW = 17;

  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = "rgba(255, 255, 255, 0.6)";
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(-2, 10); ctx.lineTo(10, -2);
    ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
    ctx.moveTo(6, 10); ctx.lineTo(10, 6);
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  function styles(colours) {
    return {
      beschikbaar: { color: colours.beschikbaar, weight: 2, fillOpacity: 0.45 },
      aangevraagd: { color: colours.aangevraagd, weight: 2.5, dashArray: "5 4", fillOpacity: 0.25 },
      in_zelfbeheer: { color: colours.in_zelfbeheer, weight: 2, fillColor: hatch(colours.in_zelfbeheer),
                       fillOpacity: 1 },
      niet_beschikbaar: { color: colours.niet_beschikbaar, weight: 1, fillOpacity: 0.12 }
    };
  }

  function inView(map, layer) {
    return map.getBounds().intersects(layer.getBounds());
  }

  window.vkGroenLaag = function (map, options) {
    var pane = map.createPane("groenvakken");
    pane.style.zIndex = 350;  /* below the overlay pane: area lines and markers stay on top */
    var renderer = L.canvas({ pane: "groenvakken", tolerance: 12, padding: 0.3 });
    var look = styles(options.kleuren);
    var handlers = { geladen: [], uit: [], kies: [] };
    var pending = null;
    var features = [];

    function emit(name, value) { handlers[name].forEach(function (fn) { fn(value); }); }

    var dots = L.layerGroup().addTo(map);
    var plots = L.geoJSON(null, {
      renderer: renderer, pane: "groenvakken",
      style: function (f) { return look[f.properties.status] || look.niet_beschikbaar; },
      onEachFeature: function (f, l) {
        l.on("click", function (e) { emit("kies", { feature: f, layer: l, latlng: e.latlng }); });
      }
    }).addTo(map);
    var mark = L.geoJSON(null, {
      interactive: false,
      style: function () { return { color: "#000000", weight: 3, fill: false }; }
    }).addTo(map);

    function drawDots() {
      dots.clearLayers();
      if (map.getZoom() >= DOT_BELOW) { return; }
      plots.eachLayer(function (l) {
        var s = look[l.feature.properties.status] || look.niet_beschikbaar;
        var dot = L.circleMarker(l.getCenter(), {
          renderer: renderer, pane: "groenvakken", radius: 5, color: "#ffffff", weight: 1.5,
          fillColor: s.fillColor || s.color, fillOpacity: 1
        });
        dot.on("click", function (e) { emit("kies", { feature: l.feature, layer: l, latlng: e.latlng }); });
        dots.addLayer(dot);
      });
    }

    function url() {
      var u = "/v1/collections/groenvakken/items?limit=5000&gemeente=" +
        encodeURIComponent(options.gemeente);
      if (options.wijk) { u += "&wijk=" + encodeURIComponent(options.wijk); }
      if (!options.alles) {
        var b = map.getBounds();
        u += "&bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
          return v.toFixed(6);
        }).join(",");
      }
      return u;
    }

    function shown() {
      var out = [];
      plots.eachLayer(function (l) { if (inView(map, l)) { out.push(l); } });
      return out;
    }

    function load() {
      if (!options.alles && map.getZoom() < options.minZoom) {
        if (pending) { pending.abort(); pending = null; }
        plots.clearLayers();
        dots.clearLayers();
        mark.clearLayers();
        emit("uit", null);
        return;
      }
      if (options.alles && features.length) { drawDots(); emit("geladen", shown()); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url(), { signal: pending.signal, headers: { Accept: "application/geo+json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          features = data.features;
          plots.clearLayers();
          plots.addData(data);
          drawDots();
          emit("geladen", shown());
        })
        .catch(function (e) { if (e.name !== "AbortError") { emit("geladen", null); } });
    }

    map.on("moveend", load);  /* the page calls reload() once its handlers are in place */
    return {
      shown: shown,
      reload: load,
      on: function (name, fn) { handlers[name].push(fn); },
      highlight: function (feature) {  /* a 3 px outline on the plot whose button has focus */
        mark.clearLayers();
        if (feature) { mark.addData(feature); }
      }
    };
  };
}());
