/* MeToo Atlas: the map in words. atlas.js hands over what it just drew (every country's value
 * and class, the legend, the title); this file writes a one-line summary into the figure's
 * caption and, when the reader opens it, a table of every country with the value and class
 * the map gives it. The table is sortable; its rows are one Tab stop (arrow keys move between
 * them) and choosing a row selects the country exactly as a click on the map does. */
(function () {
  "use strict";
  var state = null;
  var sort = { column: "name", descending: false };
  var focusKey = null;  // the row that holds the table's one Tab stop

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function isUnresearched(s, z) {
    return s.labels[s.labels.length - 1] === "Not researched" && z === s.labels.length - 1;
  }

  function rows(s) {
    return s.keys.map(function (key, i) {
      var value = s.numbers[i];
      var shown = s.long ? s.long[s.z[i]] : value === null || value === undefined ? "—" : String(value);
      return { key: key, name: s.names[key], value: value, shown: shown, z: s.z[i], label: s.labels[s.z[i]] };
    });
  }

  function unitWords(unit, n) {
    if (unit === "people") { return n === 1 ? "person or case" : "people and cases"; }
    if (unit === "years") { return n === 1 ? "year" : "years"; }
    return n === 1 ? "record" : "records";
  }

  function summary(s) {
    var all = rows(s);
    var unresearched = all.filter(function (r) { return isUnresearched(s, r.z); }).length;
    var tail = unresearched ? " " + unresearched + " countries not researched yet." : "";
    if (s.long) {
      var per = {};
      all.forEach(function (r) { per[r.label] = (per[r.label] || 0) + 1; });
      return s.title + ": " + s.labels.map(function (label) { return label + " " + (per[label] || 0); }).join(", ") + ".";
    }
    if (s.unit === "years") {
      var lags = all.filter(function (r) { return typeof r.value === "number"; });
      lags.sort(function (a, b) { return b.value - a.value || a.name.localeCompare(b.name); });
      return s.title + ": " + lags.length + " countries have a first record followed by a legal reform record; longest: " +
        lags.slice(0, 3).map(function (r) { return r.name + " (" + r.value + " " + unitWords("years", r.value) + ")"; }).join(", ") +
        "." + tail;
    }
    var valued = all.filter(function (r) { return typeof r.value === "number" && r.value > 0; });
    valued.sort(function (a, b) { return b.value - a.value || a.name.localeCompare(b.name); });
    var top = valued.slice(0, 3).map(function (r) { return r.name + " (" + r.value + ")"; }).join(", ");
    return s.title + ": " + valued.length + (valued.length === 1 ? " country" : " countries") + " with at least 1" +
      (top ? "; most " + unitWords(s.unit, 2) + ": " + top : "") + "." + tail;
  }

  function compare(a, b) {
    var order;
    if (sort.column === "value") {
      var av = typeof a.value === "number" ? a.value : -1, bv = typeof b.value === "number" ? b.value : -1;
      order = av - bv || a.z - b.z;
    } else if (sort.column === "class") {
      order = a.z - b.z;
    } else {
      order = a.name.localeCompare(b.name);
    }
    if (sort.descending) { order = -order; }
    return order || a.name.localeCompare(b.name);  // ties: by name, A to Z
  }

  function choose(key) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props("country-select", { value: key });
    }
  }

  function header(label, column) {
    var th = el("th", { scope: "col" });
    var active = sort.column === column;
    th.setAttribute("aria-sort", active ? (sort.descending ? "descending" : "ascending") : "none");
    var button = el("button", { type: "button", class: "btn btn-link btn-sm p-0 map-table-sort",
                                "data-column": column }, label + (active ? (sort.descending ? " ▼" : " ▲") : ""));
    th.appendChild(button);
    return th;
  }

  function render() {
    var box = document.getElementById("map-table");
    if (!box || box.hidden || !state) { return; }
    var list = rows(state).sort(compare);
    if (!focusKey || !list.some(function (r) { return r.key === focusKey; })) { focusKey = list[0].key; }
    var hadFocus = box.contains(document.activeElement) ? document.activeElement.getAttribute("data-key") : null;
    var table = el("table", { class: "table table-sm table-hover mb-0" });
    var caption = el("caption", { class: "caption-top" }, state.title + " — " + list.length +
                     " countries. Sort with the column buttons; arrow keys move between rows; Enter opens a country.");
    table.appendChild(caption);
    var head = el("thead");
    var tr = el("tr");
    var valueLabel = state.long ? "World Bank classification" : state.unit === "years" ? "Years" :
      state.unit === "people" ? "People and cases" : "Records";
    tr.appendChild(header("Country", "name"));
    tr.appendChild(header(valueLabel, "value"));
    tr.appendChild(header("Map class", "class"));
    head.appendChild(tr);
    table.appendChild(head);
    var body = el("tbody");
    list.forEach(function (r) {
      var row = el("tr", r.key === state.country ? { "aria-current": "true", class: "table-active" } : {});
      var cell = el("th", { scope: "row" });
      cell.appendChild(el("button", { type: "button", class: "btn btn-link btn-sm p-0 text-start map-table-country",
                                      "data-key": r.key, tabindex: r.key === focusKey ? "0" : "-1" }, r.name));
      row.appendChild(cell);
      row.appendChild(el("td", {}, r.shown));
      row.appendChild(el("td", {}, r.label));
      body.appendChild(row);
    });
    table.appendChild(body);
    box.replaceChildren(table);
    if (hadFocus) {
      var again = box.querySelector('[data-key="' + hadFocus + '"]');
      if (again) { again.focus(); }
    }
  }

  function update(next) {
    state = next;
    var text = document.getElementById("map-summary");
    if (text) { text.textContent = summary(next); }
    render();
  }

  function toggle(button) {
    var box = document.getElementById("map-table");
    if (!box) { return; }
    box.hidden = !box.hidden;
    button.setAttribute("aria-expanded", box.hidden ? "false" : "true");
    button.textContent = box.hidden ? "Show the map as a table" : "Hide the table";
    render();
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (!target) { return; }
    var toggler = target.closest("#map-table-toggle");
    if (toggler) { toggle(toggler); return; }
    var sorter = target.closest(".map-table-sort");
    if (sorter) {
      var column = sorter.getAttribute("data-column");
      sort = { column: column, descending: sort.column === column ? !sort.descending : column !== "name" };
      focusKey = null;  // the Tab stop goes back to the first row
      render();
      var again = document.querySelector('.map-table-sort[data-column="' + column + '"]');
      if (again) { again.focus(); }
      return;
    }
    var country = target.closest(".map-table-country");
    if (country) {
      focusKey = country.getAttribute("data-key");
      choose(focusKey);
    }
  });

  document.addEventListener("keydown", function (event) {
    var current = event.target.closest && event.target.closest(".map-table-country");
    if (!current) { return; }
    var buttons = Array.prototype.slice.call(document.querySelectorAll("#map-table .map-table-country"));
    var index = buttons.indexOf(current);
    var next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1,
                 PageDown: index + 10, PageUp: index - 10 }[event.key];
    if (next === undefined) { return; }
    event.preventDefault();
    next = Math.max(0, Math.min(buttons.length - 1, next));
    current.setAttribute("tabindex", "-1");
    buttons[next].setAttribute("tabindex", "0");
    focusKey = buttons[next].getAttribute("data-key");
    buttons[next].focus();
  });

  window.atlasMapTable = { update: update };
})();
