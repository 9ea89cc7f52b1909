/* Forms that come back with errors: the summary at the top (#foutoverzicht, made by the
   macros foutoverzicht and foutmelding in templates/macros/forms.html) gets the focus, so
   keyboard and screen reader users start at the list of what to fix; its links lead to the
   fields. The same when htmx swaps in a fragment with a new summary (a
   summary that stayed in place does not take the focus again). */
(function () {
  "use strict";
  var focused = null;  // the summary that had the focus; a new one (from htmx) gets it too
  function focusSummary() {
    var summary = document.getElementById("foutoverzicht");
    if (summary && summary !== focused) {
      focused = summary;
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
  document.addEventListener("htmx:afterSettle", focusSummary);
})();
