// Buttons marked data-print print the page (the Content-Security-Policy allows no inline onclick).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
