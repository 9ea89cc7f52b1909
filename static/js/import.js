// Beheer › Import: show how far the upload is while htmx sends the file.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-voortgang");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  bar.textContent = bar.value + "%";
});

// A refused upload (400) comes back as the form with the messages next to the fields, a refused
// confirmation (409) as the proef with the reason on top: show them.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if ((status === 400 || status === 409) && event.detail.target && event.detail.target.id === "import") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
