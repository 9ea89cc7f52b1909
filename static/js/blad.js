/* The panel of a map page (#paneel, filled by htmx) as a bottom sheet on a phone: it opens over
   the map when a panel arrives, focus moves to its heading, and it closes with its button or
   Escape, giving focus back to what opened it (a plot's button, a link, or the map). The grip
   drags it up (taller) or down (smaller, or closed); as a button it toggles the height and
   takes the arrow keys. On a wide screen the same panel stands beside the map. Also: the
   tab bar that switches map and list on a phone, and the "Spring naar de lijst" link.
   Heights are set through the CSSOM (allowed by the CSP), never a style attribute. */
(function () {
  "use strict";
  var blad = document.querySelector("[data-blad]");
  var paneel = document.getElementById("paneel");
  var narrow = window.matchMedia("(max-width: 48rem)");
  var opener = null;

  function focusHeading() {
    var kop = paneel.querySelector("h2, h3");
    if (!kop) { return; }
    if (!kop.hasAttribute("tabindex")) { kop.setAttribute("tabindex", "-1"); }
    kop.focus({ preventScroll: !narrow.matches });
    if (!narrow.matches) { kop.scrollIntoView({ block: "nearest" }); }
  }

  function size(name) {
    blad.dataset.hoogte = name;
    blad.style.removeProperty("transform");
    var grip = blad.querySelector(".blad__greep");
    if (grip) { grip.setAttribute("aria-expanded", name === "vol" ? "true" : "false"); }
  }

  function open() {
    if (!blad) { return; }
    blad.dataset.open = "ja";
    if (!blad.dataset.hoogte) { size("half"); }
  }

  function close() {
    if (!blad || !blad.dataset.open) { return; }
    delete blad.dataset.open;
    size("half");
    var back = opener && document.contains(opener) ? opener : document.querySelector(".leaflet-container");
    opener = null;
    if (back) { back.focus(); }
  }

  if (paneel) {
    document.body.addEventListener("htmx:beforeRequest", function (e) {
      if (e.detail.target === paneel && !paneel.contains(document.activeElement)) {
        opener = document.activeElement && document.activeElement !== document.body ?
          document.activeElement : null;
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target !== paneel) { return; }
      open();
      focusHeading();
    });
  }

  if (blad) {
    if (paneel.querySelector("article")) { open(); }  /* a page that arrives with a panel */
    blad.querySelector(".blad__sluiten").addEventListener("click", close);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && blad.dataset.open && narrow.matches && !e.defaultPrevented) {
        e.preventDefault();
        close();
      }
    });
    var grip = blad.querySelector(".blad__greep");
    var start = null;
    var moved = 0;
    grip.addEventListener("click", function () {
      if (moved) { moved = 0; return; }  /* the end of a drag, not a tap */
      size(blad.dataset.hoogte === "vol" ? "half" : "vol");
    });
    grip.addEventListener("keydown", function (e) {
      if (e.key === "ArrowUp") { e.preventDefault(); size("vol"); }
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (blad.dataset.hoogte === "vol") { size("half"); } else { close(); }
      }
    });
    grip.addEventListener("pointerdown", function (e) {
      start = e.clientY;
      moved = 0;
      grip.setPointerCapture(e.pointerId);
    });
    grip.addEventListener("pointermove", function (e) {
      if (start === null) { return; }
      moved = e.clientY - start;
      if (moved > 0) { blad.style.transform = "translateY(" + moved + "px)"; }
    });
    grip.addEventListener("pointerup", function () {
      if (start === null) { return; }
      start = null;
      if (Math.abs(moved) < 8) { moved = 0; return; }
      if (moved < -40) { size("vol"); } else if (moved > 120) { close(); } else if (moved > 40) {
        size("half");
      } else { size(blad.dataset.hoogte || "half"); }
    });
  }

  /* Tab bar (phone): the map or the list of what is in view. */
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[data-weergave] [role=tab]"));
  function choose(tab, focus) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).dataset.weg = on ? "" : "ja";
    });
    if (focus) { tab.focus(); }
    document.dispatchEvent(new CustomEvent("kaart:weergave", { detail: tab.dataset.weergave }));
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { choose(tab, false); });
    tab.addEventListener("keydown", function (e) {
      var step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (step) { e.preventDefault(); choose(tabs[(i + step + tabs.length) % tabs.length], true); }
    });
  });
  if (tabs.length) { choose(tabs[0], false); }

  /* "Spring naar de lijst": on a phone the list tab opens first; the page focuses the list. */
  document.querySelectorAll("[data-spring-lijst]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var lijst = tabs.filter(function (t) { return t.dataset.weergave === "lijst"; })[0];
      if (lijst && narrow.matches) { choose(lijst, false); }
      var ev = new CustomEvent("kaart:naar-lijst", { cancelable: true });
      if (!document.dispatchEvent(ev)) { e.preventDefault(); }
    });
  });
}());
