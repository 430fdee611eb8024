// Switching language keeps the page as it is now (HTMX searches update the address bar
// without reloading, so the path rendered into the form may be stale).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.classList && form.classList.contains("language-switch") && !form.hasAttribute("data-fixed-next")) {
    form.elements.next.value = window.location.pathname + window.location.search;
  }
});

// "Print" buttons (no inline handlers: the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});

// The search's filters: open on a wide screen, folded behind their button on a phone.
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      panel.open = true;
    });
  }
});

// The prescription's activity picker: a ticked activity moves to the chosen ones, so the
// next search (which replaces the results) keeps it.
document.addEventListener("change", function (event) {
  var box = event.target;
  var results = box.closest && box.closest("#activity-results");
  var chosen = document.getElementById("activity-chosen");
  if (results && chosen && box.checked) {
    chosen.appendChild(box.closest(".check-inline") || box);
  }
});

// Long lists to pick several from (organizations, territories): a box above the list
// keeps only the options whose name holds what is typed (without case or accents); the
// chosen ones always stay. The list works as it is without scripts.
document.addEventListener("DOMContentLoaded", function () {
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("select[data-filter]").forEach(function (list) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "list-filter";
    box.setAttribute("aria-label", list.getAttribute("data-filter"));
    box.placeholder = list.getAttribute("data-filter");
    box.setAttribute("aria-controls", list.id);
    list.parentNode.insertBefore(box, list);
    box.addEventListener("input", function () {
      var wanted = plain(box.value.trim());
      list.querySelectorAll("option").forEach(function (option) {
        option.hidden = !option.selected && wanted !== "" && plain(option.text).indexOf(wanted) < 0;
      });
      list.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    });
  });
});
