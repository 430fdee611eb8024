// The coverage map: the region's territories (our own outlines, no tiles) coloured by
// the chosen measure, gaps outlined in red, possible duplications dashed; each opens its
// territory's table. And the table sorted by a click on a column's button.
(function () {
  "use strict";
  var data = document.getElementById("coverage-data");
  var box = document.getElementById("coverage-map");
  if (data && box && window.L) {
    var collection = JSON.parse(data.textContent);
    var values = collection.features
      .map(function (f) { return f.properties.value; })
      .filter(function (v) { return v !== null && v !== undefined; });
    var high = Math.max.apply(null, values.concat([0]));
    var shades = ["#eef4fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c"];
    var shade = function (value) {
      if (value === null || value === undefined) return "#f2f2f2";
      if (high <= 0) return shades[0];
      return shades[Math.min(4, Math.floor((value / high) * 4.999))];
    };
    var labels = collection.labels;
    var pair = function (label, value) {
      return labels.pair.replace("%(label)s", label).replace("%(value)s", value);
    };
    var map = L.map(box, { attributionControl: false, zoomControl: false, zoomSnap: 0.25 });
    L.control.zoom({ zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out }).addTo(map);
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        var p = feature.properties;
        return {
          fillColor: shade(p.value),
          fillOpacity: 0.85,
          color: p.gaps.length ? "#b00020" : "#4a5360",
          weight: p.gaps.length ? 3 : 1,
          dashArray: p.duplication ? "6 4" : null,
        };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        var text = p.name + " — " + pair(collection.measure,
          p.value === null || p.value === undefined ? labels.none : p.value);
        if (p.gaps.length) text += " — " + pair(labels.gaps, p.gaps.join(", "));
        if (p.duplication) text += " — " + labels.duplication;
        // As text, never as markup (a territory's name comes from an imported file).
        var tip = document.createElement("span");
        tip.textContent = text;
        shape.bindTooltip(tip, { sticky: true });
        shape.on("click", function () { window.location.href = p.url; });
        shape.on("add", function () {
          var path = shape.getElement && shape.getElement();
          if (!path) return;
          path.setAttribute("tabindex", "0");
          path.setAttribute("role", "link");
          path.setAttribute("aria-label", text);
          path.addEventListener("keydown", function (event) {
            if (event.key === "Enter") window.location.href = p.url;
          });
        });
      },
    }).addTo(map);
    if (collection.features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    else map.setView([46.8, -71.2], 9);
  }

  // Sorting the table: numbers high to low first, names in the reader's order.
  var table = document.getElementById("coverage-table");
  if (!table) return;
  table.querySelectorAll("thead button[data-sort]").forEach(function (button, column) {
    button.addEventListener("click", function () {
      var numeric = button.dataset.sort === "number";
      // Numbers most first, names from A; a second click the other way.
      var current = button.getAttribute("aria-sort");
      var descending = current ? current !== "descending" : numeric;
      table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
      button.parentElement.setAttribute("aria-sort", descending ? "descending" : "ascending");
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
