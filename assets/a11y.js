/* MeToo Atlas: accessible names and focus order that Dash's components leave out.
 * - Each slider thumb gets a name ("Year shown on the map", "From year", "To year").
 * - dcc.Dropdown puts a hidden (aria-hidden) proxy input in the Tab order and takes
 *   its visible button out of it; the button, which is labelled and announces its
 *   popup, becomes the Tab stop instead, and the hidden proxy leaves the Tab order.
 * Runs on every DOM change, because React re-renders these components. */
(function () {
  "use strict";
  var THUMB_NAMES = {
    "year-slider": ["Year shown on the map"],
    "table-years": ["From year", "To year"]
  };

  function nameThumbs() {
    Object.keys(THUMB_NAMES).forEach(function (id) {
      var root = document.getElementById(id);
      if (!root) { return; }
      var thumbs = root.querySelectorAll("[role=slider]");
      for (var i = 0; i < thumbs.length; i++) {
        var name = THUMB_NAMES[id][i] || THUMB_NAMES[id][0];
        if (thumbs[i].getAttribute("aria-label") !== name) { thumbs[i].setAttribute("aria-label", name); }
      }
    });
  }

  function fixDropdownFocus() {
    var proxies = document.querySelectorAll(".dash-dropdown-focus-target");
    for (var i = 0; i < proxies.length; i++) {
      if (proxies[i].getAttribute("tabindex") !== "-1") { proxies[i].setAttribute("tabindex", "-1"); }
    }
    var buttons = document.querySelectorAll(".dash-dropdown-wrapper > button.dash-dropdown, .dash-dropdown-wrapper button.dash-dropdown");
    for (var j = 0; j < buttons.length; j++) {
      if (!buttons[j].disabled && buttons[j].getAttribute("tabindex") !== "0") { buttons[j].setAttribute("tabindex", "0"); }
    }
  }

  var scheduled = false;
  function fix() {
    scheduled = false;
    nameThumbs();
    fixDropdownFocus();
  }
  new MutationObserver(function () {
    if (!scheduled) { scheduled = true; requestAnimationFrame(fix); }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex"] });
  document.addEventListener("DOMContentLoaded", fix);
})();
