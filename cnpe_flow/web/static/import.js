// Import page: while a long list is read or applied, say so and prevent a second click.
document.querySelectorAll("form.js-progress").forEach(function (form) {
  form.addEventListener("submit", function () {
    var note = form.querySelector(".progress-note");
    if (note) { note.hidden = false; }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
});
