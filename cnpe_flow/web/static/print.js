// Printing: open every closed <details> (rule sources) for the paper, close them again after.
// The print stylesheet shows their content already where the browser allows it (CSS
// ::details-content); this covers the browsers that do not.
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
