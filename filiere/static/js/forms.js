// A form sent back with errors shows each one by its field; bring the first of those fields
// into view and give it the focus, so that the error is seen (and read out) even when the field
// sits below the fold. Runs on page load and after htmx swaps a form in.
(function () {
  "use strict";
  function focusFirstInvalid(root) {
    var field = root.querySelector('[aria-invalid="true"]');
    if (field) field.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstInvalid(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusFirstInvalid(event.target); });
})();
