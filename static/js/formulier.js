/* Forms that come back with errors: the summary at the top (#foutoverzicht, made by the
   macro foutoverzicht in templates/macros/forms.html) gets the focus, so keyboard and screen
   reader users start at the list of what to fix; its links lead to the fields. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.getElementById("foutoverzicht");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
