// Beheer › Import: show how far the upload is while htmx sends the file.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-voortgang");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  bar.textContent = bar.value + "%";
});

// A refused upload (400) comes back as the form with the messages next to the fields: show it.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400 && event.detail.target && event.detail.target.id === "import") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
