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

  // A question asked only after a yes shows when those were answered yes; hidden, it
  // goes back to "not asked".
  function refresh() {
    form.querySelectorAll("[data-ask-if]").forEach(function (row) {
      var shown = row.dataset.askIf.split(" ").every(function (name) {
        var yes = document.getElementById(name + "-yes");
        return yes && yes.checked;
      });
      row.hidden = !shown;
      if (!shown) row.querySelectorAll("input[value='']").forEach(function (input) { input.checked = true; });
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
    if (!field) return;
    if (field instanceof RadioNodeList || field.type === "radio") field.value = restored[name];
    else if (field.type === "checkbox") field.checked = restored[name] === "on";
    else if (field.type) field.value = restored[name];
  });
  refresh();
  form.addEventListener("change", refresh);

  // The risk questions shown and still "not asked" answered "no" at once (after asking
  // them): a yes is never changed. Then the focus on the first need.
  var allNo = document.getElementById("risk-all-no");
  if (allNo) {
    allNo.hidden = false;
    allNo.addEventListener("click", function () {
      form.querySelectorAll(".risk-question:not([hidden])").forEach(function (row) {
        var notAsked = row.querySelector("input[value='']");
        if (notAsked && notAsked.checked) row.querySelector("input[value=no]").checked = true;
      });
      refresh();
      // The risks answered, the needs come next.
      var next = document.querySelector('[data-shortcut="3"] input:not([type=hidden])');
      if (next) next.focus();
    });
  }

  var lastSaved = JSON.stringify(fields());
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  function saveDraft() {
    var now = JSON.stringify(fields());
    if (now === lastSaved) return Promise.resolve();
    return fetch(form.dataset.draftUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: now,
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      lastSaved = now;
      status.textContent = status.dataset.saved + " " + new Date().toLocaleTimeString();
      // The reason typed speaks of a crisis: the server sends the numbers to show now.
      var slot = document.getElementById("crisis-numbers");
      if (response.status === 200 && slot && !slot.firstElementChild) {
        return response.text().then(function (html) {
          slot.innerHTML = html;
        });
      }
    }).catch(function () {
      status.textContent = status.dataset.failed;
    });
  }
  setInterval(saveDraft, 3000);

  // A link that leaves the page ("Refer") keeps what was typed as a draft first.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target === "_blank" || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.getAttribute("href").charAt(0) === "#") return;
    if (JSON.stringify(fields()) === lastSaved) return;
    event.preventDefault();
    saveDraft().then(function () { window.location.href = link.href; });
  });

  // Another form of the page (an orientation, a resource given, the person) reloads the
  // page: what was typed in the screens is kept as a draft first, then it goes.
  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (other === form || other.dataset.draftKept === "1") return;
    if (JSON.stringify(fields()) === lastSaved) return;
    event.preventDefault();
    saveDraft().then(function () {
      other.dataset.draftKept = "1";
      other.requestSubmit(event.submitter || undefined);
    });
  });

})();
