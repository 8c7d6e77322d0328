/* MeToo Atlas, "What changed": a year in the world timeline is a <button> that sets the
 * map's year slider; the map then recolours in the browser as on any slider move
 * (assets/atlas.js). Enter and Space work because these are real buttons. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.changes-year");
    var dash = window.dash_clientside;
    if (!button || !dash || !dash.set_props) { return; }
    var year = Number(button.getAttribute("data-year"));
    if (!isFinite(year)) { return; }
    // The lag has no year: show all records, so the chosen year can be seen.
    if (new URLSearchParams(window.location.search).get("metric") === "lag") {
      dash.set_props("metric", { value: "all" });
    }
    dash.set_props("year-slider", { value: year });
    var pressed = document.querySelectorAll("button.changes-year[aria-pressed]");
    for (var i = 0; i < pressed.length; i++) { pressed[i].removeAttribute("aria-pressed"); }
    button.setAttribute("aria-pressed", "true");
  });

  // The grid's own CSV export: exactly the rows and columns shown, in their order.
  function exportChanges(clicks) { return clicks ? true : window.dash_clientside.no_update; }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    changes: { exportChanges: exportChanges }
  });
})();
