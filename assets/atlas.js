/* MeToo Atlas: browser-side callbacks. Scrubbing the year recolours the map
 * from the payload that came with the page, so a slider step sends nothing.
 * The payload is built by dashboard/figures.py:map_payload. */
(function () {
  "use strict";
  var NO_UPDATE = function () { return window.dash_clientside.no_update; };

  function countValue(byYear, year, cumulative) {
    if (!byYear) { return 0; }
    if (!cumulative) { return byYear[String(year)] || 0; }
    var total = 0;
    for (var y in byYear) {
      if (Object.prototype.hasOwnProperty.call(byYear, y) && Number(y) <= year) { total += byYear[y]; }
    }
    return total;
  }

  function countClass(value, bins) {
    for (var i = 0; i < bins.length; i++) {
      var low = bins[i][0], high = bins[i][1];
      if (value >= low && (high === null || value <= high)) { return i + 1; }
    }
    return 0;
  }

  function legalClass(payload, key, year) {
    var codes = payload.legal.codes[key];
    var index = year - payload.legal.first;
    if (!codes || index < 0 || index >= codes.length) { return 0; }
    return Number(codes.charAt(index));
  }

  function legalYear(payload, year) {
    var codes = payload.legal.codes;
    var anyKey = Object.keys(codes)[0];
    var last = payload.legal.first + (anyKey ? codes[anyKey].length - 1 : 0);
    return Math.min(Math.max(year, payload.legal.first), last);
  }

  // The view last drawn on the map, and the arguments of the last Dash call:
  // the slider observer below draws a new year as soon as the slider moves,
  // and the Dash callback that follows finds it already drawn.
  var lastDrawn = null;
  var lastArgs = null;

  function viewKey(metric, mode, year, country) {
    return [metric, mode, year, country].join("|");
  }

  function recolourMap(metric, mode, year, country, figure, payload) {
    if (!figure || !payload || typeof year !== "number") { return NO_UPDATE(); }
    lastArgs = { metric: metric, mode: mode, country: country, figure: figure, payload: payload };
    var gd = document.querySelector("#map .js-plotly-plot");
    if (gd && gd._fullData && lastDrawn === viewKey(metric, mode, year, country)) { return NO_UPDATE(); }
    return draw(metric, mode, year, country, figure, payload);
  }

  function draw(metric, mode, year, country, figure, payload) {
    var keys = payload.keys, z = new Array(keys.length), text = new Array(keys.length);
    var widths = new Array(keys.length), colours = new Array(keys.length);
    var cumulative = mode === "cumulative";
    var isLegal = metric === "legal";
    var label = payload.labels[metric] || payload.labels.all;
    var values = isLegal ? null : (payload.metrics[metric] || payload.metrics.all);
    var scale = isLegal ? payload.legal : payload.count;
    var shownYear = isLegal ? legalYear(payload, year) : year;
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i], name = payload.names[key];
      if (isLegal) {
        z[i] = legalClass(payload, key, shownYear);
        text[i] = name + "<br>" + payload.legal.long[z[i]] + " (" + shownYear + ")";
      } else {
        var value = countValue(values[key], year, cumulative);
        z[i] = countClass(value, scale.bins);
        text[i] = name + "<br>" + label + (cumulative ? " to " : " in ") + year + ": " + value;
      }
      widths[i] = key === country ? 2.5 : 0.4;
      colours[i] = key === country ? "#000000" : "#ffffff";
    }
    var trace = Object.assign({}, figure.data[0], {
      z: z,
      text: text,
      colorscale: scale.scale,
      zmin: -0.5,
      zmax: scale.labels.length - 0.5,
      marker: { line: { width: widths, color: colours } },
      colorbar: Object.assign({}, figure.data[0].colorbar, {
        tickvals: scale.labels.map(function (_, n) { return n; }),
        ticktext: scale.labels,
        title: { text: (isLegal ? "Sexual-harassment law as of " + shownYear
                                : label + (cumulative ? ", to " : ", ") + year), side: "top" }
      })
    });
    var next = Object.assign({}, figure, { data: [trace] });
    // Fast path: once the map is drawn, restyle it in place with Plotly.react,
    // skipping Dash's prop round trip through dcc.Graph (measured in bench/).
    // The Graph's own `figure` prop keeps the base trace this function reads.
    var gd = document.querySelector("#map .js-plotly-plot");
    if (gd && gd._fullData && window.Plotly) {
      window.Plotly.react(gd, next.data, gd.layout);
      lastDrawn = viewKey(metric, mode, year, country);
      return NO_UPDATE();
    }
    return next;
  }

  // Draw a year as soon as the slider will show it, before Dash has
  // dispatched its callbacks (see bench/): on an arrow key at once, and for
  // any other move when the slider's aria-valuenow changes.
  function drawYear(year) {
    if (lastArgs && year && viewKey(lastArgs.metric, lastArgs.mode, year, lastArgs.country) !== lastDrawn) {
      draw(lastArgs.metric, lastArgs.mode, year, lastArgs.country, lastArgs.figure, lastArgs.payload);
    }
  }
  var ARROW_STEP = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 };
  var pendingYear = null;  // a year drawn on a key press that the slider does not show yet
  document.addEventListener("keydown", function (event) {
    var thumb = event.target;
    if (!(event.key in ARROW_STEP) || !thumb.closest || !thumb.closest("#year-slider") || !lastArgs ||
        !window.dash_clientside.set_props) { return; }
    var now = pendingYear || Number(thumb.getAttribute("aria-valuenow"));
    var low = Number(thumb.getAttribute("aria-valuemin"));
    var high = Number(thumb.getAttribute("aria-valuemax"));
    if (!now) { return; }
    // Arrow keys step the year here: the map is redrawn in this frame, and the
    // slider (React, Dash's store, the callbacks) catches up right after the
    // paint instead of delaying it. Other keys and the mouse go to the slider.
    event.preventDefault();
    event.stopPropagation();
    var next = Math.min(Math.max(now + ARROW_STEP[event.key], low), high);
    pendingYear = next;
    drawYear(next);
    requestAnimationFrame(function () {
      setTimeout(function () {
        window.dash_clientside.set_props("year-slider", { value: next });
        if (pendingYear === next) { pendingYear = null; }
      }, 0);
    });
  }, true);
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var target = records[i].target;
      if (target.closest && target.closest("#year-slider")) {
        drawYear(Number(target.getAttribute("aria-valuenow")));
        return;
      }
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["aria-valuenow"] });

  function selectCountry(clickData, clearClicks, intlClicks, current) {
    var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
    if (trigger.indexOf("clear-country") === 0) { return null; }
    if (trigger.indexOf("show-international") === 0) { return "INT"; }
    if (!clickData || !clickData.points || !clickData.points.length) { return NO_UPDATE(); }
    var key = clickData.points[0].location;
    if (typeof key !== "string") { return NO_UPDATE(); }
    return key === current ? null : key;  // a second click on the country returns to the world view
  }

  function legalLine(country, year, payload) {
    if (!country || !payload || typeof year !== "number") { return ""; }
    if (country === "INT") { return "International bodies: no national law applies."; }
    var shown = legalYear(payload, year);
    var cls = legalClass(payload, country, shown);
    if (cls === 0) { return "Sexual-harassment law: no World Bank data for this economy."; }
    var note = shown !== year ? " (latest World Bank data)" : "";
    return "Sexual-harassment law in " + shown + note + ": " + payload.legal.long[cls] +
      ". Source: World Bank, Women, Business and the Law 2020 (CC BY 4.0).";
  }

  function writeUrl(metric, mode, year, country, years, categories, text) {
    var params = new URLSearchParams();
    if (metric) { params.set("metric", metric); }
    if (mode) { params.set("mode", mode); }
    if (typeof year === "number") { params.set("year", String(year)); }
    if (country) { params.set("country", country); }
    if (years && years.length === 2) { params.set("from", String(years[0])); params.set("to", String(years[1])); }
    if (categories && categories.length) { params.set("cat", categories.join(",")); }
    if (text) { params.set("q", text); }
    var search = "?" + params.toString();
    if (window.location.search !== search) {
      // replaceState: scrubbing must not fill the browser history with one entry per year.
      window.history.replaceState(null, "", window.location.pathname + search);
    }
    return NO_UPDATE();
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      recolourMap: recolourMap,
      selectCountry: selectCountry,
      legalLine: legalLine,
      writeUrl: writeUrl
    }
  });
})();
