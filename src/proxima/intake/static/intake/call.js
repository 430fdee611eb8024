// The contact screen: call timer, questions shown only when they apply, autosaved draft,
// keyboard shortcuts (Alt+1..6 jump to a section, Ctrl+Enter saves the current section).
(function () {
  "use strict";
  var form = document.getElementById("screen-form");
  var timer = document.getElementById("call-timer");
  var status = document.getElementById("draft-status");

  if (timer) {
    var started = Date.parse(timer.dataset.started);
    var tick = function () {
      var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
      var minutes = Math.floor(seconds / 60);
      timer.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
    };
    tick();
    setInterval(tick, 1000);
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey && /^[1-6]$/.test(event.key)) {
      var section = document.querySelector('[data-shortcut="' + event.key + '"]');
      var first = section && section.querySelector("input:not([type=hidden]):not([hidden]), select, textarea, button");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.ctrlKey && event.key === "Enter" && document.activeElement && document.activeElement.form) {
      event.preventDefault();
      document.activeElement.form.requestSubmit();
    }
  });

  if (!form) return;

  function refresh() {
    form.querySelectorAll("[data-ask-if]").forEach(function (row) {
      var shown = row.dataset.askIf.split(" ").every(function (name) {
        var box = document.getElementById(name);
        return box && box.checked;
      });
      row.hidden = !shown;
      if (!shown) row.querySelectorAll("input").forEach(function (input) { input.checked = false; });
    });
    form.querySelectorAll("[data-need]").forEach(function (need) {
      var box = document.getElementById(need.dataset.need);
      need.querySelector(".need-details").hidden = !box.checked;
    });
  }

  function fields() {
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && key !== "action") data[key] = String(value);
    });
    return data;
  }

  var restored = JSON.parse(document.getElementById("draft-data").textContent || "{}");
  Object.keys(restored).forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (!field || !field.type) return;
    if (field.type === "checkbox") field.checked = restored[name] === "on";
    else field.value = restored[name];
  });
  refresh();
  form.addEventListener("change", refresh);

  var lastSaved = JSON.stringify(fields());
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  setInterval(function () {
    var now = JSON.stringify(fields());
    if (now === lastSaved) return;
    fetch(form.dataset.draftUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: now,
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      lastSaved = now;
      status.textContent = status.dataset.saved + " " + new Date().toLocaleTimeString();
    }).catch(function () {
      status.textContent = status.dataset.failed;
    });
  }, 3000);

})();
