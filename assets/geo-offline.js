/* plotly.js geo subplots fetch a world topojson from a CDN before drawing,
 * even when every base layer is off and the countries come from our own
 * GeoJSON. Give it an empty topology instead, so the map draws offline and
 * nothing leaves the page. */
(function () {
  "use strict";
  var empty = { type: "Topology", objects: {}, arcs: [] };
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
  ["world_110m", "world_50m"].forEach(function (name) {
    if (!window.PlotlyGeoAssets.topojson[name]) { window.PlotlyGeoAssets.topojson[name] = empty; }
  });
})();
