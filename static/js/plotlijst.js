/* The keyboard and screen-reader twin of the map: one named button per thing in view (a
   groenvak, or a wijk with its count when zoomed out), in one Tab stop. A roving tabindex:
   the arrow keys (and Home, End) move between the buttons, Enter or Space opens one. Names
   are text nodes, never HTML.
   window.vkPlotLijst(list, {onFocus, onBlur}) -> {show(items), focus()}; an item is
   {key, label, colour, activate} (colour: a swatch beside the name, aria-hidden). */
(function () {
  "use strict";

  window.vkPlotLijst = function (list, options) {
    var current = null;  /* the key of the button that holds the Tab stop */
    var items = [];

    function buttons() { return Array.prototype.slice.call(list.querySelectorAll("button")); }

    function rove(to, focus) {
      buttons().forEach(function (b) { b.tabIndex = b === to ? 0 : -1; });
      if (to) {
        current = to.dataset.key;
        if (focus) { to.focus(); }
      }
    }

    function button(item) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "plotknop";
      b.dataset.key = item.key;
      if (item.colour) {
        var swatch = document.createElement("span");
        swatch.className = "plotknop__kleur";
        swatch.setAttribute("aria-hidden", "true");
        swatch.style.backgroundColor = item.colour;
        if (item.cue) { swatch.classList.add("plotknop__kleur--" + item.cue); }
        b.appendChild(swatch);
      }
      b.appendChild(document.createTextNode(item.label));
      b.addEventListener("click", function () { rove(b, false); item.activate(b); });
      b.addEventListener("focus", function () { if (options.onFocus) { options.onFocus(item); } });
      b.addEventListener("blur", function () { if (options.onBlur) { options.onBlur(item); } });
      return b;
    }

    list.addEventListener("keydown", function (e) {
      var all = buttons();
      var i = all.indexOf(document.activeElement);
      if (i < 0) { return; }
      var to = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1,
                 Home: 0, End: all.length - 1 }[e.key];
      if (to === undefined) { return; }
      e.preventDefault();
      rove(all[Math.max(0, Math.min(all.length - 1, to))], true);
    });

    return {
      show: function (next) {
        var hadFocus = list.contains(document.activeElement);
        items = next;
        list.replaceChildren.apply(list, items.map(function (item) {
          var li = document.createElement("li");
          li.appendChild(button(item));
          return li;
        }));
        /* a new view starts at its first (nearest) plot, unless the resident is in the list */
        var all = buttons();
        var keep = hadFocus && all.filter(function (b) { return b.dataset.key === current; })[0];
        rove(keep || all[0] || null, hadFocus);
      },
      focus: function () {
        var all = buttons();
        var to = all.filter(function (b) { return b.tabIndex === 0; })[0] || all[0];
        if (to) { to.focus(); }
        return !!to;
      }
    };
  };
}());
