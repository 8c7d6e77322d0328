/* MeToo Atlas: browser-side callbacks. Scrubbing the year recolours the map
 * from the payload that came with the page, so a slider step sends nothing.
 * The payload is built by dashboard/figures.py:map_payload. */
(function () {
  "use strict";
  var NO_UPDATE = function () { return window.dash_clientside.no_update; };
  var SYNC_MS = 250;  // how long after the last repaint the Graph's own figure prop catches up

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
    return Math.min(Math.max(year, payload.legal.first), payload.legal.last);
  }

  // A whole year inside the metric's years, whatever arrived (NaN, 2030, 2018.5, text).
  function clampYear(payload, metric, year) {
    var range = payload.years[metric] || payload.years.all;
    var value = Math.round(Number(year));
    if (!isFinite(value)) { return range[1]; }
    return Math.min(Math.max(value, range[0]), range[1]);
  }

  function isPartial(payload, metric, year) {
    return metric !== "legal" && payload.partial.indexOf(year) >= 0;
  }

  function countWords(count, value) {
    if (count === "people") { return value === 1 ? "1 person or case" : value + " people and cases"; }
    return value === 1 ? "1 record" : value + " records";
  }

  // The view last drawn on the map, and the arguments of the last Dash call:
  // the slider observer below draws a new year as soon as the slider moves,
  // and the Dash callback that follows finds it already drawn.
  var lastDrawn = null;
  var lastArgs = null;
  var syncTimer = null;
  var pendingFigure = null;

  function viewKey(metric, mode, year, country, count, region) {
    return [metric, mode, year, country, count, region].join("|");
  }

  function graphDiv() { return document.querySelector("#map .js-plotly-plot"); }

  function recolourMap(metric, mode, year, country, count, region, figure, payload) {
    if (!figure || !payload) { return NO_UPDATE(); }
    var shown = clampYear(payload, metric, year);
    if (shown !== year && window.dash_clientside.set_props) {
      // Never draw (or write to the address) a year the data does not have.
      window.dash_clientside.set_props("year-slider", { value: shown });
    }
    lastArgs = { metric: metric, mode: mode, country: country, count: count, region: region, figure: figure,
                 payload: payload };
    var gd = graphDiv();
    if (gd && gd._fullData && lastDrawn === viewKey(metric, mode, shown, country, count, region)) { return NO_UPDATE(); }
    return draw(metric, mode, shown, country, count, region, figure, payload);
  }

  // On a phone the whole world is a 370 × 170 px strip. Frame the person's part of
  // it instead (from the time zone the browser reports; nothing is fetched): 200° of
  // longitude fills the width at a usable height, and a drag pans to the rest.
  function phoneFrame() {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    var centre = /^America\//.test(zone) ? -75 : /^(Asia|Australia|Pacific)\//.test(zone) ? 105 : 25;
    return { lonaxis: { range: [centre - 100, centre + 100] }, projection: { type: "natural earth",
             rotation: { lon: centre } }, center: { lon: centre } };
  }

  // The geo settings the server drew the world with, kept before any region replaces them.
  var worldGeo = null;

  // A chosen region frames its part of the map (payload.regions, from figures.py REGIONS);
  // with none (World), a phone frames the person's part of the world instead.
  function mapLayout(layout, title, region, payload) {
    if (!worldGeo) { worldGeo = JSON.parse(JSON.stringify(layout.geo || {})); }
    var next = Object.assign({}, layout, { title: Object.assign({}, layout.title, { text: title }) });
    var frame = region && region !== "world" && payload.regions ? payload.regions[region] : null;
    if (frame) {
      next.geo = Object.assign({}, worldGeo, frame);
    } else if (window.innerWidth < 600) {
      next.geo = Object.assign({}, worldGeo, phoneFrame());
    } else {
      next.geo = Object.assign({}, worldGeo);
    }
    // A new region is a new starting view: a pan or zoom made in the last one does not carry over.
    next.uirevision = "map:" + (frame ? region : "world");
    return next;
  }

  function draw(metric, mode, year, country, count, region, figure, payload) {
    var keys = payload.keys, z = new Array(keys.length), text = new Array(keys.length);
    var widths = new Array(keys.length), colours = new Array(keys.length), numbers = new Array(keys.length);
    var isLag = metric === "lag" && payload.lag;  // no year: one value per country for the whole period
    var cumulative = mode === "cumulative" && metric !== "legal" && !isLag;
    var isLegal = metric === "legal";
    var counting = count === "people" ? "people" : "records";
    var label = payload.labels[metric] || payload.labels.all;
    var values = isLegal || isLag ? null : (payload.metrics[counting][metric] || payload.metrics[counting].all);
    var scale = isLegal ? payload.legal : isLag ? payload.lag : payload.count;
    var shownYear = isLegal ? legalYear(payload, year) : year;
    var yearText = shownYear + (isPartial(payload, metric, shownYear) ? " (partial year)" : "");
    var classOf = {}, hoverOf = {};
    var coverage = payload.coverage || {};  // coverage.csv: [status, researched on] per country
    var unresearched = scale.labels.length - 1;  // the legend's last class when the data has coverage.csv
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i], name = payload.names[key], research = coverage[key];
      if (!isLegal && research && research[0] === "not_researched") {
        z[i] = unresearched;
        numbers[i] = null;
        text[i] = name + "<br>Not researched yet: nobody has searched its sources for records";
      } else if (isLag) {
        var lag = payload.lag.values[key];
        z[i] = lag ? countClass(lag[0], scale.bins) : 0;
        numbers[i] = lag ? lag[0] : null;
        text[i] = name + "<br>" + (lag ? lag[0] + (lag[0] === 1 ? " year" : " years") + ": first record " + lag[1] +
          ", first legal reform on or after it " + lag[2] : "No first record followed by a legal reform record");
      } else if (isLegal) {
        z[i] = legalClass(payload, key, shownYear);
        numbers[i] = null;
        text[i] = name + "<br>" + payload.legal.long[z[i]] + " (" + shownYear + ")";
      } else {
        var value = countValue(values[key], year, cumulative);
        numbers[i] = value;
        z[i] = countClass(value, scale.bins);
        text[i] = name + "<br>" + label + (cumulative ? " to " : " in ") + yearText + ": " + countWords(counting, value);
      }
      if (research && research[0] === "none_found") {
        text[i] += "<br>No citable records found in the sources searched on " + research[1];
      } else if (isLegal && research && research[0] === "not_researched") {
        text[i] += "<br>Records: not researched yet";
      }
      classOf[key] = z[i];
      hoverOf[key] = text[i];
      widths[i] = key === country ? 2.5 : 0.4;
      colours[i] = key === country ? "#000000" : "#ffffff";
    }
    var title = isLag ? payload.lag.label + " (" + payload.lag.note + ")"
      : isLegal ? "Sexual-harassment law as of " + shownYear
      : label + (cumulative ? " to " : " in ") + yearText + " — counting " + (counting === "people" ? "people and cases" : "records");
    if (window.atlasMapTable) {
      // The same values in words: the figure's caption and the map-as-a-table (assets/maptable.js).
      window.atlasMapTable.update({ title: title, keys: keys, names: payload.names, z: z, numbers: numbers,
                                    labels: scale.labels, long: isLegal ? payload.legal.long : null,
                                    unit: isLegal ? "" : isLag ? "years" : counting, country: country });
    }
    var base = figure.data[0];
    var trace = Object.assign({}, base, {
      z: z,
      text: text,
      colorscale: scale.scale,
      zmin: -0.5,
      zmax: scale.labels.length - 0.5,
      marker: { line: { width: widths, color: colours } },
      colorbar: Object.assign({}, base.colorbar, {
        tickvals: scale.labels.map(function (_, n) { return n; }),
        ticktext: scale.labels,
        title: { text: title, side: "top" }
      })
    });
    var small = payload.small || [];
    var markers = Object.assign({}, figure.data[1], {
      text: small.map(function (s) { return hoverOf[s.key]; }),
      marker: Object.assign({}, figure.data[1].marker, {
        color: small.map(function (s) { return classOf[s.key] || 0; }),
        colorscale: scale.scale, cmin: -0.5, cmax: scale.labels.length - 0.5,
        // Record metrics mark the small states that have records; the legal layer every small economy.
        size: small.map(function (s) { return s.key === country ? 12 : (isLegal || (isLag ? classOf[s.key] : s.records) ? 9 : 0); }),
        line: { color: small.map(function (s) { return s.key === country ? "#000000" : "#333333"; }),
                width: small.map(function (s) { return s.key === country ? 2.5 : 0.8; }) }
      })
    });
    var next = Object.assign({}, figure, { data: [trace, markers],
                                           layout: mapLayout(figure.layout, title, region, payload) });
    var gd = graphDiv();
    lastDrawn = viewKey(metric, mode, year, country, count, region);
    if (gd && gd._fullData && window.Plotly) {
      // Fast path: restyle the drawn map in place with Plotly.react, skipping Dash's
      // prop round trip through dcc.Graph (measured in bench/). The Graph's own
      // figure prop catches up once scrubbing pauses, so a zoom, pan, reset or
      // resize (which redraw from that prop) keeps the colours, legend and outline.
      window.Plotly.react(gd, next.data, mapLayout(gd.layout, title, region, payload));
      scheduleSync(next);
      return NO_UPDATE();
    }
    return next;
  }

  function scheduleSync(figure) {
    pendingFigure = figure;
    if (syncTimer) { clearTimeout(syncTimer); }
    syncTimer = setTimeout(flushSync, SYNC_MS);
  }

  function flushSync() {
    if (syncTimer) { clearTimeout(syncTimer); syncTimer = null; }
    if (pendingFigure && window.dash_clientside.set_props) {
      var figure = pendingFigure;
      pendingFigure = null;
      window.dash_clientside.set_props("map", { figure: figure });
    }
  }
  // A zoom or pan that starts before the sync is due brings it forward.
  document.addEventListener("pointerdown", function (event) {
    if (pendingFigure && event.target.closest && event.target.closest("#map")) { flushSync(); }
  }, true);
  window.addEventListener("resize", function () { if (pendingFigure) { flushSync(); } });

  // Draw a year as soon as the slider will show it, before Dash has
  // dispatched its callbacks (see bench/): on an arrow key at once, and for
  // any other move when the slider's aria-valuenow changes.
  function drawYear(year) {
    var a = lastArgs;
    if (a && year && viewKey(a.metric, a.mode, year, a.country, a.count, a.region) !== lastDrawn) {
      draw(a.metric, a.mode, year, a.country, a.count, a.region, a.figure, a.payload);
      setYearLabel(year, lastArgs.metric, lastArgs.payload);
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

  function yearText(year, metric, payload) {
    if (!payload || typeof year !== "number") { return ""; }
    if (metric === "lag") { return "All years"; }
    var shown = metric === "legal" ? legalYear(payload, year) : clampYear(payload, metric, year);
    return String(shown) + (isPartial(payload, metric, shown) ? " (partial)" : "");
  }

  function setYearLabel(year, metric, payload) {
    var output = document.getElementById("year-label");
    if (output) { output.textContent = yearText(year, metric, payload); }
  }

  function yearLabel(year, metric, payload) { return yearText(year, metric, payload); }

  function selectCountry(clickData, clearClicks, intlClicks, current) {
    var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
    if (trigger.indexOf("clear-country") === 0) { return null; }
    if (trigger.indexOf("show-international") === 0) { return "INT"; }
    if (!clickData || !clickData.points || !clickData.points.length) { return NO_UPDATE(); }
    var point = clickData.points[0];
    var key = typeof point.location === "string" ? point.location : point.customdata;
    if (typeof key !== "string") { return NO_UPDATE(); }
    return key === current ? null : key;  // a second click on the country returns to the world view
  }

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // Best match first, so that Enter chooses what was meant: "India" is India, not
  // British Indian Ocean Territory; "USA", "South Korea", "Turkey" find theirs.
  function rankCountries(search, options) {
    if (!options || !options.length) { return NO_UPDATE(); }
    var wanted = fold(search);
    function score(option) {
      if (!wanted) { return 4; }
      var name = fold(String(option.label).split(" — ")[0]);
      var names = [name].concat(String(option.search || "").split(/\s{2,}|\|/).map(fold));
      var words = (name + " " + fold(option.search)).split(/[\s,()'’-]+/);
      if (name === wanted || (option.value && fold(option.value) === wanted)) { return 0; }
      if (names.indexOf(wanted) >= 0) { return 1; }
      if (name.indexOf(wanted) === 0) { return 2; }
      if (words.some(function (w) { return w && w.indexOf(wanted) === 0; })) { return 3; }
      return 4;
    }
    var ranked = options.map(function (option, index) { return { option: option, index: index, score: score(option) }; });
    ranked.sort(function (a, b) {
      if (a.score !== b.score) { return a.score - b.score; }
      var la = String(a.option.label), lb = String(b.option.label);
      return la < lb ? -1 : la > lb ? 1 : 0;
    });
    var changed = ranked.some(function (item, index) { return item.index !== index; });
    return changed ? ranked.map(function (item) { return item.option; }) : NO_UPDATE();
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

  // A record asked for by a permalink or a click in the table: scroll the panel to it once it is drawn.
  var pendingFocus = null;
  function focusRecord(children, focus) {
    var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
    if (trigger.indexOf("focus-record") === 0) { pendingFocus = focus && focus.id ? focus.id : null; }
    if (!pendingFocus) { return NO_UPDATE(); }
    var id = pendingFocus;
    requestAnimationFrame(function () {
      var card = document.getElementById("record-" + id);
      if (!card) { return; }
      pendingFocus = null;
      var previous = document.querySelectorAll(".record-focus");
      for (var i = 0; i < previous.length; i++) { previous[i].classList.remove("record-focus"); }
      card.classList.add("record-focus");
      card.setAttribute("tabindex", "-1");
      card.scrollIntoView({ block: "start" });
      card.focus({ preventScroll: true });
    });
    return NO_UPDATE();
  }

  // A record's Link and Cite (dashboard/detail.py share_controls): the permalink is the
  // page's own origin plus the record's path; texts go into read-only fields as values.
  function absolute(path) { return window.location.origin + path; }

  function textField(tag, id, label, value, rows) {
    var wrap = document.createElement("div");
    var caption = document.createElement("label");
    caption.htmlFor = id;
    caption.textContent = label;
    caption.className = "d-block mt-1";
    var field = document.createElement(tag);
    field.id = id;
    field.readOnly = true;
    field.className = "form-control form-control-sm font-monospace";
    if (rows) { field.rows = rows; } else { field.type = "text"; }
    field.value = value;
    wrap.appendChild(caption);
    wrap.appendChild(field);
    return wrap;
  }

  function copyLink(button) {
    var card = button.closest(".record");
    var box = card && card.querySelector(".link-box");
    if (!box) { return; }
    var link = absolute(button.getAttribute("data-permalink"));
    var status = box.querySelector(".link-status");
    var field = box.querySelector("input");
    if (!field) {
      box.insertBefore(textField("input", card.id + "-permalink", "Link to this record", link), status);
      field = box.querySelector("input");
    }
    function fallback() {
      field.focus();
      field.select();
      status.textContent = "Copy the selected link (Ctrl+C or ⌘C).";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(function () { status.textContent = "Link copied."; }, fallback);
    } else {
      fallback();
    }
  }

  function showCitation(details) {
    var box = details.querySelector(".cite-box");
    if (!box || box.childElementCount) { return; }
    var path = box.getAttribute("data-permalink");
    var link = absolute(path);
    var id = details.closest(".record").id;
    box.appendChild(textField("textarea", id + "-citation", "Citation",
                              box.getAttribute("data-citation").split(path).join(link), 3));
    box.appendChild(textField("textarea", id + "-bibtex", "BibTeX",
                              box.getAttribute("data-bibtex").split(path).join(link), 7));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".record-link");
    if (button) { copyLink(button); }
  });
  // `toggle` does not bubble; a capturing listener still sees every <details> open.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.classList && details.classList.contains("record-cite") && details.open) { showCitation(details); }
  }, true);

  // The table pages on the server: a filter change empties its cache so it asks again.
  function refreshTable() {
    if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
      window.dash_ag_grid.getApiAsync("table").then(function (api) {
        api.purgeInfiniteCache();
        api.paginationGoToFirstPage();
      });
    }
    return NO_UPDATE();
  }

  // The first writes only tidy the address; after the person's first key press or
  // click, a chosen view (country, metric, filters) is a history entry of its own,
  // while a year (scrubbing, play) only replaces the current entry. Back and
  // Forward hand the address to the server's restore_view through `url-pop`.
  var interacted = false;
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { interacted = true; }, true);
  });
  window.addEventListener("popstate", function () {
    if (window.dash_clientside.set_props) {
      window.dash_clientside.set_props("url-pop", { data: { search: window.location.search, at: Date.now() } });
    }
  });

  // The page's path with leading slashes collapsed: at "//" the address "//?metric=…" would name
  // another origin ("http:/?…") and history would refuse it.
  function pagePath() { return window.location.pathname.replace(/^\/+/, "/"); }

  // The embedded map's way out: the same view, without `embed`.
  function setFullViewLink(params) {
    var link = document.getElementById("full-view-link");
    var full = new URLSearchParams(params);
    full.delete("embed");
    if (link) { link.setAttribute("href", pagePath() + (full.toString() ? "?" + full.toString() : "")); }
  }

  function writeUrl(metric, mode, year, country, count, years, categories, statuses, text, region, compare) {
    var params = new URLSearchParams();
    if (metric) { params.set("metric", metric); }
    if (mode) { params.set("mode", mode); }
    if (typeof year === "number" && isFinite(year)) { params.set("year", String(year)); }
    if (count) { params.set("count", count); }
    if (country) { params.set("country", country); }
    if (years && years.length === 2) { params.set("from", String(years[0])); params.set("to", String(years[1])); }
    if (categories && categories.length) { params.set("cat", categories.join(",")); }
    if (statuses && statuses.length) { params.set("status", statuses.join(",")); }
    if (text) { params.set("q", text); }
    if (region && region !== "world") { params.set("region", region); }
    if (new URLSearchParams(window.location.search).get("embed")) { params.set("embed", "1"); }
    if (compare && compare.length) { params.set("compare", compare.join(",")); }
    setFullViewLink(params);
    var search = "?" + params.toString();
    if (window.location.search === search && window.location.pathname === pagePath()) { return NO_UPDATE(); }
    var before = new URLSearchParams(window.location.search);
    var after = new URLSearchParams(search);
    before.delete("year"); after.delete("year"); before.delete("record"); after.delete("record");
    before.sort(); after.sort();
    if (interacted && before.toString() !== after.toString()) {
      window.history.pushState(null, "", pagePath() + search);
    } else {
      window.history.replaceState(null, "", pagePath() + search);
    }
    return NO_UPDATE();
  }

  // The notice about a record not in the atlas goes once the reader chooses a country.
  function hideRecordNotice() { return true; }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      hideRecordNotice: hideRecordNotice,
      recolourMap: recolourMap,
      yearLabel: yearLabel,
      selectCountry: selectCountry,
      rankCountries: rankCountries,
      legalLine: legalLine,
      focusRecord: focusRecord,
      refreshTable: refreshTable,
      writeUrl: writeUrl
    }
  });
})();
