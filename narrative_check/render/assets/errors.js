// Keeps the page's own script errors on the page (data-js-errors on <html>), where an editor's
// "inspect" and a headless browser in the tests can both see them.
(function () {
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.documentElement.setAttribute("data-js-errors", JSON.stringify(errors));
  }
  window.addEventListener("error", function (event) { record(event.message || event.type); });
  window.addEventListener("unhandledrejection", function (event) { record(event.reason); });
})();
