/* MeToo Atlas: load the app at the reader's first interaction (dashboard/first_view.py).
 *
 * The server sends the page with the opening map drawn as SVG (#first-view) and Dash's
 * scripts inside <template id="deferred-scripts">, where they do not run. The first pointer
 * move, touch, key, wheel or scroll, the "Load the interactive atlas" button, or an address
 * that names a view (?country=…, #record-…) starts them here, in their order. A click on a
 * country of the static map opens that country: it goes into the address before the app
 * reads it. The static view stays until the app's map is drawn, then the app takes its place.
 * Not in Dash's automatic assets (app.py's assets_ignore): it must run before the others.
 */
(function () {
  "use strict";
  var started = false;
  var EVENTS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll", "focusin"];

  function status(text) {
    var node = document.getElementById("first-view-status");
    if (node) { node.textContent = text; }
  }

  function copy(script) {
    var node = document.createElement("script");
    for (var i = 0; i < script.attributes.length; i++) {
      node.setAttribute(script.attributes[i].name, script.attributes[i].value);
    }
    node.async = false;  // external scripts run in document order, like the parser would run them
    if (!script.src) { node.text = script.text; }
    return node;
  }

  function run(scripts, index) {
    // External scripts are all inserted at once (downloaded side by side, run in order); an inline
    // script (the renderer's "new DashRenderer()") waits until every script before it has run.
    for (; index < scripts.length; index++) {
      var script = scripts[index];
      if (!script.src) {
        var previous = document.body.lastElementChild;
        if (previous && previous.tagName === "SCRIPT" && previous.src && !previous.dataset.loaded) {
          var rest = index;
          previous.addEventListener("load", function () { run(scripts, rest); }, { once: true });
          previous.addEventListener("error", function () { status("The interactive atlas could not load: reload the page."); });
          return;
        }
      }
      var node = copy(script);
      if (node.src) { node.addEventListener("load", function (e) { e.target.dataset.loaded = "1"; }, { once: true }); }
      document.body.appendChild(node);
    }
    whenDrawn();
  }

  function whenDrawn() {
    var waited = 0;
    var timer = setInterval(function () {
      waited += 100;
      var drawn = document.querySelector("#map .choropleth path, #map .choroplethlocation");
      if (drawn || waited >= 20000) {
        clearInterval(timer);
        swap();
      }
    }, 100);
  }

  function swap() {
    var view = document.getElementById("first-view");
    var hadFocus = view && view.contains(document.activeElement);
    if (view) { view.remove(); }
    document.documentElement.classList.remove("first-view");
    var entry = document.getElementById("react-entry-point");
    if (entry) { entry.style.top = ""; }
    if (hadFocus) {
      var target = document.querySelector("#react-entry-point main a, #react-entry-point main button, " +
                                          "#react-entry-point main input");
      if (target) { target.focus(); }
    }
  }

  function start() {
    if (started) { return; }
    started = true;
    EVENTS.forEach(function (name) { window.removeEventListener(name, start, true); });
    status("Loading the interactive atlas…");
    var view = document.getElementById("first-view");
    var entry = document.getElementById("react-entry-point");
    if (view && entry) { entry.style.top = view.offsetTop + "px"; }
    var template = document.getElementById("deferred-scripts");
    if (!template) { swap(); return; }
    run(Array.prototype.slice.call(template.content.querySelectorAll("script")), 0);
  }

  function openCountry(event) {
    var shape = event.target.closest && event.target.closest("#first-view [data-key]");
    if (!shape || location.search) { return; }
    history.replaceState(history.state, "", "?country=" + encodeURIComponent(shape.getAttribute("data-key")));
    status("Loading the interactive atlas for " + shape.getAttribute("data-name") + "…");
    start();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#first-view-load")) { start(); return; }
    openCountry(event);
  });
  if (location.search || location.hash || !document.getElementById("first-view")) {
    start();
  } else {
    EVENTS.forEach(function (name) { window.addEventListener(name, start, { capture: true, passive: true }); });
  }
})();
