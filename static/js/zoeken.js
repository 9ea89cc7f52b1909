/* The town search box (templates/macros/zoekvak.html): an ARIA 1.2 combobox. htmx fetches the
   options as the resident types; this script moves through them with the arrow keys, chooses
   with Enter or a click, closes with Escape, and announces the count in the live region.
   Choosing dispatches "kaart:ga-naar" (lat, lon, bbox, soort, id); a map on the page
   (kaartbasis.js) moves there and cancels the event, otherwise the browser follows the link.
   Text goes in with textContent only. No framework, no CDN. */
(function () {
  "use strict";
  var form = document.querySelector("[data-zoekvak]");
  if (!form) { return; }
  var input = document.getElementById("zoekvak");
  var list = document.getElementById("zoekvak-lijst");
  var active = -1;

  function options() { return list.querySelectorAll("[role=option]"); }

  function open(yes) {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) { select(-1); }
  }

  function select(i) {
    var all = options();
    all.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && all[i]) {
      input.setAttribute("aria-activedescendant", all[i].id);
      all[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    var label = option.querySelector(".zoekvak__label");
    input.value = label ? label.textContent : "";
    open(false);
    var detail = {
      soort: option.dataset.soort, id: Number(option.dataset.id),
      lat: Number(option.dataset.lat), lon: Number(option.dataset.lon),
      bbox: option.dataset.bbox ? JSON.parse(option.dataset.bbox) : null,
      adres: option.dataset.adres ? Number(option.dataset.adres) : null
    };
    var ev = new CustomEvent("kaart:ga-naar", { detail: detail, bubbles: true, cancelable: true });
    if (document.dispatchEvent(ev)) { window.location.assign(option.dataset.href); }
  }

  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target !== list) { return; }
    active = -1;
    open(options().length > 0 && document.activeElement === input);
  });

  input.addEventListener("keydown", function (e) {
    var all = options();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!all.length) { return; }
      e.preventDefault();
      open(true);
      var step = e.key === "ArrowDown" ? 1 : -1;
      select((active + step + all.length + (active < 0 && step < 0 ? 1 : 0)) % all.length);
    } else if (e.key === "Enter") {
      if (!list.hidden && active >= 0 && all[active]) {
        e.preventDefault();
        choose(all[active]);
      }  /* otherwise the form is sent: the plain results page */
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); open(false); } else { input.value = ""; }
    }
  });

  list.addEventListener("mousedown", function (e) { e.preventDefault(); });  /* keep focus */
  list.addEventListener("click", function (e) {
    var option = e.target.closest("[role=option]");
    if (option) { choose(option); }
  });
  input.addEventListener("blur", function () { open(false); });
}());
