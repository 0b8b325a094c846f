// On a phone, the site's menu folds behind its « Menu » button so that a page starts with its
// content, not with two screens of links; the button opens and closes it. Without script, or
// on a wider screen, the menu stays open.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 40rem)");
  function setUp() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    function fold(folded) {
      header.classList.toggle("menu-folded", folded);
      button.setAttribute("aria-expanded", folded ? "false" : "true");
    }
    function follow() {
      header.classList.toggle("menu-folds", phone.matches);
      button.hidden = !phone.matches;
      fold(phone.matches);
    }
    button.addEventListener("click", function () {
      fold(!header.classList.contains("menu-folded"));
    });
    phone.addEventListener("change", follow);
    follow();
  }
  document.addEventListener("DOMContentLoaded", setUp);
})();
